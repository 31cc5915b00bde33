// Issue 13: the firewall backends at scale. `node dist/bench/firewall.js [--connections 2000]
// [--rounds 5]` (root). For each backend (iptables, nftables) and each count of published ports
// on the host (10, then 10,000: a filler container publishing 9 or 9,999 ports as one range, then
// the target's one port, whose rules come last):
//   - the time of N sequential TCP connections (connect, read the server's one line, close) from a
//     machine on the host's LAN (a namespace behind a veth) to the target's published port on the
//     host's address: DNAT in PREROUTING, then FORWARD for every packet. Median of `rounds`
//     batches, after one warm-up batch; and the median connection inside them;
//   - how long publishing the filler's ports took, and a `run -d -p` + `rm -f` pair once they are
//     there (every command compares pont's whole firewall with the kernel first);
//   - the rules pont's firewall holds (iptables: pont's rules; nftables: rules of table inet pont).
import { parseArgs } from 'node:util';
import { parseTableListing } from '../src/core/firewall/nft/listing.js';
import type { FirewallBackendName } from '../src/core/firewall/parts.js';
import { isMain, machineLine, median, ms, ok, PontBox, printTable, type Row, runAlone, timed } from './lib.js';

const { values: args } = parseArgs({ options: { connections: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } }, strict: false });
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const HOST = '198.51.100.1';
const PORT_COUNTS = [10, 10_000];
const TARGET_PORT = 30000;

/** A server that writes one line and closes, in the target's namespace. */
const SERVER = `require('net').createServer(s=>{s.on('error',()=>{});s.end('ok\\n')}).listen(7000,'0.0.0.0')`;

/** N sequential connections; prints the batch's wall time and each connection's, in ms. */
const CLIENT = (n: number) => `
const net=require('net');const lat=[];let i=0;const t0=process.hrtime.bigint();
function one(){const s=process.hrtime.bigint();const c=net.connect(${TARGET_PORT},'${HOST}');
c.setTimeout(3000,()=>{console.error('timeout at '+i);process.exit(1)});
c.on('error',e=>{console.error(e.code+' at '+i);process.exit(1)});c.resume();
c.on('end',()=>{lat.push(Number(process.hrtime.bigint()-s)/1e6);c.destroy();if(++i<${n})one();else{
console.log(JSON.stringify({total:Number(process.hrtime.bigint()-t0)/1e6,lat}))}})}one();`;

interface Result {
  backend: FirewallBackendName;
  ports: number;
  batch: number;
  connection: number;
  publishFiller: number;
  runRm: number;
  rules: number;
}

async function rulesOf(box: PontBox, backend: FirewallBackendName): Promise<number> {
  if (backend === 'iptables') return Number((await ok(box, "iptables-save | grep -c '^-A PONT'")).trim());
  const t = parseTableListing(await ok(box, 'nft -s list table inet pont'));
  return [...(t?.chains.values() ?? [])].reduce((n, c) => n + c.rules.length, 0);
}

async function measure(backend: FirewallBackendName, ports: number): Promise<Result> {
  const box = await PontBox.create({ firewall: backend });
  try {
    await ok(box, `ip netns add lan && ip link add uplink0 type veth peer name wan0 netns lan
      ip addr add ${HOST}/24 dev uplink0 && ip link set uplink0 up
      ip -n lan addr add 198.51.100.2/24 dev wan0 && ip -n lan link set wan0 up && ip -n lan link set lo up`);
    await ok(box, 'pont network create web >/dev/null');
    const filler = ports - 1;
    const fill = await timed(box, `tm fill pont run -d --name filler --network web -p 20001-${20000 + filler}:20001-${20000 + filler} alpine sleep 3600`, 900_000);
    await ok(box, `pont run -d --name target --network web -p ${TARGET_PORT}:7000 alpine sleep 3600 >/dev/null
      (setsid ip netns exec target node -e "${SERVER}" >/dev/null 2>&1 &)
      for i in $(seq 1 100); do ip netns exec lan node -e "require('net').connect(${TARGET_PORT},'${HOST}').on('data',()=>process.exit(0)).on('error',()=>process.exit(1))" && exit 0; sleep 0.1; done; exit 1`, 120_000);
    const runRm = await timed(box, `for i in 0 1 2 3; do tm $([ $i -eq 0 ] && echo warm || echo t) sh -c "pont run -d --name x$i --network web -p 31000:80 alpine sleep 600 && pont rm -f x$i"; done`, 900_000);
    const rules = await rulesOf(box, backend);
    const batches: number[] = [];
    const lat: number[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      const out = JSON.parse(await ok(box, `ip netns exec lan node -e "${CLIENT(r === 0 ? Math.min(200, CONNECTIONS) : CONNECTIONS)}"`, 600_000)) as { total: number; lat: number[] };
      if (r === 0) continue; // warm-up
      batches.push(out.total);
      lat.push(...out.lat);
    }
    const res = { backend, ports, batch: median(batches), connection: median(lat), publishFiller: fill.get('fill')?.[0] ?? NaN, runRm: median(runRm.get('t') ?? []), rules };
    console.log(
      `${backend.padEnd(8)} ${String(ports).padStart(6)} ports: ${CONNECTIONS} connections ${ms(res.batch)} (median of ${ROUNDS}: ${batches.map((b) => b.toFixed(0)).join(' / ')} ms), ` +
        `a connection ${res.connection.toFixed(3)} ms; ${rules} rules; publishing ${filler} ports took ${ms(res.publishFiller)}; run -d -p + rm -f ${ms(res.runRm)}`,
    );
    return res;
  } finally {
    await box.destroy();
  }
}

export async function bench(): Promise<Row[]> {
  console.log(`== firewall backends: ${CONNECTIONS} TCP connections to a published port, with ${PORT_COUNTS.join(' and ')} ports published ==`);
  console.log(machineLine());
  const results: Result[] = [];
  for (const ports of PORT_COUNTS) for (const backend of ['iptables', 'nftables'] as const) results.push(await measure(backend, ports));
  console.log('');
  printTable(
    ['backend', 'ports', `${CONNECTIONS} connections (median)`, 'one connection (median)', 'pont rules', 'publish the filler', 'run -p + rm -f'],
    results.map((r) => [r.backend, String(r.ports), ms(r.batch), `${r.connection.toFixed(3)} ms`, String(r.rules), ms(r.publishFiller), ms(r.runRm)]),
  );
  const at = (b: FirewallBackendName, p: number) => results.find((r) => r.backend === b && r.ports === p)!;
  return (['iptables', 'nftables'] as const).map((b) => ({
    bench: 'firewall',
    metric: `${CONNECTIONS} connections, ${b}: 10 → 10,000 ports`,
    pont: `${ms(at(b, 10).batch)} → ${ms(at(b, 10_000).batch)}`,
    docker: '',
    value: `${(at(b, 10_000).batch / at(b, 10).batch).toFixed(2)}×`,
    goal: '',
    met: null,
  }));
}

if (isMain(import.meta.url)) await runAlone('firewall', bench);
