// The Files seam (src/kernel/host.ts) in memory: directories and text files under '/', with the
// answers and errors realFiles gives for the same calls.
import { constants } from 'node:os';
import { posix } from 'node:path';
import { getSystemErrorMap } from 'node:util';
import type { Files } from '../../src/kernel/host.js';

/** An error shaped as node:fs throws it (`ENOENT: no such file or directory, open '/x'`, code, errno, syscall, path). */
export function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const errno = (constants.errno as Record<string, number>)[code];
  const text = errno === undefined ? code : getSystemErrorMap().get(-errno)?.[1] ?? code;
  const e: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall} '${path}'`);
  Object.assign(e, { code, errno: errno === undefined ? undefined : -errno, syscall, path });
  return e;
}

export interface FileCall {
  method: keyof Files;
  args: unknown[];
}

export class FakeFiles implements Files {
  /** Every directory (by absolute path; '/' always) and every file with its content. */
  private dirs = new Set<string>(['/']);
  private files = new Map<string, string>();
  /** The changing calls, in order (write, remove, makeDir, removeDir, removeTree). */
  readonly calls: FileCall[] = [];

  /** Starts with these files (their directories made too); not recorded in `calls`. */
  constructor(initial: Record<string, string> = {}) {
    for (const [path, content] of Object.entries(initial)) this.put(path, content);
  }

  read(path: string): string | null {
    const p = norm(path);
    if (this.dirs.has(p)) throw fsError('EISDIR', 'read', path);
    return this.files.get(p) ?? null;
  }

  write(path: string, content: string): void {
    this.calls.push({ method: 'write', args: [path, content] });
    this.put(path, content);
  }

  remove(path: string): void {
    this.calls.push({ method: 'remove', args: [path] });
    const p = norm(path);
    // rmSync(path, { force: true }) refuses a directory
    if (this.dirs.has(p)) throw Object.assign(new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`), { code: 'ERR_FS_EISDIR' });
    this.files.delete(p);
  }

  makeDir(path: string): void {
    this.calls.push({ method: 'makeDir', args: [path] });
    this.mkdirs(norm(path), 'mkdir', path);
  }

  removeDir(path: string): 'removed' | 'kept' | 'gone' {
    this.calls.push({ method: 'removeDir', args: [path] });
    const p = norm(path);
    if (this.files.has(p)) throw fsError('ENOTDIR', 'rmdir', path);
    if (!this.dirs.has(p)) return 'gone';
    if (p === '/' || this.children(p).length) return 'kept';
    this.dirs.delete(p);
    return 'removed';
  }

  removeTree(path: string): void {
    this.calls.push({ method: 'removeTree', args: [path] });
    const p = norm(path);
    const inside = (q: string) => q === p || q.startsWith(p === '/' ? '/' : `${p}/`);
    this.files.forEach((_, q) => inside(q) && this.files.delete(q));
    this.dirs.forEach((q) => inside(q) && q !== '/' && this.dirs.delete(q));
  }

  listFiles(dir: string): string[] {
    const p = norm(dir);
    if (!this.dirs.has(p)) return [];
    return this.children(p).filter((q) => this.files.has(q)).map((q) => posix.basename(q)).sort();
  }

  exists(path: string): boolean {
    const p = norm(path);
    return this.dirs.has(p) || this.files.has(p);
  }

  /** Every directory and file (with content), sorted: for deepEqual before/after. */
  snapshot(): { dirs: string[]; files: Record<string, string> } {
    const files: Record<string, string> = {};
    for (const p of [...this.files.keys()].sort()) files[p] = this.files.get(p)!;
    return { dirs: [...this.dirs].sort(), files };
  }

  private put(path: string, content: string): void {
    const p = norm(path);
    if (this.dirs.has(p)) throw fsError('EISDIR', 'open', path);
    this.mkdirs(posix.dirname(p), 'open', path);
    this.files.set(p, String(content));
  }

  /** mkdir -p; a file in the way fails as mkdirSync does. */
  private mkdirs(p: string, syscall: string, given: string): void {
    const parts = p.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += `/${part}`;
      if (this.files.has(cur)) throw fsError(cur === p && syscall === 'mkdir' ? 'EEXIST' : 'ENOTDIR', syscall, given);
      this.dirs.add(cur);
    }
  }

  private children(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const direct = (q: string) => q.startsWith(prefix) && q !== dir && !q.slice(prefix.length).includes('/');
    return [...[...this.dirs].filter(direct), ...[...this.files.keys()].filter(direct)];
  }
}

function norm(path: string): string {
  if (!path.startsWith('/')) throw new Error(`FakeFiles: paths are absolute, got '${path}'`);
  return posix.normalize(path).replace(/(.)\/+$/, '$1');
}
