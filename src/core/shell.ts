// POSIX shell quoting for the explain lines (`--dry-run`): each line must paste back into a
// shell (bash) and run the same argv, whatever names, commands or file contents it carries, and
// each command stays on one line.

/** Words that need no quotes: no shell metacharacter, no glob, no `~`, no `!` (history). */
const SAFE = /^[\w@%+=:,./-]+$/;
/** What would end or garble a line: C0 controls and DEL. */
const CONTROL = /[\x00-\x1f\x7f]/;

const C_ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\\': '\\\\', "'": "\\'" };

/** One argument as a shell word: as is when safe, else in single quotes (`'` as `'\''`). */
export function shellArg(a: string): string {
  if (a === '!') return a; // iptables' negation; history expansion ignores a lone `!`
  if (SAFE.test(a)) return a;
  // a newline inside '…' would split the line: bash's $'…' spells control characters as escapes
  if (CONTROL.test(a)) {
    return `$'${a.replace(/[\x00-\x1f\x7f\\']/g, (c) => C_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
  }
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one shell command line. */
export const shellLine = (argv: readonly string[]): string => argv.map(shellArg).join(' ');
