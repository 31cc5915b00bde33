// The engine under test: pont's CLI in the throwaway sandbox its integration tests use.
import { Sandbox } from '../helpers/sandbox.js';
import type { Engine, RunOptions, RunResult } from './engine.js';

export class PontEngine implements Engine {
  readonly kind = 'pont' as const;
  readonly cli = 'pont';
  readonly img = 'alpine';

  private constructor(private readonly sb: Sandbox) {}

  static async start(): Promise<PontEngine> {
    return new PontEngine(await Sandbox.create());
  }

  sh(command: string, opts?: RunOptions): Promise<RunResult> {
    return this.sb.sh(command, opts);
  }

  /** A pont container is a named network namespace. */
  async inContainerNetns(name: string, cmd: string): Promise<string> {
    return `ip netns exec ${name} ${cmd}`;
  }

  /** pont has no daemon: every command reads the store afresh, so there is nothing to restart. */
  async restart(): Promise<void> {}

  destroy(): Promise<void> {
    return this.sb.destroy();
  }
}
