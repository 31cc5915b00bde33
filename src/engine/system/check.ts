// `pont system check`: the store against the kernel. Each difference is one finding with the
// commands that would repair it (what `pont system reload` or `gc` applies). Read-only: it takes
// no lock and changes nothing.
import { existsSync } from 'node:fs';
import type { ContainerRecord, NetworkRecord, State } from '../../core/model.js';
import { BRIDGE_PREFIX, DEFAULT_BRIDGE } from '../../core/names.js';
import { shellLine } from '../../core/shell.js';
import { explain } from '../../core/steps.js';
import { containersNeedingDns } from '../../dns/scope.js';
import type { Kernel, LinkInfo } from '../../kernel/kernel.js';
import { driverFor } from '../../drivers/registry.js';
import { etcDir } from '../etc-files.js';
import { isAlive } from '../../kernel/process.js';
import type { FirewallBackend } from '../../firewall/backend.js';
import { loadFirewallBackend } from '../../firewall/index.js';
import { inspectFirewall, planFirewallMove, recordedBackend } from './firewall.js';

export interface Finding {
  /** One line: what differs. */
  what: string;
  /** The equivalent commands that repair it (empty when only a pont command can). */
  repair: string[];
  /** Which pont command repairs it. */
  by: 'reload' | 'gc' | 'rm';
}

/** pont's names for host links: its bridges, the host ends of its veths, its overlays' VXLAN devices. */
export const isPontLinkName = (name: string) =>
  name === DEFAULT_BRIDGE || new RegExp(`^${BRIDGE_PREFIX}[0-9a-f]{10}$`).test(name) || /^pv[0-9a-f]{8}e\d+$/.test(name) || /^pont-vx[0-9a-f]{8}$/.test(name);

/** Host links with pont's names that no record owns. */
export function orphanLinks(state: State, links: LinkInfo[]): LinkInfo[] {
  const owned = new Set<string>();
  for (const n of state.networks) if (n.bridge) owned.add(n.bridge);
  for (const c of state.containers) for (const e of c.endpoints) if (e.hostIfname) owned.add(e.hostIfname);
  // an overlay's VXLAN device lives while a container of this host is on it
  for (const c of state.containers) for (const e of c.endpoints) if (state.networks.some((n) => n.id === e.networkId && n.driver === 'overlay')) owned.add(`pont-vx${e.networkId.slice(0, 8)}`);
  return links.filter((l) => isPontLinkName(l.name) && !owned.has(l.name));
}

const bridgeSteps = (n: NetworkRecord) => driverFor(n.driver).planCreate(n).filter((s) => s.op !== 'fw.add');
// bridge steps without their firewall part: either backend explains them alike
const explainBridge = (s: Parameters<typeof explain>[0]) => explain(s, 'iptables');

function checkNetworks(state: State, byName: Map<string, LinkInfo>): Finding[] {
  const out: Finding[] = [];
  for (const n of state.networks) {
    if (n.driver !== 'bridge' || !n.bridge) continue;
    const link = byName.get(n.bridge);
    if (!link) out.push({ what: `network ${n.name}: bridge ${n.bridge} is missing`, repair: bridgeSteps(n).flatMap(explainBridge), by: 'reload' });
    else if (!link.up) out.push({ what: `network ${n.name}: bridge ${n.bridge} is down`, repair: [shellLine(['ip', 'link', 'set', n.bridge, 'up'])], by: 'reload' });
  }
  return out;
}

async function checkContainer(k: Kernel, state: State, c: ContainerRecord, byName: Map<string, LinkInfo>, needsDns: Set<string>): Promise<Finding[]> {
  const out: Finding[] = [];
  const rm = (what: string): Finding => ({ what: `container ${c.name}: ${what}`, repair: [], by: 'rm' });
  if (!c.netns) return out;
  if (!k.netnsExists(c.netns)) return [rm(`network namespace ${c.netns} is missing (pont rm ${c.name}, then run it again)`)];
  // a CNI runtime's container: its /etc files and its process are the runtime's
  for (const f of c.external ? [] : ['hosts', 'hostname', 'resolv.conf']) {
    if (!existsSync(`${etcDir(c.netns)}/${f}`)) out.push(rm(`${etcDir(c.netns)}/${f} is missing`));
  }
  const inside = new Set((await k.listLinks(c.netns)).map((l) => l.name));
  const bridges = new Map(state.networks.map((n) => [n.id, n]));
  for (const e of c.endpoints) {
    const net = bridges.get(e.networkId);
    if (e.ifname && !inside.has(e.ifname)) out.push(rm(`interface ${e.ifname} (${net?.name ?? e.networkId}) is missing`));
    if (e.hostIfname) {
      const host = byName.get(e.hostIfname);
      const master = net?.bridge ? byName.get(net.bridge) : undefined;
      if (!host) out.push(rm(`veth ${e.hostIfname} is missing`));
      else if (master && host.master !== master.index) {
        out.push({ what: `container ${c.name}: veth ${e.hostIfname} is not on bridge ${master.name}`, repair: [shellLine(['ip', 'link', 'set', e.hostIfname, 'master', master.name])], by: 'reload' });
      }
    }
  }
  if (c.running && !c.external && !isAlive(c)) out.push(rm(`process ${c.pid} is gone but the container is recorded as running`));
  if (needsDns.has(c.id)) {
    const { dnsServedIn } = await import('../../dns/supervisor.js');
    if (!dnsServedIn(c.netns)) out.push({ what: `container ${c.name}: no resolver answers on 127.0.0.11:53`, repair: ['pont dns --supervise &'], by: 'reload' });
  }
  return out;
}

export async function checkSystem(k: Kernel, fw: FirewallBackend, state: State): Promise<Finding[]> {
  const links = await k.listLinks();
  const byName = new Map(links.map((l) => [l.name, l]));
  // pont's firewall is compared where it is written; a config naming another backend is one finding
  const made = recordedBackend(state) ?? fw.name;
  const inspection = await inspectFirewall(made === fw.name ? fw : await loadFirewallBackend(made), k, state);
  const findings: Finding[] = [];
  if (made !== fw.name) {
    const move = planFirewallMove(fw, state).flatMap((s) => explain(s, fw.name));
    findings.push({ what: `firewall: pont's firewall is written with ${made}, and /etc/pont/config.json asks for ${fw.name}: the next mutating command moves it`, repair: move, by: 'reload' });
  }
  const fwRepair = inspection.repair?.explain ?? [];
  findings.push(...inspection.findings.map((what, i) => ({ what, repair: i === 0 ? fwRepair : [], by: 'reload' as const })));
  findings.push(...checkNetworks(state, byName));
  const needsDns = new Set(containersNeedingDns(state).map((c) => c.id));
  for (const c of state.containers) findings.push(...(await checkContainer(k, state, c, byName, needsDns)));
  for (const l of orphanLinks(state, links)) findings.push({ what: `link ${l.name} has a pont name but no record owns it`, repair: [shellLine(['ip', 'link', 'del', l.name])], by: 'gc' });
  findings.push(...(await checkCni(state)));
  return findings;
}

/** Each CNI attachment of a running container: its plugins' CHECK (they compare the kernel with their cached result). */
async function checkCni(state: State): Promise<Finding[]> {
  const out: Finding[] = [];
  const nets = new Map(state.networks.filter((n) => n.driver === 'cni' && n.cni).map((n) => [n.id, n]));
  if (!nets.size) return out;
  const [{ checkNetworkList }, { parseConfList }] = await Promise.all([import('../../cni/runtime/chain.js'), import('../../cni/runtime/config.js')]);
  for (const c of state.containers) {
    if (!c.running || !c.netns) continue;
    for (const ep of c.endpoints) {
      const n = nets.get(ep.networkId);
      if (!n) continue;
      try {
        await checkNetworkList(parseConfList(n.cni!.text, n.cni!.source), { containerId: c.id, netns: `/run/netns/${c.netns}`, ifname: ep.ifname });
      } catch (e) {
        out.push({ what: `container ${c.name}: CNI CHECK on network ${n.name}: ${(e as Error).message}`, repair: [], by: 'rm' });
      }
    }
  }
  return out;
}
