// Fake CNI plugins for tests without root: small node scripts in a temp directory used as
// CNI_PATH. Each logs every call (command, CNI_* variables, stdin) to log.jsonl beside it, and
// obeys its configuration: "failOn": "ADD" makes it print the spec's error structure and exit 1.
// On ADD it passes prevResult on with an interface named after itself appended.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = (versions: string[]) => `#!${process.execPath}
const fs = require('fs'), path = require('path');
const dir = path.dirname(process.argv[1]), type = path.basename(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CNI_')));
  const cmd = env.CNI_COMMAND;
  const stdin = input ? JSON.parse(input) : null;
  fs.appendFileSync(path.join(dir, 'log.jsonl'), JSON.stringify({ type, cmd, env, stdin }) + '\\n');
  const out = (o) => process.stdout.write(JSON.stringify(o));
  if (cmd === 'VERSION') return out({ cniVersion: stdin.cniVersion, supportedVersions: ${JSON.stringify(versions)} });
  if (stdin.sleepMs) { setTimeout(() => {}, stdin.sleepMs); return; }
  if (stdin.failOn === cmd) {
    out({ cniVersion: stdin.cniVersion, code: 7, msg: stdin.failMsg || 'fake failure', details: stdin.failDetails });
    process.exit(1);
  }
  if (stdin.stderrOn === cmd) { process.stderr.write('went wrong\\nbadly'); process.exit(2); }
  if (cmd === 'ADD') {
    const prev = stdin.prevResult || { cniVersion: stdin.cniVersion, interfaces: [], ips: [] };
    prev.interfaces = [...(prev.interfaces || []), { name: type + '-' + env.CNI_IFNAME, sandbox: env.CNI_NETNS }];
    if (!stdin.prevResult) prev.ips = [{ address: '10.9.0.2/24', gateway: '10.9.0.1', interface: 0 }];
    return out(prev);
  }
});
`;

export interface LogLine {
  type: string;
  cmd: string;
  env: Record<string, string>;
  stdin: Record<string, unknown> | null;
}

export class FakePlugins {
  readonly dir = mkdtempSync(join(tmpdir(), 'pont-cni-'));
  readonly cacheDir = join(this.dir, 'cache');

  /** Writes an executable plugin named `type` that declares `versions`. */
  add(type: string, versions = ['0.3.1', '0.4.0', '1.0.0']): this {
    writeFileSync(join(this.dir, type), SCRIPT(versions), { mode: 0o755 });
    return this;
  }

  /** The calls so far, VERSION probes left out unless asked. */
  log(opts: { withVersion?: boolean } = {}): LogLine[] {
    let text = '';
    try {
      text = readFileSync(join(this.dir, 'log.jsonl'), 'utf8');
    } catch {
      return [];
    }
    const lines = text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);
    return opts.withVersion ? lines : lines.filter((l) => l.cmd !== 'VERSION');
  }

  clearLog(): void {
    rmSync(join(this.dir, 'log.jsonl'), { force: true });
  }

  get opts() {
    return { path: [this.dir], cacheDir: this.cacheDir, timeoutMs: 10_000 };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
