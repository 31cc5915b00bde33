// Everything a step can change on the host, behind three seams: the kernel (links, addresses,
// routes, namespaces, sysctls, firewall), the files pont owns (/etc/netns/NAME, /run/pont), and
// the processes it starts. The real ones are below and in netlink-kernel.ts; unit tests use an
// in-memory fake (test/helpers/fake-host.ts) that records every change.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kernel } from './kernel.js';

/** Files pont owns. Paths are absolute; contents are text (every file pont writes is). */
export interface Files {
  /** The file's content, or null when there is none. */
  read(path: string): string | null;
  /** Writes the whole file, making its directory first. */
  write(path: string, content: string): void;
  /** Removes a file; a missing one is fine. */
  remove(path: string): void;
  /** mkdir -p. */
  makeDir(path: string): void;
  /** rmdir: 'kept' when something is still in it, 'gone' when it was not there. */
  removeDir(path: string): 'removed' | 'kept' | 'gone';
  /** rm -rf. */
  removeTree(path: string): void;
  /** The names of the regular files in `dir` (none when it is absent). */
  listFiles(dir: string): string[];
  exists(path: string): boolean;
}

export const realFiles: Files = {
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw e;
    }
  },
  write(path, content) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  },
  remove: (path) => rmSync(path, { force: true }),
  makeDir: (path) => void mkdirSync(path, { recursive: true }),
  removeDir(path) {
    try {
      rmdirSync(path);
      return 'removed';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT') return 'gone';
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return 'kept';
      throw e;
    }
  },
  removeTree: (path) => rmSync(path, { recursive: true, force: true }),
  listFiles(dir) {
    try {
      return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      return [];
    }
  },
  exists: (path) => existsSync(path),
};

/** What a step needs of the host: the kernel, the files, the processes. */
export interface Host {
  kernel: Kernel;
  files: Files;
}
