// A hand-edited store: every command answers with one line naming the bad field, touches nothing,
// and works again once the field is fixed. A store from a newer pont is refused as such.
import { STORE_VERSION } from '../../src/core/state-schema.js';
import { sandboxTest } from '../helpers/root-test.js';

const STATE = '/var/lib/pont/state.json';

sandboxTest('a bad field in the store is named, nothing is touched, and fixing it is enough', async (t, sb) => {
  await sb.ok('pont network create mon-bridge');
  await sb.ok(`node -e 'const f="${STATE}",fs=require("fs"),s=JSON.parse(fs.readFileSync(f));s.networks.find(n=>n.name==="mon-bridge").book.allocated.push(42);fs.writeFileSync(f,JSON.stringify(s))'`);
  const before = await sb.snapshot();
  for (const cmd of ['network ls', 'network create autre', 'run -d --network mon-bridge alpine']) {
    const r = await sb.pont(cmd);
    t.not(r.exitCode, 0, cmd);
    t.regex(r.stderr, /^state file \/var\/lib\/pont\/state\.json has a bad record: state\.networks\[\d\]\.book\.allocated\[0\]: expected an IPv4 address, found 42; fix that field, or move the file aside to start over\n$/, cmd);
    t.notRegex(r.stderr, /TypeError|at .*\.js/, 'no stack trace');
  }
  t.is(await sb.snapshot(), before, 'the kernel and the store are as they were');
  await sb.ok(`sed -i 's/,42]/,"172.18.0.9"]/; s/\\[42\\]/["172.18.0.9"]/' ${STATE} && grep -q 172.18.0.9 ${STATE}`);
  t.regex(await sb.ok('pont network ls'), /mon-bridge/);
});

sandboxTest('a store written by a newer pont is refused as such', async (t, sb) => {
  await sb.ok('pont network create mon-bridge');
  await sb.ok(`sed -i 's/"version": *[0-9]*,/"version":7,/' ${STATE}`);
  const r = await sb.pont('network rm mon-bridge');
  t.is(r.exitCode, 1);
  t.is(r.stderr, `state file ${STATE} cannot be used: it was written by a newer pont (store version 7; this pont reads up to ${STORE_VERSION}); run that pont, or a newer one\n`);
  t.regex(await sb.ok('ip -br link'), /pont-/, 'the network is still there');
});
