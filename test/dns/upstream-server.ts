// A stand-in for the host's resolver, run by the integration tests and the benchmark inside a
// namespace of their own (never the real network): `node upstream-server.js ADDRESS [PORT]`.
// Over UDP and TCP it answers `example.test A 10.99.0.1`, never answers `silent.test` (for the
// SERVFAIL path) and says NXDOMAIN to everything else. Each question it sees is printed to
// stdout as "udp|tcp NAME TYPE", so a test can tell what was forwarded.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

const [address = '0.0.0.0', portArg = '53'] = process.argv.slice(2);
const port = Number(portArg);

function answer(query: Buffer, transport: string): Buffer | null {
  const q = dnsPacket.decode(query);
  const question = q.questions?.[0];
  if (!question) return null;
  process.stdout.write(`${transport} ${question.name} ${question.type}\n`);
  if (question.name.toLowerCase() === 'silent.test') return null;
  const known = question.name.toLowerCase() === 'example.test';
  return dnsPacket.encode({
    id: q.id,
    type: 'response',
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
    questions: q.questions,
    answers: known && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 42, data: '10.99.0.1' }] : [],
  });
}

const udp = dgram.createSocket('udp4');
udp.on('message', (msg, rinfo) => {
  const r = answer(msg, 'udp');
  if (r) udp.send(r, rinfo.port, rinfo.address);
});
udp.bind(port, address);

net
  .createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => {});
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const r = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)), 'tcp');
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (r) {
          const len = Buffer.alloc(2);
          len.writeUInt16BE(r.length);
          sock.write(Buffer.concat([len, r]));
        }
      }
    });
  })
  .listen(port, address, () => process.stdout.write('READY\n'));
