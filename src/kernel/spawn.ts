// Starting a child process without Node's fork. Node's spawn forks the whole process (copies the
// page tables of its ~50 MB of mappings) and blocks until the child has exec'd: ~9 ms on the
// 2-core test machine, on the hot path of every firewall batch and every container start.
// glibc's posix_spawn clones with CLONE_VM | CLONE_VFORK: the child borrows the parent's memory
// until its exec, ~1 ms (issue 13; figures in the commit). Through koffi, which every mutating
// command has loaded already (the store's lock).
// The child gets every signal's default action and an empty mask, as Node's spawn gives it
// (Node ignores SIGPIPE, an ignored signal survives exec). Its exit is collected here with
// waitpid(pid, WNOHANG): libuv reaps only the children it started.
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { errnoName } from './errno.js';
import { checkReturned, koffiLibc } from './syscalls.js';

const O_CLOEXEC = 0o2000000;
const { ENOENT, EACCES, ENOTDIR } = osConstants.errno;
const WNOHANG = 1;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
// glibc x86-64/arm64: posix_spawnattr_t 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128
const ATTR_SIZE = 512;
const ACTIONS_SIZE = 256;
const SIGSET_SIZE = 128;

type Fn = (...args: unknown[]) => number;
interface SpawnLib {
  pipe2: Fn;
  actionsInit: Fn;
  actionsDup2: Fn;
  actionsDestroy: Fn;
  attrInit: Fn;
  attrSetflags: Fn;
  attrSetsigmask: Fn;
  attrSetsigdefault: Fn;
  attrDestroy: Fn;
  sigemptyset: Fn;
  spawn: Fn;
  waitpid: Fn;
  errno: () => number;
}

let spawnLib: SpawnLib | null = null;
function lib(): SpawnLib {
  if (!spawnLib) {
    const { koffi, libc: l } = koffiLibc();
    const f = (decl: string) => l.func(decl) as unknown as Fn;
    spawnLib = {
      pipe2: f('int pipe2(_Out_ int *fds, int flags)'),
      actionsInit: f('int posix_spawn_file_actions_init(void *fa)'),
      actionsDup2: f('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
      actionsDestroy: f('int posix_spawn_file_actions_destroy(void *fa)'),
      attrInit: f('int posix_spawnattr_init(void *attr)'),
      attrSetflags: f('int posix_spawnattr_setflags(void *attr, short flags)'),
      attrSetsigmask: f('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
      attrSetsigdefault: f('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
      attrDestroy: f('int posix_spawnattr_destroy(void *attr)'),
      sigemptyset: f('int sigemptyset(void *set)'),
      spawn: f('int posix_spawn(_Out_ int *pid, const char *path, const void *fa, const void *attr, const char **argv, const char **envp)'),
      waitpid: f('int waitpid(int pid, _Out_ int *status, int options)'),
      errno: () => koffi.errno(),
    };
  }
  return spawnLib;
}

/** A pipe, both ends close-on-exec: [read end, write end]. */
export function pipe(): [number, number] {
  const fds = [0, 0];
  if (lib().pipe2(fds, O_CLOEXEC) !== 0) checkReturned('pipe2', lib().errno());
  return [fds[0], fds[1]];
}

/** An errno of posix_spawn, with Node's spawn's wording for the one a user meets (a missing tool). */
export class SpawnError extends Error {
  constructor(readonly file: string, readonly code: string) {
    super(`spawn ${file} ${code}`);
  }
}

/** Where execvp would look for `file`: a path as given, else each of `path`'s directories. */
function candidates(file: string, path: string): string[] {
  if (file.includes('/')) return [file];
  return path.split(':').map((dir) => `${dir || '.'}/${file}`);
}

/**
 * Why exec would refuse `path` at once (ENOENT, ENOTDIR, EACCES), or 0: looked at here, so that a
 * candidate that cannot run costs a stat, not a child (each failed posix_spawn is a whole clone,
 * exec and exit: two of them for /usr/sbin/iptables-restore under root's usual PATH). What only
 * the exec can tell (a noexec mount, a bad interpreter) is still the exec's to say.
 */
function refusal(path: string): number {
  try {
    if (!statSync(path).isFile()) return EACCES;
    accessSync(path, fsConstants.X_OK);
    return 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOTDIR' ? ENOTDIR : code === 'EACCES' ? EACCES : ENOENT;
  }
}

export interface SpawnOptions {
  /** The child's fds 0, 1 and 2: fds of this process (a pipe's end, a file, /dev/null). */
  stdio: [number, number, number];
  /** The child's whole environment; its PATH (else this process's) finds `file`. */
  env: Record<string, string | undefined>;
  /** Leads a session of its own (setsid), as Node's `detached`. */
  setsid?: boolean;
  /** Fds of this process the child gets too, as its fds 3, 4…: kept open until it ends. */
  keep?: readonly number[];
}

/** Starts `file` with `args`; returns its pid. Throws a SpawnError when it cannot be run. */
export function posixSpawn(file: string, args: readonly string[], opts: SpawnOptions): number {
  const l = lib();
  const actions = Buffer.alloc(ACTIONS_SIZE);
  const attr = Buffer.alloc(ATTR_SIZE);
  const empty = Buffer.alloc(SIGSET_SIZE);
  const all = Buffer.alloc(SIGSET_SIZE, 0xff);
  checkReturned('posix_spawn_file_actions_init', l.actionsInit(actions));
  try {
    checkReturned('posix_spawnattr_init', l.attrInit(attr));
    try {
      // dup2 onto 0, 1, 2 (and 3… for `keep`) clears close-on-exec there; the fds given stay
      // closed in the child. A kept fd must not be one of those targets: an earlier dup2 would
      // have replaced it (pont's are far above: Node holds the lowest fds from its start)
      const keep = opts.keep ?? [];
      if (keep.some((fd) => fd < 3 + keep.length)) throw new Error(`posixSpawn: kept fds must be ${3 + keep.length} or above (${keep.join(', ')})`);
      [...opts.stdio, ...keep].forEach((fd, target) => checkReturned('posix_spawn_file_actions_adddup2', l.actionsDup2(actions, fd, target)));
      l.sigemptyset(empty);
      // every bit, not sigfillset: that leaves out glibc's internal 32 and 33, which posix_spawn
      // then leaves ignored in the child, and an ignored signal survives exec
      checkReturned('posix_spawnattr_setsigmask', l.attrSetsigmask(attr, empty));
      checkReturned('posix_spawnattr_setsigdefault', l.attrSetsigdefault(attr, all));
      checkReturned('posix_spawnattr_setflags', l.attrSetflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (opts.setsid ? POSIX_SPAWN_SETSID : 0)));
      const env = Object.entries(opts.env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
      const pid = [0];
      // as execvp: a candidate that is missing, not a directory's, or not executable (a
      // directory, a noexec mount) passes to the next; EACCES is told if one was seen
      let failed = ENOENT;
      for (const path of candidates(file, opts.env.PATH ?? process.env.PATH ?? '/usr/bin:/bin')) {
        const rc = refusal(path) || l.spawn(pid, path, actions, attr, [file, ...args, null], [...env, null]);
        if (rc === 0) return pid[0];
        if (rc !== ENOENT && rc !== ENOTDIR && rc !== EACCES) throw new SpawnError(file, errnoName(rc));
        if (rc === EACCES) failed = EACCES;
      }
      throw new SpawnError(file, errnoName(failed));
    } finally {
      l.attrDestroy(attr);
    }
  } finally {
    l.actionsDestroy(actions);
  }
}

export interface Exit {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  signal: number | null;
}

/** The child's exit once it has ended (it is reaped then), or null while it runs. */
export function reapChild(pid: number): Exit | null {
  const status = [0];
  const r = lib().waitpid(pid, status, WNOHANG);
  if (r === 0) return null;
  if (r < 0) return { code: null, signal: null }; // not ours to wait for (reaped already)
  const s = status[0];
  return (s & 0x7f) === 0 ? { code: (s >> 8) & 0xff, signal: null } : { code: null, signal: s & 0x7f };
}

/**
 * A posix_spawn child's exit, polled (libuv reaps only the children it started): at once, then
 * after 1, 2, 4… up to 20 ms. `unref` lets the process exit without it (a detached `ip link del`).
 */
export function pollExit(pid: number, onExit: (exit: Exit) => void): { unref(): void } {
  let timer: NodeJS.Timeout;
  let weak = false;
  const poll = (delay: number) => {
    const exit = reapChild(pid);
    if (exit) return onExit(exit);
    timer = setTimeout(() => poll(Math.min(delay * 2 || 1, 20)), delay);
    if (weak) timer.unref();
  };
  poll(0);
  return {
    unref() {
      weak = true;
      timer?.unref();
    },
  };
}

/**
 * Set in a resident process (the Docker API service), which keeps Node's spawn: libuv reaps its
 * detached children when they end (posix_spawn's would stay zombies until the service exits),
 * and a wedged tool holds no thread of the pool its requests share. A command's detached
 * children are left to init when it exits, as Node's are.
 */
let resident = false;
export function runsResident(): void {
  resident = true;
}

/** Whether to start children with posix_spawn: a command (not resident), glibc, koffi's native module. */
export function canPosixSpawn(): boolean {
  if (resident) return false;
  try {
    lib();
    return true;
  } catch {
    return false;
  }
}
