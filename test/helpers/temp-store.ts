// A store in a directory of its own, locked, removed afterwards: for tests of the store and the journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';

export function withStore(run: (store: Store) => void, prefix = 'pont-store-'): void {
  const store = new Store(mkdtempSync(join(tmpdir(), prefix)));
  try {
    store.lock();
    run(store);
  } finally {
    store.unlock();
    rmSync(store.dir, { recursive: true, force: true });
  }
}
