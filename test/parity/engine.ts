// What a parity scenario needs from an engine (real Docker 20.10, pont's CLI, or Docker's CLI on
// pont's API socket), each living in its own throwaway sandbox: a shell on the sandbox host, the
// words that stand for `{cli}` and `{img}` in step templates, and a way into a container's network
// namespace with the host's own tools (so all engines' interface listings come from the same `ip`).
import type { RunOptions, RunResult } from '../helpers/sandbox.js';

export type EngineKind = 'docker' | 'pont' | 'pont-api';

export interface Engine {
  readonly kind: EngineKind;
  /** What `{cli}` becomes in a step: `/usr/bin/docker` (Docker, and pont's API) or `pont`. */
  readonly cli: string;
  /** What `{img}` becomes: the imported busybox image `bb`, or pont's `alpine` (= /bin/sh). */
  readonly img: string;
  /** Runs a bash command on the sandbox host (never throws on exit codes). */
  sh(command: string, opts?: RunOptions): Promise<RunResult>;
  /** A command line that runs `cmd` (host tools) in the network namespace of container `name`. */
  inContainerNetns(name: string, cmd: string): Promise<string>;
  /** Docker: restart dockerd (state kept, in-memory allocators reset). pont has no daemon; pont-api restarts its service. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export type { RunOptions, RunResult };
