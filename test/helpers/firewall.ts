// What integration tests read and break of pont's firewall, on whichever backend the sandbox
// runs: iptables (pont's PONT-* chains) or nftables (pont's table inet pont). The same question
// ("what does pont DNAT?", "how many packets did the loopback drop count?") asked of each.
import type { Sandbox } from './sandbox.js';

/** pont's whole firewall as the kernel has it, both backends' (for "every rule is gone" checks). */
export async function firewallState(sb: Sandbox): Promise<string> {
  const saved = await sb.ok('iptables-save | grep -v "^#" | sed "s/\\[[0-9:]*\\]//"');
  return `${saved}\n${await sb.nftTable()}`;
}

/** Published host ports as `[ADDR ]PROTO PORT -> IP:PORT`, read from the DNAT rules or map elements. */
export async function dnatTargets(sb: Sandbox): Promise<string[]> {
  if (sb.firewall === 'iptables') {
    const nat = await sb.ok('iptables-save -t nat');
    return [...nat.matchAll(/^-A PONT (?:-d (\S+)\/32 )?-p (\w+) -m \w+ --dport (\d+) -j DNAT --to-destination (\S+)$/gm)].map((m) => `${m[1] ? `${m[1]} ` : ''}${m[2]} ${m[3]} -> ${m[4]}`).sort();
  }
  const out: string[] = [];
  for (const map of ['ports-any', 'ports-ip']) {
    const text = await sb.ok(`nft -s list map inet pont ${map} 2>/dev/null || true`);
    const elements = /elements = \{([^}]*)\}/.exec(text)?.[1] ?? '';
    for (const e of elements.split(',').map((x) => x.trim()).filter(Boolean)) {
      const [key, value] = e.split(' : ');
      const [ip, port] = value.split(' . ');
      out.push(`${key.split(' . ').join(' ')} -> ${ip}:${port}`);
    }
  }
  return out.sort();
}

/** The packet count of the first rule of `chain` whose text includes `match` (nft: pont's table). */
async function nftCounter(sb: Sandbox, chain: string, match: string): Promise<number> {
  const line = (await sb.ok(`nft list chain inet pont ${chain}`)).split('\n').find((l) => l.includes(match) && l.includes('counter packets'));
  return Number(/counter packets (\d+)/.exec(line ?? '')?.[1] ?? NaN);
}

const LOOPBACK_DROP = '-d 127.0.0.0/8 ! -i lo -j DROP';

/** Packets the raw-priority drop of 127.0.0.0/8 from outside has counted. */
export async function loopbackDrops(sb: Sandbox): Promise<number> {
  if (sb.firewall === 'nftables') return nftCounter(sb, 'raw-prerouting', 'ip daddr 127.0.0.0/8');
  const line = (await sb.ok('iptables -t raw -S PONT-PREROUTING -v')).split('\n').find((l) => l.includes(LOOPBACK_DROP.replace('-j DROP', '')));
  return Number(/-c (\d+) /.exec(line ?? '')?.[1] ?? NaN);
}

/** Deletes a rule of pont's table by its handle (nft deletes rules by handle only). */
async function deleteNftRule(sb: Sandbox, chain: string, match: string): Promise<void> {
  const line = (await sb.ok(`nft -a list chain inet pont ${chain}`)).split('\n').find((l) => l.includes(match));
  const handle = /# handle (\d+)/.exec(line ?? '')?.[1];
  if (!handle) throw new Error(`no rule with ${match} in chain ${chain}`);
  await sb.ok(`nft delete rule inet pont ${chain} handle ${handle}`);
}

/** Removes the loopback drop by hand: the control that shows it is that rule that stops an attack. */
export async function removeLoopbackDrop(sb: Sandbox): Promise<void> {
  if (sb.firewall === 'nftables') return deleteNftRule(sb, 'raw-prerouting', 'ip daddr 127.0.0.0/8');
  await sb.ok(`iptables -t raw -D PONT-PREROUTING ${LOOPBACK_DROP}`);
}

/** Packets the host-input drop of an internal network's bridge has counted. */
export async function inputDrops(sb: Sandbox, bridge: string): Promise<number> {
  if (sb.firewall === 'nftables') return nftCounter(sb, `input-${bridge}`, 'drop');
  const line = (await sb.ok('iptables -S PONT-INPUT -v')).split('\n').find((l) => l.includes(`-i ${bridge} `) && l.endsWith('-j DROP'));
  return Number(/-c (\d+) /.exec(line ?? '')?.[1] ?? NaN);
}

/**
 * Breaks the host-input guard of an internal network the way a flush or a hand edit would, and
 * returns the lines `pont system check` must print for it.
 */
export async function breakInputGuard(sb: Sandbox, bridge: string): Promise<RegExp[]> {
  if (sb.firewall === 'nftables') {
    await sb.ok(`nft flush chain inet pont input-${bridge} && nft delete element inet pont input-in '{ "${bridge}" }'`);
    return [
      new RegExp(`^firewall: rule missing in chain input-${bridge}: meta nfproto ipv4 counter drop `, 'm'),
      new RegExp(`^firewall: element missing in map input-in: "${bridge}" : jump input-${bridge} `, 'm'),
    ];
  }
  await sb.ok('iptables -F PONT-INPUT && iptables -D INPUT -j PONT-INPUT');
  return [/^firewall: rule missing in filter: -A INPUT -j PONT-INPUT /m, new RegExp(`^firewall: rule missing in filter: -A PONT-INPUT -i ${bridge} -j DROP `, 'm')];
}

/**
 * The raw-priority guard of a container's address: its network's subnet rule (iptables) or the
 * address's map element (nftables).
 */
export async function endpointGuard(sb: Sandbox, ip: string): Promise<string | undefined> {
  if (sb.firewall === 'nftables') {
    const text = await sb.ok('nft -s list map inet pont endpoint-guard');
    return new RegExp(`${ip.replace(/\./g, '\\.')} : jump guard-[\\w-]+`).exec(text)?.[0];
  }
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const guards = (await sb.ok('iptables-save -t raw')).matchAll(/^-A PONT-PREROUTING -d (\S+)\/(\d+) ! -i pont-\w+ -m addrtype ! --dst-type LOCAL -j DROP$/gm);
  return [...guards].find((m) => Math.floor(toInt(ip) / 2 ** (32 - Number(m[2]))) === Math.floor(toInt(m[1]) / 2 ** (32 - Number(m[2]))))?.[0];
}

/** Whether any masquerade of `subnet` is there (internal networks have none). */
export async function masqueradesSubnet(sb: Sandbox, subnet: string): Promise<boolean> {
  if (sb.firewall === 'nftables') return (await sb.ok('nft -s list map inet pont subnet-masquerade')).includes(`${subnet} :`);
  return (await sb.ok('iptables-save -t nat')).includes(subnet);
}
