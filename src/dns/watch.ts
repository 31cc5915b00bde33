// Follows the store file without locking it: the store replaces state.json by rename, so each
// read sees a whole file. fs.watch on the directory reacts within milliseconds (the rename of
// the temp file onto state.json); a poll of the file's identity (inode, mtime, size) catches
// what inotify may miss (a directory made later, an overflowed queue). A file that cannot be
// read or parsed keeps the previous state and is tried again at the next change or poll.
import { type FSWatcher, mkdirSync, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { State } from '../core/model.js';
import { Store } from '../store/store.js';
import { readRemoteEndpoints, VIEW_FILE, type RemoteEndpoint } from '../cluster/view.js';

export interface StoreWatchOptions<S = State> {
  dir?: string;
  /** How the store is read (a reader that keeps what it made of each record reads its own way); store.read() by default. */
  read?: (store: Store) => S;
  pollMs?: number;
  /** false: the poll alone (a reader in no hurry, that should not compete for the CPU on each change) */
  watch?: boolean;
  /** `remote`: the other hosts' endpoints on overlay networks, as this host's agent last wrote them (cluster-view.json). */
  onState: (state: S, remote: RemoteEndpoint[]) => void;
  /** Runs after each poll, for the caller's own cheap periodic checks. */
  onTick?: () => void;
  onError?: (e: Error) => void;
}

/** How long, and how often, a reader waits for a command to note the file it just wrote. */
const UNNOTED_RETRY_MS = 15;
const UNNOTED_WAITS = 10;

export class StoreWatcher<S = State> {
  private readonly store: Store;
  private key = '';
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private unnoted = 0;
  private noteWatcher: FSWatcher | null = null;

  constructor(private readonly opts: StoreWatchOptions<S>) {
    this.store = new Store(opts.dir);
  }

  start(): void {
    this.check();
    const watching = this.opts.watch !== false;
    this.timer = setInterval(() => {
      if (watching && !this.watcher) this.watchDir();
      this.check();
      this.opts.onTick?.();
    }, this.opts.pollMs ?? 500);
    if (watching) this.watchDir();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.watcher?.close();
    this.watcher = null;
    this.noteWatcher?.close();
    this.noteWatcher = null;
  }

  /**
   * A command notes the file it wrote ~1 ms after its rename: the note's own inotify event ends
   * the wait at once, so answers follow a pont command as closely as they did when every change
   * was read whole on the rename's event (the retry timer is the fallback).
   */
  private watchNote(): void {
    const file = this.store.checkedFile;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
      this.noteWatcher = watch(dirname(file), { persistent: false }, (_event, filename) => {
        if (filename !== basename(file) || !this.retry) return;
        clearTimeout(this.retry);
        this.retry = null;
        this.check();
      });
      this.noteWatcher.on('error', () => {
        this.noteWatcher?.close();
        this.noteWatcher = null; // the retries still end the wait
      });
    } catch {
      this.noteWatcher = null;
    }
  }

  private watchDir(): void {
    if (!this.noteWatcher) this.watchNote();
    try {
      mkdirSync(this.store.dir, { recursive: true, mode: 0o700 });
      this.watcher = watch(this.store.dir, { persistent: false }, (_event, filename) => {
        if (filename === null || filename === 'state.json' || filename === VIEW_FILE) this.check();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null; // the poll re-arms it
      });
    } catch {
      this.watcher = null;
    }
  }

  /** Re-reads the store if the file changed since the last successful read. */
  check(): void {
    const stamp = (file: string) => {
      try {
        const st = statSync(file);
        return `${st.ino}:${st.mtimeMs}:${st.size}`;
      } catch {
        return 'missing';
      }
    };
    const key = `${stamp(this.store.file)} ${stamp(`${this.store.dir}/${VIEW_FILE}`)}`;
    if (key === this.key) return;
    // inotify tells of a command's rename before the command notes the file as checked
    // (store.ts): read now, it would be parsed and checked whole, ~25 ms of CPU beside 500
    // containers taken from the commands this serves; a moment later it is read through its
    // index. A file no pont noted (a hand edit) is read whole after UNNOTED_WAITS tries; the
    // first read (a resolver starting) does not wait.
    if (this.key !== '' && this.unnoted < UNNOTED_WAITS && !this.store.noted()) {
      this.unnoted++;
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.check();
      }, UNNOTED_RETRY_MS);
      return;
    }
    this.unnoted = 0;
    try {
      // records parse when first read: a corrupt line in pont's own file fails inside onState
      const state = this.opts.read ? this.opts.read(this.store) : (this.store.read() as S);
      this.opts.onState(state, readRemoteEndpoints(this.store.dir));
    } catch (e) {
      this.opts.onError?.(e as Error);
      return;
    }
    this.key = key;
  }
}
