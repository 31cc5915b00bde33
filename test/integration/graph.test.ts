// `pont network graph` on a real kernel: the seed scenario drawn as SVG and rendered by headless
// Chromium (run inside the sandbox, so the browser has no network), every element named on the
// rendered page; a 50-container world on 5 networks without two labels overlapping; DOT (laid
// out by Graphviz), Mermaid and text naming the same elements; and the command changes nothing.
import type { ExecutionContext } from 'ava';
import { existsSync } from 'node:fs';
import { sandboxTest, sandboxTestEachBackend } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';
import { addInternet } from '../helpers/world.js';
import type { DrawnText } from '../helpers/render-svg.js';

const CHROMIUM = '/usr/bin/chromium';
const noBrowser = existsSync(CHROMIUM) ? false : `needs Debian's chromium at ${CHROMIUM} (scripts/setup.sh --for-tests)`;

/** The seed articles' containers: two on mon-bridge, nginx published on the default bridge, host and none. */
async function seedScenario(sb: Sandbox): Promise<void> {
  await addInternet(sb);
  await sb.ok('ip route add default via 198.51.100.2');
  await sb.ok('pont network create --driver bridge mon-bridge');
  await sb.ok('pont run -dit --name alpine1 --network mon-bridge alpine');
  await sb.ok('pont run -dit --name alpine2 --network mon-bridge alpine');
  await sb.ok('pont run -d --name web -p 8080:80 nginx');
  await sb.ok('pont run -dit --name hostnet --network host alpine');
  await sb.ok('pont run -dit --name isolated --network none alpine');
}

/** Renders an SVG of the sandbox in Chromium inside it: the texts drawn, and a screenshot if asked. */
async function renderInBrowser(sb: Sandbox, svg: string, shot?: string): Promise<DrawnText[]> {
  const out = await sb.ok(`d=$(mktemp -d) && HOME=$d node ${ROOT}/dist/test/helpers/render-svg.js ${svg} $d/profile ${shot ?? ''}; rc=$?; rm -rf $d; exit $rc`, { timeoutMs: 120_000 });
  return JSON.parse(out) as DrawnText[];
}

/** What the seed scenario must show by name, from the store and the kernel of the sandbox. */
async function seedNames(sb: Sandbox): Promise<string[]> {
  const inspect = (f: string, c: string) => sb.ok(`pont inspect -f '${f}' ${c}`).then((s) => s.trim());
  const names = ['mon-bridge', 'alpine1', 'alpine2', 'web', 'hostnet', 'isolated', '0.0.0.0:8080→80/tcp', 'host (host)', 'none (none)', 'bridge pont0 172.17.0.1/16', 'uplink uplink0 198.51.100.1/24'];
  for (const c of ['alpine1', 'alpine2', 'web']) {
    names.push(await inspect('{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', c), await inspect('{{range .NetworkSettings.Networks}}{{.MacAddress}}{{end}}', c));
    names.push(`veth ${(await sb.ok(`ip -o link | grep -o 'pv${(await inspect('{{.Id}}', c)).slice(0, 8)}e0'`)).trim()}`);
  }
  const monId = (await sb.ok("pont network inspect -f '{{.Id}}' mon-bridge")).trim();
  const bridge = `pont-${monId.slice(0, 10)}`;
  names.push(`bridge ${bridge} 172.18.0.1/16`);
  // the chains as the backend names them
  if (sb.firewall === 'nftables') names.push('firewall (nftables, table inet pont)', `chain forward-in-${bridge}`, `chain masquerade-${bridge}`, 'map ports-any');
  else names.push('firewall (iptables)', 'filter PONT-FORWARD', 'filter PONT-ISOLATION-STAGE-1', 'nat PONT-POSTROUTING', 'nat PONT');
  return names;
}

function assertNamed(t: ExecutionContext, what: string, haystack: string, names: string[]): void {
  for (const name of names) t.true(haystack.includes(name), `${what} shows ${name}`);
}

sandboxTestEachBackend(
  'network graph: the seed scenario as SVG, rendered by Chromium, names every element; DOT, Mermaid and text too; nothing changes',
  async (t, sb) => {
    const fresh = await sb.snapshot();
    t.regex(await sb.ok('pont network graph'), /^host\n├─ network bridge \(bridge\) 172\.17\.0\.0\/16/, 'a fresh host shows the predefined networks');
    t.is(await sb.snapshot(), fresh, 'and creates nothing');
    await seedScenario(sb);
    const before = await sb.snapshot();
    // in the sandbox's own /run (a tmpfs that goes with it), not the host's /tmp that sandboxes share
    const dir = (await sb.ok('mktemp -d -p /run')).trim();
    await sb.ok(`pont network graph --format svg > ${dir}/graph.svg`);
    for (const f of ['dot', 'mermaid', 'text']) await sb.ok(`pont network graph --format ${f} -o ${dir}/graph.${f}`);
    t.is(await sb.snapshot(), before, 'drawing the graph changes nothing in the kernel or the store');
    const names = await seedNames(sb);
    // PONT_GRAPH_SHOT=FILE.png saves the screenshot (docs/graph-seed.png was made so)
    const shot = sb.firewall === 'iptables' ? process.env.PONT_GRAPH_SHOT : undefined;
    const drawn = await renderInBrowser(sb, `${dir}/graph.svg`, shot);
    const visible = drawn.filter((d) => d.visible).map((d) => d.text).join('\n');
    assertNamed(t, 'the rendered SVG', visible, names);
    for (const f of ['dot', 'mermaid', 'text']) assertNamed(t, f, await sb.ok(`cat ${dir}/graph.${f}`), names);
    // the DOT parses: Graphviz (the same library as --format svg) lays it out without an error
    const { layoutSvg } = await import('../../src/learn/graph/svg.js');
    t.regex(await layoutSvg(await sb.ok(`cat ${dir}/graph.dot`)), /<svg /);
    const one = await sb.ok('pont network graph --network mon-bridge');
    t.regex(one, /network mon-bridge \(bridge\)/);
    t.notRegex(one, /hostnet|network bridge /, '--network draws that network only');
    const missing = await sb.pont('network graph --network nope');
    t.is(missing.stderr, 'Error: No such network: nope\n');
    t.is(missing.exitCode, 1);
  },
  { skip: noBrowser },
);

sandboxTest(
  'network graph: 50 containers on 5 networks render in Chromium without two labels overlapping',
  async (t, sb) => {
    const script = [
      'for n in 1 2 3 4 5; do pont network create net$n >/dev/null || exit 1; done',
      'for n in 1 2 3 4 5; do for i in $(seq 1 10); do pont run -dit --name c$n-$i --network net$n alpine >/dev/null || exit 1; done; done',
    ].join('\n');
    await sb.ok(script, { timeoutMs: 240_000 });
    // Chromium knows a file's type by its extension; the sandbox's /run goes with it
    const svg = (await sb.ok('mktemp -p /run --suffix=.svg')).trim();
    await sb.ok(`pont network graph --format svg -o ${svg}`);
    const drawn = (await renderInBrowser(sb, svg)).filter((d) => d.visible && d.text.trim());
    t.true(drawn.length > 250, `${drawn.length} labels drawn: 50 containers of 4 lines, 5 networks and their devices and chains`);
    for (let n = 1; n <= 5; n++) for (let i = 1; i <= 10; i++) t.true(drawn.some((d) => d.text.startsWith(`c${n}-${i} `)), `c${n}-${i} is drawn`);
    const overlaps: string[] = [];
    // half a pixel of slack: adjacent rows of one label may touch
    const cut = (a: DrawnText, b: DrawnText) => a.x + a.width - 0.5 > b.x && b.x + b.width - 0.5 > a.x && a.y + a.height - 0.5 > b.y && b.y + b.height - 0.5 > a.y;
    for (let i = 0; i < drawn.length; i++) for (let j = i + 1; j < drawn.length; j++) if (cut(drawn[i], drawn[j])) overlaps.push(`${drawn[i].text} / ${drawn[j].text}`);
    t.deepEqual(overlaps, [], `${drawn.length} labels, none overlapping`);
  },
  { skip: noBrowser },
);
