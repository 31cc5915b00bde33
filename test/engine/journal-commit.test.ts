// The journal's last line, written just before the store: the identity of the store file the
// write replaces. After a crash, the store was written exactly when the file is another one.
import test from 'ava';
import { createHash } from 'node:crypto';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { emptyState, type State } from '../../src/core/model.js';
import { isCommitted, type Journal, readJournal, writeJournal } from '../../src/engine/journal.js';
import { Store } from '../../src/store/store.js';
import { withStore } from '../helpers/temp-store.js';

const journal: Journal = { version: 3, command: 'pont network create x', firewallBackend: 'iptables', steps: [] };
const next = (): State => ({ ...emptyState(), poolCursor: 3 });


test('crashed after the commit line: written if the store file is another one, not if it is the one recorded', (t) => {
  withStore((store) => {
    store.write(emptyState());
    const w = writeJournal(store, journal);
    w.commit(store.identityNow(), Buffer.concat(Store.chunks(next())).length);
    t.false(isCommitted(store, readJournal(store)!), 'the crash came before the write');
    store.write(next());
    t.true(isCommitted(store, readJournal(store)!), 'after it');
  });
});

test('crashed before the write, then the store moved aside or edited: not taken for the write', (t) => {
  withStore((store) => {
    store.write(emptyState());
    writeJournal(store, journal).commit(store.identityNow(), Buffer.concat(Store.chunks(next())).length);
    writeFileSync(store.file, '{"version":1,"networks":[],"containers":[]}');
    t.false(isCommitted(store, readJournal(store)!), 'edited');
    rmSync(store.file);
    t.false(isCommitted(store, readJournal(store)!), 'moved aside');
  });
});

test('a first store (no file before it): written once there is one', (t) => {
  withStore((store) => {
    const w = writeJournal(store, journal);
    t.is(store.identityNow(), 'none');
    w.commit(store.identityNow(), Buffer.concat(Store.chunks(next())).length);
    t.false(isCommitted(store, readJournal(store)!));
    store.write(next());
    t.true(isCommitted(store, readJournal(store)!));
  });
});

test('no commit line: not written; a line of an earlier build (the sha256 of the store it wrote) is still read', (t) => {
  withStore((store) => {
    store.write(emptyState());
    writeJournal(store, journal);
    t.false(isCommitted(store, readJournal(store)!));
    const bytes = Buffer.concat(Store.chunks(next()));
    appendFileSync(store.journalLogFile, `${JSON.stringify({ commit: createHash('sha256').update(bytes).digest('hex') })}\n`);
    t.false(isCommitted(store, readJournal(store)!));
    store.write(next(), bytes);
    t.true(isCommitted(store, readJournal(store)!));
  });
});
