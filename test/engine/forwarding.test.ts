import test from 'ava';
import type { Context } from '../../src/engine/context.js';
import { FORWARDING_WARNING, warnIfForwardingOpened } from '../../src/engine/forwarding.js';
import type { Kernel } from '../../src/kernel/kernel.js';

/** A context whose kernel reports `forwarding` now and `policy` for FORWARD; collects stderr lines. */
function fake(forwarding: string, policy: string | null): { ctx: Context; err: string[] } {
  const err: string[] = [];
  const saved = policy === null ? '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n' : `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ${policy} [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n`;
  const kernel = { readSysctl: () => forwarding, saveFirewall: async () => saved } as unknown as Kernel;
  return { ctx: { kernel, err: (l: string) => err.push(l), out: () => {}, dryRun: false } as unknown as Context, err };
}

test('warns when the command turned forwarding on and FORWARD accepts everything (or has no rules at all)', async (t) => {
  for (const policy of ['ACCEPT', null]) {
    const { ctx, err } = fake('1', policy);
    await warnIfForwardingOpened(ctx, '0');
    t.deepEqual(err, [FORWARDING_WARNING], String(policy));
  }
  t.regex(FORWARDING_WARNING, /^WARNING: .*iptables -P FORWARD DROP/);
});

test('stays quiet when forwarding was on already, did not come on, or FORWARD drops by default', async (t) => {
  for (const [before, now, policy] of [['1', '1', 'ACCEPT'], ['0', '0', 'ACCEPT'], ['0', '1', 'DROP'], [undefined, '1', 'ACCEPT']] as const) {
    const { ctx, err } = fake(now, policy);
    await warnIfForwardingOpened(ctx, before);
    t.deepEqual(err, [], `${before} -> ${now}, ${policy}`);
  }
});
