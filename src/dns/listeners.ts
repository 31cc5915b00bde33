// The resolver's pair of sockets in one container namespace: UDP and TCP on 127.0.0.11:53.
// Both are opened while the main thread is inside the namespace (see sockets.ts) and then
// served from the host namespace's event loop like any other socket. `asker` is swapped by the
// resolver on every store change, so answers always follow the latest store.
import type dgram from 'node:dgram';
import { statSync } from 'node:fs';
import type net from 'node:net';
import { inNetns } from '../kernel/netns.js';
import type { Asker } from './names.js';
import { type Forward, handleQuery, type QueryContext } from './query.js';
import { adoptTcpServer, loopbackUp, tcpListenFd, udpBoundSocket } from './sockets.js';
import { serveTcpClient } from './tcp-client.js';

export const DNS_ADDRESS = '127.0.0.11';
export const DNS_PORT = 53;
/** TCP clients served at once per namespace: each holds a bounded buffer (tcp-client.ts). */
const TCP_MAX_CLIENTS = 64;

export class NamespaceListener {
  private readonly udpCtx: QueryContext;
  private readonly tcpCtx: QueryContext;
  private readonly conns = new Set<net.Socket>();
  private readonly tcp: net.Server;
  private closed = false;

  private constructor(
    readonly netns: string,
    /** inode of the namespace the sockets live in: a namespace re-made under the same name differs */
    readonly nsInode: number,
    private readonly udp: dgram.Socket,
    tcpFd: number,
    forward: Forward,
  ) {
    this.udpCtx = { asker: undefined, transport: 'udp', forward, source: netns };
    this.tcpCtx = { asker: undefined, transport: 'tcp', forward, source: netns };
    udp.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo.port, rinfo.address));
    udp.on('error', () => {}); // a send to a vanished client must not kill the resolver
    this.tcp = adoptTcpServer(tcpFd, (s) => this.onConnection(s));
    this.tcp.maxConnections = TCP_MAX_CLIENTS;
    this.tcp.on('error', () => {});
  }

  /** Opens both sockets inside `netns`; throws (nothing left open) if either cannot be made. */
  static open(netns: string, forward: Forward, address = DNS_ADDRESS, port = DNS_PORT): NamespaceListener {
    const { udp, fd, ino } = inNetns(netns, () => {
      // the namespace really entered (a name can be re-made between a stat and the setns)
      const nsIno = statSync('/proc/thread-self/ns/net').ino;
      if (!loopbackUp()) throw new Error('loopback is down');
      const u = udpBoundSocket(address, port);
      try {
        return { udp: u, fd: tcpListenFd(address, port), ino: nsIno };
      } catch (e) {
        u.close();
        throw e;
      }
    });
    return new NamespaceListener(netns, ino, udp, fd, forward);
  }

  set asker(a: Asker | undefined) {
    this.udpCtx.asker = a;
    this.tcpCtx.asker = a;
  }

  get asker(): Asker | undefined {
    return this.udpCtx.asker;
  }

  private onDatagram(msg: Buffer, port: number, address: string): void {
    const r = handleQuery(msg, this.udpCtx);
    if (r === null) return;
    if (Buffer.isBuffer(r)) {
      this.udp.send(r, port, address);
      return;
    }
    void r.then((answer) => {
      if (answer && !this.closed) this.udp.send(answer, port, address);
    });
  }

  private onConnection(sock: net.Socket): void {
    if (this.closed) return void sock.destroy();
    this.conns.add(sock);
    sock.on('close', () => this.conns.delete(sock));
    serveTcpClient(sock, this.tcpCtx);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.udp.close();
    this.tcp.close();
    for (const s of this.conns) s.destroy();
    this.conns.clear();
  }
}
