// Plans the container's /etc/netns/NAME/{hosts,hostname,resolv.conf}, which `ip netns exec`
// bind-mounts over /etc for every process of the container.
import { readFileSync } from 'node:fs';
import { renderHosts, renderResolvConf } from '../core/etc-files.js';
import type { ContainerRecord, NetworkRecord } from '../core/model.js';
import type { Step } from '../core/steps.js';

export const etcDir = (ns: string) => `/etc/netns/${ns}`;
/** The files pont writes there: a teardown removes these and no other. */
export const ETC_FILES = ['hosts', 'hostname', 'resolv.conf'] as const;

/** The host's resolvers, copied for containers on the default bridge; no variable names another file. */
export function hostResolvConf(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

/** Whether the container asks pont's embedded resolver (user-defined networks, as in Docker). */
export function usesEmbeddedDns(ctr: ContainerRecord, networks: NetworkRecord[]): boolean {
  const net = networks.find((n) => n.name === ctr.networkMode || n.id === ctr.networkMode);
  return Boolean(net && !net.predefined);
}

export function hostsStep(ctr: ContainerRecord): Step {
  return {
    op: 'file.write',
    path: `${etcDir(ctr.netns)}/hosts`,
    content: renderHosts({ hostname: ctr.hostname, addresses: ctr.endpoints.map((e) => e.ipAddress).filter((a) => a !== ''), extraHosts: ctr.extraHosts }),
  };
}

export function planEtcFiles(ctr: ContainerRecord, networks: NetworkRecord[]): Step[] {
  const dir = etcDir(ctr.netns);
  return [
    { op: 'dir.add', path: dir, owned: [...ETC_FILES] },
    hostsStep(ctr),
    { op: 'file.write', path: `${dir}/hostname`, content: `${ctr.hostname}\n` },
    {
      op: 'file.write',
      path: `${dir}/resolv.conf`,
      content: renderResolvConf({
        embeddedDns: usesEmbeddedDns(ctr, networks),
        hostResolvConf: hostResolvConf(),
        dns: ctr.dns,
        dnsSearch: ctr.dnsSearch,
        dnsOptions: ctr.dnsOptions,
      }),
    },
  ];
}
