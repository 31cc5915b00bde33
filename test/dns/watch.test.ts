// The store watcher (resolver, supervisor, cluster agent): a store it cannot use keeps the
// previous state and is reported, never thrown out of a file-system callback.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { blankContainer, type State } from '../../src/core/model.js';
import { STORE_VERSION } from '../../src/core/state-schema.js';
import { StoreWatcher } from '../../src/dns/watch.js';
import { Store } from '../../src/store/store.js';
import { withStore } from '../helpers/temp-store.js';

const state = (names: string[]): State => ({
  version: 1,
  networks: [],
  poolCursor: 2,
  firewallBackend: 'iptables',
  containers: names.map((name, i) => blankContainer({ id: String(i + 1).repeat(64), name, created: '2026-01-01T00:00:00Z', netns: name, networkMode: 'default', image: 'alpine' })),
});

test('a corrupt record in a file pont wrote is an error for onError, and the next good file is taken', (t) => {
  withStore((store) => {
    store.write(state(['a', 'b']));
    const seen: string[][] = [];
    const errors: string[] = [];
    // reads a field beyond each record's lead, as the resolver's view does
    const watcher = new StoreWatcher({ dir: store.dir, watch: false, pollMs: 60_000, onState: (s) => seen.push(s.containers.map((c) => `${c.name}:${c.running}`)), onError: (e) => errors.push(e.message) });
    watcher.check();
    t.deepEqual(seen, [['a:false', 'b:false']]);

    // b's line broken after its lead, in a file whose identity pont notes as its own
    const lines = store.readBytes()!.toString().split('\n');
    lines[2] = `${lines[2].slice(0, lines[2].indexOf('"netns":"b",') + '"netns":"b",'.length)}"running":tru}`;
    writeFileSync(store.file, lines.join('\n'));
    // the stamp pont notes after its own writes (store.ts: identity)
    const st = statSync(store.file, { bigint: true });
    writeFileSync(store.checkedFile, `${STORE_VERSION} ${st.dev}:${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`);
    t.notThrows(() => watcher.check());
    t.is(seen.length, 1, 'the corrupt store was not applied');
    t.regex(errors[0] ?? '', /^state file .*state\.json is corrupt \(container b: /);

    store.write(state(['a']));
    watcher.check();
    t.deepEqual(seen.at(-1), ['a:false'], 'the next good store is applied');
    watcher.stop();
  });
});

test('a file its writer has not noted yet is read once noted (as its own, not checked whole); a file no pont notes, after a few tries', async (t) => {
  const store = new Store(mkdtempSync(join(tmpdir(), 'pont-watch-')));
  store.lock();
  const note = () => {
    const st = statSync(store.file, { bigint: true });
    writeFileSync(store.checkedFile, `${STORE_VERSION} ${st.dev}:${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`);
  };
  const seen: string[][] = [];
  const watcher = new StoreWatcher({ dir: store.dir, watch: false, pollMs: 60_000, onState: (s) => seen.push(s.containers.map((c) => c.name)) });
  try {
    store.write(state(['a']));
    watcher.check();
    t.deepEqual(seen, [['a']]);
    // a command between its rename and its note (inotify wakes the resolver there)
    store.write(state(['a', 'b']));
    rmSync(store.checkedFile);
    t.false(store.noted());
    watcher.check();
    t.is(seen.length, 1, 'not read while unnoted');
    note();
    t.true(store.noted());
    await new Promise((r) => setTimeout(r, 60));
    t.deepEqual(seen.at(-1), ['a', 'b'], 'read once noted');
    // a hand edit: nobody notes it; read (and checked whole) after the tries
    writeFileSync(store.file, `${JSON.stringify(state(['c']))}\n`);
    watcher.check();
    t.is(seen.length, 2);
    await new Promise((r) => setTimeout(r, 400));
    t.deepEqual(seen.at(-1), ['c'], 'read after the tries');
  } finally {
    watcher.stop();
    store.unlock();
    rmSync(store.dir, { recursive: true, force: true });
  }
});
