// A container's environment as Docker 20.10 gives it: PATH, HOSTNAME, TERM with a tty, the
// -e/--env-file values in order (replacing a default of the same name), and HOME last when none
// was given. Nothing of the caller's environment leaks in, except a `-e NAME` that asks for it.
import { PontError } from './errors.js';

/** libnetwork's oci default: Docker sets it when the image has no PATH (pont has no images). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Lookup = (name: string) => string | undefined;

const bad = (msg: string) => new PontError(msg, { category: 'usage', exitCode: 125 });

/**
 * Variables bin/pont's shebang moves aside before Node starts, and the names it keeps the caller's
 * values under: Node 20 parses NODE_EXTRA_CA_CERTS at every start (40 ms with Debian's bundle), and
 * pont opens no TLS connection. The launcher sets the kept name even when the variable was unset
 * (env -S expands an unset one to ''): an empty kept value reads as unset.
 */
export const MOVED_BY_LAUNCHER: Readonly<Record<string, string>> = { NODE_EXTRA_CA_CERTS: 'PONT_NODE_EXTRA_CA_CERTS' };

/**
 * A variable of the caller's environment, as the user set it before bin/pont moved it aside. The
 * name it is kept under is the launcher's, not the user's: unset. env -S cannot tell an unset
 * variable from an empty one, so an empty NODE_EXTRA_CA_CERTS reads as unset (Docker would pass
 * `NODE_EXTRA_CA_CERTS=` on for `-e NODE_EXTRA_CA_CERTS`).
 */
export function callerVariable(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  if (Object.values(MOVED_BY_LAUNCHER).includes(name)) return undefined;
  if (env[name] !== undefined) return env[name];
  const kept = Object.hasOwn(MOVED_BY_LAUNCHER, name) ? env[MOVED_BY_LAUNCHER[name]] : undefined;
  return kept === '' ? undefined : kept;
}

/** The caller's environment for a program not pont's (a CNI plugin): the moved variables put back. */
export function callerEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, kept] of Object.entries(MOVED_BY_LAUNCHER)) {
    delete out[kept];
    const value = callerVariable(env, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** One -e value: NAME=VALUE as is, NAME from the caller's environment (dropped when unset). */
export function parseEnvOption(value: string, lookup: Lookup): string | null {
  const eq = value.indexOf('=');
  if (eq === 0) throw bad(`invalid environment variable: ${value}`);
  if (eq > 0) return value;
  const v = lookup(value);
  return v === undefined ? null : `${value}=${v}`;
}

/** An --env-file's text, as docker/cli's parseKeyValueFile reads it. */
export function parseEnvFile(text: string, lookup: Lookup): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (name === '') throw bad(`poorly formatted environment: no variable name on line '${line}'`);
    // no process can be given it (Node's spawn would throw): one line, as the API says it
    if (line.includes('\0')) throw bad(`poorly formatted environment: variable '${name.replace(/\0/g, '\\0')}' holds a NUL byte`);
    if (/\s/.test(name)) throw bad(`poorly formatted environment: variable '${name}' contains whitespaces`);
    if (eq >= 0) out.push(line);
    else {
      const v = lookup(name.trim());
      if (v !== undefined) out.push(`${name.trim()}=${v}`);
    }
  }
  return out;
}

/**
 * The whole environment of the container's process (and of `exec`, with the exec's own tty and
 * its own variables `extra`, each replacing the container's of its name or added after them; a
 * bare NAME in `extra` takes the container's NAME away, as dockerd's ReplaceOrAppendEnvValues).
 */
export function containerEnv(c: { hostname: string; env?: string[] }, tty: boolean, hostHostname: string, extra: string[] = []): string[] {
  const env = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${c.hostname || hostHostname}`, ...(tty ? ['TERM=xterm'] : [])];
  const nameOf = (e: string) => e.slice(0, e.indexOf('='));
  for (const e of [...(c.env ?? []), ...extra]) {
    const i = env.findIndex((x) => nameOf(x) === (e.includes('=') ? nameOf(e) : e));
    if (!e.includes('=')) {
      if (i >= 0) env.splice(i, 1);
    } else if (i >= 0) env[i] = e;
    else env.push(e);
  }
  // the user's home, from /etc/passwd in Docker: pont's containers run as the host's root
  if (!env.some((e) => nameOf(e) === 'HOME')) env.push('HOME=/root');
  return env;
}
