// The README's first command plays scripts/demo-scenario.sh (the seed articles' walk-through) in
// a sandbox; here it runs in a test sandbox, without the set-up step, and must go through to the
// end (it stops at the first unexpected failure) showing what the seeds show.
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';

sandboxTest('the demo (seed walk-through) runs to the end and shows what the seeds show', async (t, sb) => {
  const r = await sb.sh(`cd ${ROOT} && bash scripts/demo-scenario.sh`, { timeoutMs: 120_000 });
  t.is(r.exitCode, 0, r.stderr);
  t.notRegex(r.stdout + r.stderr, /Segmentation fault|core dumped/, 'no helper of the demo crashes');
  t.regex(r.stdout, /"Subnet": "172\.18\.0\.0\/16",\s+"Gateway": "172\.18\.0\.1"/, 'mon-bridge gets 172.18.0.0/16');
  t.regex(r.stderr, /only one instance of "host" network is allowed/);
  t.regex(r.stdout, /1 packets transmitted, 1 (?:packets )?received/, 'alpine1 pings alpine2');
  t.regex(r.stdout, /It works!/, 'httpd on the host network, then nginx published on 8000');
  t.regex(r.stdout, /\/alpine1 - 172\.17\.0\.\d+/, 'reconnected to the default bridge');
  t.regex(r.stdout, /--dport 8000 -j DNAT --to-destination 172\.17\.0\.\d+:80/);
  t.is(await sb.ok('pont ps -aq'), '', 'the demo cleans up its containers');
});
