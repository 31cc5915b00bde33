// Deliberate differences: each id names a section of docs/differences.md (the reason lives
// there). A matcher recognises the differences the id explains; a scenario lists the ids it
// expects, and only those may excuse a difference in it. Ids without a matcher are handled by a
// normalisation (normalise.ts) or are declared on the one step they explain.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Difference {
  step: number;
  label: string;
  kind: string;
  key: string;
  /** Normalised values; undefined when the engine showed nothing under that key. */
  docker?: string;
  pont?: string;
  detail?: { docker?: string; pont?: string };
}

type Matcher = (d: Difference) => boolean;

const ipt = (d: Difference, table: string, re: RegExp, side: 'docker' | 'pont') =>
  d.kind === 'iptables' && d.key.startsWith(`${table}: `) && re.test(d.key.slice(table.length + 2)) && d[side] !== undefined && d[side === 'docker' ? 'pont' : 'docker'] === undefined;

/** Docker's output without the `::` twins of all-addresses bindings (`:::P` or `[::]:P` entries). */
const V6_ENTRY = /^(?:\S+ -> )?(?:::|\[::\]):\d/;
const withoutV6Twins = (s: string) =>
  s
    .split('\n')
    .filter((l) => !V6_ENTRY.test(l))
    .map((l) => {
      const head = /^\S+: /.exec(l)?.[0] ?? '';
      return head + l.slice(head.length).split(', ').filter((p) => !V6_ENTRY.test(p)).join(', ');
    })
    .join('\n');

export const MATCHERS: Record<string, Matcher> = {
  'D-raw-direct-drop': (d) => d.kind === 'iptables' && d.key.startsWith('raw: ') && d.docker === undefined,

  'D-forward-policy': (d) => ipt(d, 'filter', /^:FORWARD DROP$/, 'docker') || ipt(d, 'filter', /^:FORWARD ACCEPT$/, 'pont'),

  'D-no-userland-proxy': (d) =>
    ipt(d, 'nat', /^-A OUTPUT ! -d 127\.0\.0\.0\/8 -m addrtype --dst-type LOCAL -j X$/, 'docker') ||
    ipt(d, 'nat', /^-A OUTPUT -m addrtype --dst-type LOCAL -j X$/, 'pont') ||
    ipt(d, 'nat', /^-A X -i \S+ -j RETURN$/, 'docker') ||
    ipt(d, 'nat', /^-A POSTROUTING -o \S+ -m addrtype --src-type LOCAL -j MASQUERADE$/, 'pont') ||
    ipt(d, 'nat', /^-A X (?:-d \S+ )?! -i \S+ .* -j DNAT /, 'docker') ||
    ipt(d, 'nat', /^-A X (?:-d \S+ )?-p \w+ .* -j DNAT /, 'pont'),

  // PONT-INPUT is folded into INPUT (normalise.ts); its rules exist for internal bridges only
  'D-internal-no-way-out': (d) =>
    ipt(d, 'filter', /^-A INPUT (?:-d \S+\/32 )?-i br\([^)]+\) (?:-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT|-p icmp -m icmp --icmp-type 8 -j ACCEPT|-j DROP)$/, 'pont') ||
    (d.kind === 'ping' && /^\S+ -> gw@/.test(d.key) && d.docker === 'reply' && d.pont === 'no reply'),

  'D-ports-across-networks': (d) => ipt(d, 'filter', /^-A X-ISOLATION-STAGE-2 -m conntrack --ctstate DNAT -j RETURN$/, 'pont'),

  'D-ipv4-only-ports': (d) =>
    (d.kind === 'run' && d.key === 'stdout' && d.docker !== undefined && d.pont !== undefined && withoutV6Twins(d.docker) === d.pont) ||
    (d.kind === 'containerInspect' && /Ports\.[^.]+\[\d+\](?:\{\}|\.Host(?:Ip|Port))$/.test(d.key) && d.pont === undefined),

  'D-usage-hints': (d) =>
    d.kind === 'run' && d.key === 'stderr' && d.docker !== undefined && d.pont !== undefined &&
    d.pont.startsWith(d.docker.replace(/\n$/, '')) && d.pont.slice(d.docker.replace(/\n$/, '').length).split('\n').filter(Boolean).every((l) => l.startsWith('hint: ')),

  'D-failed-run-leaves-nothing': (d) => d.kind === 'run' && / run /.test(` ${d.label} `) && d.key === 'stdout' && /^<(?:ctr:[^>]+|id)>\n$/.test(d.docker ?? '') && d.pont === '',

  // through pont's API a run is refused by its create, and Docker's CLI adds its usage line to a
  // refused create (never to a refused start): Docker's error, then that line
  'D-api-created-has-endpoints': (d) =>
    d.kind === 'run' && / run /.test(` ${d.label} `) && d.key === 'stderr' && d.docker !== undefined && d.pont === `${d.docker.replace(/\n$/, '')}\nSee 'CLI run --help'.\n`,

  'D-no-images': (d) =>
    d.kind === 'containerInspect' && /^(?:Image|Driver|Config\.Image|GraphDriver|Mounts|Config\.(?:Volumes|WorkingDir|Entrypoint|OnBuild))\b/.test(d.key),

  // pont's value names the container's own namespace (or its files), where Docker's names a sandbox
  'D-container-netns-name': (d) =>
    d.kind === 'containerInspect' &&
    Boolean(d.docker && d.docker !== '""') &&
    ((d.key === 'NetworkSettings.SandboxKey' && /^"\/run\/netns\/[^/"]+"$/.test(d.pont ?? '')) ||
      (d.key === 'NetworkSettings.SandboxKey' && /\/netns\/default"$/.test(d.docker ?? '') && d.pont === '"/proc/1/ns/net"') ||
      (d.key === 'NetworkSettings.SandboxID' && /^"<ctr:[^>]+>"$/.test(d.pont ?? '')) ||
      (/^(?:ResolvConfPath|HostnamePath|HostsPath|LogPath)$/.test(d.key) && /^"\/(?:etc\/netns|run\/pont)\//.test(d.pont ?? ''))),
};

export const DIFFERENCES_DOC = fileURLToPath(new URL('../../../docs/differences.md', import.meta.url));

/** The D- ids that have a section (a heading naming the id) in docs/differences.md. */
export function documentedIds(markdown = readFileSync(DIFFERENCES_DOC, 'utf8')): Set<string> {
  const ids = new Set<string>();
  for (const m of markdown.matchAll(/^#{2,4} .*?`?(D-[a-z0-9-]+)`?/gm)) ids.add(m[1]);
  return ids;
}

/** The id (among `allowed`) that explains `d`, if any. Step-declared ids explain any difference of their step. */
export function explain(d: Difference, scenarioIds: string[], stepIds: string[]): string | undefined {
  for (const id of scenarioIds) if (MATCHERS[id]?.(d)) return id;
  return stepIds[0];
}
