// The files a container sees in /etc, as Docker writes them. pont puts them in
// /etc/netns/NAME/, which `ip netns exec NAME` (and so `pont exec`) bind-mounts over /etc.

const HOSTS_HEAD = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

export interface HostsInput {
  hostname: string;
  /** The container's addresses, in attach order. */
  addresses: string[];
  /** --add-host entries "name:ip", before the container's own lines as in Docker. */
  extraHosts: string[];
}

export function renderHosts(h: HostsInput): string {
  const extra = h.extraHosts.map((e) => {
    // "name:ip": the name has no ':', the address may (IPv6)
    const i = e.indexOf(':');
    return `${e.slice(i + 1)}\t${e.slice(0, i)}`;
  });
  return [...HOSTS_HEAD, ...extra, ...h.addresses.map((a) => `${a}\t${h.hostname}`)].join('\n') + '\n';
}

export interface ResolvInput {
  /** On user-defined networks the embedded resolver answers at 127.0.0.11. */
  embeddedDns: boolean;
  /** The host's resolv.conf text (used when the embedded resolver is not). */
  hostResolvConf: string;
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
}

/** Docker's resolv.conf for a container. */
export function renderResolvConf(r: ResolvInput): string {
  const lines: string[] = [];
  if (r.embeddedDns) {
    // --dns on a user network feeds the embedded resolver, the container still asks 127.0.0.11.
    const search = r.dnsSearch.filter((d) => d !== '.');
    if (search.length) lines.push(`search ${search.join(' ')}`);
    lines.push('nameserver 127.0.0.11');
    lines.push(`options ${['ndots:0', ...r.dnsOptions].join(' ')}`);
    return lines.join('\n') + '\n';
  }
  if (!r.dns.length && !r.dnsSearch.length && !r.dnsOptions.length) return r.hostResolvConf;
  const host = parseResolvConf(r.hostResolvConf);
  // `--dns-search .` asks for no search domains at all
  const search = r.dnsSearch.length ? r.dnsSearch.filter((d) => d !== '.') : host.search;
  if (search.length) lines.push(`search ${search.join(' ')}`);
  for (const ns of r.dns.length ? r.dns : host.nameservers) lines.push(`nameserver ${ns}`);
  const options = r.dnsOptions.length ? r.dnsOptions : host.options;
  if (options.length) lines.push(`options ${options.join(' ')}`);
  return lines.join('\n') + '\n';
}

export function parseResolvConf(text: string): { nameservers: string[]; search: string[]; options: string[] } {
  const out = { nameservers: [] as string[], search: [] as string[], options: [] as string[] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}
