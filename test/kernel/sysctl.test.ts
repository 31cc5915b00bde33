// Sysctls through the real kernel (kernel/netlink-kernel.ts), in a sandbox: a read keeps the file
// open, and the write of that very key right after goes through it (one lookup of the path, not
// two), into the namespace it was read in; any other write opens its own path, and so does a
// write after the namespace was removed and made again; a read-only sysctl and a missing one read
// as before. A container namespace's sysctls are opened under a procfs instance of the kernel's
// own, contained in no mount namespace (no mount appears in the sandbox's, nor in the container's),
// close-on-exec, closed with the kernel; the host's under /proc. On a kernel that cannot make one
// (before 5.2) or makes /proc's own (before 5.8), /proc for both, as checked here too.
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';

const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { NetlinkKernel } from '${ROOT}/dist/src/kernel/netlink-kernel.js';
import { detachedProc } from '${ROOT}/dist/src/kernel/syscalls.js';
// whether this kernel gives a procfs instance of its own (else the kernel falls back to /proc)
const probe = detachedProc();
const own = probe !== null && fstatSync(probe).dev !== statSync('/proc').dev;
if (probe !== null) closeSync(probe);
const k = new NetlinkKernel();
// a file of /proc/sys, or of the instance (whose paths the kernel shows from its own root: /sys/...)
const sysPaths = () => readdirSync('/proc/self/fd').flatMap((f) => { try { const l = readlinkSync('/proc/self/fd/' + f); return l.startsWith('/proc/sys/') || l.startsWith('/sys/') ? [l] : []; } catch { return []; } });
const sysFds = () => sysPaths().length;
// the sandbox's mounts (its init's) and a container namespace's (what ip netns exec copies)
const points = (text) => text.split('\\n').filter(Boolean).map((l) => l.split(' ')[4] + ' ' + (l.split(' - ')[1] ?? '').split(' ')[0]).sort().join('; ');
const mounts = () => points(readFileSync('/proc/1/mountinfo', 'utf8')) + ' | ' + points(execFileSync('ip', ['netns', 'exec', 'sc1', 'cat', '/proc/self/mountinfo'], { encoding: 'utf8' }));
const roots = () => readdirSync('/proc/self/fd').filter((f) => { try { return readlinkSync('/proc/self/fd/' + f) === '/'; } catch { return false; } });
const mountsBefore = mounts();
const inNs = (key, ns = 'sc1') => execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/sys/' + key.replaceAll('.', '/')], { encoding: 'utf8' }).trim();
const out = {};
const K = 'net.ipv6.conf.all.disable_ipv6';
out.before = k.readSysctl(K, 'sc1');
out.heldAfterRead = sysFds();
out.heldPath = sysPaths()[0];
out.mountsUnchanged = mounts() === mountsBefore;
out.own = own;
// the instance's root (its descriptor reads as "/"): close-on-exec, as no child may keep it
out.cloexec = roots().map((f) => (parseInt(readFileSync('/proc/self/fdinfo/' + f, 'utf8').match(/flags:\\s*(\\d+)/)[1], 8) & 0o2000000) !== 0);
k.writeSysctl(K, '1', 'sc1');
out.heldAfterWrite = sysFds();
out.inside = inNs(K);
out.host = readFileSync('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8').trim();
// read one key, write another: the other's own path, in its own namespace
out.readOther = k.readSysctl('net.ipv4.conf.default.forwarding', 'sc1');
k.readSysctl('net.ipv6.conf.lo.disable_ipv6');
out.hostPath = sysPaths()[0];
k.writeSysctl('net.ipv6.conf.lo.disable_ipv6', '1');
out.hostLo = readFileSync('/proc/sys/net/ipv6/conf/lo/disable_ipv6', 'utf8').trim();
out.insideDefault = inNs('net.ipv4.conf.default.forwarding');
out.heldAfterOther = sysFds();
// a value longer than the one read, written over it whole
k.readSysctl('net.ipv4.ip_local_port_range', 'sc1');
k.writeSysctl('net.ipv4.ip_local_port_range', '20000\\t30000', 'sc1');
out.range = inNs('net.ipv4.ip_local_port_range');
// read in a namespace that is then removed and made again under its name: the write goes to the new one
k.readSysctl('net.ipv4.conf.default.forwarding', 'sc2');
await k.deleteNetns('sc2');
await k.addNetns('sc2');
k.writeSysctl('net.ipv4.conf.default.forwarding', '1', 'sc2');
out.remade = inNs('net.ipv4.conf.default.forwarding', 'sc2');
// read-only, and missing
out.readOnly = k.readSysctl('kernel.osrelease').length > 0;
try { k.readSysctl('net.ipv6.conf.nope0.disable_ipv6'); out.missing = 'read'; } catch (e) { out.missing = e.code; }
const ownBefore = roots().length;
k.close();
out.heldAfterClose = sysFds();
out.rootsClosed = ownBefore - roots().length;
// used again after close: a new instance, as good
out.again = k.readSysctl(K, 'sc1');
k.close();
console.log(JSON.stringify(out));
`;

sandboxTest('a sysctl read and then written goes through one descriptor, in the namespace it was read in', async (t, sb) => {
  await sb.ok('ip netns add sc1 && ip netns add sc2');
  const out = JSON.parse(await sb.ok(`cat > /run/t.mjs <<'EOF'\n${SCRIPT}\nEOF\nnode /run/t.mjs`)) as Record<string, unknown>;
  t.is(out.before, '0');
  t.is(out.heldAfterRead, 1, 'the read keeps the file open');
  t.is(out.heldAfterWrite, 0, 'the write closes it');
  t.is(out.inside, '1', 'written in the namespace it was read in');
  t.is(out.host, '0', 'not in the host\'s');
  t.is(out.readOther, '0');
  t.is(out.hostLo, '1', 'another key: its own path, in its own namespace');
  t.is(out.insideDefault, '0', 'the key read and not written is unchanged');
  t.is(out.heldAfterOther, 0, 'the descriptor held for the other key was closed');
  t.is(out.range, '20000\t30000', 'a longer value written whole, from offset 0');
  t.is(out.remade, '1', 'a namespace removed and made again under its name: written in the new one');
  t.true(out.readOnly, 'a read-only sysctl reads');
  t.is(out.missing, 'ENOENT', 'a missing one fails as a read does');
  t.is(out.heldAfterClose, 0, 'nothing left open after close');
  t.is(out.hostPath, '/proc/sys/net/ipv6/conf/lo/disable_ipv6', "the host's: through /proc");
  t.true(out.mountsUnchanged, "no mount in the sandbox's namespace nor in the container's");
  t.is(out.again, '1', 'a kernel used again after close reads through a new instance');
  if (out.own) {
    // the namespace's file through the instance: the kernel names it from the instance's root
    t.is(out.heldPath, '/sys/net/ipv6/conf/all/disable_ipv6', "a container namespace's sysctl: through the kernel's own procfs instance");
    t.deepEqual(out.cloexec, [true], "the instance's descriptor is close-on-exec");
    t.is(out.rootsClosed, 1, "the instance's descriptor is closed with the kernel");
  } else {
    // this kernel makes no procfs of a command's own: /proc, as before
    t.is(out.heldPath, '/proc/sys/net/ipv6/conf/all/disable_ipv6', 'without an instance of its own: /proc');
  }
});

