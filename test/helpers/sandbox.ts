// A throwaway host for each integration test: new network + mount + pid namespaces with a
// private /run (so /run/netns, /run/pont and the xtables lock), /var/lib/pont, /var/lib/cni,
// /etc/cni/net.d, /etc/netns, /dev/shm where there is one (Podman keeps its lock file there) and
// /etc/pont (whose config.json picks the firewall backend the test runs pont with).
// The real host's links, routes and iptables are never seen nor touched, and everything the
// test starts dies with the sandbox: its init is a shell blocked reading a pipe from the test
// process, so the sandbox ends when the test closes it or when the test process dies.
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { FirewallBackendName } from '../../src/core/firewall/parts.js';
import { parseTableListing } from '../../src/core/firewall/nft/listing.js';
import { shIn, startInit, stopInit, type RunOptions, type RunResult } from './namespace-init.js';

export type { RunOptions, RunResult };

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PONT = `${ROOT}/bin/pont`;

/** A host's init: private /run, pont's state and config dirs, lo up; blocks on its stdin pipe. */
export const HOST_INIT = `
set -e
mount --make-rprivate /
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/netns /run/pont
mount -t tmpfs -o mode=700 tmpfs /var/lib/pont
mount -t tmpfs -o mode=755 tmpfs /etc/netns
mount -t tmpfs -o mode=755 tmpfs /etc/pont
mount -t tmpfs -o mode=700 tmpfs /var/lib/cni
mount -t tmpfs -o mode=755 tmpfs /etc/cni/net.d
if [ -d /dev/shm ]; then mount -t tmpfs -o mode=1777 tmpfs /dev/shm; fi
ip link set lo up
echo READY
read -r _ || true
`;

export interface SandboxOptions {
  /** Written to /etc/pont/config.json as "firewall-backend" (iptables, pont's default, writes no file). */
  firewall?: FirewallBackendName;
}

export class Sandbox {
  private constructor(private readonly init: ChildProcess, readonly pid: number, readonly firewall: FirewallBackendName) {}

  static async create(opts: SandboxOptions = {}): Promise<Sandbox> {
    // The mount points must exist on the real filesystem; empty directories are all we leave.
    // /var/lib/cni and /etc/cni/net.d too: CNI runtimes (Podman's libcni) and plugins cache there
    await execa('mkdir', ['-p', '/var/lib/pont', '/etc/netns', '/etc/pont', '/var/lib/cni', '/etc/cni/net.d']);
    const { child, pid } = await startInit(HOST_INIT, 'sandbox', 30_000);
    const sb = new Sandbox(child, pid, opts.firewall ?? 'iptables');
    if (opts.firewall === 'nftables') await sb.ok(`echo '{ "firewall-backend": "nftables" }' > /etc/pont/config.json`);
    return sb;
  }

  /** Runs a bash command inside the sandbox, bounded in time. Never throws on exit codes. */
  sh(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return shIn(this.pid, command, { PATH: `${ROOT}/bin:/usr/sbin:/usr/bin:/sbin:/bin` }, opts);
  }

  /** Runs `pont ARGS` inside the sandbox. */
  pont(args: string, opts: RunOptions = {}): Promise<RunResult> {
    return this.sh(`${PONT} ${args}`, opts);
  }

  /** Like sh, but fails the test with stderr when the command fails. */
  async ok(command: string, opts: RunOptions = {}): Promise<string> {
    const r = await this.sh(command, opts);
    if (r.exitCode !== 0) throw new Error(`command failed (${r.exitCode}): ${command}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Everything a user could observe of the host's network state, for before/after comparisons. */
  async snapshot(opts: { store?: boolean } = {}): Promise<string> {
    const text = await this.ok(
      // names, addresses and routes only: a bridge's carrier state and MAC follow its ports
      `ip -o link | awk '{print $2}' | sort; echo; ip -4 -o addr | awk '{print $2, $4}' | sort; echo; ip route | sed 's/ linkdown//' | sort; echo; ip netns list | sort; echo; iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'; echo; cat /var/lib/pont/state.json 2>/dev/null | md5sum`,
    );
    // the store's checksum is the last line; leave it out when the store is meant to change
    const kernel = opts.store === false ? text.trimEnd().split('\n').slice(0, -1).join('\n') : text;
    return `${kernel}\n${await this.nftTable()}`;
  }

  /**
   * pont's nftables table, whatever the backend, as sorted data: a set has no order, and a chain
   * made again (an undone deletion) is listed last; neither changes what the table does.
   */
  async nftTable(): Promise<string> {
    const t = parseTableListing(await this.ok('nft -s list table inet pont 2>/dev/null || true'));
    if (!t) return '(no table inet pont)\n';
    const sets = [...t.sets].sort(([a], [b]) => a.localeCompare(b)).map(([n, s]) => `set ${n} ${s.type}${s.flags ? ` ${s.flags}` : ''}: ${[...s.elements].sort().join(', ')}`);
    const chains = [...t.chains].sort(([a], [b]) => a.localeCompare(b)).map(([n, c]) => `chain ${n}${c.base ? ` (${c.base})` : ''}: ${c.rules.join(' ; ')}`);
    return [...sets, ...chains].join('\n') + '\n';
  }

  destroy(): Promise<void> {
    return stopInit(this.init, 5000);
  }
}

export const isRoot = () => process.getuid?.() === 0;
