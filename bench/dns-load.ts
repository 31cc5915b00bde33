// Load generator for bench/dns.ts, run inside one container namespace:
//   node dist/bench/dns-load.js --server 127.0.0.11 --names c1,c2 --duration 5000 --max 200000 --inflight 32
// Keeps `inflight` UDP queries outstanding (spread over a few sockets), cycling through the
// names, until `duration` ms or `max` answers; a query unanswered for 1 s is counted lost and
// replaced. Prints one JSON line: answered, lost, errors (rcode != 0), qps, latency percentiles.
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import dnsPacket from 'dns-packet';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: '127.0.0.11' },
    port: { type: 'string', default: '53' },
    names: { type: 'string' },
    duration: { type: 'string', default: '5000' },
    max: { type: 'string', default: '200000' },
    inflight: { type: 'string', default: '32' },
    sockets: { type: 'string', default: '4' },
  },
});

const names = (values.names ?? 'c1').split(',');
const durationMs = Number(values.duration);
const maxAnswers = Number(values.max);
const inflight = Number(values.inflight);
const nSockets = Math.min(Number(values.sockets), inflight);
const port = Number(values.port);
const server = values.server!;
const LOST_MS = 1000;
const BUCKET_US = 10; // histogram resolution
const histogram = new Uint32Array(100_000); // 0 .. 1 s in 10 µs buckets

// pre-encoded queries: the generator must not be the bottleneck it measures
const templates = names.map((name) => dnsPacket.encode({ id: 0, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A' }] }));

let answered = 0;
let lost = 0;
let errors = 0;
let sent = 0;
let nameCursor = 0;
let stopping = false;
const t0 = process.hrtime.bigint();
const nowUs = () => Number(process.hrtime.bigint() - t0) / 1000;

interface Lane {
  sock: dgram.Socket;
  sentAt: Float64Array; // by query id; 0 = not outstanding
  nextId: number;
  outstanding: number;
}

const literal = (host: string, _o: unknown, cb: (e: Error | null, a: string, f: number) => void) => cb(null, host, 4);

function send(lane: Lane): void {
  const q = Buffer.from(templates[nameCursor++ % templates.length]);
  const id = lane.nextId;
  lane.nextId = (lane.nextId + 1) & 0xffff;
  q.writeUInt16BE(id, 0);
  lane.sentAt[id] = nowUs() || 1e-3;
  lane.outstanding++;
  sent++;
  lane.sock.send(q, port, server);
}

function finish(): void {
  if (stopping) return;
  stopping = true;
  const elapsedS = nowUs() / 1e6;
  const pct = (p: number) => {
    const target = Math.ceil(answered * p);
    let acc = 0;
    for (let i = 0; i < histogram.length; i++) {
      acc += histogram[i];
      if (acc >= target) return ((i + 1) * BUCKET_US) / 1000;
    }
    return Infinity;
  };
  const result = {
    answered,
    lost,
    errors,
    sent,
    seconds: Number(elapsedS.toFixed(3)),
    qps: Math.round(answered / elapsedS),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
    p999ms: pct(0.999),
    inflight,
    sockets: nSockets,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

const lanes: Lane[] = [];
for (let i = 0; i < nSockets; i++) {
  const sock = dgram.createSocket({ type: 'udp4', lookup: literal as never });
  const lane: Lane = { sock, sentAt: new Float64Array(0x10000), nextId: Math.floor(Math.random() * 0x10000), outstanding: 0 };
  sock.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    const at = lane.sentAt[id];
    if (at === 0) return; // late answer to a query already counted lost
    lane.sentAt[id] = 0;
    lane.outstanding--;
    const us = nowUs() - at;
    histogram[Math.min(histogram.length - 1, Math.floor(us / BUCKET_US))]++;
    answered++;
    if ((msg[3] & 0x0f) !== 0) errors++;
    if (stopping) return;
    if (answered >= maxAnswers) return finish();
    send(lane);
  });
  sock.bind(0, '0.0.0.0');
  lanes.push(lane);
}

// spread the window over the lanes, then let answers drive new queries
for (let i = 0; i < inflight; i++) send(lanes[i % nSockets]);

setInterval(() => {
  const now = nowUs();
  for (const lane of lanes) {
    for (let id = 0; id < 0x10000; id++) {
      const at = lane.sentAt[id];
      if (at !== 0 && now - at > LOST_MS * 1000) {
        lane.sentAt[id] = 0;
        lane.outstanding--;
        lost++;
        send(lane);
      }
    }
  }
}, 250).unref();
setTimeout(finish, durationMs);
