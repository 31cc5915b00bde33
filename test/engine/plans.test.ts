// The engine's verbs on an in-memory host (test/helpers/fake-host.ts): no root, every test with
// its own host, store directory, ids and clock, so they run in parallel. What the integration
// tests check in sandboxes (crash.test.ts, rollback.test.ts) is checked here at every step, fast:
// plans are deterministic, a failure at any step leaves host and store exactly as before, and a
// crash at any step is rolled back (or, past a kill, finished) by the next command.
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PortBinding } from '../../src/core/ports/portspec.js';
import { connectContainer, createNetwork, disconnectContainer, pruneNetworks, removeNetwork } from '../../src/engine/network/index.js';
import { containerExited, removeContainers, runContainer, startContainer, type RunRequest } from '../../src/engine/container/index.js';
import type { Context } from '../../src/engine/context.js';
import { SimulatedCrash } from '../../src/engine/steps.js';
import { Store } from '../../src/store/store.js';
import { collectGarbage } from '../../src/engine/system/repair.js';
import { desiredFirewall } from '../../src/engine/system/desired.js';
import { readJournal, recoverJournal, rollsForward } from '../../src/engine/journal.js';
import { stepHost } from '../../src/engine/transaction.js';
import type { FirewallBackend } from '../../src/firewall/backend.js';
import { iptablesBackend } from '../../src/firewall/iptables.js';
import { nftablesBackend } from '../../src/firewall/nftables.js';
import { FakeProcesses, fakeHost, type FakeHost } from '../helpers/fake-host.js';

interface World {
  host: FakeHost;
  /** The backend every command of this world writes its firewall with. */
  firewall: FirewallBackend;
  procs: FakeProcesses;
  dir: string;
  ids: { n: number };
}

function world(t: ExecutionContext, firewall: FirewallBackend = iptablesBackend): World {
  const dir = mkdtempSync(join(tmpdir(), 'pont-plans-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return { host: fakeHost({ uplink: { name: 'eth0', cidr: '192.168.1.10/24', gateway: '192.168.1.1' } }), firewall, procs: new FakeProcesses(), dir, ids: { n: 0 } };
}

/** A context on the world's fakes; `faults` as PONT_FAIL_AT_STEP / PONT_CRASH_AT_STEP would set them. */
function context(w: World, faults: { failAt?: number; crashAt?: number } = {}, lines: string[] = []): Context {
  const store = new Store(w.dir);
  return {
    kernel: w.host.kernel,
    firewall: w.firewall,
    files: w.host.files,
    procs: w.procs,
    store,
    // distinct from the first characters on, as bridge names take the first ten
    newId: () => (++w.ids.n).toString(16).padStart(4, '0').repeat(16),
    now: () => '2026-11-30T12:00:00Z',
    since: () => 0,
    hostPorts: () => ({ bound: new Set(), range: { low: 32768, high: 60999 } }),
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    dryRun: false,
    faults: {
      failAt: faults.failAt ?? 0,
      crashAt: faults.crashAt ?? 0,
      count: 0,
      crash: () => {
        throw new SimulatedCrash(faults.crashAt ?? 0);
      },
    },
    // the real one asks the resolver directly (dns/ready.ts): neither the store nor the host changes
    dns: { ready: async () => undefined, ensure: async () => undefined, stopIfUnused: async () => undefined },
    cluster: async () => null,
  };
}

const storeText = (w: World) => {
  try {
    return readFileSync(join(w.dir, 'state.json'), 'utf8');
  } catch {
    return '';
  }
};
const snap = (w: World) => JSON.stringify({ host: w.host.snapshot(), store: storeText(w) });

const run = (over: Partial<RunRequest>): RunRequest => ({
  aliases: [], dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], detach: true, interactive: false, tty: false, autoRemove: false,
  env: [], args: ['alpine'], publish: [], expose: [], publishAll: false, ...over,
});
const publish = (hostPort: number, containerPort: number): PortBinding => ({ hostIp: '', hostPort, containerPort, proto: 'tcp' });

type Verb = (ctx: Context) => Promise<unknown>;

/** A world where a user network, a container on it with a port and a second network exist. */
async function populated(t: ExecutionContext, firewall: FirewallBackend = iptablesBackend): Promise<World> {
  const w = world(t, firewall);
  const ctx = context(w);
  await createNetwork(ctx, { name: 'web', driver: 'bridge', internal: false, attachable: false, labels: {}, options: {} });
  await createNetwork(ctx, { name: 'back', driver: 'bridge', internal: false, attachable: false, labels: {}, options: {} });
  await runContainer(ctx, run({ name: 'c1', network: 'web', aliases: ['www'], publish: [publish(8000, 80)] }));
  return w;
}

const VERBS: [string, Verb][] = [
  ['network create', (c) => createNetwork(c, { name: 'new', driver: 'bridge', internal: true, attachable: false, labels: {}, options: { 'com.docker.network.bridge.enable_icc': 'false' } })],
  ['network rm', (c) => removeNetwork(c, 'back')],
  ['network prune', (c) => pruneNetworks(c)],
  ['run -p on a user network', (c) => runContainer(c, run({ name: 'c2', network: 'web', aliases: ['api'], publish: [publish(9000, 80)] }))],
  ['run on the default bridge', (c) => runContainer(c, run({ name: 'c3' }))],
  ['network connect', (c) => connectContainer(c, 'back', 'c1', { aliases: ['db'] })],
  ['container exited (stop)', async (c) => containerExited(c, c.store.read().containers[0].id, 0)],
  ['rm -f', (c) => removeContainers(c, ['c1'], true)],
  ['create (the Docker API\'s: no process, no port yet)', (c) => runContainer(c, run({ name: 'c4', network: 'web', publish: [publish(9100, 80)], labels: { app: 'x' }, start: false }))],
];

// every verb on both backends: the same plans, applied as iptables-restore documents or nft scripts
for (const [verbName, verb] of VERBS) for (const fw of [iptablesBackend, nftablesBackend]) {
  const name = fw.name === 'iptables' ? verbName : `${verbName} [nftables]`;
  test(`${name}: a failure at any step leaves the host and the store exactly as before`, async (t) => {
    const w = await populated(t, fw);
    const before = snap(w);
    let n = 1;
    for (; n < 80; n++) {
      const lines: string[] = [];
      const ok = await verb(context(w, { failAt: n }, lines)).then(
        (r) => r !== false,
        (e: Error) => {
          t.regex(e.message, new RegExp(`injected failure at step ${n}`));
          return false;
        },
      );
      if (ok && !lines.some((l) => /injected failure/.test(l))) break;
      t.is(snap(w), before, `${name}: failure at step ${n}`);
    }
    t.true(n > 1, `${name} has steps`);
  });

  test(`${name}: a crash at any step is rolled back, or past a kill finished, by the next command`, async (t) => {
    const w = await populated(t, fw);
    // the command completed, in a twin world: what a roll-forward must reach
    const twin = await populated(t, fw);
    await verb(context(twin));
    let n = 1;
    for (; n < 80; n++) {
      const before = snap(w);
      const crashed = await verb(context(w, { crashAt: n })).then(
        () => false,
        (e: Error) => {
          if (!(e instanceof SimulatedCrash)) throw e;
          return true;
        },
      );
      if (!crashed) break;
      const lines: string[] = [];
      await collectGarbage(context(w, {}, lines));
      const said = lines.join('\n');
      if (/rolled back/.test(said)) {
        t.is(snap(w), before, `${name}: crash at step ${n}, rolled back`);
        continue;
      }
      t.regex(said, /finished '.*', which was interrupted after its point of no return/, `${name}: crash at step ${n}`);
      t.is(snap(w), snap(twin), `${name}: crash at step ${n}, finished: host and store as the completed command leaves them`);
      return;
    }
    t.true(n > 1, `${name} has steps`);
  });
}

test('plans are deterministic given the state, the clock and the ids: two worlds, the same commands, the same host and store', async (t) => {
  const a = await populated(t);
  const b = await populated(t);
  for (const w of [a, b]) {
    const ctx = context(w);
    await connectContainer(ctx, 'back', 'c1', { aliases: [] });
    await disconnectContainer(ctx, 'web', 'c1');
  }
  t.is(snap(a), snap(b));
  t.true(storeText(a).includes('"name":"c1"'));
});

test('start after an exit publishes the ports again; rm of the stopped container then leaves no trace of it', async (t) => {
  const w = await populated(t);
  const ctx = context(w);
  const id = ctx.store.read().containers[0].id;
  const dnat = () => (w.host.kernel.firewall.rules('nat', 'PONT') ?? []).filter((r) => r.includes('--dport 8000')).length;
  t.is(dnat(), 1);
  await containerExited(ctx, id, 0);
  t.is(dnat(), 0);
  await startContainer(ctx, 'c1');
  t.is(dnat(), 1);
  t.true(ctx.store.read().containers[0].running);
  await containerExited(ctx, id, 0);
  t.true(await removeContainers(ctx, ['c1'], false));
  t.false('c1' in w.host.kernel.snapshot().netns);
  t.false(w.host.files.exists('/etc/netns/c1'));
});

test('create (the Docker API\'s) makes the namespace and endpoint with no process and no port; start publishes and starts; rm of a created one leaves nothing', async (t) => {
  const w = await populated(t);
  const ctx = context(w);
  const before = snap(w);
  const dnat = () => (w.host.kernel.firewall.rules('nat', 'PONT') ?? []).filter((r) => r.includes('--dport 9100')).length;
  const started = w.procs.started.length;
  const { container } = await runContainer(ctx, run({ name: 'c4', network: 'web', publish: [publish(9100, 80)], labels: { app: 'x' }, start: false }));
  t.like(container, { running: false, pid: 0, startedAt: '0001-01-01T00:00:00Z', labels: { app: 'x' }, ports: [] });
  t.is(container.endpoints.length, 1, 'its address is taken at create');
  t.true('c4' in w.host.kernel.snapshot().netns);
  t.is(dnat(), 0, 'no port before start');
  t.is(w.procs.started.length, started, 'no process');
  await startContainer(ctx, 'c4');
  t.is(dnat(), 1);
  t.true(ctx.store.read().containers.find((c) => c.name === 'c4')!.running);
  await containerExited(ctx, container.id, 0);
  t.true(await removeContainers(ctx, ['c4'], false));
  t.is(snap(w).replace(/"poolCursor"[^,]*,/, ''), before.replace(/"poolCursor"[^,]*,/, ''), 'as before the create');
});

test('a backend switch in config.json: the next command moves pont\'s firewall; a failure at any step of it leaves all as before; moving back gives the same iptables rules', async (t) => {
  const w = await populated(t);
  const original = snap(w);
  const iptablesRules = w.host.kernel.snapshot().firewall;
  w.firewall = nftablesBackend;
  let n = 1;
  for (; n < 20; n++) {
    const lines: string[] = [];
    const ok = await collectGarbage(context(w, { failAt: n }, lines)).then(
      () => true,
      (e: Error) => {
        t.regex(e.message, new RegExp(`injected failure at step ${n}`));
        return false;
      },
    );
    if (ok) {
      t.true(lines.includes("pont: moved pont's firewall from iptables to nftables, as /etc/pont/config.json says"), lines.join('\n'));
      break;
    }
    t.is(snap(w), original, `failure at step ${n} of the move`);
  }
  t.is(n, 3, 'two steps: added whole with nftables, then deleted from iptables');
  t.is(w.host.kernel.firewall.rules('nat', 'PONT'), undefined, "no PONT chain left in iptables");
  t.deepEqual((await nftablesBackend.inspect(w.host.kernel, desiredFirewall(new Store(w.dir).read(), { withBase: true }))).findings, []);
  t.is(new Store(w.dir).read().firewallBackend, 'nftables');
  // the next commands run on nftables alone
  await removeContainers(context(w), ['c1'], true);
  t.false(w.host.kernel.nft.list('inet', 'pont').includes('tcp . 8000'));
  await runContainer(context(w), run({ name: 'c1', network: 'web', aliases: ['www'], publish: [publish(8000, 80)] }));
  // and back
  w.firewall = iptablesBackend;
  await collectGarbage(context(w));
  t.is(w.host.kernel.nft.list('inet', 'pont'), '', 'the table went with its base');
  t.deepEqual(w.host.kernel.snapshot().firewall, iptablesRules, 'the same iptables rules as before the round trip');
});

test('a crash under nftables is rolled back on nftables, even once config.json names iptables (the journal says which)', async (t) => {
  const w = await populated(t, nftablesBackend);
  let n = 1;
  for (; n < 80; n++) {
    const before = snap(w);
    const crashed = await runContainer(context(w, { crashAt: n }), run({ name: 'c2', network: 'web', publish: [publish(9000, 80)] })).then(
      () => false,
      (e: Error) => {
        if (!(e instanceof SimulatedCrash)) throw e;
        return true;
      },
    );
    if (!crashed) break;
    // the next command runs with iptables: its journal recovery must still undo on nftables
    const ctx = { ...context(w), firewall: iptablesBackend };
    ctx.store.lock();
    const said = await recoverJournal(ctx.store, stepHost(ctx, () => ctx.store.read())).finally(() => ctx.store.unlock());
    t.regex(said ?? '', /rolled back/, `crash at step ${n}`);
    t.is(snap(w), before, `crash at step ${n}: rolled back on nftables, iptables untouched`);
  }
  t.true(n > 10, `run -p has ${n - 1} steps`);
});

test('killed in a roll-forward just after its store write: the next command finds the write made, and applies no patch again', async (t) => {
  // c1 first of three: its removal's patch names positions, which a second application misreads
  const setup = async () => {
    const w = await populated(t);
    await runContainer(context(w), run({ name: 'c2', network: 'web' }));
    await runContainer(context(w), run({ name: 'c3', network: 'web' }));
    return w;
  };
  const [w, twin] = [await setup(), await setup()];
  await removeContainers(context(twin), ['c1'], true);
  for (let n = 1; n < 80; n++) {
    const crashed = await removeContainers(context(w, { crashAt: n }), ['c1'], true).then(
      () => false,
      (e: Error) => {
        if (!(e instanceof SimulatedCrash)) throw e;
        return true;
      },
    );
    t.true(crashed, 'rm -f has a step past its point of no return');
    if (!crashed) return;
    const found = readJournal(new Store(w.dir));
    if (!found || !rollsForward(found)) {
      await collectGarbage(context(w));
      continue;
    }
    // the recovery is killed between its store write and the journal's removal
    const ctx = context(w);
    const write = ctx.store.write.bind(ctx.store);
    ctx.store.write = (...a: Parameters<Store['write']>) => {
      write(...a);
      throw new SimulatedCrash(0);
    };
    ctx.store.lock();
    await t.throwsAsync(recoverJournal(ctx.store, stepHost(ctx, () => ctx.store.read())).finally(() => ctx.store.unlock()), { instanceOf: SimulatedCrash });
    const lines: string[] = [];
    await collectGarbage(context(w, {}, lines));
    t.regex(lines.join('\n'), /'.*' was interrupted after it had completed; nothing to undo/);
    t.is(snap(w), snap(twin), 'host and store as the completed command leaves them');
    return;
  }
  t.fail('no crash of rm -f was rolled forward');
});
