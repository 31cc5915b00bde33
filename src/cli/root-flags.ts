// pont's own flags, the ones before the command's words, read as Docker 20.10's CLI (pflag) reads
// its root flags: -D/--debug, -v/--version and -h/--help are booleans that take a value too
// (`--debug=1`, `-v=false`, Go's strconv.ParseBool), shorthands combine (`-Dv`), and the first
// error stops the command before anything runs. Commander knows neither `--flag=value` for a
// boolean nor which letter of `-vx` is unknown (it printed the version): the leading flags are
// read here, and handed to it in one spelling each. Pure: tested without a process.
import { goQuote } from '../core/ports/goparse.js';
import { printable } from '../core/validate/flag-error.js';

/** What strconv.ParseBool accepts. */
const BOOLS: Readonly<Record<string, boolean>> = {
  1: true, t: true, T: true, TRUE: true, true: true, True: true,
  0: false, f: false, F: false, FALSE: false, false: false, False: false,
};

interface RootFlag {
  short: string;
  long: string;
}

const FLAGS: readonly RootFlag[] = [
  { short: 'D', long: 'debug' },
  { short: 'v', long: 'version' },
  { short: 'h', long: 'help' },
];

/**
 * The arguments for commander; or, for a help flag before a command's words (`pont -h network
 * ls`), those words, whose command's help is printed; or Docker's error text (exit 125, with
 * "See 'pont --help'.").
 */
export type RootFlags = { args: string[]; helpFor?: string[] } | { error: string };

/** Reads the flags before the first word (or `--`) of `args` (argv without node and the script). */
export function readRootFlags(args: readonly string[]): RootFlags {
  const set = new Map<string, boolean>();
  const value = (f: RootFlag, v: string | undefined): string | null => {
    if (v === undefined) {
      set.set(f.long, true);
      return null;
    }
    if (!Object.hasOwn(BOOLS, v)) return `invalid argument ${goQuote(v)} for "-${f.short}, --${f.long}" flag: strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`;
    set.set(f.long, BOOLS[v]);
    return null;
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--' || a === '-' || !a.startsWith('-')) break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (name === '' || name.startsWith('-')) return { error: `bad flag syntax: ${printable(a)}` };
      const f = FLAGS.find((x) => x.long === name);
      if (!f) return { error: `unknown flag: --${printable(name)}` };
      const error = value(f, eq < 0 ? undefined : a.slice(eq + 1));
      if (error) return { error };
      continue;
    }
    // `-Dv`: a flag per letter; `-D=1`: the letter's value, which ends the group (pflag's rule:
    // a value needs something after the `=`, so `-v=` is v then an unknown '=')
    for (let s = a.slice(1); s !== ''; ) {
      const f = FLAGS.find((x) => x.short === s[0]);
      if (!f) return { error: `unknown shorthand flag: '${printable(s[0])}' in -${printable(s)}` };
      const withValue = s.length > 2 && s[1] === '=';
      const error = value(f, withValue ? s.slice(2) : undefined);
      if (error) return { error };
      s = withValue ? '' : s.slice(1);
    }
  }
  // As Docker's CLI: with a command's words after them, -v is ignored (the command runs) and -h
  // prints that command's help; alone, help wins over the version (commander would print the
  // version, as it meets it first).
  const rest = args.slice(i);
  const command = rest.some((a) => a !== '--');
  const debug = set.get('debug') ? ['--debug'] : [];
  if (set.get('help')) return command ? { args: [...debug, ...rest], helpFor: rest } : { args: ['--help', ...debug, ...rest] };
  return { args: [...debug, ...(set.get('version') && !command ? ['--version'] : []), ...rest] };
}
