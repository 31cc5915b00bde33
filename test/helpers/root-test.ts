// Integration tests need root and unshare; elsewhere they are registered as skipped, with the
// reason in the title, and counted as skipped by the summary line, never as passed.
import anyTest, { type ExecutionContext } from 'ava';
import type { FirewallBackendName } from '../../src/core/firewall/parts.js';
import { isRoot, Sandbox } from './sandbox.js';

export type SandboxTest = (t: ExecutionContext, sb: Sandbox) => Promise<void>;

export function sandboxTest(title: string, fn: SandboxTest, opts: { skip?: string | false; firewall?: FirewallBackendName } = {}): void {
  if (!isRoot()) {
    anyTest.skip(`${title} [skipped: needs root to create network namespaces]`, () => {});
    return;
  }
  if (opts.skip) {
    anyTest.skip(`${title} [skipped: ${opts.skip}]`, () => {});
    return;
  }
  // serial within a file: each test spawns many processes, and the machines have two cores
  anyTest.serial(title, async (t) => {
    const sb = await Sandbox.create({ firewall: opts.firewall });
    try {
      await fn(t, sb);
    } finally {
      await sb.destroy();
    }
  });
}


/** The firewall backends a test runs on: once each, the title saying which (iptables' keeps its plain title). */
export const BACKENDS: readonly FirewallBackendName[] = ['iptables', 'nftables'];

/** Registers `fn` once per firewall backend, each in a sandbox whose config.json picks it. */
export function sandboxTestEachBackend(title: string, fn: SandboxTest, opts: { skip?: string | false; only?: FirewallBackendName[] } = {}): void {
  for (const firewall of opts.only ?? BACKENDS) sandboxTest(firewall === 'iptables' ? title : `${title} [nftables]`, fn, { skip: opts.skip, firewall });
}
