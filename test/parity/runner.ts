// Runs one scenario against three engines side by side (Docker 20.10, pont's CLI, and Docker's
// CLI on pont's API socket), each playing its steps in order; compares Docker's views with each
// pont column's, step by step, and sorts each difference into "deliberate" (with the D- id that
// explains it) or not.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerEngine } from './engine-docker.js';
import { PontApiEngine } from './engine-pont-api.js';
import { PontEngine } from './engine-pont.js';
import type { Engine } from './engine.js';
import { explain, type Difference } from './deliberate.js';
import { expand, Player, type Observation } from './observe.js';
import { stepKind, stepLabel, type Scenario } from './scenario.js';

export type Status = 'identical' | 'deliberate' | 'different' | 'not comparable';

/** What is compared with Docker: pont's own CLI, or Docker's CLI driving pont's API socket. */
export type Column = 'pont' | 'pont-api';
export const COLUMNS: readonly Column[] = ['pont', 'pont-api'];
export const COLUMN_TITLES: Record<Column, string> = { pont: "Docker vs pont's CLI", 'pont-api': "Docker vs Docker's CLI on pont's API" };

export interface ClassifiedDifference extends Difference {
  /** The comparison it comes from; its `pont` value is that column's. */
  column: Column;
  /** The D- id that explains it; undefined for a difference nobody declared. */
  deliberate?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** The worse of the columns' statuses. */
  status: Status;
  columns: Record<Column, Status>;
  differences: ClassifiedDifference[];
  note?: string;
  ms: number;
}

/** Differences that repeat (same key and values) in several steps, as one entry with its steps. */
export function grouped(ds: ClassifiedDifference[]): { d: ClassifiedDifference; steps: number[] }[] {
  const out = new Map<string, { d: ClassifiedDifference; steps: number[] }>();
  for (const d of ds) {
    const k = JSON.stringify([d.column, d.kind, d.key, d.docker, d.pont, d.deliberate]);
    const g = out.get(k);
    if (!g) out.set(k, { d, steps: [d.step] });
    else {
      g.steps.push(d.step);
      // steps with different labels are named by their kind
      if (g.d.label !== d.label) g.d = { ...g.d, label: d.kind === 'iptables' ? 'iptables-save' : d.kind };
    }
  }
  return [...out.values()];
}

const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));
const SOURCE_DIR = fileURLToPath(new URL('../../../test/parity/scenarios/', import.meta.url));

/** Every scenario file, by name (its file name without extension), in name order. */
export async function loadScenarios(): Promise<{ name: string; scenario: Scenario }[]> {
  // a compiled scenario whose source was deleted is stale, not a scenario
  const sources = new Set(readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')));
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.js') && sources.has(f.replace(/\.js$/, '')))
    .sort();
  const out: { name: string; scenario: Scenario }[] = [];
  for (const f of files) {
    const mod = (await import(new URL(f, `file://${SCENARIO_DIR}`).href)) as { default: Scenario };
    out.push({ name: f.replace(/\.js$/, ''), scenario: mod.default });
  }
  return out;
}

/** Every D- id a scenario refers to. */
export function referencedIds(s: Scenario): string[] {
  return [...new Set([...(s.deliberate ?? []), ...s.steps.flatMap((st) => st.deliberate ?? [])])];
}

/**
 * For a scenario waiting on a pont feature: does pont have it now? Plays the probe commands in
 * a throwaway pont sandbox; the last one must succeed.
 */
export function pontSupports(s: Scenario): Promise<boolean> {
  if (!s.pending) return Promise.resolve(true);
  const probe = s.pending.probe;
  let answer = probes.get(probe);
  if (!answer) {
    answer = (async () => {
      const pont = await PontEngine.start();
      try {
        let ok = false;
        for (const cmd of probe.split('\n').filter(Boolean)) ok = (await pont.sh(expand(cmd, pont), { timeoutMs: 30_000 })).exitCode === 0;
        return ok;
      } finally {
        await pont.destroy();
      }
    })();
    probes.set(probe, answer);
  }
  return answer;
}
const probes = new Map<string, Promise<boolean>>();

/**
 * Hands out a fresh Docker engine per scenario. The first one is started ahead (`warm`), as the
 * check that Docker can run here at all; later ones start beside their scenario's pont sandbox
 * (starting them further ahead would only take CPU from the pont side on a 2-core machine).
 */
export class DockerPool {
  private first?: Promise<DockerEngine>;

  /** Starts the first engine now: throws when Docker cannot run on this machine. */
  async warm(): Promise<void> {
    const first = DockerEngine.start();
    this.first = first;
    try {
      await first;
    } catch (e) {
      this.first = undefined;
      throw e;
    }
  }

  take(): Promise<DockerEngine> {
    const e = this.first ?? DockerEngine.start();
    this.first = undefined;
    return e;
  }

  async close(): Promise<void> {
    const e = this.first;
    this.first = undefined;
    if (e) await e.then((x) => x.destroy()).catch(() => {});
  }
}

/** Starts (or takes) the three engines, plays the scenario, and tears them down whatever happens. */
export async function withEngines<T>(pool: DockerPool, fn: (docker: Promise<Engine>, pont: Promise<Engine>, api: Promise<Engine>) => Promise<T>): Promise<T> {
  const docker = pool.take();
  const pont = PontEngine.start();
  const api = PontApiEngine.start();
  try {
    return await fn(docker, pont, api);
  } finally {
    await Promise.all([docker, pont, api].map((p) => p.then((e) => e.destroy()).catch(() => {})));
  }
}

async function playAll(player: Player, s: Scenario): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const step of s.steps) {
    try {
      out.push(await player.play(step));
    } catch (e) {
      out.push({ view: new Map(), broken: (e as Error).message.split('\n')[0] });
    }
  }
  return out;
}

const statusOf = (ds: ClassifiedDifference[]): Status => (!ds.length ? 'identical' : ds.every((x) => x.deliberate) ? 'deliberate' : 'different');

/**
 * Docker's observations against one column's. A pont-api difference is explained by the
 * scenario's matchers, as pont's are; a step-declared id explains it only at a key where pont's
 * CLI differs from Docker for that same id: the API shows the deliberate behaviour the id names,
 * not anything else that happens in the step.
 */
function compare(s: Scenario, column: Column, docker: Observation[], other: Observation[], cli?: ClassifiedDifference[]): ClassifiedDifference[] {
  const out: ClassifiedDifference[] = [];
  s.steps.forEach((step, i) => {
    const a = docker[i].view;
    const b = other[i].view;
    if (process.env.PARITY_DUMP) process.stderr.write(`--- ${column} step ${i + 1} ${stepLabel(step)}\n${[...a].map(([k, v]) => `  docker ${k} = ${v}\n${b.get(k) !== v ? `  ${column.padEnd(6)} ${k} = ${b.get(k)}\n` : ''}`).join('')}`);
    if (other[i].broken) out.push({ column, step: i + 1, label: stepLabel(step), kind: 'harness', key: `${column} could not play the step`, pont: other[i].broken });
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(key) === b.get(key)) continue;
      const diff: Difference = {
        step: i + 1,
        label: stepLabel(step),
        kind: stepKind(step),
        key,
        docker: a.get(key),
        pont: b.get(key),
        detail: docker[i].detail || other[i].detail ? { docker: docker[i].detail, pont: other[i].detail } : undefined,
      };
      const stepIds = (step.deliberate ?? []).filter((id) => !cli || cli.some((c) => c.step === i + 1 && c.key === key && c.deliberate === id));
      out.push({ ...diff, column, deliberate: explain(diff, s.deliberate ?? [], stepIds) });
    }
  });
  return out;
}

/** Each engine plays as soon as it is up; the slower engines' start-up hides behind the others' steps. */
export async function runScenario(name: string, s: Scenario, docker: Promise<Engine>, pont: Promise<Engine>, api: Promise<Engine>): Promise<ScenarioResult> {
  const t0 = Date.now();
  const play = async (e: Promise<Engine>) => playAll(new Player(await e), s);
  const [d, p, a] = await Promise.all([play(docker), play(pont), play(api)]);
  const harness: ClassifiedDifference[] = [];
  s.steps.forEach((step, i) => {
    if (d[i].broken) harness.push({ column: 'pont', step: i + 1, label: stepLabel(step), kind: 'harness', key: 'docker could not play the step', docker: d[i].broken });
  });
  const byCli = [...harness, ...compare(s, 'pont', d, p)];
  const byApi = compare(s, 'pont-api', d, a, byCli);
  const columns = { pont: statusOf(byCli), 'pont-api': statusOf(byApi) };
  const status: Status = Object.values(columns).includes('different') ? 'different' : Object.values(columns).includes('deliberate') ? 'deliberate' : 'identical';
  return { name, title: s.title, status, columns, differences: [...byCli, ...byApi], ms: Date.now() - t0 };
}

/** One line per difference, values on one line each (newlines shown as ⏎). */
export function describe(d: ClassifiedDifference, max = Infinity, steps?: number[]): string {
  const where = `[${COLUMN_TITLES[d.column]}] step${steps && steps.length > 1 ? `s ${steps.join(', ')}` : ` ${d.step}`} [${d.label}] ${d.key}`;
  const them = d.column;
  if (d.key.endsWith('{}') && d.docker !== undefined && d.pont !== undefined) {
    // a field set: say which fields only one side has, or that the order differs
    const a = d.docker.split(', ').filter(Boolean);
    const b = d.pont.split(', ').filter(Boolean);
    const onlyD = a.filter((k) => !b.includes(k));
    const onlyP = b.filter((k) => !a.includes(k));
    const parts = [onlyD.length && `only docker has ${onlyD.join(', ')}`, onlyP.length && `only ${them} has ${onlyP.join(', ')}`].filter(Boolean);
    return `${where}: ${parts.length ? parts.join('; ') : `same fields, docker's order ${a.join(', ')} / ${them}'s ${b.join(', ')}`}`;
  }
  const show = (v: string | undefined) => {
    if (v === undefined) return '(absent)';
    const s = JSON.stringify(v.replace(/\n$/, '').replaceAll('\n', '⏎'));
    return s.length > max ? `${s.slice(0, max)}…"` : s;
  };
  const extra = d.detail ? ` (stderr: docker ${show(d.detail.docker)}, ${them} ${show(d.detail.pont)})` : '';
  return `${where}: docker ${show(d.docker)} / ${them} ${show(d.pont)}${extra}`;
}
