// The step runner: observed inverses recorded before each step, exact unwinding, fault injection.
// Runs on an in-memory host (files only), in parallel: no state is shared between tests.
import test from 'ava';
import type { Step } from '../../src/core/steps.js';
import type { Files } from '../../src/kernel/host.js';
import type { StepHost } from '../../src/kernel/ops.js';
import { explainSteps, overlapsFirewall, runSteps, SimulatedCrash } from '../../src/engine/steps.js';
import { landingFrom } from '../../src/engine/journal.js';
import type { FirewallPart } from '../../src/core/firewall/parts.js';
import { fakeHost, fakeStepHost } from '../helpers/fake-host.js';

function memoryHost(initial: Record<string, string> = {}): { host: StepHost; files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  const fs: Files = {
    read: (p) => files.get(p) ?? null,
    write: (p, c) => {
      if (c.includes('FAIL')) throw new Error(`cannot write ${p}`);
      files.set(p, c);
    },
    remove: (p) => void files.delete(p),
    makeDir: () => undefined,
    removeDir: () => 'gone',
    removeTree: () => undefined,
    listFiles: () => [],
    exists: (p) => files.has(p),
  };
  const host = { files: fs, kernel: {}, procs: {}, since: 0, services: {} } as unknown as StepHost;
  return { host, files };
}

const write = (path: string, content: string | null): Step => ({ op: 'file.write', path, content });

test('a failure unwinds exactly the applied steps, in reverse, to what was there', async (t) => {
  const { host, files } = memoryHost({ '/a': 'old a' });
  await t.throwsAsync(runSteps(host, [write('/a', 'new a'), write('/b', 'new b'), write('/c', 'FAIL'), write('/d', 'd')]), { message: 'cannot write /c' });
  t.deepEqual(Object.fromEntries(files), { '/a': 'old a' });
});

test('each inverse is recorded before its step runs', async (t) => {
  const { host } = memoryHost({ '/a': 'old' });
  const recorded: [number, Step[]][] = [];
  await runSteps(host, [write('/a', 'new'), write('/b', 'b')], { record: (i, inv) => recorded.push([i, inv]) });
  t.deepEqual(recorded, [
    [0, [write('/a', 'old')]],
    [1, [write('/b', null)]],
  ]);
});

test('PONT_FAIL_AT_STEP=N fails step N before it is applied, counted across runs of one command', async (t) => {
  const { host, files } = memoryHost();
  const faults = { failAt: 3, crashAt: 0, count: 0 };
  await runSteps(host, [write('/a', 'a'), write('/b', 'b')], { faults });
  await t.throwsAsync(runSteps(host, [write('/c', 'c'), write('/d', 'd')], { faults }), { message: /injected failure at step 3/ });
  t.deepEqual(Object.fromEntries(files), { '/a': 'a', '/b': 'b' });
});

test('a failing commit undoes every step', async (t) => {
  const { host, files } = memoryHost();
  await t.throwsAsync(
    runSteps(host, [write('/a', 'a')], {
      commit: () => {
        throw new Error('disk full');
      },
    }),
    { message: 'disk full' },
  );
  t.deepEqual(Object.fromEntries(files), {});
});

test('dry run prints explanations and applies nothing', (t) => {
  const printed: string[] = [];
  explainSteps([write('/a', 'x'), { op: 'netns.add', name: 'c1' }], 'iptables', (l) => printed.push(l));
  t.deepEqual(printed, ["printf %s x > /a", 'ip netns add c1']);
});

/** A firewall whose batches land when the test says: what ran meanwhile is in `log`. */
function slowFirewall(host: StepHost, log: string[], fail = false) {
  let release!: () => void;
  const landed = new Promise<void>((r) => (release = r));
  const batch = (what: string) => async () => {
    log.push(`${what} started`);
    await landed;
    log.push(`${what} landed`);
    if (fail && what === 'del') throw new Error(`${what} refused`);
  };
  (host as { firewall: unknown }).firewall = { name: 'iptables', add: batch('add'), del: batch('del') };
  return release;
}

const rule: FirewallPart = { kind: 'endpoint', bridge: 'pont-a', ip: '172.18.0.2' };

test('a firewall batch lands while the steps after it that may overlap run; the next batch waits for it', async (t) => {
  const { host, files } = memoryHost({ '/hosts': 'old' });
  const log: string[] = [];
  const release = slowFirewall(host, log);
  const orig = host.files.write;
  host.files.write = (p, c) => {
    log.push(`write ${p}`);
    orig(p, c);
  };
  host.files.makeDir = (p) => void log.push(`mkdir ${p}`);
  const run = runSteps(host, [{ op: 'fw.del', parts: [rule] }, write('/hosts', 'new'), { op: 'fw.add', parts: [rule] }, { op: 'dir.add', path: '/run/pont/containers/c1' }]);
  await new Promise((r) => setTimeout(r, 20));
  // the file was written while the deletion was in flight; the next batch waits for it
  t.deepEqual(log, ['del started', 'write /hosts']);
  release();
  await run;
  t.deepEqual(log, ['del started', 'write /hosts', 'del landed', 'add started', 'mkdir /run/pont/containers/c1', 'add landed']);
  t.is(files.get('/hosts'), 'new');
});

test("a link's deletion after a batch: its inverse is read before the batch starts, and it is sent after the start", async (t) => {
  const { host } = memoryHost();
  const log: string[] = [];
  const release = slowFirewall(host, log);
  const gone = new Set<string>();
  (host as { kernel: unknown }).kernel = {
    netnsExists: () => true,
    getLink: async (name: string) => (log.push(`read ${name}`), gone.has(name) ? undefined : { name, index: 7, up: true, mac: '02:42:ac:12:00:01' }),
    deleteLink: async (name: string) => void (log.push(`delete ${name}`), gone.add(name)),
  };
  const recorded: Step[][] = [];
  // as network rm plans it: forwarding left on (a step that changes nothing) between the two
  const leave: Step = { op: 'sysctl.leave', key: 'net.ipv4.ip_forward', value: '1' };
  const run = runSteps(host, [{ op: 'fw.del', parts: [rule] }, leave, { op: 'link.del', name: 'pont-a', recreate: { op: 'bridge.add', name: 'pont-a' } }], {
    record: (_i, inv) => void recorded.push(inv),
  });
  await new Promise((r) => setTimeout(r, 20));
  t.deepEqual(log, ['read pont-a', 'del started', 'delete pont-a']);
  release();
  await run;
  // the inverse read before the batch is the one recorded for the deletion: the bridge with its MAC
  t.deepEqual(recorded[2], [{ op: 'bridge.add', name: 'pont-a', mac: '02:42:ac:12:00:01' }]);
  t.deepEqual(recorded[1], [{ op: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' }]);
});

test('a firewall batch that fails while the teardown ran: everything is undone, the teardown too', async (t) => {
  const { host, files } = memoryHost({ '/hosts': 'old' });
  const log: string[] = [];
  slowFirewall(host, log, true)();
  await t.throwsAsync(runSteps(host, [{ op: 'fw.del', parts: [rule] }, write('/hosts', 'new')]), { message: 'del refused' });
  t.is(files.get('/hosts'), 'old');
  // its inverse (the rules put back) is applied last, after the file's
  t.deepEqual(log.slice(-2), ['add started', 'add landed']);
});

test('a crash injected before step N finds the batch before it landed (the steps before N done)', async (t) => {
  const { host } = memoryHost();
  const log: string[] = [];
  const release = slowFirewall(host, log);
  setTimeout(release, 20);
  const faults = { failAt: 0, crashAt: 2, count: 0, crash: () => { throw new SimulatedCrash(2); } };
  await t.throwsAsync(runSteps(host, [{ op: 'fw.del', parts: [rule] }, write('/hosts', 'new')], { faults }), { instanceOf: SimulatedCrash });
  t.deepEqual(log, ['del started', 'del landed']);
});

test("a batch's refusal is the error told, not a teardown step's that failed beside it; both are undone", async (t) => {
  const { host, files } = memoryHost({ '/hosts': 'old' });
  const log: string[] = [];
  slowFirewall(host, log, true)();
  await t.throwsAsync(runSteps(host, [{ op: 'fw.del', parts: [rule] }, write('/hosts', 'new'), write('/etc', 'FAIL')]), { message: 'del refused' });
  t.is(files.get('/hosts'), 'old');
});

test("only teardown, pont's own files and directories, a default route and a new veth pair overlap a landing batch", (t) => {
  const overlapping: Step[] = [
    { op: 'veth.add', name: 'v', peer: 'eth0', peerNetns: 'c' },
    { op: 'link.del', name: 'v' }, { op: 'addr.del', dev: 'v', cidr: '10.0.0.1/24' }, { op: 'link.set', name: 'v', up: false },
    { op: 'link.master', name: 'v', master: null }, { op: 'link.hairpin', name: 'v', on: false }, { op: 'netns.del', name: 'c' },
    { op: 'dir.del', path: '/run/pont/containers/x' }, write('/etc/netns/c/hosts', 'x'), { op: 'sysctl.leave', key: 'net.ipv4.ip_forward', value: '1' },
    { op: 'dir.add', path: '/run/pont/containers/x' }, { op: 'route.default', netns: 'c' },
  ];
  const waiting: Step[] = [
    { op: 'link.set', name: 'v', up: true }, { op: 'link.master', name: 'v', master: 'br' }, { op: 'link.hairpin', name: 'v', on: true },
    { op: 'addr.add', dev: 'v', cidr: '10.0.0.1/24' }, { op: 'netns.add', name: 'c' }, { op: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' },
    { op: 'fw.add', parts: [rule] }, { op: 'fw.del', parts: [rule] }, { op: 'dns.ready', netns: 'c', id: 'x' },
    { op: 'proc.start', spec: { id: 'x', netns: 'c', hostname: 'x', cmd: ['sleep', '1'], env: [], detach: true, interactive: false } },
  ];
  for (const s of overlapping) t.true(overlapsFirewall(s), s.op);
  for (const s of waiting) t.false(overlapsFirewall(s), s.op);
});

test("a veth pair is made, given its address and bridged while the endpoint's rules land; nothing is brought up before they are in", async (t) => {
  const h = fakeHost();
  await h.kernel.addNetns('c');
  await h.kernel.addBridge('pont-a', {});
  const host = fakeStepHost(h);
  const log: string[] = [];
  const release = slowFirewall(host, log);
  const steps: Step[] = [
    { op: 'fw.add', parts: [rule] },
    { op: 'veth.add', name: 'pv1', peer: 'eth0', peerNetns: 'c' },
    { op: 'addr.add', dev: 'eth0', cidr: '172.18.0.2/16', netns: 'c' },
    { op: 'link.master', name: 'pv1', master: 'pont-a' },
    { op: 'link.hairpin', name: 'pv1', on: true },
    { op: 'link.set', name: 'pv1', up: true },
    { op: 'link.set', name: 'eth0', netns: 'c', up: true },
  ];
  const made = () => h.kernel.calls.slice(2).map((c) => c.method);
  const run = runSteps(host, steps);
  await new Promise((r) => setTimeout(r, 20));
  t.deepEqual(log, ['add started']);
  t.deepEqual(made(), ['addVeth', 'addAddress', 'setMaster', 'setHairpin']);
  release();
  await run;
  t.deepEqual(made(), ['addVeth', 'addAddress', 'setMaster', 'setHairpin', 'setLinkUp', 'setLinkUp']);
  t.deepEqual(log, ['add started', 'add landed']);
});

test('an address, a bridge or hairpin mode or a sysctl given to a link that is up, or that this plan did not make, waits for the batch', (t) => {
  const down = new Set(['/pv1', 'c/eth0']);
  t.true(overlapsFirewall({ op: 'veth.add', name: 'pv1', peer: 'eth0', peerNetns: 'c' }, down));
  t.true(overlapsFirewall({ op: 'addr.add', dev: 'eth0', cidr: '172.18.0.2/16', netns: 'c' }, down));
  t.true(overlapsFirewall({ op: 'link.master', name: 'pv1', master: 'pont-a' }, down));
  t.true(overlapsFirewall({ op: 'link.hairpin', name: 'pv1', on: true }, down));
  t.false(overlapsFirewall({ op: 'addr.add', dev: 'eth0', cidr: '172.18.0.2/16' }, down), 'another namespace\'s eth0');
  t.false(overlapsFirewall({ op: 'link.master', name: 'pv2', master: 'pont-a' }, down));
  t.false(overlapsFirewall({ op: 'link.set', name: 'pv1', up: true }, down));
  // the host end's own IPv6 switch, set while it is down (drivers/host-end.ts); no other sysctl
  t.true(overlapsFirewall({ op: 'sysctl', key: 'net.ipv6.conf.pv1.disable_ipv6', value: '1' }, down));
  t.true(overlapsFirewall({ op: 'sysctl', key: 'net.ipv6.conf.eth0.disable_ipv6', value: '1', netns: 'c' }, down));
  t.false(overlapsFirewall({ op: 'sysctl', key: 'net.ipv6.conf.pv2.disable_ipv6', value: '1' }, down), 'a link this plan did not make');
  t.false(overlapsFirewall({ op: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' }, down));
  t.false(overlapsFirewall({ op: 'sysctl', key: 'net.ipv4.conf.all.forwarding', value: '1' }, down));
});

test('a roll-forward runs again from the rule deletion that the recorded teardown may have overlapped', (t) => {
  const steps: Step[] = [{ op: 'route.del', route: { dst: 'default' } } as Step, { op: 'fw.del', parts: [rule] }, { op: 'link.set', name: 'v', up: false }, { op: 'link.del', name: 'v' }, { op: 'proc.kill', target: {} } as unknown as Step, { op: 'netns.del', name: 'c' }];
  t.is(landingFrom(steps, 3), 1, 'crashed in the teardown after the deletion: from the deletion');
  t.is(landingFrom(steps, 1), 1);
  t.is(landingFrom(steps, 5), 5, 'after the kill: the batch had landed (the kill waits for it)');
  t.is(landingFrom(steps, 0), 0);
  t.is(landingFrom(steps, -1), -1);
});
