// The engine's side of CNI networks: a plugin chain's result recorded on its endpoint (address,
// prefix, gateway, MAC), and the shell lines of a --dry-run (which read the plugins' paths).
import type { EndpointRecord, State } from '../core/model.js';
import type { Step } from '../core/steps.js';

interface Result {
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
}

/** The endpoint as a CNI result describes it: the sandbox interface named `ifname`, and its first IPv4 address. */
export function endpointFromResult(ep: EndpointRecord, r: Result): EndpointRecord {
  const ifaces = r.interfaces ?? [];
  let index = ifaces.findIndex((i) => i.sandbox && i.name === ep.ifname);
  if (index < 0) index = ifaces.findIndex((i) => i.sandbox);
  const ips = (r.ips ?? []).filter((ip) => !ip.address.includes(':'));
  const ip = ips.find((x) => x.interface === index) ?? ips.find((x) => x.interface === undefined) ?? ips[0];
  const [address, len] = ip ? ip.address.split('/') : ['', '0'];
  return { ...ep, ipAddress: address, prefixLen: Number(len), gateway: ip?.gateway ?? '', macAddress: index >= 0 ? ifaces[index].mac ?? '' : '', cniResult: r };
}

/** `next` with each cni.add's result (its output, by step index) recorded on its endpoint. */
export function withCniResults(next: State, steps: readonly Step[], outputs: readonly unknown[]): State {
  let state = next;
  steps.forEach((s, i) => {
    if (s.op !== 'cni.add' || !outputs[i] || typeof outputs[i] !== 'object') return;
    const r = outputs[i] as Result;
    state = {
      ...state,
      containers: state.containers.map((c) =>
        c.id !== s.containerId ? c : { ...c, endpoints: c.endpoints.map((e) => (e.networkId === s.network && e.ifname === s.ifname ? endpointFromResult(e, r) : e)) },
      ),
    };
  });
  return state;
}

/** For a dry run: each CNI step with the shell lines that would run its plugins. */
export async function withCniExplanations(steps: Step[]): Promise<Step[]> {
  if (!steps.some((s) => s.op === 'cni.add' || s.op === 'cni.del')) return steps;
  const [{ explainNetworkList }, { parseConfList }] = await Promise.all([import('../cni/runtime/chain.js'), import('../cni/runtime/config.js')]);
  return steps.map((s) => {
    if (s.op !== 'cni.add' && s.op !== 'cni.del') return s;
    const rt = { containerId: s.containerId, netns: `/run/netns/${s.netns}`, ifname: s.ifname, ...(s.capabilityArgs ? { capabilityArgs: s.capabilityArgs } : {}) };
    const list = parseConfList(s.list, s.source);
    return { ...s, explainAdd: explainNetworkList('ADD', list, rt), explainDel: explainNetworkList('DEL', list, rt) };
  });
}
