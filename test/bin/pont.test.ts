// bin/pont's V8 code caches: a rejected or stale one costs every command ~10 ms of compiling, and
// nothing else would show it. And its `--version`, printed without loading the CLI. V8 refuses a cache made after a V8 flag changed, so a module that
// sets one at load (rather than on first use) would lose it.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import type { Script } from 'node:vm';
import { ROOT } from '../helpers/sandbox.js';
import { sandboxTest } from '../helpers/root-test.js';

const require = createRequire(import.meta.url);

test('the code cache `npm run build` made is this bundle\'s, and V8 takes it', (t) => {
  t.is((readFileSync(`${ROOT}/dist/bundle/cli/main.js.v8cache`).indexOf(10) + 1) % 8, 0, 'its data starts 8-byte aligned');
  const { compile } = require(`${ROOT}/bin/pont`) as { compile: () => { script: Script; taken: boolean } };
  const { script, taken } = compile();
  t.true(taken, 'the cache is stamped with the bundle it was made for');
  t.false(script.cachedDataRejected, 'V8 took it');
});

test('a stale cache is made again by the next command, then kept', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/pont-bin-`);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const p of ['bin', 'dist/bundle']) cpSync(`${ROOT}/${p}`, `${dir}/${p}`, { recursive: true, preserveTimestamps: true });
  const cache = `${dir}/dist/bundle/cli/main.js.v8cache`;
  const pont = () => execFileSync(process.execPath, [`${dir}/bin/pont`, '--help'], { encoding: 'utf8' });
  writeFileSync(cache, 'an older bundle\n');
  const help = pont();
  t.regex(help, /^Usage: pont/);
  const { size, mtimeNs } = statSync(`${dir}/dist/bundle/cli/main.js`, { bigint: true });
  const made1 = readFileSync(cache);
  t.true(made1.subarray(0, 100).toString('latin1').startsWith(`${size} ${mtimeNs} ${process.version} `));
  // the data starts 8-byte aligned (V8 copies a cache that is not): the stamp line is padded
  t.is((made1.indexOf(10) + 1) % 8, 0);
  const made = statSync(cache).mtimeMs;
  t.is(pont(), help);
  t.is(statSync(cache).mtimeMs, made, 'a cache that fits is only read');
});

/** bin/pont and the bundle, copied (the checkout's own caches are other runs' business), without the verbs' caches. */
function copyLauncher(): { dir: string; verbCaches: () => string[] } {
  const dir = mkdtempSync(`${tmpdir()}/pont-bin-`);
  for (const p of ['bin', 'dist/bundle']) cpSync(`${ROOT}/${p}`, `${dir}/${p}`, { recursive: true, preserveTimestamps: true });
  // the native addons the bundle leaves out (koffi, netlink)
  symlinkSync(`${ROOT}/node_modules`, `${dir}/node_modules`);
  const cli = `${dir}/dist/bundle/cli`;
  const verbCaches = () => readdirSync(cli).filter((f) => /^(?:main|read)\.js\..+\.v8cache/.test(f)).sort();
  for (const f of verbCaches()) rmSync(`${cli}/${f}`);
  return { dir, verbCaches };
}

sandboxTest("a verb's first full successful run keeps what it compiled in a cache of its own, which its next runs take; help, --dry-run, failures, a V8 flag and other node flags keep none", async (t, sb) => {
  const { dir, verbCaches } = copyLauncher();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const pont = (args: string, env = '') => sb.sh(`${env} node ${dir}/bin/pont ${args}`);

  t.is((await pont('nosuch')).exitCode, 1);
  t.is((await pont('network bogus')).exitCode, 1);
  t.is((await pont('network ls --help')).exitCode, 0);
  const dry = await pont('network create --dry-run n1');
  t.is(dry.exitCode, 0, dry.stderr);
  const buildCache = `${dir}/dist/bundle/cli/main.js.v8cache`;
  const built = statSync(buildCache).mtimeMs;
  // a fresh host: read.js hands the command over to main.js after the filter changed V8's flags
  t.is((await pont('network ls --filter name=^b')).exitCode, 0, 'the filter turns on a V8 flag');
  t.is(statSync(buildCache).mtimeMs, built, "main.js's build cache is not made again under the changed flags");
  t.is((await pont('network ls', 'NODE_OPTIONS=--max-old-space-size=300')).exitCode, 0);
  t.deepEqual(verbCaches(), [], 'none of these keeps a cache');

  // a read-only verb runs from read.js (src/cli/read-main.ts), whose caches are its own, once
  // the store holds the host's networks (on a fresh host, main.js reads the kernel: below)
  t.is((await sb.sh(`node ${dir}/bin/pont network create n0`)).exitCode, 0);
  const ls = await pont('network ls');
  t.is(ls.exitCode, 0);
  t.deepEqual(verbCaches(), ['read.js.network-ls.v8cache']);
  const verbCache = `${dir}/dist/bundle/cli/read.js.network-ls.v8cache`;
  t.true(statSync(verbCache).size > statSync(`${dir}/dist/bundle/cli/read.js.v8cache`).size, 'it holds more than the start');
  const made = statSync(verbCache).mtimeMs;
  t.is((await pont('network ls')).stdout, ls.stdout);
  t.is((await pont('network ls', 'NODE_OPTIONS=--max-old-space-size=300')).stdout, ls.stdout);
  t.is(statSync(verbCache).mtimeMs, made, 'a cache that fits is only read; a run under other flags leaves it');
  const { compile } = require(`${dir}/bin/pont`) as { compile: (verbCache: string, bundle: string) => { script: Script; taken: boolean; byVerb: boolean } };
  const read = `${dir}/dist/bundle/cli/read.js`;
  const { script, taken, byVerb } = compile(verbCache, read);
  t.true(byVerb && taken);
  t.false(script.cachedDataRejected, 'V8 took it');

  // a damaged one is refused by V8, and made again by the next run
  writeFileSync(verbCache, Buffer.concat([readFileSync(verbCache).subarray(0, 200), Buffer.alloc(1000, 7)]));
  t.is((await pont('network ls')).stdout, ls.stdout);
  t.true(statSync(verbCache).size > 10_000);
  t.false(compile(verbCache, read).script.cachedDataRejected);

  // any other verb runs from main.js, with a cache of its own there
  const port = await pont('port nosuch');
  t.is(port.exitCode, 1, 'a failure keeps no cache');
  t.is((await pont('system check')).exitCode, 0);
  t.deepEqual(verbCaches(), ['main.js.system-check.v8cache', 'read.js.network-ls.v8cache']);

  // a checkout pont cannot write to: the command runs, and no file is left
  await sb.ok(`mount --bind ${dir}/dist ${dir}/dist && mount -o remount,bind,ro ${dir}/dist`);
  t.is((await pont('network inspect bridge')).exitCode, 0);
  t.deepEqual(verbCaches(), ['main.js.system-check.v8cache', 'read.js.network-ls.v8cache']);
});

sandboxTest('the verbs of a bundle of their own answer from it exactly as main.js answers them: output, errors and exit codes', async (t, sb) => {
  await sb.ok('pont network create rn >/dev/null && pont run -d --name rc --network rn -p 127.0.0.1:18080:80 busybox sleep 300 >/dev/null');
  const calls = [
    'network ls', 'network list', 'network ls -q', 'network ls --no-trunc', "network ls --format '{{.Name}} {{.Driver}}'",
    'network ls --filter driver=bridge', 'network ls --filter bogus=1', 'network ls extra', 'network ls --bogus',
    'network inspect rn', 'network inspect bridge rn', 'network inspect nosuch', 'network inspect', "network inspect -f '{{json .Containers}}' rn",
    'inspect rc', 'inspect rn', 'inspect nosuch', 'inspect', 'inspect --type container rn', "inspect -f '{{.State.Running}}' rc",
    'ps', 'ps -a', 'ps -q', "ps --format '{{.Names}} {{.Ports}}'", 'ps --filter name=r', 'ps --filter bogus=x', 'ps x',
    '-D network ls', '--debug=1 ps', '-D inspect nosuch', '-v ps',
    // network.js and container.js: their errors (their work runs under every integration test)
    'port rc 80',
    'network create --bogus n', 'network create', 'network create --subnet 10.0.0.0/33 n', 'network rm nosuch', 'network rm',
    'network remove nosuch', 'network connect nosuch rc', 'network connect rn', 'network disconnect rn nosuch', 'network prune --filter bogus=1 -f',
    'run', 'container run', 'run --bogus busybox true', 'run -p 99999:80 busybox true', 'rm nosuch', 'rm', 'stop nosuch', 'start nosuch', 'restart',
    'exec nosuch true', 'exec rc', 'logs nosuch', 'logs a b', 'port nosuch', 'port', 'port rc 81',
  ];
  const main = `${ROOT}/dist/bundle/cli/main.js`;
  // `Up 9 seconds` may turn `Up 10 seconds` between the two, and the table's columns widen with it
  const ago = (s: string) => s.replace(/Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour)s?/g, 'T').replace(/ {2,}/g, '  ');
  for (const c of calls) {
    const [viaRead, viaMain] = [await sb.pont(c), await sb.sh(`node ${main} ${c}`)];
    t.deepEqual([viaRead.exitCode, ago(viaRead.stdout), viaRead.stderr], [viaMain.exitCode, ago(viaMain.stdout), viaMain.stderr], c);
  }
  // an image is required, as Docker's CLI says: nothing is run
  const noImage = await sb.pont('run');
  t.deepEqual([noImage.exitCode, noImage.stdout, noImage.stderr], [1, '', '"pont run" requires at least 1 argument.\nSee \'pont run --help\'.\n\nUsage:  pont run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container\n']);
  t.is((await sb.ok('pont ps -aq')).trim().split('\n').length, 1, 'only rc');
  const caches = readdirSync(`${ROOT}/dist/bundle/cli`);
  t.true(caches.includes('read.js.network-ls.v8cache'), 'bin/pont ran them from read.js');
  t.true(caches.includes('container.js.port.v8cache'), 'and port from container.js');
});

sandboxTest('on a fresh host, read.js hands a read-only command over to main.js, which reads the kernel: the same answers', async (t, sb) => {
  // no store yet: the predefined networks come from the kernel (engine/world.ts), which read.js leaves out
  const main = `${ROOT}/dist/bundle/cli/main.js`;
  for (const c of ['network ls', 'network ls -q --no-trunc', 'inspect bridge', 'network inspect host none', 'ps -a', 'inspect nosuch']) {
    const [viaRead, viaMain] = [await sb.pont(c), await sb.sh(`node ${main} ${c}`)];
    t.deepEqual([viaRead.exitCode, viaRead.stdout, viaRead.stderr], [viaMain.exitCode, viaMain.stdout, viaMain.stderr], c);
  }
  t.regex(await sb.ok('pont network ls'), /bridge +bridge +local/);
  t.is((await sb.ok('cat /var/lib/pont/state.json 2>/dev/null || echo none')).trim(), 'none', 'read-only: no store was written');
  // output written as a string (kernel/stdio.ts): a reader gone before it is no error
  for (let i = 0; i < 5; i++) {
    const gone = await sb.sh('pont network inspect bridge host none | true; echo "status ${PIPESTATUS[0]}"');
    t.is(gone.stderr, '');
    t.regex(gone.stdout, /^status 0$/m);
  }
});

test('read.js leaves out the rare paths of reading the state (journal, kernel, cluster), which main.js has', (t) => {
  const sources = (b: string) => (JSON.parse(readFileSync(`${ROOT}/dist/bundle/cli/${b}.js.map`, 'utf8')) as { sources: string[] }).sources.join('\n');
  const [read, main] = [sources('read'), sources('main')];
  for (const m of ['src/engine/journal.ts', 'src/engine/world.ts', 'src/kernel/netlink-kernel.ts', 'src/cluster/client.ts', 'src/engine/overlay.ts']) {
    t.false(read.includes(m), `read.js has no ${m}`);
    t.true(main.includes(m), `main.js has ${m}`);
  }
  t.true(read.includes('src/engine/read-state.ts') && read.includes('src/cli/handover.ts'));
});

test('a build older than bin/pont, without a verb\'s bundle, runs the verb from main.js', (t) => {
  const { dir } = copyLauncher();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  rmSync(`${dir}/dist/bundle/cli/container.js`);
  const r = spawnSync(process.execPath, [`${dir}/bin/pont`, 'port'], { encoding: 'utf8' });
  t.is(r.status, 1);
  t.true(r.stderr.startsWith('"pont port" requires at least 1 and at most 2 arguments.'), r.stderr);
});

test('pont --version prints the line the build had the CLI print, without the CLI; a line stamped for another bundle is not used', (t) => {
  const { dir } = copyLauncher();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = `${dir}/dist/bundle/cli/main.js`;
  const run = (file: string, ...args: string[]) => spawnSync(process.execPath, [file, ...args], { encoding: 'utf8' });
  const cli = run(bundle, '--version');
  t.is(cli.status, 0, cli.stderr);
  t.regex(cli.stdout, /^pont version \S+\n$/);
  t.is(readFileSync(`${ROOT}/dist/bundle/cli/main.js.version`, 'utf8').split('\n').slice(1).join('\n'), cli.stdout, "the build's line is the CLI's");
  for (const flag of ['--version', '-v']) t.like(run(`${dir}/bin/pont`, flag), { status: 0, stdout: cli.stdout, stderr: '' }, flag);

  // the launcher prints the file, whatever it says, while its stamp is the bundle's
  const { versionStamp } = require(`${dir}/bin/pont`) as { versionStamp: (s: { size: number; mtimeMs: number }) => string };
  const stat = statSync(bundle);
  t.is(readFileSync(`${bundle}.version`, 'utf8').split('\n')[0] + '\n', versionStamp(stat), 'a copy with its times (as the benches make) keeps the stamp');
  writeFileSync(`${bundle}.version`, `${versionStamp(stat)}from the file\n`);
  t.is(run(`${dir}/bin/pont`, '--version').stdout, 'from the file\n');
  t.is(readFileSync(`${ROOT}/dist/bundle/cli/main.js.version`, 'utf8').split('\n')[0] + '\n', versionStamp(statSync(`${ROOT}/dist/bundle/cli/main.js`)), "the build's file is stamped so");
  t.is(run(`${dir}/bin/pont`, '--debug', '--version').stdout, cli.stdout, 'any other argument: the CLI');
  writeFileSync(`${bundle}.version`, `${versionStamp({ size: stat.size + 1, mtimeMs: stat.mtimeMs })}from the file\n`);
  t.is(run(`${dir}/bin/pont`, '--version').stdout, cli.stdout, "another bundle's line: the CLI");
  writeFileSync(`${bundle}.version`, versionStamp(stat));
  t.is(run(`${dir}/bin/pont`, '--version').stdout, cli.stdout, 'a file cut short after its stamp: the CLI');
  rmSync(`${bundle}.version`);
  t.is(run(`${dir}/bin/pont`, '-v').stdout, cli.stdout, 'no file: the CLI');
});

test('bin/pont starts Node without NODE_EXTRA_CA_CERTS, which Node 20 would read at every start', (t) => {
  // Node warns on stderr when it cannot load the file: the warning shows whether it was read
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/pont-test-ca.pem' };
  const node = spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8', env });
  t.regex(node.stderr, /Ignoring extra certs from `\/nonexistent\/pont-test-ca.pem`/, 'control: node itself reads it');
  for (const bin of ['pont', 'pont-cni']) {
    const r = spawnSync(`${ROOT}/bin/${bin}`, bin === 'pont' ? ['--help'] : [], { encoding: 'utf8', env, input: '' });
    t.false(r.stderr.includes('extra certs'), `${bin}: ${r.stderr}`);
    t.not(r.stdout, '', bin);
  }
});

test('a group without its verb prints its usage on stderr and exits 0, as `docker network` does', (t) => {
  for (const group of ['network', 'container', 'system']) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, group], { encoding: 'utf8' });
    t.is(r.status, 0, group);
    t.is(r.stdout, '');
    t.true(r.stderr.startsWith(`Usage: pont ${group} [options] [command]`), r.stderr);
  }
});

test('a word that is no command exits 1 as Docker 20.10 does: a group\'s usage on stderr, or "is not a pont command"', (t) => {
  for (const group of ['network', 'container', 'system']) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, group, 'bogus'], { encoding: 'utf8' });
    t.is(r.status, 1, group);
    t.is(r.stdout, '');
    t.true(r.stderr.startsWith(`Usage: pont ${group} [options] [command]`), r.stderr);
    t.false(r.stderr.includes('unknown command'), r.stderr);
  }
  const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, '--debug', 'bogus'], { encoding: 'utf8' });
  t.is(r.status, 1);
  t.is(r.stdout, '');
  t.is(r.stderr, "pont: 'bogus' is not a pont command.\nSee 'pont --help'\n");
});

test('an unknown flag names the command it was given to, as Docker 20.10\'s CLI does (exit 125)', (t) => {
  const cases: [string[], string][] = [
    [['network', 'list', '--bogus'], "unknown flag: --bogus\nSee 'pont network ls --help'.\n"],
    [['--bogus', 'ps'], "unknown flag: --bogus\nSee 'pont --help'.\n"],
    [['network', '--bogus', 'ls'], "unknown flag: --bogus\nSee 'pont network --help'.\n"],
    [['container', 'ls', '-a', '--xx=1'], "unknown flag: --xx\nSee 'pont container ls --help'.\n"],
    [['network', 'ls', '-z=1'], "unknown shorthand flag: 'z' in -z=1\nSee 'pont network ls --help'.\n"],
    [['run', '--name', 'network', '-dz', 'img'], "unknown shorthand flag: 'z' in -z\nSee 'pont run --help'.\n"],
    [['--', '--bogus'], "unknown flag: --bogus\nSee 'pont --help'.\n"],
    // pont's own flags: the first error among them, before the version is printed
    [['-vx'], "unknown shorthand flag: 'x' in -x\nSee 'pont --help'.\n"],
    [['-v='], "unknown shorthand flag: '=' in -=\nSee 'pont --help'.\n"],
    [['--debug=maybe', 'network', 'ls'], 'invalid argument "maybe" for "-D, --debug" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'pont --help\'.\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, ...args], { encoding: 'utf8' });
    t.deepEqual([r.status, r.stdout, r.stderr], [125, '', stderr], args.join(' '));
  }
});

test("pont's own flags take a value as Docker's do (--debug=1, -D, --version=true) and combine (-Dv)", (t) => {
  for (const args of [['--version=true'], ['-Dv'], ['-D=1', '-v'], ['--debug', '--version=1']]) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, ...args], { encoding: 'utf8' });
    t.deepEqual([r.status, r.stderr], [0, ''], args.join(' '));
    t.regex(r.stdout, /^pont version /, args.join(' '));
  }
  // a help flag before a command's words: that command's help, with all its verbs listed
  for (const [args, head, has] of [[['-h', 'network'], 'Usage: pont network [options] [command]', 'disconnect'], [['network', '-h', 'create'], 'Usage: pont network [options] [command]', 'prune'], [['-h', 'rm'], 'Usage: pont rm [options] [containers...]', '--force']] as const) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, ...args], { encoding: 'utf8' });
    t.deepEqual([r.status, r.stderr], [0, ''], args.join(' '));
    t.true(r.stdout.startsWith(head) && r.stdout.includes(has), `${args.join(' ')}: ${r.stdout}`);
  }
  const help = spawnSync(process.execPath, [`${ROOT}/bin/pont`, '-vh'], { encoding: 'utf8' });
  t.true(help.stdout.startsWith('Usage: pont [options] [command]'), 'help wins over the version');
  t.true(help.stdout.includes('-D, --debug'));
});

test('a wrong number of arguments and an unknown help topic are answered as Docker 20.10\'s CLI does (exit 1)', (t) => {
  const cases: [string[], string][] = [
    [['network', 'list', 'x'], '"pont network ls" accepts no arguments.\nSee \'pont network ls --help\'.\n\nUsage:  pont network ls [OPTIONS]\n\nList networks\n'],
    [['container', 'logs'], '"pont container logs" requires exactly 1 argument.\nSee \'pont container logs --help\'.\n\nUsage:  pont container logs [OPTIONS] CONTAINER\n\nFetch the logs of a container\n'],
    [['port', 'a', 'b', 'c'], '"pont port" requires at least 1 and at most 2 arguments.\nSee \'pont port --help\'.\n\nUsage:  pont port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nList port mappings or a specific mapping for the container\n'],
    [['help', 'network', 'bogus'], 'unknown help topic: bogus\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = spawnSync(process.execPath, [`${ROOT}/bin/pont`, ...args], { encoding: 'utf8' });
    t.deepEqual([r.status, r.stdout, r.stderr], [1, '', stderr], args.join(' '));
  }
  const ls = spawnSync(process.execPath, [`${ROOT}/bin/pont`, 'help', 'network', 'ls'], { encoding: 'utf8' });
  t.is(ls.status, 0);
  t.regex(ls.stdout, /^Usage: pont network ls\|list \[options\]/, "help network ls: ls's help, not the group's");
});

test('the launcher\'s word tests agree with the regular expressions they replace', (t) => {
  const bin = require(`${ROOT}/bin/pont`) as { verbOf: (a: string[]) => string | null; isDebugFlag: (a: string) => boolean; isWord: (w: unknown) => boolean; asksHelp: (a: string) => boolean };
  const words = ['', '-', '--', '-D', '-D=1', '-Dv', '--debug', '--debug=0', '--debugx', '-d', 'D', 'network', 'ls', 'a', 'a-', '-a', 'ab-cd', 'Ab', 'a1', 'a_b',
    'abcdefghijklmnopqrstuvwxyzabcdef', 'abcdefghijklmnopqrstuvwxyzabcdefg', '--help', '--help=1', '-h', '-ah', '-a-h', '-xh-', '--h', 'h', '-H', '-vh', 'é', '-é'];
  for (const w of words) {
    t.is(bin.isDebugFlag(w), /^(?:-D|--debug)(?:=|$)/.test(w), `isDebugFlag ${JSON.stringify(w)}`);
    t.is(bin.isWord(w), /^[a-z][a-z-]{0,31}$/.test(w), `isWord ${JSON.stringify(w)}`);
    t.is(bin.asksHelp(w), w === '--help' || /^-[^-]*h/.test(w), `asksHelp ${JSON.stringify(w)}`);
  }
  t.false(bin.isWord(undefined));
  t.is(bin.verbOf(['network', 'ls']), 'network-ls');
  t.is(bin.verbOf(['-D', '--debug=1', 'network', 'ls', '-q']), 'network-ls');
  t.is(bin.verbOf(['inspect', 'c1']), 'inspect');
  t.is(bin.verbOf(['network', '-q']), 'network');
  t.is(bin.verbOf(['-v']), null);
  t.is(bin.verbOf([]), null);
});
