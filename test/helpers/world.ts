// Pieces of a small world around a sandbox host: an "internet" namespace reached through an
// uplink veth (the host routes and masquerades to it), and servers that report who called.
import type { Sandbox } from './sandbox.js';

export const UPLINK = { host: '198.51.100.1', remote: '198.51.100.2' };

/** Adds namespace `internet`, linked to the host by veth uplink0 (198.51.100.0/24). It has no
 * route back to any container subnet: only NAT lets containers talk to it. */
export async function addInternet(sb: Sandbox): Promise<void> {
  await sb.ok(
    [
      'ip netns add internet',
      'ip link add uplink0 type veth peer name wan0 netns internet',
      `ip addr add ${UPLINK.host}/24 dev uplink0`,
      'ip link set uplink0 up',
      `ip -n internet addr add ${UPLINK.remote}/24 dev wan0`,
      'ip -n internet link set wan0 up',
      'ip -n internet link set lo up',
    ].join(' && '),
  );
}

/** A TCP server in namespace `ns` answering each connection with the caller's address. */
export async function startWhoAmI(sb: Sandbox, ns: string, port: number): Promise<void> {
  const js = `require('net').createServer(s=>{s.on('error',()=>{});s.end(s.remoteAddress.replace('::ffff:','')+'\\n')}).listen(${port})`;
  await sb.ok(`ip netns exec ${ns} setsid node -e "${js}" >/dev/null 2>&1 &`);
  await untilListening(sb, ns, port);
}

/** Waits (5 s at most) until something in namespace `ns` listens on `port`: a server started in
 * the background, or a container's, is ready once its socket is (asks nothing of the server). */
export async function untilListening(sb: Sandbox, ns: string, port: number, proto: 'tcp' | 'udp' = 'tcp'): Promise<void> {
  await sb.ok(`for i in $(seq 1 100); do ip netns exec ${ns} ss -ln${proto[0]} | grep -q ':${port} ' && exit 0; sleep 0.05; done; exit 1`);
}

/** Connects to host:port from `ns` (a pont container name or a plain namespace) and returns the reply. */
export async function askWhoAmI(sb: Sandbox, ns: string, host: string, port: number): Promise<string> {
  const js = `const s=require('net').connect(${port},'${host}');let d='';s.on('data',x=>d+=x);s.on('end',()=>{process.stdout.write(d);process.exit(0)});s.on('error',e=>{console.error(e.code);process.exit(1)});setTimeout(()=>{console.error('timeout');process.exit(2)},3000)`;
  const r = await sb.sh(`ip netns exec ${ns} node -e "${js}"`);
  return r.exitCode === 0 ? r.stdout.trim() : `failed: ${r.stderr.trim()}`;
}

/** A ping, tried twice (the first may be lost to ARP on a loaded machine): true if one answered. */
export async function pings(sb: Sandbox, from: string, to: string): Promise<boolean> {
  return (await sb.sh(`ip netns exec ${from} ${pingOnce(to)}`)).exitCode === 0;
}

/** Shell for "one ping answers", with one retry: 1 s then 2 s at most. */
export const pingOnce = (to: string): string => `sh -c 'ping -c 1 -W 1 ${to} || ping -c 1 -W 2 ${to}' >/dev/null`;

/** HTTP GET from namespace `ns` ('' = the sandbox host), 3 s at most: the body, or '' if it failed. */
export async function httpGet(sb: Sandbox, ns: string, url: string): Promise<string> {
  const r = await sb.sh(`${ns ? `ip netns exec ${ns} ` : ''}curl -s --max-time 3 ${url}`);
  return r.exitCode === 0 ? r.stdout : '';
}

/** A UDP echo server in namespace `ns` on `port`. */
export async function startUdpEcho(sb: Sandbox, ns: string, port: number): Promise<void> {
  const js = `const d=require('dgram').createSocket('udp4');d.on('message',(m,r)=>d.send(m,r.port,r.address));d.bind(${port})`;
  await sb.ok(`ip netns exec ${ns} setsid node -e "${js}" >/dev/null 2>&1 &`);
  await untilListening(sb, ns, port, 'udp');
}

/** Sends one datagram from `ns` ('' = host) and returns the echo, or '' after 2 s. */
export async function udpAsk(sb: Sandbox, ns: string, host: string, port: number, text: string): Promise<string> {
  const js = `const d=require('dgram').createSocket('udp4');d.on('message',m=>{process.stdout.write(String(m));process.exit(0)});d.send('${text}',${port},'${host}');setTimeout(()=>process.exit(1),2000)`;
  const r = await sb.sh(`${ns ? `ip netns exec ${ns} ` : ''}node -e "${js}"`);
  return r.exitCode === 0 ? r.stdout : '';
}
