// `network graph` without root: a world made by the engine's own verbs on the in-memory host
// (test/helpers/fake-host.ts), its store and one read of the fake kernel turned into the model,
// and each rendering checked for every element by name (key lines, not a golden file).
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterView } from '../../src/cluster/view.js';
import type { State } from '../../src/core/model.js';
import { runContainer, type RunRequest } from '../../src/engine/container/index.js';
import type { Context } from '../../src/engine/context.js';
import { createNetwork } from '../../src/engine/network/index.js';
import type { FirewallBackend } from '../../src/firewall/backend.js';
import { iptablesBackend } from '../../src/firewall/iptables.js';
import { nftablesBackend } from '../../src/firewall/nftables.js';
import { renderDot } from '../../src/learn/graph/dot.js';
import { renderMermaid } from '../../src/learn/graph/mermaid.js';
import { buildGraph, type Graph } from '../../src/learn/graph/model.js';
import { readKernelView } from '../../src/learn/graph/read.js';
import { renderText } from '../../src/learn/graph/text.js';
import { Store } from '../../src/store/store.js';
import { FakeProcesses, fakeHost, type FakeHost } from '../helpers/fake-host.js';

function context(host: FakeHost, firewall: FirewallBackend, dir: string, ids: { n: number }): Context {
  return {
    kernel: host.kernel, firewall, files: host.files, procs: new FakeProcesses(), store: new Store(dir),
    newId: () => (++ids.n).toString(16).padStart(4, '0').repeat(16),
    now: () => '2026-11-30T12:00:00Z', since: () => 0,
    hostPorts: () => ({ bound: new Set(), range: { low: 32768, high: 60999 } }),
    out: () => undefined, err: () => undefined, dryRun: false,
    faults: { failAt: 0, crashAt: 0, count: 0, crash: () => {
      throw new Error('no crash is injected here');
    } },
    dns: { ready: async () => undefined, ensure: async () => undefined, stopIfUnused: async () => undefined },
    cluster: async () => null,
  };
}

const run = (over: Partial<RunRequest>): RunRequest => ({
  aliases: [], dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], detach: true, interactive: true, tty: true, autoRemove: false,
  env: [], args: ['alpine'], publish: [], expose: [], publishAll: false, ...over,
});

/** The seed scenario, plus a macvlan network: returns the store's state and the kernel's view. */
async function seedWorld(t: ExecutionContext, firewall: FirewallBackend) {
  const dir = mkdtempSync(join(tmpdir(), 'pont-graph-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const host = fakeHost({ uplink: { name: 'ens3', cidr: '192.168.1.10/24', gateway: '192.168.1.1', mac: '52:54:00:12:34:56' } });
  const ctx = context(host, firewall, dir, { n: 0 });
  await createNetwork(ctx, { name: 'mon-bridge', driver: 'bridge', internal: false, attachable: false, labels: {}, options: {} });
  await createNetwork(ctx, { name: 'lan', driver: 'macvlan', internal: false, attachable: false, labels: {}, options: { parent: 'ens3' }, subnet: '192.168.1.0/24', gateway: '192.168.1.1', ipRange: '192.168.1.128/25' });
  await runContainer(ctx, run({ name: 'alpine1', network: 'mon-bridge' }));
  await runContainer(ctx, run({ name: 'alpine2', network: 'mon-bridge' }));
  await runContainer(ctx, run({ name: 'web', args: ['nginx'], publish: [{ hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' }] }));
  await runContainer(ctx, run({ name: 'hostnet', network: 'host' }));
  await runContainer(ctx, run({ name: 'isolated', network: 'none' }));
  await runContainer(ctx, run({ name: 'onlan', network: 'lan' }));
  const state = ctx.store.read();
  return { state, view: await readKernelView(host.kernel, state) };
}

/** An overlay network as the cluster store gives it, with a peer host in the agent's view. */
function withOverlay(state: State): { state: State; cluster: ClusterView } {
  const id = 'ab'.repeat(32);
  const overlay = { ...state.networks[0], id, name: 'ov', driver: 'overlay' as const, bridge: `pont-${id.slice(0, 10)}`, vni: 4097, ipam: [{ subnet: '10.0.9.0/24', gateway: '10.0.9.1' }], predefined: false };
  const cluster: ClusterView = {
    revision: 1,
    hosts: [{ id: 'h2id', name: 'node2', address: '192.168.1.20' }],
    endpoints: [{ network: id, endpointId: 'e', containerId: 'c', name: 'remote1', aliases: [], ipAddress: '10.0.9.5', macAddress: '02:42:0a:00:09:05', host: 'h2id', hostAddress: '192.168.1.20' }],
  };
  return { state: { ...state, networks: [...state.networks, overlay] }, cluster };
}

const ip = (g: Graph, name: string) => {
  const c = g.containers.find((x) => x.name === name)!;
  return g.networks.flatMap((n) => n.attachments).find((a) => a.containerId === c.id)!.inside;
};

test('the model has the uplink, each network with its device, every container with its interface, the port and the chains', async (t) => {
  const { state, view } = await seedWorld(t, iptablesBackend);
  const g = buildGraph(state, view);
  t.deepEqual(g.uplinks.map((u) => [u.name, u.addresses, u.defaultVia, u.mac]), [['ens3', ['192.168.1.10/24'], '192.168.1.1', '52:54:00:12:34:56']]);
  const mon = g.networks.find((n) => n.name === 'mon-bridge')!;
  t.regex(mon.bridge!.name, /^pont-[0-9a-f]{10}$/);
  t.deepEqual(mon.bridge!.addresses, [`${mon.gateway}/16`]);
  t.deepEqual(mon.attachments.map((a) => [g.containers.find((c) => c.id === a.containerId)!.name, a.inside.name]), [['alpine1', 'eth0'], ['alpine2', 'eth0']]);
  const a1 = ip(g, 'alpine1');
  t.is(a1.addresses[0], '172.18.0.2/16');
  t.is(a1.mac, '02:42:ac:12:00:02', "the kernel's MAC of the container end");
  t.regex(mon.attachments[0].hostEnd!.name, /^pv[0-9a-f]{8}e0$/);
  const bridge = g.networks.find((n) => n.name === 'bridge')!;
  t.is(bridge.bridge!.name, 'pont0');
  t.deepEqual(bridge.ports.map((p) => [p.hostIp, p.hostPort, p.containerPort, p.proto]), [['0.0.0.0', 8080, 80, 'tcp']]);
  t.deepEqual(g.networks.find((n) => n.name === 'host')!.members.map((id) => g.containers.find((c) => c.id === id)!.name), ['hostnet']);
  t.deepEqual(g.networks.find((n) => n.name === 'none')!.members.map((id) => g.containers.find((c) => c.id === id)!.name), ['isolated']);
  const lan = g.networks.find((n) => n.name === 'lan')!;
  t.deepEqual(lan.parent, { name: 'ens3', mode: 'bridge', created: undefined });
  t.true(mon.chains.includes('filter PONT-FORWARD') && mon.chains.includes('filter PONT-ISOLATION-STAGE-1') && mon.chains.includes('nat PONT-POSTROUTING') && mon.chains.includes('raw PONT-PREROUTING'), mon.chains.join(', '));
  t.true(bridge.chains.includes('nat PONT'), 'the DNAT chain serves the network with a published port');
  t.deepEqual(lan.chains, [], 'macvlan has no firewall rules');
});

test('with nftables the chains are the bridge chains of table inet pont', async (t) => {
  const { state, view } = await seedWorld(t, nftablesBackend);
  const g = buildGraph(state, view);
  const mon = g.networks.find((n) => n.name === 'mon-bridge')!;
  const br = mon.bridge!.name;
  for (const c of [`chain isolate-in-${br}`, `chain forward-out-${br}`, `chain forward-in-${br}`, `chain masquerade-${br}`, `chain guard-${br}`, 'map endpoint-guard']) t.true(mon.chains.includes(c), c);
  t.true(g.networks.find((n) => n.name === 'bridge')!.chains.includes('map ports-any'));
});

test('--network keeps one network and its containers', async (t) => {
  const { state, view } = await seedWorld(t, iptablesBackend);
  const mon = state.networks.find((n) => n.name === 'mon-bridge')!;
  const g = buildGraph(state, view, { networkId: mon.id });
  t.deepEqual(g.networks.map((n) => n.name), ['mon-bridge']);
  t.deepEqual(g.containers.map((c) => c.name).sort(), ['alpine1', 'alpine2']);
});

test('DOT, Mermaid and text name every element', async (t) => {
  const seed = await seedWorld(t, iptablesBackend);
  const { state, cluster } = withOverlay(seed.state);
  const g = buildGraph(state, seed.view, { cluster });
  const mon = g.networks.find((n) => n.name === 'mon-bridge')!;
  const names = [
    'mon-bridge (bridge) 172.18.0.0/16 gw 172.18.0.1', 'bridge (bridge) 172.17.0.0/16', 'host (host)', 'none (none)', 'lan (macvlan)', 'ov (overlay) 10.0.9.0/24',
    'alpine1', 'alpine2', 'web', 'hostnet', 'isolated', 'onlan', g.containers[0].shortId,
    'eth0 172.18.0.2/16', 'eth0 172.18.0.3/16', '02:42:ac:12:00:02', '02:42:ac:12:00:03', 'eth0 172.17.0.2/16',
    `bridge ${mon.bridge!.name} 172.18.0.1/16`, 'bridge pont0 172.17.0.1/16', `veth ${mon.attachments[0].hostEnd!.name}`,
    '0.0.0.0:8080→80/tcp', 'uplink ens3 192.168.1.10/24', 'default via 192.168.1.1', 'parent ens3 (bridge)', 'macvlan on ens3',
    'vxlan pont-vxabababab vni 4097', 'peer node2 192.168.1.20', 'remote1 10.0.9.5 mac 02:42:0a:00:09:05',
    'firewall (iptables)', 'filter PONT-FORWARD', 'filter PONT-ISOLATION-STAGE-2', 'nat PONT-POSTROUTING', 'nat PONT',
  ];
  const outputs = { dot: renderDot(g), mermaid: renderMermaid(g), text: renderText(g) };
  for (const [format, out] of Object.entries(outputs)) for (const name of names) t.true(out.includes(name), `${format} names ${name}`);
  t.regex(outputs.dot, /^digraph pont \{\n {2}graph \[rankdir=LR/);
  t.regex(outputs.dot, /subgraph cluster_net_[0-9a-f]{12} \{\n {4}label="mon-bridge \(bridge\)/);
  t.regex(outputs.mermaid, /^flowchart LR\n {2}subgraph host\["host"\]/);
  t.regex(outputs.text, /^host\n├─ uplink ens3 192\.168\.1\.10\/24, default via 192\.168\.1\.1, mac 52:54:00:12:34:56/);
  t.regex(outputs.text, /│ {2}├─ container alpine1 [0-9a-f]{12}\n│ {2}│ {2}├─ eth0 172\.18\.0\.2\/16 mac 02:42:ac:12:00:02/);
  t.regex(outputs.text, /published 0\.0\.0\.0:8080→80\/tcp → web/);
});

test('names that would break a DOT or Mermaid string are quoted', (t) => {
  const g: Graph = {
    firewallBackend: 'iptables', uplinks: [], containers: [{ id: 'c'.repeat(64), shortId: 'c'.repeat(12), name: 'a"b<c>#d', running: true }],
    networks: [{ id: 'n'.repeat(64), name: 'n"x', driver: 'bridge', internal: false, attachments: [{ containerId: 'c'.repeat(64), inside: { name: 'eth0', addresses: [] } }], members: [], ports: [], chains: [] }],
  };
  const dot = renderDot(g);
  t.true(dot.includes('label="n\\"x (bridge)"'));
  t.true(dot.includes('a&quot;b&lt;c&gt;#d'));
  t.true(renderMermaid(g).includes('a#quot;b#lt;c#gt;#35;d'));
});
