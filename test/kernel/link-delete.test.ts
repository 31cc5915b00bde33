// A link deleted by a detached `ip link del` (kernel/link-delete.ts): the call returns once the
// kernel has unlisted the link, the lock fd it hands on stays held until `ip` has ended, and a
// failure is ip's own line. On the real kernel, in a sandbox (the script runs there, in Node).
import test from 'ava';
import { deletedLinkName } from '../../src/kernel/link-delete.js';
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';

/** A RTM_DELLINK message's payload as the kernel sends it: ifinfomsg, then attributes. */
function dellink(name: string): Buffer {
  const ifname = Buffer.from(`${name}\0`, 'latin1');
  const a = Buffer.alloc((4 + ifname.length + 3) & ~3);
  a.writeUInt16LE(4 + ifname.length, 0);
  a.writeUInt16LE(3, 2);
  ifname.copy(a, 4);
  const mtu = Buffer.alloc(8);
  mtu.writeUInt16LE(8, 0);
  mtu.writeUInt16LE(4, 2);
  mtu.writeUInt32LE(1500, 4);
  return Buffer.concat([Buffer.alloc(16), mtu, a]);
}

test('the announcement of a deleted link is told by its name, and nothing else is', (t) => {
  t.is(deletedLinkName(17, dellink('pont-1a2b3c4d5e')), 'pont-1a2b3c4d5e');
  t.is(deletedLinkName(16, dellink('pont-1a2b3c4d5e')), null, 'RTM_NEWLINK');
  t.is(deletedLinkName(17, Buffer.alloc(16)), null, 'no IFLA_IFNAME');
  t.is(deletedLinkName(17, Buffer.alloc(8)), null, 'cut short');
});

// Inside the sandbox: a bridge with a port is deleted; right after the call the link is gone, and
// the lock file is still held exactly while an `ip` process lives; then a missing link's failure.
// The `ip` run is a wrapper first on PATH that runs the real one and then stays 2 s (still
// named ip, with the lock fd): the call must return long before, at the kernel's announcement.
const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { deleteLinkDetached } from '${ROOT}/dist/src/kernel/link-delete.js';
import { flock, LOCK_EX, tryFlockExclusive } from '${ROOT}/dist/src/kernel/syscalls.js';
// an ip process not yet a zombie (stat, not cmdline: an exiting process loses its memory, and
// with it its cmdline, before its fds)
const ipAlive = () => readdirSync('/proc').some((p) => /^\\d+$/.test(p) && (() => { try { return /^\\d+ \\(ip\\) [^Z]/.test(readFileSync('/proc/' + p + '/stat', 'latin1')); } catch { return false; } })());
const fd = openSync('/run/lock-test', 'a');
flock(fd, LOCK_EX);
const out = {};
const called = Date.now();
out.done = await deleteLinkDetached('brt', { holdFd: fd });
out.returnedMs = Date.now() - called;
// at once (ip link show would take longer than the kernel's clean-up): its sysctls went before the announcement
out.sysctlsAtResolve = existsSync('/proc/sys/net/ipv4/conf/brt');
out.ipAtResolve = ipAlive();
closeSync(fd);
// while the lock is refused, an ip is alive; once it is taken, none is
const other = openSync('/run/lock-test', 'a');
out.heldWithoutIp = 0;
out.refused = 0;
const started = Date.now();
for (;;) {
  const alive = ipAlive();
  if (tryFlockExclusive(other)) break;
  out.refused++;
  if (!alive) out.heldWithoutIp++;
  if (Date.now() - started > 5000) { out.timeout = true; break; }
  await new Promise((r) => setTimeout(r, 1));
}
try { execFileSync('ip', ['link', 'show', 'brt'], { stdio: 'pipe' }); out.gone = false; } catch { out.gone = true; }
out.peerAfter = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).includes('vt0');
try { await deleteLinkDetached('brt', { holdFd: other }); out.second = 'resolved'; } catch (e) { out.second = e.message; }
console.log(JSON.stringify(out));
`;

sandboxTest('a link deleted by a detached ip link del is gone when the call returns; the lock it got is held until ip ends', async (t, sb) => {
  await sb.ok(`ip link add brt type bridge && ip link add vt0 type veth peer name vt1 && ip link set vt0 master brt && ip link set brt up
    mkdir -p /run/slow && printf '#!/bin/sh\\n/usr/sbin/ip "$@"; rc=$?; sleep 2; exit $rc\\n' > /run/slow/ip && chmod +x /run/slow/ip`);
  const out = JSON.parse(await sb.ok(`cat > /run/t.mjs <<'EOF'\n${SCRIPT}\nEOF\nPATH=/run/slow:$PATH node /run/t.mjs`)) as Record<string, unknown>;
  t.true(out.done, 'ip ran (iproute2 is installed by scripts/setup.sh)');
  t.false(out.sysctlsAtResolve, 'the bridge is unregistered when the call resolves');
  t.true(out.gone, 'and not listed');
  t.false(out.timeout ?? false, 'the lock was released within 5 s');
  t.is(out.heldWithoutIp, 0, 'the lock was refused only while an ip link del lived');
  t.true(Number(out.returnedMs) < 1500, `returned at the announcement, not at ip's exit 2 s later (${String(out.returnedMs)} ms)`);
  t.true(out.ipAtResolve, 'ip still ran when the call returned');
  t.true(Number(out.refused) > 0, 'ip held the lock after the call returned');
  t.regex(String(out.second), /^kernel refused: ip link del brt: Cannot find device "brt"/, 'a missing link: ip\'s own line');
  t.true(out.peerAfter, 'its port, a veth, stays (released from the bridge, not deleted)');
});
