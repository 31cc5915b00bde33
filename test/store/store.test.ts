// The store file: what pont wrote reads back as written; a file changed by anyone else since is
// checked field by field again (the read skips the check only for pont's own, untouched file).
import test from 'ava';
import fs, { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { StoreError } from '../../src/core/errors.js';
import { blankContainer, type State } from '../../src/core/model.js';
import { Store } from '../../src/store/store.js';
import { withStore } from '../helpers/temp-store.js';

const NET = 'a'.repeat(64);
const state = (): State =>
  ({
    version: 2,
    containers: [],
    networks: [{
      id: NET, name: 'mon-bridge', driver: 'bridge', created: '2026-01-01T00:00:00Z', internal: false, attachable: false,
      labels: {}, options: {}, ipam: [{ subnet: '172.18.0.0/16', gateway: '172.18.0.1' }], predefined: false,
      bridge: 'pont-aaaaaaaaaa', book: { allocated: ['172.18.0.2'] },
    }],
  }) as State;


test('what pont wrote reads back as written', (t) => {
  withStore((store) => {
    store.write(state());
    t.deepEqual(store.read(), state());
    t.deepEqual(store.read(), state());
  });
});

test('what pont wrote is read again through its index, noted beside its identity; a torn index is not used', (t) => {
  withStore((store) => {
    const s = { ...state(), containers: [] };
    store.write(s);
    // the stamp, the first line's length, no record's line
    const noted = readFileSync(store.checkedFile, 'utf8').split('\n');
    t.deepEqual(noted.slice(1), [String(readFileSync(store.file, 'utf8').indexOf('\n')), '']);
    t.deepEqual(store.read(), s);
    // a reader takes no lock: a note read while it is written is cut short
    writeFileSync(store.checkedFile, `${noted[0]}\n${noted[1].slice(0, -1)}`);
    t.deepEqual(store.read(), s);
    writeFileSync(store.checkedFile, noted[0]);
    t.deepEqual(store.read(), s);
  });
});

test('beside containers, a note cut anywhere in its index is not used: the file is read as text', (t) => {
  withStore((store) => {
    const containers = [1, 2, 3].map((n) => blankContainer({ id: String(n).repeat(64), name: `c${n}`, created: '2026-01-01T00:00:00Z', netns: `c${n}`, networkMode: 'default', image: 'alpine' }));
    const s: State = { ...state(), containers };
    store.write(s);
    const note = readFileSync(store.checkedFile, 'latin1');
    const plain = (x: State) => JSON.parse(JSON.stringify(x)) as unknown;
    t.deepEqual(plain(store.read()), plain(s));
    // every cut after the stamp's line: each read is the state all the same
    for (let cut = note.indexOf('\n') + 1; cut < note.length; cut++) {
      writeFileSync(store.checkedFile, note.slice(0, cut));
      if (!isDeepStrictEqual(plain(store.read()), plain(s))) return t.fail(`a note cut at ${cut} of ${note.length} read another state`);
    }
    t.pass();
  });
});

test('a name with a backslash or a quote reads back the same through every write and read', (t) => {
  withStore((store) => {
    const odd = (n: number, name: string, netns: string) => blankContainer({ id: String(n).repeat(64), name, created: '2026-01-01T00:00:00Z', netns, networkMode: 'default', image: 'alpine' });
    const s: State = { ...state(), containers: [odd(1, 'c1', 'c1'), odd(2, 'a\\b', 'cni-1'), odd(3, 'c3', 'n",1,10,20],["i","m","n')] };
    const plain = (x: State) => JSON.parse(JSON.stringify(x)) as unknown;
    for (let i = 0; i < 3; i++) {
      const read = store.read();
      if (i > 0) t.deepEqual(plain(read), plain(s), `read ${i}`);
      store.write(i === 0 ? s : read);
    }
    t.deepEqual(plain(store.read()), plain(s));
  });
});

test('a file edited in place after pont wrote it is checked again', (t) => {
  withStore((store) => {
    store.write(state());
    // same inode, same size: only the times tell
    writeFileSync(store.file, readFileSync(store.file, 'utf8').replace('172.18.0.2', '172.18.0.X'));
    const e = t.throws(() => store.read(), { instanceOf: StoreError });
    t.regex(e.message, /book\.allocated\[0\]: expected an IPv4 address/);
  });
});

test('a file replaced after pont wrote it is checked again', (t) => {
  withStore((store) => {
    store.write(state());
    const text = readFileSync(store.file, 'utf8').replace('"mon-bridge"', '7');
    rmSync(store.file);
    writeFileSync(store.file, text);
    t.throws(() => store.read(), { instanceOf: StoreError, message: /\.name: expected a string/ });
  });
});

// A holder that keeps the lock (an `ip link del` whose kernel never lets the link go) is named
// on stderr once, after LOCK_NOTICE_MS, and the wait goes on: the lock is taken once it is free.
// The holder is `flock(1)` on the same file; the waiter a Node process of its own (lock() blocks).
test('a command kept waiting for the lock names its holder once, then takes the lock when it is free', async (t) => {
  const { execa } = await import('execa');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'pont-lock-'));
  try {
    const holder = execa('flock', [join(dir, 'lock'), 'sleep', '6.5']);
    await new Promise((r) => setTimeout(r, 300));
    const waiter = await execa(process.execPath, ['--input-type=module', '-e', `
      import { Store } from ${JSON.stringify(new URL('../../src/store/store.js', import.meta.url).href)};
      const s = new Store(${JSON.stringify(dir)});
      const started = Date.now();
      s.lock();
      console.log(Date.now() - started);
      s.unlock();`]);
    await holder;
    const lines = waiter.stderr.split('\n').filter(Boolean);
    t.is(lines.length, 1, waiter.stderr);
    t.regex(lines[0], new RegExp(`^pont: waiting for the store's lock \\(${dir}/lock\\), held by pid \\d+ \\(flock ${dir}/lock sleep 6\\.5\\)$`));
    t.true(Number(waiter.stdout) >= 5000, `waited ${waiter.stdout} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a one-shot command\'s read leaves the file open and reads its bytes where needed; what it writes is what a whole read writes', (t) => {
  withStore((store) => {
    const ctr = (n: number) => blankContainer({ id: String(n).repeat(64), name: `c${n}`, created: '2026-01-01T00:00:00Z', netns: `c${n}`, networkMode: 'default', image: 'alpine' });
    const s: State = { ...state(), containers: [1, 2, 3, 4, 5].map(ctr) };
    store.write(s);
    const plain = (x: State) => JSON.parse(JSON.stringify(x)) as unknown;
    const lazy = new Store(store.dir);
    lazy.lazyBytes = true;
    const fds = () => readdirSync('/proc/self/fd').length;
    const open = fds();
    const read = lazy.read();
    t.is(fds(), open + 1, 'the file read stays open');
    t.deepEqual(plain(read), plain(s));
    // c3 changes, c5 goes, c6 comes: the others are copied from the file read
    const next: State = { ...read, containers: [read.containers[0], read.containers[1], { ...read.containers[2], running: true }, read.containers[3], ctr(6)] };
    const expected = Buffer.concat(Store.chunks(plain(next) as State));
    store.write(next);
    t.deepEqual(readFileSync(store.file), expected);
    t.deepEqual(plain(new Store(store.dir).read()), plain(next));
    // the file read is gone (replaced): its records still read their own bytes, and write again
    const again = new Store(store.dir);
    again.lazyBytes = true;
    const second = again.read();
    store.write({ ...s, containers: [] });
    t.is(second.containers[4].name, 'c6');
    t.false(second.containers[4].running);
    store.write(second);
    t.deepEqual(readFileSync(store.file), expected);
    // a file whose note does not fit is read whole, and checked, as without
    writeFileSync(store.file, readFileSync(store.file, 'utf8').replace('"c1"', '"x1"'));
    const edited = new Store(store.dir);
    edited.lazyBytes = true;
    t.is(edited.read().containers[0].name, 'x1');
  });
});

test('a command that reads the store again and again keeps one file open: the same file is read through it, a replaced one closes it', (t) => {
  withStore((store) => {
    const ctr = (n: number) => blankContainer({ id: String(n).repeat(64), name: `c${n}`, created: '2026-01-01T00:00:00Z', netns: `c${n}`, networkMode: 'default', image: 'alpine' });
    store.write({ ...state(), containers: [1, 2, 3].map(ctr) });
    const lazy = new Store(store.dir);
    lazy.lazyBytes = true;
    const fds = () => readdirSync('/proc/self/fd').length;
    const open = fds();
    const first = lazy.read();
    for (let i = 0; i < 20; i++) lazy.read();
    t.is(fds(), open + 1, 'polling the same file');
    store.write({ ...state(), containers: [1, 2].map(ctr) });
    t.is(lazy.read().containers.length, 2);
    t.is(fds(), open + 1, 'the file replaced: the new one open, the old one closed');
    // records of the file read first still read their own bytes (taken into memory at the close)
    t.is(first.containers[2].name, 'c3');
    t.is(first.containers[2].image, 'alpine');
  });
});

test('a state checked whole takes what pont writes: a prefix length with leading zeros, an older pont\'s address with one', (t) => {
  withStore((store) => {
    const s = state();
    s.networks[0].ipam[0].subnet = '172.18.0.0/00000000016';
    s.networks[0].book.allocated = ['172.18.0.02'];
    store.write(s);
    // touched since pont wrote it: read and checked whole
    writeFileSync(store.file, readFileSync(store.file));
    const read = store.read();
    t.is(read.networks[0].ipam[0].subnet, '172.18.0.0/00000000016');
    t.deepEqual(read.networks[0].book.allocated, ['172.18.0.02']);
  });
});

test.serial('a directory that cannot be synced after the rename: the write stands and is said on stderr, not thrown (a command would undo its steps)', (t) => {
  withStore((store) => {
    store.write(state());
    const next = { ...state(), poolCursor: 9 };
    const [fsync, write] = [fs.fsyncSync, process.stderr.write];
    const said: string[] = [];
    fs.fsyncSync = (fd: number) => {
      if (fs.fstatSync(fd).isDirectory()) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      fsync(fd);
    };
    syncBuiltinESMExports();
    process.stderr.write = ((chunk: string) => said.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      t.notThrows(() => store.write(next));
    } finally {
      fs.fsyncSync = fsync;
      syncBuiltinESMExports();
      process.stderr.write = write;
    }
    t.is(new Store(store.dir).read().poolCursor, 9, 'the new file is the store');
    t.deepEqual(said, [`pont: warning: ${store.file} is written, but its directory could not be synced (EIO: i/o error, fsync): a power loss now may lose the change\n`]);
  });
});

test('ifFree: runs only while no other process holds the store, holds it meanwhile, and makes nothing', (t) => {
  withStore((holder) => {
    const reader = new Store(holder.dir);
    t.is(reader.ifFree(() => 'ran'), undefined, 'the holder has it: not run');
    t.is(holder.ifFree(() => 'ran'), 'ran', 'the holder itself runs it');
    holder.unlock();
    t.is(reader.ifFree(() => holder.tryLock()), false, 'free: run, holding the store meanwhile');
    t.true(holder.tryLock(), 'and left free');
  });
  const none = new Store('/nonexistent-pont-store');
  t.is(none.ifFree(() => 'ran'), 'ran', 'no lock file: no command ever held it');
  t.false(existsSync('/nonexistent-pont-store'), 'nothing made');
});
