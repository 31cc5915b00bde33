// -e / --env-file of `run` and `exec`: the variables, in docker/cli's order (the files', then the
// flags'), each checked as docker/cli checks it; `-e NAME` takes the caller's value.
import { readFileSync } from 'node:fs';
import { callerVariable, parseEnvFile, parseEnvOption } from '../../core/env.js';
import { PontError } from '../../core/errors.js';

/**
 * The NAME=VALUE strings of --env-file `files` then -e `values`. A bad -e value is a flag error
 * worded as cobra's; a file that cannot be read or parsed goes to `fileError`, which words it as
 * the command does (run: "pont: …." and its help line; exec: the bare message). `-e NAME` of a
 * variable the caller has not set is left out, or with `unset` given as the bare NAME (exec:
 * Docker then takes the container's NAME away, observed of Docker 20.10).
 */
export function readEnv(values: string[], files: string[], command: string, fileError: (e: unknown) => never, unset = false): string[] {
  const lookup = (name: string) => callerVariable(process.env, name);
  const out: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      fileError(new PontError(`open ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, { category: 'usage' }));
    }
    try {
      out.push(...parseEnvFile(text, lookup));
    } catch (e) {
      fileError(e);
    }
  }
  for (const v of values) {
    try {
      const e = parseEnvOption(v, lookup);
      if (e !== null) out.push(e);
      else if (unset) out.push(v);
    } catch (e) {
      throw new PontError(`invalid argument "${v}" for "-e, --env" flag: ${(e as Error).message}\nSee 'pont ${command} --help'.`, { category: 'usage', exitCode: 125 });
    }
  }
  return out;
}
