// Runs one scenario against both engines (each playing its steps in order, the two engines side
// by side), compares the views step by step and sorts each difference into "deliberate" (with
// the D- id that explains it) or not.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerEngine } from './engine-docker.js';
import { PontEngine } from './engine-pont.js';
import type { Engine } from './engine.js';
import { explain, type Difference } from './deliberate.js';
import { expand, Player, type Observation } from './observe.js';
import { stepKind, stepLabel, type Scenario } from './scenario.js';

export type Status = 'identical' | 'deliberate' | 'different' | 'not comparable';

export interface ClassifiedDifference extends Difference {
  /** The D- id that explains it; undefined for a difference nobody declared. */
  deliberate?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  status: Status;
  differences: ClassifiedDifference[];
  note?: string;
  ms: number;
}

const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** Every scenario file, by name (its file name without extension), in name order. */
export async function loadScenarios(): Promise<{ name: string; scenario: Scenario }[]> {
  const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.js')).sort();
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
export async function pontSupports(s: Scenario): Promise<boolean> {
  if (!s.pending) return true;
  const pont = await PontEngine.start();
  try {
    let ok = false;
    for (const cmd of s.pending.probe.split('\n').filter(Boolean)) ok = (await pont.sh(expand(cmd, pont), { timeoutMs: 30_000 })).exitCode === 0;
    return ok;
  } finally {
    await pont.destroy();
  }
}

/** Hands out fresh Docker engines, starting the next one while the current scenario runs. */
export class DockerPool {
  private next?: Promise<DockerEngine>;

  /** Starts the first engine now: throws when Docker cannot run on this machine. */
  async warm(): Promise<void> {
    const first = DockerEngine.start();
    this.next = first;
    try {
      await first;
    } catch (e) {
      this.next = undefined;
      throw e;
    }
  }

  take(prefetch: boolean): Promise<DockerEngine> {
    const current = this.next ?? DockerEngine.start();
    this.next = prefetch ? DockerEngine.start() : undefined;
    // a prefetched engine that failed is reported by the scenario that takes it
    this.next?.catch(() => {});
    return current;
  }

  async close(): Promise<void> {
    const n = this.next;
    this.next = undefined;
    if (n) await n.then((e) => e.destroy()).catch(() => {});
  }
}

async function playAll(player: Player, s: Scenario): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const step of s.steps) {
    try {
      out.push(await player.play(step));
    } catch (e) {
      out.push({ view: new Map([['error', (e as Error).message.split('\n')[0]]]) });
    }
  }
  return out;
}

export async function runScenario(name: string, s: Scenario, docker: Engine, pont: Engine): Promise<ScenarioResult> {
  const t0 = Date.now();
  const [d, p] = await Promise.all([playAll(new Player(docker), s), playAll(new Player(pont), s)]);
  const differences: ClassifiedDifference[] = [];
  s.steps.forEach((step, i) => {
    const a = d[i].view;
    const b = p[i].view;
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(key) === b.get(key)) continue;
      const diff: Difference = {
        step: i + 1,
        label: stepLabel(step),
        kind: stepKind(step),
        key,
        docker: a.get(key),
        pont: b.get(key),
        detail: d[i].detail || p[i].detail ? { docker: d[i].detail, pont: p[i].detail } : undefined,
      };
      differences.push({ ...diff, deliberate: explain(diff, s.deliberate ?? [], step.deliberate ?? []) });
    }
  });
  const status: Status = !differences.length ? 'identical' : differences.every((x) => x.deliberate) ? 'deliberate' : 'different';
  return { name, title: s.title, status, differences, ms: Date.now() - t0 };
}

/** One line per difference, values on one line each (newlines shown as ⏎). */
export function describe(d: ClassifiedDifference, max = Infinity): string {
  const show = (v: string | undefined) => {
    if (v === undefined) return '(absent)';
    const s = JSON.stringify(v.replace(/\n$/, '').replaceAll('\n', '⏎'));
    return s.length > max ? `${s.slice(0, max)}…"` : s;
  };
  const extra = d.detail ? ` (stderr: docker ${show(d.detail.docker)}, pont ${show(d.detail.pont)})` : '';
  return `step ${d.step} [${d.label}] ${d.key}: docker ${show(d.docker)} / pont ${show(d.pont)}${extra}`;
}
