// The state store: one JSON file (a container record per line, parsed when read: layout.ts),
// replaced atomically (write temp, fsync, rename, fsync dir),
// guarded by an exclusive flock so concurrent pont processes serialise. Readers need no lock:
// rename makes every read see a whole file. A corrupt file is an error, never a silent reset.
// The schema check of a read (hundreds of records: the largest cost of a command on a full host)
// is skipped for the very file this pont wrote: its identity (inode, size, mtime, ctime, which
// any edit or replacement moves) is noted after each write (/run/pont/state.checked), with the
// file's index (layout.ts: where each record lies), so that a read of it scans no record.
import { dirname } from 'node:path';
import { isAscii } from 'node:buffer';
import { type BigIntStats, closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { StoreError } from '../core/errors.js';
import { emptyState, type State } from '../core/model.js';
import { NewerStoreError, parseState, STORE_VERSION } from '../core/state-schema.js';
import { copyFileRange, flock, LOCK_EX, tryFlockExclusive } from '../kernel/syscalls.js';
import { type Chunk, chunkBytes, decodeIndex, parseIndexed, parseStateText, type Source, type SourceRange, stateLayout, type StoreIndex, type StoreLayout } from './layout.js';
import { RUN_DIR } from '../kernel/run-dir.js';

// Fixed, never taken from the environment: a variable must not point a root tool at other files.
export const STATE_DIR = '/var/lib/pont';

export class Store {
  private lockFd: number | null = null;
  /** The identity of state.json as this process last read or wrote it (null: none, or unknown). */
  stamp: string | null = null;
  constructor(readonly dir: string = STATE_DIR) {}

  get file(): string {
    return `${this.dir}/state.json`;
  }

  /**
   * The identity of state.json as this pont last wrote it (see the header): in pont's run
   * directory, a tmpfs (it takes no block of a full state directory, and a reboot forgets it);
   * beside the store for any other store directory (tests).
   */
  get checkedFile(): string {
    return this.dir === STATE_DIR ? `${RUN_DIR}/state.checked` : `${this.dir}/state.checked`;
  }

  /** A mutating command's write-ahead journal (engine/journal.ts): its header, then its progress. */
  get journalFile(): string {
    return `${this.dir}/journal.json`;
  }

  get journalLogFile(): string {
    return `${this.dir}/journal.log`;
  }

  /**
   * Set in a resident process (the Docker API service): its requests wait for the lock without
   * blocking its event loop, so another holder (a CLI command, another request) delays only them.
   */
  waitWithoutBlocking = false;

  /**
   * Blocks until this process holds the store. A holder that keeps it past LOCK_NOTICE_MS is
   * named on stderr, once, before the wait goes on: a command's `ip link del` keeps the lock
   * until the kernel is through with the link (kernel/link-delete.ts), and a kernel stuck there
   * ("unregister_netdevice: waiting for … to become free") would otherwise hold every later
   * command in silence.
   */
  lock(): void {
    if (this.lockFd !== null) return;
    const fd = this.openLock();
    try {
      if (!pollLock(fd, LOCK_NOTICE_MS)) {
        process.stderr.write(`pont: waiting for the store's lock (${this.dir}/lock), held by ${lockHolder(fd)}\n`);
        flock(fd, LOCK_EX);
      }
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.lockFd = fd;
  }

  /** Holds the store once it is free: as lock(), or polling when waitWithoutBlocking is set. */
  async acquire(): Promise<void> {
    if (!this.waitWithoutBlocking) return this.lock();
    if (this.lockFd !== null) return;
    const fd = this.openLock();
    try {
      await flockPolled(fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.lockFd = fd;
  }

  /** Holds the store if it is free now; false when another process holds it (nothing held then). */
  tryLock(): boolean {
    if (this.lockFd !== null) return true;
    const fd = this.openLock();
    try {
      if (!tryFlockExclusive(fd)) {
        closeSync(fd);
        return false;
      }
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    this.lockFd = fd;
    return true;
  }

  private openLock(): number {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return openSync(`${this.dir}/lock`, 'a');
  }

  /**
   * Runs `fn` holding the store if it is free now; undefined, without running it, when another
   * process holds it. For a read-only command that finds a journal: the journal is there all the
   * while its command runs, and is a crashed command's only if no one holds the lock while it is
   * read (read first and the lock looked at after, a command that ended in between was taken for
   * an interrupted one). The lock is taken through a read-only descriptor: nothing is created or
   * changed, and it is held for as long as `fn` runs.
   */
  ifFree<T>(fn: () => T): T | undefined {
    if (this.lockFd !== null) return fn();
    let fd: number;
    try {
      fd = openSync(`${this.dir}/lock`, 'r');
    } catch {
      // no lock file: no command has held the store here
      return fn();
    }
    try {
      return tryFlockExclusive(fd) ? fn() : undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** The lock's fd while this process holds the store: a child it is handed to holds the store until it ends. */
  get heldLock(): number | null {
    return this.lockFd;
  }

  /**
   * Closed, not unlocked: a flock belongs to the open file, and a child that got this fd (an
   * `ip link del` whose kernel clean-up outlives the command, kernel/link-delete.ts) holds the
   * store until it ends; with no such child the close releases it (LOCK_UN would release it for
   * the child too).
   */
  unlock(): void {
    if (this.lockFd === null) return;
    closeSync(this.lockFd);
    this.lockFd = null;
  }

  /**
   * Set in a process that makes one command and exits (the CLI, a CNI plugin): a read of the file
   * through its index leaves it open, and its bytes are read where they are needed (layout.ts
   * Source) and copied into the next file by the kernel. A resident process reads whole: its
   * reads, one after another, would each keep a descriptor open.
   */
  lazyBytes = false;

  /** The file a lazy read keeps open, and its identity. */
  private source: { stamp: string; src: FileSource } | null = null;

  read(): State {
    let bytes: Buffer | null = null;
    let stamp: string;
    let json: unknown = null;
    // the note (its stamp and the index), read once
    let checked: { stamp: string; index: string | null } | null | undefined;
    try {
      const fd = openSync(this.file, 'r');
      let kept = false;
      try {
        const st = fstatSync(fd, { bigint: true });
        stamp = identity(st);
        this.stamp = stamp;
        if (this.lazyBytes) {
          checked = this.checked();
          const index = indexFor(stamp, checked);
          if (index) {
            // one file open at a time: the same file read again (a command that polls the store)
            // reads through the one open already; another (replaced since) takes the previous
            // one's bytes into memory first, for the records still read from it, and closes it
            const reuse = this.source?.stamp === stamp ? this.source.src : null;
            const src = reuse ?? new FileSource(fd, Number(st.size), this.file);
            try {
              json = parseIndexed(src, index, this.file);
            } catch (e) {
              throw new StoreError(`state file ${this.file} is corrupt (${(e as Error).message}); pont will not reset it: move it aside to start over`, e);
            }
            if (json !== null && !reuse) {
              // the records read from the file later on: it stays open while it is this store's
              this.source?.src.detach();
              this.source = { stamp, src };
              kept = true;
            }
          }
        }
        if (json === null) bytes = readFileSync(fd);
      } finally {
        if (!kept) closeSync(fd);
      }
    } catch (e) {
      if (e instanceof StoreError) throw e;
      this.stamp = null;
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw new StoreError(`cannot read ${this.file}: ${(e as Error).message}`, e);
    }
    if (json !== null) return json as State;
    bytes = bytes!;
    // made by this pont from a checked state, and untouched since: its records are parsed as
    // read (layout.ts), found through its index when it has one; any other file is parsed
    // whole, and checked
    const note = checked === undefined ? this.checked() : checked;
    const own = note !== null && stamp === note.stamp;
    try {
      // null when torn (read while being written: a reader takes no lock) or another build's
      const index = indexFor(stamp, note);
      json = index ? parseIndexed(bytes, index, this.file) : null;
      if (json === null) {
        // ASCII (as JSON.stringify writes pont's names and ids): one byte per character, and
        // the unchanged records are written back from these very bytes (layout.ts)
        const ascii = isAscii(bytes) ? bytes : undefined;
        const text = bytes.toString(ascii ? 'latin1' : 'utf8');
        json = own ? parseStateText(text, this.file, ascii) : JSON.parse(text);
      }
    } catch (e) {
      throw new StoreError(`state file ${this.file} is corrupt (${(e as Error).message}); pont will not reset it: move it aside to start over`, e);
    }
    if (own) return json as State;
    try {
      return parseState(json);
    } catch (e) {
      if (e instanceof NewerStoreError) throw new StoreError(`state file ${this.file} cannot be used: ${e.message}; run that pont, or a newer one`, e);
      throw new StoreError(`state file ${this.file} has a bad record: ${(e as Error).message}; fix that field, or move the file aside to start over`, e);
    }
  }

  /**
   * For a resident reader that keeps what it made of each record (the resolver): the file read
   * whole and its records found through its index, none made; `each` gets each one's id and where
   * its line lies in `bytes`. Null when the file has no index that fits it (another pont's, a hand
   * edit, a note not written yet): read() it then.
   */
  readLines(each: (id: string, at: number, len: number, bytes: Buffer) => void): { state: State; bytes: Buffer } | null {
    try {
      const fd = openSync(this.file, 'r');
      try {
        const stamp = identity(fstatSync(fd, { bigint: true }));
        const index = indexFor(stamp, this.checked());
        if (!index) return null;
        const bytes = readFileSync(fd);
        const state = parseIndexed(bytes, index, this.file, (id, at, len) => each(id, at, len, bytes)) as State | null;
        return state && { state, bytes };
      } finally {
        closeSync(fd);
      }
    } catch {
      return null;
    }
  }

  /**
   * Replaces the file with `state`, whole or not at all: a short write (a full disk) or any
   * error removes the temporary file and throws, and the previous file stays as it was.
   */
  write(state: State, bytes: Buffer | Chunk[] | StoreLayout = Store.layout(state)): void {
    if (this.lockFd === null) throw new StoreError('internal: store written without its lock');
    const layout = Buffer.isBuffer(bytes) || Array.isArray(bytes) ? { chunks: bytes, index: null } : bytes;
    // the stamp names the file being replaced: it goes first, so that on a nearly full disk its
    // block is free for the new file (a stamp missing only means the next read checks again)
    rmSync(this.checkedFile, { force: true });
    writeFileWhole(this.file, layout.chunks, '; the previous state is kept');
    this.noteChecked(layout.index);
  }

  /**
   * Whether the file as it is now is one a pont wrote and noted as checked: read() then takes
   * its records as they are, through its index, where any other file is parsed and checked
   * whole. A writer notes the file just after its rename: a reader that races it sees it unnoted.
   */
  noted(): boolean {
    // the note's first line only (its index, ~50 KB beside 500 containers, is not needed here)
    const head = Buffer.alloc(NOTE_HEAD);
    let n: number;
    try {
      const fd = openSync(this.checkedFile, 'r');
      try {
        n = readSync(fd, head, 0, NOTE_HEAD, 0);
      } finally {
        closeSync(fd);
      }
      const text = head.toString('latin1', 0, n);
      const nl = text.indexOf('\n');
      if (nl < 0 && n === NOTE_HEAD) return false;
      return identity(statSync(this.file, { bigint: true })) === (nl < 0 ? text : text.slice(0, nl));
    } catch {
      return false;
    }
  }

  /** The identity noted by the last write, and the file's index (JSON) when it has one. */
  private checked(): { stamp: string; index: string | null } | null {
    let text: string;
    try {
      // as bytes, then text: the calls the start made already (bin/pont reads its code cache
      // so, layout.ts decodes records so), where an encoding option takes another path
      text = readFileSync(this.checkedFile).toString('latin1');
    } catch {
      return null;
    }
    const nl = text.indexOf('\n');
    return nl < 0 ? { stamp: text, index: null } : { stamp: text.slice(0, nl), index: text.slice(nl + 1) };
  }

  /**
   * Best effort, and never synced: a stamp lost or left stale (a crash, a full disk) only
   * means the next read checks the file again.
   */
  private noteChecked(index: StoreIndex | null): void {
    this.stamp = null;
    try {
      this.stamp = identity(statSync(this.file, { bigint: true }));
      mkdirSync(dirname(this.checkedFile), { recursive: true, mode: 0o755 });
      const fd = openSync(this.checkedFile, 'w', 0o600);
      try {
        // the index's pieces as they are, each encoded where it is written (see StoreIndex.parts);
        // joined when there are many (a store read as text: a line per record)
        const parts = index?.parts && index.parts.length <= NOTE_PIECES ? index.parts : index ? [index.lines] : [];
        writeString(fd, index ? `${this.stamp}\n${index.head}\n` : this.stamp);
        for (const part of parts) writeString(fd, part);
      } finally {
        closeSync(fd);
      }
    } catch {
      try {
        rmSync(this.checkedFile, { force: true });
      } catch {
        // a stamp that names the previous file matches no other
      }
    }
  }

  /** The file's bytes for `state`, in pieces (layout.ts: slices of the file read, where unchanged), and its index. */
  static layout(state: State): StoreLayout {
    return stateLayout(state);
  }

  /** The file's bytes for `state`, in pieces. */
  static chunks(state: State): Uint8Array[] {
    return stateLayout(state).chunks.map(chunkBytes);
  }

  /**
   * The store file as it is now (inode, size, times; 'none' when there is none): a write
   * replaces it with another inode, so a journal that recorded this before a write can tell
   * whether the write happened (engine/journal.ts). No device number: it may differ after a reboot.
   */
  identityNow(): string {
    try {
      const st = statSync(this.file, { bigint: true });
      return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw new StoreError(`cannot read ${this.file}: ${(e as Error).message}`, e);
    }
  }

  /** The file's size now, or null when there is none. */
  sizeNow(): number | null {
    try {
      return statSync(this.file).size;
    } catch {
      return null;
    }
  }

  /** The file's bytes as they are, or null when there is none. */
  readBytes(): Buffer | null {
    try {
      return readFileSync(this.file);
    } catch {
      return null;
    }
  }
}

/** How long a command waits for the store's lock in silence. */
export const LOCK_NOTICE_MS = 5000;

/**
 * Takes the flock on `fd` without blocking the event loop: polled at 1, 2, 4… up to 20 ms (a
 * process that serves others meanwhile, or whose own timers must run while it waits).
 */
export async function flockPolled(fd: number): Promise<void> {
  for (let delay = 1; !tryFlockExclusive(fd); delay = Math.min(delay * 2, 20)) await new Promise((r) => setTimeout(r, delay));
}

/** Takes the lock within `ms` (tried at once, then every 1 to 10 ms); false when it could not. */
function pollLock(fd: number, ms: number): boolean {
  const deadline = Date.now() + ms;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let delay = 1; !tryFlockExclusive(fd); delay = Math.min(delay * 2, 10)) {
    if (Date.now() >= deadline) return false;
    Atomics.wait(pause, 0, 0, delay);
  }
  return true;
}

/** Who holds the flock on `fd`'s file, from /proc/locks: "pid N (its command line)", or a phrase when unknown. */
export function lockHolder(fd: number): string {
  try {
    const { ino } = fstatSync(fd);
    // "1: FLOCK  ADVISORY  WRITE 1234 00:2f:5678 0 EOF": pid, then major:minor:inode
    const line = readFileSync('/proc/locks', 'latin1').split('\n').find((l) => /\bFLOCK\b/.test(l) && l.split(/\s+/)[5]?.endsWith(`:${ino}`));
    const pid = line?.split(/\s+/)[4];
    if (!pid || pid === '0') return 'another process';
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
    return `pid ${pid} (${cmd || 'exiting'})`;
  } catch {
    return 'another process';
  }
}

/** The index the note holds, when the note names the file as read (`stamp`) and its index is whole. */
const indexFor = (stamp: string, note: { stamp: string; index: string | null } | null): StoreIndex | null =>
  note?.index && note.stamp === stamp ? decodeIndex(note.index) : null;

/** Up to this many pieces of an index are written one by one (a write each), more are joined first. */
const NOTE_PIECES = 16;

/** writeSync of a string may write less than asked (a full disk): the rest, or it throws. */
function writeString(fd: number, text: string): void {
  const n = writeSync(fd, text, null, 'latin1');
  if (n < text.length) writeAll(fd, Buffer.from(text.slice(n), 'latin1'));
}

/** More than a stamp's length (version, device:inode, size, two times in ns). */
const NOTE_HEAD = 256;

/** What changes whenever the file is edited or replaced (ctime cannot be set back), and with this pont's store layout. */
const identity = (st: BigIntStats) => `${STORE_VERSION} ${st.dev}:${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`;

/**
 * Replaces `path` with `text`, whole or not at all (temp file, fsync, rename, fsync of the
 * directory): a short write (a full disk) or any error removes the temporary file and throws a
 * StoreError, and the previous file stays as it was. The store and the journal are written so.
 */
export function writeFileWhole(path: string, text: string | Buffer | Chunk[], kept = ''): void {
  const tmp = `${path}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      for (const chunk of typeof text === 'string' ? [Buffer.from(text)] : Buffer.isBuffer(text) ? [text] : text) {
        if (chunk instanceof Uint8Array) writeAll(fd, chunk);
        else writeRange(fd, chunk);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new StoreError(`cannot write ${path}: ${(e as Error).message}${kept}`, e);
  }
  // Renamed: the new file is the one every reader gets, whatever happens next. A failure to sync
  // the directory (EIO, EMFILE) must not throw now: the caller would take the write for undone
  // (a command undoes its kernel steps when its store write fails) while the file stays written.
  // What it risks is the rename's durability across a power loss, which the kernel's own state
  // (namespaces, links, rules) does not survive either: said, and the write stands.
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch (e) {
    process.stderr.write(`pont: warning: ${path} is written, but its directory could not be synced (${(e as Error).message}): a power loss now may lose the change\n`);
  }
}

/**
 * A range of a file read, at `fd`'s position: copied by the kernel from the file still open
 * (copy_file_range: ~0.5 ms for 480 KB where reading it in and writing it out cost ~0.9, 2-core
 * machine), the rest (a kernel or file system that cannot) read and written.
 */
function writeRange(fd: number, r: SourceRange): void {
  const copied = r.source instanceof FileSource && !r.source.loaded ? copyFileRange(r.source.fd, r.at, fd, r.length) : 0;
  if (copied < r.length) writeAll(fd, r.source.range(r.at + copied, r.length - copied));
}

/**
 * A file pont wrote, read where its bytes are needed (layout.ts Source): a record's line by one
 * pread, the whole file once something needs it whole. Open as long as this process lasts
 * (Store.lazyBytes): a record read later, its file since replaced, still reads its own bytes.
 */
class FileSource implements Source {
  loaded: Buffer | undefined;
  constructor(readonly fd: number, readonly size: number, private readonly path: string) {}

  whole(): Buffer {
    return (this.loaded ??= this.range(0, this.size));
  }

  /** Its bytes into memory, and the file closed: what is read from it later reads them. */
  detach(): void {
    this.whole();
    closeSync(this.fd);
  }

  range(at: number, len: number): Buffer {
    if (this.loaded) return this.loaded.subarray(at, at + len);
    const b = Buffer.allocUnsafe(len);
    for (let off = 0; off < len; ) {
      const n = readSync(this.fd, b, off, len - off, at + off);
      if (n <= 0) throw new StoreError(`cannot read ${this.path}: it ended at ${at + off} bytes, where its index says ${this.size}`);
      off += n;
    }
    return b;
  }
}

/** writeSync may write less than asked; loop until every byte is written (or it throws). */
function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) {
    const n = writeSync(fd, buf, off, buf.length - off);
    if (n <= 0) throw new Error(`short write (${off} of ${buf.length} bytes)`);
    off += n;
  }
}
