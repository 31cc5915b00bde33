// Listening sockets made inside a container's network namespace. A socket belongs to the
// namespace of the thread that created it, forever; Node's own listen() resolves its address
// asynchronously, long after inNetns() has returned to the host namespace, so:
//   UDP: dgram with a lookup that calls back synchronously, so bind() (which creates the fd)
//        runs entirely while the main thread is inside the namespace;
//   TCP: socket/bind/listen through libc (koffi) inside the namespace, then Node adopts the
//        ready fd with listen({ fd }).
// Callers wrap these in inNetns(); outside it they would bind in the host namespace.
//
// Bind only once loopbackUp() is true: in a new namespace whose lo is still down the kernel
// has no local table yet, takes 127.0.0.11 for a broadcast address, accepts the bind, and then
// sends every answer from 127.0.0.1 — which the client (connected to 127.0.0.11) drops.
import dgram from 'node:dgram';
import net from 'node:net';
import koffi from 'koffi';
import { SyscallError } from '../kernel/syscalls.js';

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const SOCK_DGRAM = 2;
const SIOCGIFFLAGS = 0x8913;
const IFF_UP = 1;

interface SocketLibc {
  socket: (domain: number, type: number, protocol: number) => number;
  bind: (fd: number, addr: Buffer, len: number) => number;
  listen: (fd: number, backlog: number) => number;
  setsockopt: (fd: number, level: number, name: number, val: Buffer, len: number) => number;
  close: (fd: number) => number;
  ioctl: (fd: number, req: number, arg: Buffer) => number;
}

let libc: SocketLibc | null = null;
function lib(): SocketLibc {
  if (!libc) {
    const l = koffi.load('libc.so.6');
    libc = {
      socket: l.func('int socket(int domain, int type, int protocol)'),
      bind: l.func('int bind(int fd, const void *addr, uint32_t len)'),
      listen: l.func('int listen(int fd, int backlog)'),
      setsockopt: l.func('int setsockopt(int fd, int level, int name, const void *val, uint32_t len)'),
      close: l.func('int close(int fd)'),
      // variadic in libc; a pointer third argument is passed alike on Linux ABIs
      ioctl: l.func('int ioctl(int fd, unsigned long req, void *arg)'),
    };
  }
  return libc;
}

function sockaddrIn(ip: string, port: number): Buffer {
  const sa = Buffer.alloc(16);
  sa.writeUInt16LE(AF_INET, 0); // sa_family is host order (little-endian on our targets)
  sa.writeUInt16BE(port, 2);
  ip.split('.').forEach((b, i) => sa.writeUInt8(Number(b), 4 + i));
  return sa;
}

/** Whether `lo` is up in the calling thread's namespace (SIOCGIFFLAGS). */
export function loopbackUp(): boolean {
  const c = lib();
  const fd = c.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SyscallError('socket', koffi.errno());
  try {
    const ifreq = Buffer.alloc(40); // struct ifreq: name[16], then the flags (short)
    ifreq.write('lo', 0, 'latin1');
    if (c.ioctl(fd, SIOCGIFFLAGS, ifreq) !== 0) throw new SyscallError('ioctl SIOCGIFFLAGS lo', koffi.errno());
    return (ifreq.readInt16LE(16) & IFF_UP) !== 0;
  } finally {
    c.close(fd);
  }
}

/** A listening TCP socket fd on ip:port in the calling thread's namespace. */
export function tcpListenFd(ip: string, port: number, backlog = 128): number {
  const c = lib();
  const fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SyscallError('socket', koffi.errno());
  const fail = (call: string): never => {
    const errno = koffi.errno();
    c.close(fd);
    throw new SyscallError(call, errno);
  };
  const one = Buffer.alloc(4);
  one.writeInt32LE(1, 0);
  // a restarted resolver must rebind at once even with old connections in TIME_WAIT
  if (c.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4) !== 0) fail('setsockopt SO_REUSEADDR');
  if (c.bind(fd, sockaddrIn(ip, port), 16) !== 0) fail(`bind tcp ${ip}:${port}`);
  if (c.listen(fd, backlog) !== 0) fail(`listen tcp ${ip}:${port}`);
  return fd;
}

/** Hands a listening fd to Node. Call outside inNetns: the fd already has its namespace. */
export function adoptTcpServer(fd: number, onConnection: (s: net.Socket) => void): net.Server {
  // half-open: a client may send its queries and shut its side; it still gets every answer
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  server.listen({ fd });
  return server;
}

/** Our sockets only ever name IP literals: answer at once, never through the system resolver. */
export const literalLookup = (host: string, _opts: unknown, cb: (err: Error | null, addr: string, family: number) => void): void =>
  cb(null, host, host.includes(':') ? 6 : 4); // a literal: a colon can only mean IPv6

/**
 * A UDP socket bound to ip:port before this returns, in the calling thread's namespace.
 * Throws the bind error (EADDRINUSE, ...) synchronously.
 */
export function udpBoundSocket(ip: string, port: number): dgram.Socket {
  const sock = dgram.createSocket({ type: 'udp4', lookup: literalLookup as never });
  let failure: Error | null = null;
  const onError = (e: Error) => {
    failure = e;
  };
  sock.once('error', onError);
  sock.bind({ address: ip, port, exclusive: true });
  sock.off('error', onError);
  if (failure) {
    sock.close();
    throw failure;
  }
  return sock;
}
