// A network's address book in runs (core/address-book.ts): what allocation and release leave in
// it, checked against a plain set of addresses over generated sequences.
import test from 'ava';
import { bookEntries, bookRuns, runsHave, runsSize, runsWith, runsWithout } from '../../src/core/address-book.js';
import { allocateAddress, bookHas, emptyBook, releaseAddress, releaseAddresses } from '../../src/core/ipam.js';
import { parseState } from '../../src/core/state-schema.js';
import { seededRandom } from '../helpers/seeded.js';

const ctx = (book = emptyBook()) => ({ config: { subnet: '172.18.0.0/16', gateway: '172.18.0.1' }, book, networkLabel: 'n' });

test('addresses taken one after the other are one run; a release cuts it, and first fit fills the hole again', (t) => {
  let book = emptyBook();
  for (let i = 0; i < 500; i++) book = allocateAddress(ctx(book)).book;
  t.deepEqual(book.allocated, ['172.18.0.2-172.18.1.245']);
  book = releaseAddress(book, '172.18.0.9');
  t.deepEqual(book.allocated, ['172.18.0.2-172.18.0.8', '172.18.0.10-172.18.1.245']);
  book = releaseAddress(book, '172.18.0.2');
  book = releaseAddress(book, '172.18.1.245');
  t.deepEqual(book.allocated, ['172.18.0.3-172.18.0.8', '172.18.0.10-172.18.1.244']);
  const next = allocateAddress(ctx(book));
  t.is(next.address, '172.18.0.2');
  t.deepEqual(next.book.allocated, ['172.18.0.2-172.18.0.8', '172.18.0.10-172.18.1.244']);
  t.deepEqual(allocateAddress(ctx(next.book)).book.allocated, ['172.18.0.2-172.18.1.244'], 'the hole filled: one run again');
  t.true(bookHas(book, '172.18.0.10'));
  t.false(bookHas(book, '172.18.0.9'));
  t.deepEqual(releaseAddresses(book, ['172.18.0.3', '172.18.0.4', '172.18.9.9']).allocated, ['172.18.0.5-172.18.0.8', '172.18.0.10-172.18.1.244']);
});

test('an older pont\'s book (an address each, in the order taken, one with a leading zero) reads as its runs, and is written as them', (t) => {
  const old = { allocated: ['172.18.0.5', '172.18.0.02', '172.18.0.3', '172.18.0.4', '172.18.0.9'] };
  t.deepEqual(bookRuns(old.allocated).map(([a, b]) => b - a + 1), [4, 1]);
  const a = allocateAddress(ctx(old));
  t.is(a.address, '172.18.0.6');
  t.deepEqual(a.book.allocated, ['172.18.0.2-172.18.0.6', '172.18.0.9']);
  t.deepEqual(releaseAddress(old, '172.18.0.02').allocated, ['172.18.0.3-172.18.0.5', '172.18.0.9']);
  t.true(bookHas(old, '172.18.0.2'));
});

test('over generated sequences of takes (first fit or asked for) and releases, the runs hold exactly the addresses a plain set does, in order, apart', (t) => {
  const rand = seededRandom(29);
  const c = { config: { subnet: '10.9.0.0/26', gateway: '10.9.0.1' }, networkLabel: 'n' };
  for (let round = 0; round < 200; round++) {
    let book = emptyBook();
    const model = new Set<number>();
    for (let step = 0; step < 150; step++) {
      const roll = rand();
      if (roll < 0.5) {
        let address: string | null;
        try {
          address = allocateAddress({ ...c, book }).address;
        } catch {
          address = null;
        }
        // first fit: the lowest host address neither the gateway nor taken, or none
        let expected: number | null = null;
        for (let n = 2; n < 63; n++) if (!model.has(n)) { expected = n; break; }
        t.is(address, expected === null ? null : `10.9.0.${expected}`, `round ${round} step ${step}`);
        if (address) {
          book = allocateAddress({ ...c, book }).book;
          model.add(Number(address.split('.')[3]));
        }
      } else if (roll < 0.65) {
        const n = 2 + Math.floor(rand() * 61);
        if (model.has(n)) {
          t.throws(() => allocateAddress({ ...c, book }, `10.9.0.${n}`), { message: 'Error response from daemon: Address already in use' });
        } else {
          book = allocateAddress({ ...c, book }, `10.9.0.${n}`).book;
          model.add(n);
        }
      } else {
        const n = 2 + Math.floor(rand() * 61);
        book = releaseAddress(book, `10.9.0.${n}`);
        model.delete(n);
      }
      const runs = bookRuns(book.allocated);
      t.is(runsSize(runs), model.size);
      for (let n = 0; n < 64; n++) if (runsHave(runs, (10 << 24 | 9 << 16) + n) !== model.has(n)) return t.fail(`round ${round} step ${step}: ${n} ${book.allocated.join(' ')}`);
      for (let i = 1; i < runs.length; i++) if (runs[i][0] <= runs[i - 1][1] + 1) return t.fail(`runs touch or overlap: ${book.allocated.join(' ')}`);
      t.deepEqual(bookEntries(runs), book.allocated);
    }
  }
});

test('runsWith and runsWithout join and cut runs at their ends, inside and between', (t) => {
  const r = (runs: [number, number][]) => runs;
  t.deepEqual(runsWith(r([[2, 4], [6, 8]]), 5), [[2, 8]]);
  t.deepEqual(runsWith(r([[2, 4], [7, 8]]), 5), [[2, 5], [7, 8]]);
  t.deepEqual(runsWith(r([[2, 4], [7, 8]]), 6), [[2, 4], [6, 8]]);
  t.deepEqual(runsWith(r([[2, 4]]), 1), [[1, 4]]);
  t.deepEqual(runsWith(r([[2, 4]]), 9), [[2, 4], [9, 9]]);
  t.deepEqual(runsWith(r([[2, 4]]), 3), [[2, 4]]);
  t.deepEqual(runsWithout(r([[2, 8]]), 5), [[2, 4], [6, 8]]);
  t.deepEqual(runsWithout(r([[2, 8]]), 2), [[3, 8]]);
  t.deepEqual(runsWithout(r([[2, 2], [4, 4]]), 2), [[4, 4]]);
  t.deepEqual(runsWithout(r([[2, 8]]), 9), [[2, 8]]);
});

test('the store\'s schema takes a book\'s runs, first to last, and refuses any other text', (t) => {
  const state = (allocated: string[]) => ({
    version: 2,
    networks: [{ id: 'a'.repeat(64), name: 'n', driver: 'bridge', created: '2026-01-01T00:00:00Z', internal: false, attachable: false, labels: {}, options: {}, ipam: [], book: { allocated } }],
    containers: [],
  });
  t.deepEqual(parseState(state(['10.0.0.2-10.0.0.9', '10.0.0.11'])).networks[0].book.allocated, ['10.0.0.2-10.0.0.9', '10.0.0.11']);
  t.deepEqual(parseState(state(['10.0.0.02-10.0.0.4'])).networks[0].book.allocated, ['10.0.0.02-10.0.0.4'], 'an older spelling, read as that pont read it');
  for (const bad of ['10.0.0.9-10.0.0.2', '10.0.0.2-', '-10.0.0.2', '10.0.0.2-10.0.0.3-10.0.0.4', '10.0.0.2-x']) {
    t.throws(() => parseState(state([bad])), { message: /book\.allocated\[0\]/ }, bad);
  }
});
