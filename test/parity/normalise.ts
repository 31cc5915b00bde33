// Normalisation: what legitimately differs between two runs (or between the two engines' names
// for the same thing) is rewritten to a neutral form before comparing. Each rule here is listed
// in docs/differences.md under "Normalisations".
//
//   ids          a network's or container's 64-hex id, or its 12-hex short form, becomes
//                <net:NAME> / <ctr:NAME>; other ids (endpoints, sandboxes) become <id> / <id12>
//   bridges      docker0 / pont0 -> br(bridge); br-<12hex> / pont-<10hex> -> br(NAME)
//   times        RFC 3339 and Go time.String() stamps -> <time>; "3 seconds ago" -> <ago>;
//                "Up 2 seconds" -> "Up <dur>"
//   program      the word docker / pont used as the program's name (`docker: …`,
//                `'docker network create --help'`, `Usage:  docker …`) -> CLI
//   chains       DOCKER* / PONT* -> X*, and pont's PONT-FORWARD / PONT-INPUT / PONT-POSTROUTING
//                folded into FORWARD / INPUT / POSTROUTING (D-pont-forward-chain)
//   warning      pont's one-time "WARNING: pont turned on IPv4 forwarding …" line is dropped
//                (D-forward-warning)
//   cli noise    the docker CLI's own log line `level=error msg="error waiting for container:
//                context canceled"` (a race in `run -d`, whichever engine it talks to) is dropped

export type ObjectKind = 'net' | 'ctr';

/** Ids an engine handed out, learnt from command outputs and listings. */
export class IdBook {
  private readonly byId = new Map<string, { kind: ObjectKind; name: string }>();

  learn(id: string, kind: ObjectKind, name: string): void {
    if (/^[0-9a-f]{64}$/.test(id)) this.byId.set(id, { kind, name });
  }

  /** A full id or a prefix of at least 10 hex digits. */
  find(idOrPrefix: string): { kind: ObjectKind; name: string } | undefined {
    const exact = this.byId.get(idOrPrefix);
    if (exact) return exact;
    if (idOrPrefix.length < 10) return undefined;
    for (const [id, v] of this.byId) if (id.startsWith(idOrPrefix)) return v;
    return undefined;
  }

  /** True when `text` holds an id-like token this book cannot name. */
  hasUnknown(text: string): boolean {
    for (const m of text.matchAll(/\b[0-9a-f]{64}\b|\b[0-9a-f]{12}\b|\b(?:br|pont)-([0-9a-f]{10,12})\b/g)) if (!this.find(m[1] ?? m[0])) return true;
    return false;
  }
}

const tag = (v: { kind: ObjectKind; name: string }) => `<${v.kind}:${v.name}>`;

export function normaliseText(text: string, ids: IdBook): string {
  let s = text;
  // pont's one-time forwarding warning (D-forward-warning): dockerd sets the FORWARD policy instead
  s = s.replace(/^WARNING: pont turned on IPv4 forwarding .*\n?/gm, '');
  // the docker CLI logs this when `run -d` returns before its own wait goroutine has ended
  s = s.replace(/^time="[^"]*" level=error msg="error waiting for container: context canceled"\n?/gm, '');
  // bridges first: their hex would otherwise be taken for a short id
  s = s.replace(/\bbr-([0-9a-f]{12})\b/g, (_, p: string) => `br(${ids.find(p)?.name ?? '?'})`);
  s = s.replace(/\bpont-([0-9a-f]{10})\b/g, (_, p: string) => `br(${ids.find(p)?.name ?? '?'})`);
  s = s.replace(/\b(?:docker0|pont0)\b/g, 'br(bridge)');
  s = s.replace(/\b[0-9a-f]{64}\b/g, (id) => {
    const v = ids.find(id);
    return v ? tag(v) : '<id>';
  });
  s = s.replace(/\b[0-9a-f]{12}\b/g, (id) => {
    const v = ids.find(id);
    return v ? tag(v) : '<id12>';
  });
  s = s.replace(/\b(?!0001-)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, '<time>');
  s = s.replace(/\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4} [A-Z]+/g, '<time>');
  s = s.replace(/\b(?:\d+|About an?|Less than a) (?:second|minute|hour|day)s? ago\b/g, '<ago>');
  s = s.replace(/\bUp (?:\d+|About an?|Less than a) (?:second|minute|hour|day)s?\b/g, 'Up <dur>');
  s = s.replace(/(^|[\s'"(])(?:docker|pont)(?=[\s:'"])/gm, '$1CLI');
  return s;
}

// ---------------------------------------------------------------------------------------------
// iptables-save

/** table -> normalised lines (chain declarations and rules), as a set. */
export type RuleSet = Map<string, Set<string>>;

const FOLDED: Record<string, string> = { 'X-FORWARD': 'FORWARD', 'X-INPUT': 'INPUT', 'X-POSTROUTING': 'POSTROUTING' };

export function normaliseIptables(save: string, ids: IdBook): RuleSet {
  const tables: RuleSet = new Map();
  let current: Set<string> | undefined;
  for (const raw of save.split('\n')) {
    let line = raw.trim();
    if (!line || line.startsWith('#') || line === 'COMMIT') continue;
    if (line.startsWith('*')) {
      current = new Set();
      tables.set(line.slice(1), current);
      continue;
    }
    if (!current) continue;
    line = normaliseText(line, ids)
      .replace(/\s*\[\d+:\d+\]/g, '')
      .replace(/ -m comment --comment (?:"[^"]*"|\S+)/g, '')
      .replace(/\b(?:DOCKER|PONT)((?:-[A-Z0-9]+)*)\b/g, 'X$1');
    // pont hangs its base chains off one jump per built-in chain: fold them back
    const decl = /^:(\S+) /.exec(line);
    if (decl && FOLDED[decl[1]]) continue;
    const jump = /^-A (\S+) -j (\S+)$/.exec(line);
    if (jump && FOLDED[jump[2]] === jump[1]) continue;
    const rule = /^-A (\S+) /.exec(line);
    if (rule && FOLDED[rule[1]]) line = `-A ${FOLDED[rule[1]]} ${line.slice(rule[0].length)}`;
    current.add(line);
  }
  // a table nobody wrote to (only built-in chains, ACCEPT policies) says nothing
  for (const [t, lines] of tables) {
    if ([...lines].every((l) => /^:[A-Z]+ ACCEPT$/.test(l))) tables.delete(t);
  }
  return tables;
}
