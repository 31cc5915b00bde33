// The second half of `npm run build`, after tsc has type-checked and compiled everything to dist/:
// each program pont runs, the CLI and the DNS resolver, bundled into one file (CommonJS; the
// CLI's an IIFE that runs as CommonJS too), for
// start-up time (issue 13; figures in bench/startup.ts). Loading ~80 ES modules took about as
// long as Node's own start; one CommonJS file spares the ESM loader, and bin/pont compiles the
// CLI's with V8's code cache, made here by a first run.
//   dist/bundle/cli/main.js   what bin/pont runs, and the container monitor's `container-exited`
//   dist/bundle/cli/read.js   the read-only verbs alone, what bin/pont runs for them; so are
//   network.js, container.js  network's changing verbs and the other container verbs
//   dist/bundle/dns/main.js   the resolver and its supervisor, spawned by the CLI
//   dist/bundle/cni/main.js   pont as a CNI plugin, what bin/pont-cni runs
// Each program lies as deep under dist/bundle as its source under src/, so a path a module
// computes from import.meta.url (kernel/process.ts, dns/supervisor.ts) holds in both builds.
// `import()` stays lazy inside a bundle: a module is run when first imported, not at start.
// koffi and netlink are native addons, left out: required at run time from node_modules; so is
// @viz-js/viz, too big to parse at every start for the one command that uses it.
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bundle`;

// commander requires child_process for executable subcommands, which pont has none of; loading
// it (net, stream and more with it) cost every command ~2 ms: it is now required on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({ contents: "exports.spawn = (...a) => require('node:child_process').spawn(...a);", loader: 'js' }));
  },
};

rmSync(out, { recursive: true, force: true });
const options = {
  absWorkingDir: root,
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // @viz-js/viz (Graphviz in WebAssembly, 1.2 MB) is only for `network graph --format svg`: required from node_modules then
  external: ['koffi', 'netlink', '@viz-js/viz'],
  // import() of a built-in becomes a require(): bin/pont compiles the bundle as a plain script
  supported: { 'dynamic-import': false },
  // a CommonJS file has no import.meta: its URL is the bundle's own, made when first asked for
  // and the koffi release installed, that kernel/syscalls.ts checks its native module against
  // PONT_BUNDLED: kernel/cjs-require.ts takes the bundle's own require, and node:module is not loaded
  define: { 'import.meta': 'import_meta', PONT_BUNDLED: 'true', PONT_KOFFI_VERSION: JSON.stringify(JSON.parse(readFileSync(`${root}node_modules/koffi/package.json`, 'utf8')).version) },
  // var, not const: bin/pont runs a CLI bundle in the global scope, and a second one after it
  // (src/cli/handover.ts) would find a global const declared already
  banner: { js: "var import_meta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  plugins: [lazyChildProcess],
  // less to read, decode and scan at every start: whitespace alone took a third off (to 611 KB);
  // identifiers and syntax too, 465 KB, another 5-7 ms of `pont --version` (21 alternated runs,
  // medians, 2-core machine: 134 -> 128 ms, node -e 0 106). No keepNames: it defined `name` on
  // every function and class as the bundle loaded, 416 KB of young objects and a scavenge more
  // in a mutating command; without it (442 KB) run -d 213.5 -> 204.0 ms, rm -f 210.1 -> 203.5,
  // connect 186.3 -> 183.1, disconnect 201.4 -> 195.2, network ls 155.8 -> 144.2 (21-31
  // alternated runs). pont reads no function's name (its errors set theirs); a stack trace shows
  // the short names, which the .map turns back into the source's.
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
};
await build({ ...options, entryPoints: { 'dns/main': 'src/dns/main.ts', 'cni/main': 'src/cni/main.ts' } });
// The CLI's is an IIFE rather than CommonJS: its free require, __filename and __dirname are the
// CommonJS wrapper's when Node runs the file (`node main.js container-exited`), and globals
// bin/pont sets when it compiles the file's text as it is, which spares wrapping it: the copy of the
// wrapped 445 KB string V8 made before compiling took 2 ms on the 2-core machine.
// and bundles of a few verbs alone, which bin/pont starts for them (VERB_BUNDLES there)
const verbBundles = { 'cli/read': 'src/cli/read-main.ts', 'cli/network': 'src/cli/network-main.ts', 'cli/container': 'src/cli/container-main.ts' };
const { 'cli/read': readMain, ...otherVerbs } = verbBundles;
await build({ ...options, entryPoints: { 'cli/main': 'src/cli/main.ts', ...otherVerbs }, format: 'iife' });
// read.js without the rare paths of reading the state (engine/read-state.ts): a crashed command's
// journal, a fresh or rebooted host's kernel (world.ts), a cluster's store. Each is a stand-in
// that throws MainBundleNeeded, and the command runs again from main.js (src/cli/handover.ts).
// They were half of read.js (251 -> 128 KB), and every start reads, deserialises and sets up
// all of its bundle: ~1 ms of each read-only command (bench/startup, 2-core machine).
const MAIN_ONLY = ['../kernel/netlink-kernel.js', './world.js', './journal.js', './overlay.js', '../cluster/client.js'];
const mainOnly = {
  name: 'main-only',
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => (args.importer.endsWith('/src/engine/read-state.ts') && MAIN_ONLY.includes(args.path) ? { path: args.path, namespace: 'main-only' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'main-only' }, (args) => ({
      contents: `import { MainBundleNeeded } from ${JSON.stringify(`${root}src/cli/handover.ts`)};\nthrow new MainBundleNeeded(${JSON.stringify(args.path)});\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
await build({ ...options, entryPoints: { 'cli/read': readMain }, format: 'iife', plugins: [...options.plugins, mainOnly] });
for (const program of ['cli/main', ...Object.keys(verbBundles), 'dns/main', 'cni/main']) {
  // V8 reads and parses a one-byte string faster: write \uXXXX in a regular expression
  const text = readFileSync(`${out}/${program}.js`, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0) throw new Error(`dist/bundle/${program}.js is not ASCII: ${JSON.stringify(text.slice(at - 60, at + 20))}`);
}
// the package is "type": "module"; these files are CommonJS
writeFileSync(`${out}/package.json`, '{ "type": "commonjs" }\n');
// bin/pont writes the code cache when there is none, of what the command's start compiled: the
// start every command shares, with every group's verbs built (argv names the groups). Each verb's
// own cache (main.js.<verb>.v8cache) is written by its first successful run, and goes with this
// directory at the next build.
execFileSync(process.execPath, [`${root}bin/pont`, '--help', 'network', 'container', 'system'], { stdio: 'ignore' });
// `pont --version` is printed by bin/pont from main.js.version without loading the CLI: the
// line the CLI itself prints, stamped with this bundle's size and time (another bundle's is not used)
const version = execFileSync(process.execPath, [`${root}bin/pont`, '--version'], { encoding: 'utf8' });
const { versionStamp } = createRequire(import.meta.url)(`${root}bin/pont`);
// whole or not at all: a build stopped midway leaves no file cut short
writeFileSync(`${out}/cli/main.js.version.tmp`, `${versionStamp(statSync(`${out}/cli/main.js`))}${version}`);
renameSync(`${out}/cli/main.js.version.tmp`, `${out}/cli/main.js.version`);
