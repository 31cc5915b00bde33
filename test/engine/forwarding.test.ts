import test from 'ava';
import type { Step } from '../../src/core/steps.js';
import type { Context } from '../../src/engine/context.js';
import { FORWARDING_WARNING, foreignDropWarning, NFT_FORWARDING_WARNING, warnAboutForwarding } from '../../src/engine/forwarding.js';
import type { FirewallBackend } from '../../src/firewall/backend.js';
import { iptablesBackend } from '../../src/firewall/iptables.js';
import { nftablesBackend } from '../../src/firewall/nftables.js';
import type { Kernel, NftBaseChain } from '../../src/kernel/kernel.js';

/** A context whose kernel reports `forwarding` now, `policy` for FORWARD and `chains` of nftables; collects stderr lines. */
function fake(forwarding: string, policy: string | null, firewall: FirewallBackend = iptablesBackend, chains: NftBaseChain[] = []): { ctx: Context; err: string[] } {
  const err: string[] = [];
  const saved = policy === null ? '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n' : `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ${policy} [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n`;
  const kernel = { readSysctl: () => forwarding, saveFirewall: async () => saved, listNftBaseChains: async () => chains } as unknown as Kernel;
  return { ctx: { kernel, firewall, err: (l: string) => err.push(l), out: () => {}, dryRun: false } as unknown as Context, err };
}

const forward = (family: string, table: string, name: string, policy: string): NftBaseChain => ({ family, table, name, hook: 'forward', priority: 0, policy });
const newNetwork: Step[] = [{ op: 'fw.add', parts: [{ kind: 'network', bridge: 'pont-1', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false, masquerade: true, icc: true }] }];

test('warns when the command turned forwarding on and FORWARD accepts everything (or has no rules at all)', async (t) => {
  for (const policy of ['ACCEPT', null]) {
    const { ctx, err } = fake('1', policy);
    await warnAboutForwarding(ctx, '0', []);
    t.deepEqual(err, [FORWARDING_WARNING], String(policy));
  }
  t.regex(FORWARDING_WARNING, /^WARNING: .*iptables -P FORWARD DROP/);
});

test('stays quiet when forwarding was on already, did not come on, or FORWARD drops by default', async (t) => {
  for (const [before, now, policy] of [['1', '1', 'ACCEPT'], ['0', '0', 'ACCEPT'], ['0', '1', 'DROP'], [undefined, '1', 'ACCEPT']] as const) {
    const { ctx, err } = fake(now, policy);
    await warnAboutForwarding(ctx, before, newNetwork);
    t.deepEqual(err, [], `${before} -> ${now}, ${policy}`);
  }
});

test('nftables: forwarding turned on with no forward chain dropping by default gets the nft advice; pont\'s own table does not count', async (t) => {
  const { ctx, err } = fake('1', 'ACCEPT', nftablesBackend, [forward('inet', 'pont', 'forward', 'accept'), forward('ip', 'filter', 'FORWARD', 'accept')]);
  await warnAboutForwarding(ctx, '0', []);
  t.deepEqual(err, [NFT_FORWARDING_WARNING]);
  t.regex(NFT_FORWARDING_WARNING, /policy drop; \}' && nft 'add rule inet filter forward iifname "pont\*" accept'/);
});

test('nftables: another table dropping by default is named, with the rule that lets pont\'s bridges through, when a network is made', async (t) => {
  const drops = [forward('ip', 'filter', 'FORWARD', 'drop'), forward('inet', 'firewalld', 'filter_FORWARD', 'drop')];
  const { ctx, err } = fake('1', 'DROP', nftablesBackend, [...drops, forward('inet', 'pont', 'forward', 'accept')]);
  await warnAboutForwarding(ctx, '1', newNetwork);
  t.deepEqual(err, [foreignDropWarning([{ table: 'ip filter', chain: 'FORWARD' }, { table: 'inet firewalld', chain: 'filter_FORWARD' }])]);
  t.regex(err[0], /chain FORWARD of table ip filter, chain filter_FORWARD of table inet firewalld drops by default/);
  t.regex(err[0], /iptables -I FORWARD -i pont\+ -j ACCEPT && iptables -I FORWARD -o pont\+ -j ACCEPT/);
  t.regex(err[0], /nft 'insert rule inet firewalld filter_FORWARD iifname "pont\*" accept'/);
  // a command that makes no network and opens nothing says nothing
  const quiet = fake('1', 'DROP', nftablesBackend, drops);
  await warnAboutForwarding(quiet.ctx, '1', []);
  t.deepEqual(quiet.err, []);
});
