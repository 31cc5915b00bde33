// pont's own flags read as Docker 20.10's CLI reads its root flags (each case observed with
// /usr/bin/docker 20.10.24: `docker -vx`, `docker --debug=maybe network ls`, `docker -v=`...).
import test from 'ava';
import { readRootFlags } from '../../src/cli/root-flags.js';

const args = (s: string) => readRootFlags(s === '' ? [] : s.split(' '));

test('readRootFlags: booleans with or without a value, shorthands combined, in one spelling for commander', (t) => {
  t.deepEqual(args('network ls'), { args: ['network', 'ls'] });
  t.deepEqual(args('-D network ls'), { args: ['--debug', 'network', 'ls'] });
  t.deepEqual(args('--debug=1 network ls'), { args: ['--debug', 'network', 'ls'] });
  t.deepEqual(args('--debug=false network ls'), { args: ['network', 'ls'] });
  t.deepEqual(args('--debug --debug=0 -v'), { args: ['--version'] });
  t.deepEqual(args('-Dv'), { args: ['--debug', '--version'] });
  t.deepEqual(args('-D=1 -v'), { args: ['--debug', '--version'] });
  t.deepEqual(args('--version=true'), { args: ['--version'] });
  t.deepEqual(args('-vv'), { args: ['--version'] });
  t.deepEqual(args('--help=0 -v'), { args: ['--version'] });
  // help wins over the version
  t.deepEqual(args('-vh'), { args: ['--help'] });
  t.deepEqual(args('-D --help=1 -v'), { args: ['--help', '--debug'] });
  // before a command's words, -v is ignored (the command runs) and -h asks for that command's help
  t.deepEqual(args('-v ps'), { args: ['ps'] });
  t.deepEqual(args('--version network'), { args: ['network'] });
  t.deepEqual(args('-v --'), { args: ['--version', '--'] });
  t.deepEqual(args('-h network ls'), { args: ['network', 'ls'], helpFor: ['network', 'ls'] });
  t.deepEqual(args('-D -h bogus'), { args: ['--debug', 'bogus'], helpFor: ['bogus'] });
  // only the flags before the first word are pont's; `--` ends them
  t.deepEqual(args('network ls -v'), { args: ['network', 'ls', '-v'] });
  t.deepEqual(args('-D -- network'), { args: ['--debug', '--', 'network'] });
  t.deepEqual(args(''), { args: [] });
});

test('readRootFlags: the first error, in pflag words', (t) => {
  t.deepEqual(args('-vx'), { error: "unknown shorthand flag: 'x' in -x" });
  t.deepEqual(args('-vx --bogus'), { error: "unknown shorthand flag: 'x' in -x" });
  t.deepEqual(args('--bogus -vx'), { error: 'unknown flag: --bogus' });
  t.deepEqual(args('--bogus=1 ls'), { error: 'unknown flag: --bogus' });
  t.deepEqual(args('-v='), { error: "unknown shorthand flag: '=' in -=" });
  t.deepEqual(args('--debug=maybe network ls'), { error: 'invalid argument "maybe" for "-D, --debug" flag: strconv.ParseBool: parsing "maybe": invalid syntax' });
  t.deepEqual(args('-vD=x'), { error: 'invalid argument "x" for "-D, --debug" flag: strconv.ParseBool: parsing "x": invalid syntax' });
  t.deepEqual(args('---debug'), { error: 'bad flag syntax: ---debug' });
  t.deepEqual(args('--=x'), { error: 'bad flag syntax: --=x' });
  t.deepEqual(args('--version='), { error: 'invalid argument "" for "-v, --version" flag: strconv.ParseBool: parsing "": invalid syntax' });
  // control characters stay escaped: one line
  t.deepEqual(readRootFlags(['--debug=a\nb']), { error: 'invalid argument "a\\nb" for "-D, --debug" flag: strconv.ParseBool: parsing "a\\nb": invalid syntax' });
  t.deepEqual(readRootFlags(['-\n']), { error: "unknown shorthand flag: '\\n' in -\\n" });
});
