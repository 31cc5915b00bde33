// The few libc calls Node lacks, through koffi (no native build of our own): setns/unshare to
// open netlink sockets inside a namespace, mount/umount2 for named namespaces, flock for the
// store lock. All are synchronous and act on the calling (main) thread only.
import { cjsRequire } from './cjs-require.js';
import { closeSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type koffiType from 'koffi';

// Loaded on first use: read-only commands never need it.
let koffi: typeof koffiType;

export const CLONE_NEWNET = 0x40000000;
export const CLONE_NEWUTS = 0x04000000;
export const MS_BIND = 4096;
export const MS_REC = 16384;
export const MS_SHARED = 1 << 20;
export const EINVAL = 22;
export const MNT_DETACH = 2;
export const LOCK_EX = 2;
export const LOCK_UN = 8;
export const LOCK_NB = 4;
const EWOULDBLOCK = 11;

interface Libc {
  setns: (fd: number, nstype: number) => number;
  unshare: (flags: number) => number;
  mount: (src: string | null, target: string, fstype: string | null, flags: number, data: null) => number;
  umount2: (target: string, flags: number) => number;
  flock: (fd: number, op: number) => number;
  strerror: (errnum: number) => string;
}

/**
 * koffi's native module, loaded straight from its platform package: koffi's entry point (its
 * JS, that package found through Node's resolver, the libc told from Node's own ELF header)
 * took ~7 ms, this ~2, and every mutating command loads it (the store's lock is a flock).
 * Elsewhere than on glibc (the musl build), koffi's entry point finds its own.
 */
/** Set by the bundle (scripts/bundle.mjs); unset in tsc's build (the tests). */
declare const PONT_KOFFI_VERSION: string | undefined;

/** koffi's release: from the bundle, or from its package.json (not in its exports: read beside its entry point). */
function koffiVersion(require: NodeJS.Require): string {
  if (typeof PONT_KOFFI_VERSION === 'string') return PONT_KOFFI_VERSION;
  return (JSON.parse(readFileSync(join(dirname(require.resolve('koffi')), 'package.json'), 'utf8')) as { version: string }).version;
}

function loadKoffi(): typeof koffiType {
  const require = cjsRequire(import.meta.url);
  try {
    const native = require(`@koromix/koffi-${process.platform}-${process.arch}/${process.platform}_${process.arch}/koffi.node`) as typeof koffiType;
    // the check koffi's entry point makes: a native module of another release is not used
    if (native.version === koffiVersion(require)) return native;
  } catch {
    // not there (another libc, another layout): koffi's entry point finds its own
  }
  return require('koffi') as typeof koffiType;
}

let libcHandle: ReturnType<typeof koffiType.load> | null = null;
/** libc through koffi, for the modules that declare calls of their own (spawn.ts). */
export function koffiLibc(): { koffi: typeof koffiType; libc: ReturnType<typeof koffiType.load> } {
  koffi ??= loadKoffi();
  libcHandle ??= koffi.load('libc.so.6');
  return { koffi, libc: libcHandle };
}

let libc: Libc | null = null;
function lib(): Libc {
  if (!libc) {
    const l = koffiLibc().libc;
    libc = {
      setns: l.func('int setns(int fd, int nstype)'),
      unshare: l.func('int unshare(int flags)'),
      mount: l.func('int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data)'),
      umount2: l.func('int umount2(const char *target, int flags)'),
      flock: l.func('int flock(int fd, int op)'),
      strerror: l.func('const char *strerror(int errnum)'),
    };
  }
  return libc;
}

export class SyscallError extends Error {
  constructor(readonly call: string, readonly errno: number) {
    super(`${call}: ${lib().strerror(errno)}`);
  }
}

function check(call: string, rc: number): void {
  if (rc !== 0) throw new SyscallError(call, koffi.errno());
}

/** Throws the SyscallError of a call that returned an error number itself (posix_spawn). */
export function checkReturned(call: string, rc: number): void {
  if (rc !== 0) throw new SyscallError(call, rc);
}

export const setns = (fd: number, nstype: number) => check('setns', lib().setns(fd, nstype));
export const unshare = (flags: number) => check('unshare', lib().unshare(flags));
export const bindMount = (src: string, target: string) => check(`mount --bind ${src} ${target}`, lib().mount(src, target, null, MS_BIND, null));
export const rbindMount = (src: string, target: string) => check(`mount --rbind ${src} ${target}`, lib().mount(src, target, 'none', MS_BIND | MS_REC, null));
export const makeShared = (target: string) => check(`mount --make-shared ${target}`, lib().mount('none', target, null, MS_SHARED, null));
export const makeRshared = (target: string) => check(`mount --make-rshared ${target}`, lib().mount('none', target, null, MS_SHARED | MS_REC, null));
export const umountDetach = (target: string) => check(`umount ${target}`, lib().umount2(target, MNT_DETACH));
export const flock = (fd: number, op: number) => check('flock', lib().flock(fd, op));

const FSOPEN_CLOEXEC = 1;
const FSCONFIG_CMD_CREATE = 6;
const FSMOUNT_CLOEXEC = 1;
const MOUNT_ATTR_NOSUID = 0x2;
const MOUNT_ATTR_NODEV = 0x4;
const MOUNT_ATTR_NOEXEC = 0x8;

interface MountApi {
  fsopen: (fsname: string, flags: number) => number;
  fsconfig: (fd: number, cmd: number, key: null, value: null, aux: number) => number;
  fsmount: (fd: number, flags: number, attrs: number) => number;
}
let mountApi: MountApi | null | undefined;

/**
 * The calls by number, 430-432 on every architecture: glibc wraps them only from 2.36 (not
 * Ubuntu 22.04's, nor Debian 11's), and by number they are the same calls everywhere.
 */
function mountApiBySyscall(): MountApi {
  const syscall = koffiLibc().libc.func('long syscall(long number, ...)');
  return {
    fsopen: (fsname, flags) => Number(syscall(430, 'const char *', fsname, 'unsigned int', flags)),
    fsconfig: (fd, cmd, key, value, aux) => Number(syscall(431, 'int', fd, 'unsigned int', cmd, 'const char *', key, 'const void *', value, 'int', aux)),
    fsmount: (fd, flags, attrs) => Number(syscall(432, 'int', fd, 'unsigned int', flags, 'unsigned int', attrs)),
  };
}

/**
 * A procfs instance of its own, contained in no mount namespace (the new mount API, Linux 5.2):
 * the descriptor of its root, close-on-exec, which a path reaches as /proc/self/fd/N; it is gone
 * when the descriptor is closed. Null where it cannot be made (an older kernel).
 */
export function detachedProc(): number | null {
  if (mountApi === undefined) {
    try {
      mountApi = mountApiBySyscall();
    } catch {
      mountApi = null;
    }
  }
  if (!mountApi) return null;
  const fs = mountApi.fsopen('proc', FSOPEN_CLOEXEC);
  if (fs < 0) return null;
  try {
    if (mountApi.fsconfig(fs, FSCONFIG_CMD_CREATE, null, null, 0) !== 0) return null;
    const root = mountApi.fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    return root < 0 ? null : root;
  } finally {
    closeSync(fs);
  }
}
/** flock(LOCK_EX | LOCK_NB): true when taken, false when another open file holds it. */
export function tryFlockExclusive(fd: number): boolean {
  if (lib().flock(fd, LOCK_EX | LOCK_NB) === 0) return true;
  const errno = koffi.errno();
  if (errno === EWOULDBLOCK) return false;
  throw new SyscallError('flock', errno);
}

/**
 * Copies up to `len` bytes of `fdIn` from `offset` to `fdOut` at its file position (which moves
 * on), inside the kernel: the bytes never pass through this process. Returns how many it copied,
 * fewer than asked where the kernel or the file systems cannot copy so (the caller writes the
 * rest itself).
 */
export function copyFileRange(fdIn: number, offset: number, fdOut: number, len: number): number {
  const call = copyCall();
  const off: [number] = [offset];
  let done = 0;
  while (call && done < len) {
    // koffi writes the offset the kernel moved back into `off`
    const n = call(fdIn, off, fdOut, null, len - done, 0);
    if (n <= 0) break;
    done += n;
  }
  return done;
}

type CopyCall = (fdIn: number, offIn: [number], fdOut: number, offOut: null, len: number, flags: number) => number;
let copy: CopyCall | null | undefined;
/** copy_file_range, bound apart from the rest: a libc without it (glibc before 2.27) leaves the copy to the caller, and the lock working. */
function copyCall(): CopyCall | null {
  if (copy === undefined) {
    try {
      copy = koffiLibc().libc.func('long copy_file_range(int fd_in, _Inout_ int64_t *off_in, int fd_out, void *off_out, size_t len, unsigned int flags)') as CopyCall;
    } catch {
      copy = null;
    }
  }
  return copy;
}
