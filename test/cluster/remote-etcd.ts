// The test's handle on an Etcd client that runs inside a sandbox (etcd-in-sandbox.ts): the test
// process stays in the real host's network namespace, where the sandbox's etcd is not reachable.
// Calls and their answers, and watch events, cross the sandbox's edge as JSON lines on a pipe.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Etcd, EtcdEndpoint, WatchEvent } from '../../src/cluster/etcd.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';

/** An EtcdError as it crossed the pipe. */
export interface RemoteError {
  name: string;
  message: string;
  category?: string;
  code?: number;
  compacted?: boolean;
  compactRevision?: number;
}

export class RemoteCallError extends Error {
  constructor(readonly remote: RemoteError) {
    super(remote.message);
    this.name = remote.name;
  }
}

type Methods = Exclude<keyof Etcd, 'watch' | 'close'>;

export class RemoteWatch {
  readonly events: (WatchEvent & { revision: number })[] = [];
  readonly errors: RemoteError[] = [];
  constructor(
    private readonly remote: RemoteEtcd,
    readonly id: number,
  ) {}

  /** Waits (bounded) until `done` holds for what the watch has seen. */
  async until(done: (w: RemoteWatch) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      if (Date.now() > deadline) throw new Error(`watch ${this.id}: condition not met within ${timeoutMs} ms; events ${JSON.stringify(this.events)}, errors ${JSON.stringify(this.errors)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  cancel(): Promise<unknown> {
    return this.remote.request({ cancel: this.id });
  }
}

export class RemoteEtcd {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly watches = new Map<number, RemoteWatch>();

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { id?: number; watch?: number; result?: unknown; error?: RemoteError; events?: WatchEvent[]; revision?: number };
      if (m.watch !== undefined) {
        const w = this.watches.get(m.watch)!;
        if (m.error) w.errors.push(m.error);
        else w.events.push(...m.events!.map((e) => ({ ...e, revision: m.revision! })));
        return;
      }
      const p = this.pending.get(m.id!)!;
      this.pending.delete(m.id!);
      if (m.error) p.reject(new RemoteCallError(m.error));
      else p.resolve(m.result);
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`the client in the sandbox exited (${code})`));
      this.pending.clear();
    });
  }

  /** Starts a client on `endpoints` inside the sandbox (it dies with the sandbox). */
  static start(sb: Sandbox, endpoints: EtcdEndpoint[], opts: { timeoutMs?: number } = {}): RemoteEtcd {
    const args = ['--target', String(sb.pid), '--net', '--mount', '--pid', '--', process.execPath, `${ROOT}/dist/test/cluster/etcd-in-sandbox.js`, JSON.stringify({ endpoints, ...opts })];
    return new RemoteEtcd(spawn('nsenter', args, { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  call<M extends Methods>(method: M, ...args: Parameters<Etcd[M]>): Promise<Awaited<ReturnType<Etcd[M]>>> {
    return this.request({ method, args }) as Promise<Awaited<ReturnType<Etcd[M]>>>;
  }

  watch(prefix: string, fromRevision: number): RemoteWatch {
    const id = this.nextId++;
    const w = new RemoteWatch(this, id);
    this.watches.set(id, w);
    this.child.stdin!.write(JSON.stringify({ id, watch: [prefix, fromRevision] }) + '\n');
    return w;
  }

  request(body: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, ...body }) + '\n');
    });
  }

  /** Ends the client (its stdin), bounded. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}
