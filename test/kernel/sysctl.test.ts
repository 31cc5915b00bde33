// Sysctls through the real kernel (kernel/netlink-kernel.ts), in a sandbox: a read keeps the file
// open, and the write of that very key right after goes through it (one lookup of the path, not
// two), into the namespace it was read in; any other write opens its own path, and so does a
// write after the namespace was removed and made again; a read-only sysctl and a missing one read
// as before. A container namespace's sysctls are opened under a procfs instance of the kernel's
// own, attached to no mount namespace (no mount appears anywhere), the host's under /proc.
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT } from '../helpers/sandbox.js';

const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { NetlinkKernel } from '${ROOT}/dist/src/kernel/netlink-kernel.js';
const k = new NetlinkKernel();
// a file of /proc/sys, or of the instance (whose paths the kernel shows from its own root: /sys/...)
const sysPaths = () => readdirSync('/proc/self/fd').flatMap((f) => { try { const l = readlinkSync('/proc/self/fd/' + f); return l.startsWith('/proc/sys/') || l.startsWith('/sys/') ? [l] : []; } catch { return []; } });
const sysFds = () => sysPaths().length;
const mounts = () => readFileSync('/proc/self/mountinfo', 'utf8');
const mountsBefore = mounts();
const inNs = (key, ns = 'sc1') => execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/sys/' + key.replaceAll('.', '/')], { encoding: 'utf8' }).trim();
const out = {};
const K = 'net.ipv6.conf.all.disable_ipv6';
out.before = k.readSysctl(K, 'sc1');
out.heldAfterRead = sysFds();
out.heldPath = sysPaths()[0];
out.mountsUnchanged = mounts() === mountsBefore;
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
const ownBefore = readdirSync('/proc/self/fd').filter((f) => { try { return readlinkSync('/proc/self/fd/' + f) === '/'; } catch { return false; } }).length;
k.close();
out.heldAfterClose = sysFds();
// the instance's root (its descriptor reads as "/") is closed with the kernel
out.rootsClosed = ownBefore - readdirSync('/proc/self/fd').filter((f) => { try { return readlinkSync('/proc/self/fd/' + f) === '/'; } catch { return false; } }).length;
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
  // the namespace's file through the instance: the kernel names it from the instance's root
  t.is(out.heldPath, '/sys/net/ipv6/conf/all/disable_ipv6', "a container namespace's sysctl: through the kernel's own procfs instance");
  t.is(out.hostPath, '/proc/sys/net/ipv6/conf/lo/disable_ipv6', "the host's: through /proc");
  t.true(out.mountsUnchanged, 'the instance is mounted nowhere');
  t.is(out.rootsClosed, 1, "the instance's descriptor is closed with the kernel");
});

