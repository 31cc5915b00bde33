// Plays a scenario's steps against one engine and turns what each step shows into a "view": a
// flat map from a key (`stdout`, `IPAM.Config[0].Gateway`, `c1 eth0 mac`, `filter: -A …`) to a
// normalised value. Two engines' views of the same step are then compared key by key.
import type { Engine } from './engine.js';
import { IdBook, normaliseIptables, normaliseText } from './normalise.js';
import { stepKind, type Step } from './scenario.js';

export type View = Map<string, string>;

export interface Observation {
  view: View;
  /** The step could not be played as written (a host command failed): the scenario is broken. */
  broken?: string;
  /** Not compared; shown next to a difference (e.g. the stderr of a failed setup step). */
  detail?: string;
}

export function expand(template: string, e: Engine): string {
  return template.replaceAll('{cli}', e.cli).replaceAll('{img}', e.img);
}

/** One engine playing steps in order, keeping the ids it handed out. */
export class Player {
  readonly ids = new IdBook();
  /** Set by commands that may have created objects; cleared by a listing refresh. */
  private dirty = true;

  constructor(readonly engine: Engine) {}

  async play(step: Step): Promise<Observation> {
    const t0 = Date.now();
    try {
      return await this.playStep(step);
    } finally {
      if (process.env.PARITY_TRACE) process.stderr.write(`${this.engine.kind} ${Date.now() - t0}ms ${stepKind(step)} ${JSON.stringify(step).slice(0, 80)}\n`);
    }
  }

  private async playStep(step: Step): Promise<Observation> {
    const e = this.engine;
    switch (stepKind(step)) {
      case 'run': {
        const s = step as Extract<Step, { run: string }>;
        const r = await this.cli(s.run, s.input);
        const pick = s.compare ?? ['stdout', 'stderr', 'exit'];
        const view: View = new Map();
        const masked = (t: string) => (s.mask ? t.replace(new RegExp(s.mask, 'g'), '…') : t);
        const lines = (t: string) => masked(s.sortLines ? t.split('\n').filter(Boolean).sort().join('\n') : t);
        if (pick.includes('stdout')) view.set('stdout', lines(await this.norm(r.stdout)));
        if (pick.includes('stderr')) view.set('stderr', lines(await this.norm(r.stderr)));
        if (pick.includes('exit')) view.set('exit', String(r.exitCode));
        return { view, detail: r.exitCode !== 0 && !pick.includes('stderr') ? await this.norm(r.stderr) : undefined };
      }
      case 'do': {
        const r = await this.cli((step as { do: string }).do);
        return { view: new Map([['exit', String(r.exitCode)]]), detail: r.exitCode !== 0 ? await this.norm(r.stderr.trim()) : undefined };
      }
      case 'host': {
        const r = await e.sh((step as { host: string }).host);
        return { view: new Map(), broken: r.exitCode !== 0 ? `host command failed (${r.exitCode}): ${r.stderr.trim()}` : undefined };
      }
      case 'restart':
        await e.restart();
        return { view: new Map() };
      case 'networkInspect': {
        const s = step as Extract<Step, { networkInspect: string }>;
        return this.inspect(`{cli} network inspect ${s.networkInspect}`, s.paths, s.keysOnly);
      }
      case 'containerInspect': {
        const s = step as Extract<Step, { containerInspect: string }>;
        return this.inspect(`{cli} inspect ${s.containerInspect}`, s.paths, s.keysOnly);
      }
      case 'links':
        return this.links((step as { links: string[] }).links);
      case 'hostBridges':
        return this.bridges();
      case 'ping':
        return this.pings((step as Extract<Step, { ping: unknown }>).ping);
      default: {
        const r = await e.sh('iptables-save');
        const view: View = new Map();
        for (const [table, lines] of normaliseIptables(await this.norm(r.stdout), this.ids)) {
          for (const l of lines) view.set(`${table}: ${l}`, 'present');
        }
        return { view };
      }
    }
  }

  /** Runs a CLI template, learning the ids it prints for named objects. */
  private async cli(template: string, input?: string) {
    const cmd = expand(template, this.engine);
    const r = await this.engine.sh(cmd, { input, timeoutMs: 120_000 });
    this.learnFrom(cmd, r.stdout);
    if (/\b(?:run|create|connect|disconnect|rm|prune|stop)\b/.test(cmd)) this.dirty = true;
    return r;
  }

  private learnFrom(cmd: string, stdout: string): void {
    const id = /^[0-9a-f]{64}$/m.exec(stdout)?.[0];
    if (!id) return;
    const net = /\bnetwork\s+create\b.*?(\S+)\s*$/.exec(cmd);
    if (net) return this.ids.learn(id, 'net', net[1].replace(/^['"]|['"]$/g, ''));
    const name = /\brun\b.*--name[ =](\S+)/.exec(cmd);
    if (name) this.ids.learn(id, 'ctr', name[1]);
  }

  /** Normalises `text`, first asking the engine for names of ids it has not seen yet. */
  async norm(text: string): Promise<string> {
    if (this.dirty && this.ids.hasUnknown(text)) await this.refresh();
    return normaliseText(text, this.ids);
  }

  private async refresh(): Promise<void> {
    if (process.env.PARITY_TRACE) process.stderr.write(`${this.engine.kind} refresh\n`);
    const c = this.engine.cli;
    const r = await this.engine.sh(`${c} network ls --no-trunc --format '{{.ID}} {{.Name}}'; echo ===; ${c} ps -a --no-trunc --format '{{.ID}} {{.Names}}'`);
    const [nets, ctrs = ''] = r.stdout.split('===');
    // "ID NAME": a network's name may hold spaces
    const rows = (text: string) => text.split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]);
    for (const [id, name] of rows(nets)) this.ids.learn(id, 'net', name);
    for (const [id, name] of rows(ctrs)) this.ids.learn(id, 'ctr', name);
    this.dirty = false;
  }

  private async inspect(template: string, paths: string[] | undefined, keysOnly: boolean | undefined): Promise<Observation> {
    const r = await this.cli(template);
    const text = await this.norm(r.stdout);
    let doc: unknown;
    try {
      doc = (JSON.parse(text) as unknown[])[0];
    } catch {
      doc = undefined;
    }
    if (r.exitCode !== 0 || doc === undefined) {
      return { view: new Map([['error', `exit ${r.exitCode}: ${(await this.norm(r.stderr)).trim()}`]]) };
    }
    const view: View = new Map();
    flatten(doc, '', view, { keysOnly: Boolean(keysOnly), img: this.engine.img });
    if (paths) {
      for (const k of [...view.keys()]) {
        if (!paths.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`) || k.startsWith(`${p}{`))) view.delete(k);
      }
    }
    return { view };
  }

  private async links(names: string[]): Promise<Observation> {
    const view: View = new Map();
    for (const name of names) {
      const pre = await this.engine.inContainerNetns(name, '');
      // operstate follows carrier (LOWER_UP) with a delay (the kernel's link watch): read again
      // until every link's two agree, as bridges() does
      let r = await this.engine.sh(`${pre} ip -j addr && echo === && ${pre} ip -j route`);
      for (let i = 0; i < 12 && r.exitCode === 0; i++) {
        const ls = JSON.parse(r.stdout.split('===')[0] || '[]') as IpLink[];
        if (ls.every((l) => l.operstate === 'UNKNOWN' || (l.operstate === 'UP') === Boolean(l.flags?.includes('LOWER_UP')))) break;
        await new Promise((res) => setTimeout(res, 250));
        r = await this.engine.sh(`${pre} ip -j addr && echo === && ${pre} ip -j route`);
      }
      const [addrText, routeText] = r.stdout.split('===');
      if (r.exitCode !== 0 || routeText === undefined) {
        view.set(`${name} error`, 'cannot enter its network namespace');
        continue;
      }
      const links = JSON.parse(addrText) as IpLink[];
      view.set(`${name} interfaces`, links.map((l) => l.ifname).sort().join(' '));
      for (const l of links) {
        const at = `${name} ${l.ifname}`;
        view.set(`${at} mac`, l.address ?? '');
        view.set(`${at} state`, `${l.operstate} mtu ${l.mtu} <${(l.flags ?? []).join(',')}>`);
        view.set(`${at} inet`, addrs(l, 'inet'));
        view.set(`${at} inet6`, addrs(l, 'inet6'));
      }
      const routes = (JSON.parse(routeText) as IpRoute[]).map(routeLine).sort();
      view.set(`${name} routes`, routes.join(' | '));
    }
    return { view };
  }

  private async bridges(): Promise<Observation> {
    // A bridge's carrier and operstate follow its ports with a delay (the kernel's link watch runs
    // up to a second late, and a removed container's veth goes away asynchronously): read again
    // until no bridge is half-way (operstate and LOWER_UP disagreeing) and two reads agree.
    let bridges: IpLink[] = [];
    let links: IpLink[] = [];
    let prev = '';
    // (the kernel rate-limits bridge link events machine-wide, so allow it 5 s)
    for (let i = 0; i < 20; i++) {
      const r = await this.engine.sh('ip -j addr show type bridge && echo === && ip -j link');
      const [brText, linkText] = r.stdout.split('===');
      bridges = JSON.parse(brText) as IpLink[];
      links = JSON.parse(linkText) as IpLink[];
      const settled = bridges.every((b) => (b.operstate === 'UP') === Boolean(b.flags?.includes('LOWER_UP')) || b.operstate === 'UNKNOWN');
      if (settled && r.stdout === prev) break;
      prev = r.stdout;
      await new Promise((res) => setTimeout(res, 250));
    }
    const view: View = new Map();
    const names: string[] = [];
    for (const b of bridges) {
      const name = await this.norm(b.ifname);
      names.push(name);
      view.set(`${name} inet`, addrs(b, 'inet'));
      view.set(`${name} state`, `${b.operstate} mtu ${b.mtu} <${(b.flags ?? []).join(',')}>`);
      // Docker gives each bridge a 02:42:… address of its own; the rest of the MAC is random
      view.set(`${name} mac`, b.address?.startsWith('02:42:') ? '02:42:…' : 'not 02:42:…');
      view.set(`${name} ports`, String(links.filter((l) => l.master === b.ifname).length));
    }
    view.set('bridges', names.sort().join(' '));
    return { view };
  }

  private async pings(spec: { from: string[]; to: string[] }): Promise<Observation> {
    const nets = [...new Set(spec.to.filter((t) => t.includes('@')).map((t) => t.split('@')[1]))];
    const where = new Map<string, string>();
    if (nets.length) {
      const r = await this.cli(`{cli} network inspect ${nets.join(' ')}`);
      const docs = r.exitCode === 0 ? (JSON.parse(r.stdout) as NetDoc[]) : [];
      for (const d of docs) {
        const cfg = d.IPAM?.Config?.[0];
        const gw = cfg?.Gateway ?? (cfg?.Subnet ? firstHost(cfg.Subnet) : undefined);
        if (gw) where.set(`gw@${d.Name}`, gw);
        for (const c of Object.values(d.Containers ?? {})) where.set(`${c.Name}@${d.Name}`, c.IPv4Address.split('/')[0]);
      }
    }
    const pairs: { key: string; from: string; ip?: string }[] = [];
    for (const from of spec.from) {
      for (const to of spec.to) {
        if (to.split('@')[0] === from) continue;
        pairs.push({ key: `${from} -> ${to}`, from, ip: to.includes('@') ? where.get(to) : to });
      }
    }
    const jobs = pairs
      .map((p, i) => (p.ip ? `( { ${this.engine.cli} exec ${p.from} ping -c1 -W1 ${p.ip} || ${this.engine.cli} exec ${p.from} ping -c1 -W2 ${p.ip}; } >/dev/null 2>&1; echo "${i} $?" ) &` : ''))
      .join('\n');
    const r = await this.engine.sh(`${jobs}\nwait`, { timeoutMs: 120_000 });
    const codes = new Map(r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
    const view: View = new Map();
    pairs.forEach((p, i) => view.set(p.key, !p.ip ? 'no address' : codes.get(String(i)) === '0' ? 'reply' : 'no reply'));
    return { view };
  }
}

interface IpLink {
  ifname: string;
  address?: string;
  operstate?: string;
  mtu?: number;
  flags?: string[];
  master?: string;
  addr_info?: { family: string; local: string; prefixlen: number; broadcast?: string; scope?: string }[];
}
interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  flags?: string[];
}
interface NetDoc {
  Name: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
  Containers?: Record<string, { Name: string; IPv4Address: string }>;
}

const addrs = (l: IpLink, family: string) =>
  (l.addr_info ?? [])
    .filter((a) => a.family === family)
    .map((a) => `${a.local}/${a.prefixlen}${a.broadcast ? ` brd ${a.broadcast}` : ''} scope ${a.scope}`)
    .join(', ');

const routeLine = (r: IpRoute) =>
  [r.dst, r.gateway && `via ${r.gateway}`, r.dev && `dev ${r.dev}`, r.protocol && `proto ${r.protocol}`, r.scope && `scope ${r.scope}`, r.prefsrc && `src ${r.prefsrc}`, ...(r.flags ?? [])]
    .filter(Boolean)
    .join(' ');

function firstHost(cidr: string): string {
  const [ip] = cidr.split('/');
  const p = ip.split('.').map(Number);
  p[3] += 1;
  return p.join('.');
}

/**
 * Flattens JSON to `a.b[0].c` keys. Each object also yields `path{}`: its keys in order (sorted
 * when they are ids, which Go's encoder orders by the random hex). Strings equal to the
 * engine's image word become <img>. With keysOnly, only the `path{}` entries (the field sets).
 */
export function flatten(v: unknown, path: string, out: View, opts: { keysOnly: boolean; img: string }): void {
  if (Array.isArray(v)) {
    if (!v.length && !opts.keysOnly) out.set(path, '[]');
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out, opts));
    return;
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    const idKeyed = keys.length > 0 && keys.every((k) => /^<(?:ctr|net):|^<id>$/.test(k));
    out.set(`${path}{}`, (idKeyed ? [...keys].sort() : keys).join(', '));
    for (const k of keys) flatten((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out, opts);
    return;
  }
  if (!opts.keysOnly) out.set(path, v === opts.img ? '"<img>"' : JSON.stringify(v));
}
