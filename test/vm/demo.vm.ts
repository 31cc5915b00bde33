// The seed walk-through (scripts/demo-scenario.sh, the README's first command) on the stock
// kernel, in a sandbox as test/integration/demo.test.ts plays it on the host.
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';

sandboxTest('the seed demo runs to the end on the stock kernel and shows what the seeds show', async (t, sb) => {
  const r = await sb.sh(`cd ${ROOT} && bash scripts/demo-scenario.sh`, { timeoutMs: 540_000 });
  t.is(r.exitCode, 0, r.stderr);
  t.notRegex(r.stdout + r.stderr, /Segmentation fault|core dumped/);
  t.regex(r.stdout, /"Subnet": "172\.18\.0\.0\/16",\s+"Gateway": "172\.18\.0\.1"/);
  t.regex(r.stdout, /1 packets transmitted, 1 (?:packets )?received/, 'alpine1 pings alpine2');
  t.regex(r.stdout, /It works!/, 'httpd on the host network, nginx published on 8000');
  t.regex(r.stdout, /--dport 8000 -j DNAT --to-destination 172\.17\.0\.\d+:80/);
  t.is(await sb.ok('pont ps -aq'), '', 'the demo cleans up its containers');
});
