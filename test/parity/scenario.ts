// The data format of a parity scenario: the same steps are played against real Docker 20.10,
// pont's CLI and Docker's CLI on pont's API socket, each in a fresh sandbox, and what each step
// observes is compared after normalisation (see normalise.ts). One scenario per file under scenarios/.
//
// Templates in commands: `{cli}` is `/usr/bin/docker` or `pont`; `{img}` is `bb` (an imported
// busybox rootfs) or `alpine` (which pont runs as /bin/sh) — write `{cli} run -d --name c1
// --network n {img} sleep 600`.

/** What a `run` step compares; all three by default. */
export type Stream = 'stdout' | 'stderr' | 'exit';

interface Common {
  /** Shown in reports; defaults to the command or the observation. */
  label?: string;
  /**
   * D- ids (docs/differences.md) that explain any difference in this one step. Use only where
   * no precise matcher exists; scenario-wide ids in `Scenario.deliberate` are matched precisely.
   */
  deliberate?: string[];
}

export type Step =
  /** A CLI command whose output is compared (normalised). */
  | (Common & {
      run: string;
      compare?: Stream[];
      input?: string;
      /** Sort output lines first (for output Docker prints in map order). */
      sortLines?: boolean;
      /** A regular expression whose matches become `…` in both outputs (for a part Docker prints in random order). */
      mask?: string;
    })
  /** A CLI command that sets things up: only its exit code is compared. */
  | (Common & { do: string })
  /** A plain command on the sandbox host (not a CLI), e.g. a dummy link; must succeed in both. */
  | (Common & { host: string })
  /** Restart the engine's daemon (Docker) or pont's API service; a no-op for pont's CLI, which has none. */
  | (Common & { restart: true })
  /** `network inspect` JSON of one network, flattened; only under `paths` when given. */
  | (Common & { networkInspect: string; paths?: string[]; keysOnly?: boolean })
  /** `inspect` JSON of one container, flattened; only under `paths` when given. */
  | (Common & { containerInspect: string; paths?: string[]; keysOnly?: boolean })
  /** Interfaces (names, MACs, addresses, state) and routes inside containers, read with the host's `ip`. */
  | (Common & { links: string[] })
  /** The host's bridges: names (neutral), addresses, state, number of ports. */
  | (Common & { hostBridges: true })
  /** Who can ping whom: `{cli} exec FROM ping -c1 -W1 IP`; a target is `ctr@net`, `gw@net` or an IP. */
  | (Common & { ping: { from: string[]; to: string[] } })
  /** `iptables-save`, normalised to a set of lines per table. */
  | (Common & { iptables: true });

export interface Scenario {
  title: string;
  /**
   * A feature pont has not delivered yet (e.g. `issue 4`): when `probe` (a command template
   * played against pont after the steps before `probeAfter`) fails, the scenario reports "not
   * yet comparable" instead of failing. When pont passes the probe, the scenario is compared.
   */
  pending?: { issue: string; probe: string; probeAfter?: number };
  /** D- ids whose matchers may explain differences anywhere in this scenario. */
  deliberate?: string[];
  steps: Step[];
}

export const defineScenario = (s: Scenario): Scenario => s;

export function stepKind(s: Step): string {
  for (const k of ['run', 'do', 'host', 'restart', 'networkInspect', 'containerInspect', 'links', 'hostBridges', 'ping', 'iptables']) {
    if (k in s) return k;
  }
  throw new Error(`unknown step: ${JSON.stringify(s)}`);
}

export function stepLabel(s: Step): string {
  if (s.label) return s.label;
  if ('run' in s) return s.run;
  if ('do' in s) return s.do;
  if ('host' in s) return `host: ${s.host}`;
  if ('restart' in s) return 'restart the daemon';
  if ('networkInspect' in s) return `network inspect ${s.networkInspect}${s.paths ? ` [${s.paths.join(', ')}]` : ''}${s.keysOnly ? ' (keys)' : ''}`;
  if ('containerInspect' in s) return `inspect ${s.containerInspect}${s.paths ? ` [${s.paths.join(', ')}]` : ''}${s.keysOnly ? ' (keys)' : ''}`;
  if ('links' in s) return `interfaces and routes of ${s.links.join(', ')}`;
  if ('hostBridges' in s) return 'bridges on the host';
  if ('ping' in s) return `ping ${s.ping.from.join(',')} -> ${s.ping.to.join(',')}`;
  return 'iptables-save';
}
