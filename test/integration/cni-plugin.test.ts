// pont as a CNI plugin, driven by a CNI runtime no one here wrote: Debian's Podman 4.3 with its
// CNI backend runs /usr/lib/cni/pont (here: the sandbox's plugin directory) for a container on a
// conflist {"type": "pont", "network": "mynet"}; that container and a `pont run` one ping each
// other and resolve each other's names through pont's resolver, and `podman rm` leaves nothing.
// Podman runs wholly inside the sandbox: its storage, run root, CNI configuration and plugin
// directory on the sandbox's tmpfs /run, named by a containers.conf of its own (CONTAINERS_CONF),
// its lock file (libpod_lock) on the sandbox's own /dev/shm;
// its image is a busybox root made here (no registry). Its cgroups (v1, cgroupfs) go under a
// parent of this test's, removed at the end.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { sandboxTest } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';
import { pingOnce } from '../helpers/world.js';

const W = '/run/cni-test';
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = ['podman', 'runc', 'conmon', 'busybox'].filter((c) => !has(c));
const skip = missing.length ? `needs ${missing.join(', ')} (scripts/setup.sh --for-tests installs them)` : false;

/** Podman as this test runs it: every path in the sandbox, the CNI backend, runc (crun refuses cgroups v1+v2 hybrids). */
const CGROUP_PARENT = `pont-cni-test-${process.pid}`;
const podman = (sb: Sandbox, args: string) =>
  sb.ok(`CONTAINERS_CONF=${W}/containers.conf podman --root ${W}/root --runroot ${W}/runroot --storage-driver vfs --cni-config-dir ${W}/net.d ${args}`, { timeoutMs: 120_000 });

async function setUpPodman(sb: Sandbox): Promise<void> {
  await sb.ok(`set -e
mkdir -p ${W}/net.d ${W}/plugins ${W}/root ${W}/runroot ${W}/rootfs/bin ${W}/rootfs/etc ${W}/rootfs/proc ${W}/rootfs/sys ${W}/rootfs/dev ${W}/rootfs/tmp
cp "$(command -v busybox)" ${W}/rootfs/bin/busybox
for a in $(busybox --list); do [ "$a" = busybox ] || ln -s busybox ${W}/rootfs/bin/$a; done
# what scripts/setup.sh installs as /usr/lib/cni/pont
printf '#!/bin/sh\\nexec "%s" "%s" "$@"\\n' "$(command -v node)" ${ROOT}/bin/pont-cni > ${W}/plugins/pont
chmod 755 ${W}/plugins/pont
cat > ${W}/containers.conf <<EOC
[network]
network_backend = "cni"
cni_plugin_dirs = ["${W}/plugins", "/usr/lib/cni"]
network_config_dir = "${W}/net.d"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOC
tar -C ${W}/rootfs -cf ${W}/rootfs.tar .`);
  await podman(sb, `import ${W}/rootfs.tar localhost/bb`);
}

/** Podman's cgroups (cgroupfs writes the host's hierarchy): the empty directories it left. */
const removeCgroups = (sb: Sandbox) => sb.sh(`for c in /sys/fs/cgroup/*/${CGROUP_PARENT}; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \\; ; done; true`);

const conflist = (network: string) => JSON.stringify({ cniVersion: '1.0.0', name: network, plugins: [{ type: 'pont', network }] });

sandboxTest('cni plugin: a Podman container and a pont container on one pont network ping and resolve each other; podman rm leaves nothing', async (t, sb) => {
  try {
    await setUpPodman(sb);
    await sb.ok('pont network create mynet');
    await sb.ok(`echo '${conflist('mynet')}' > ${W}/net.d/mynet.conflist`);
    await sb.ok('pont run -d --name pc --network mynet alpine sleep 600');
    const before = await sb.snapshot();

    await podman(sb, `run -d --cgroup-parent /${CGROUP_PARENT} --name pod1 --network mynet localhost/bb sleep 600`);
    t.not(Number(await sb.ok('test -e /dev/shm/libpod_lock && stat -c %d /dev/shm')), statSync('/dev/shm').dev, "Podman's lock file is on the sandbox's /dev/shm, not the host's");
    const rows = await sb.ok(`pont ps --format '{{.Names}} {{.Image}} {{.Networks}} {{.State}}'`);
    t.regex(rows, /^pod1 \(cni\) mynet running$/m, 'pont ps shows the runtime\'s container');
    const pod1 = (await podman(sb, `exec pod1 ip -4 -o addr show eth0`)).split(/\s+/)[3].split('/')[0];
    const pc = (await sb.ok(`ip -n pc -4 -o addr show eth0`)).split(/\s+/)[3].split('/')[0];
    t.regex(pod1, /^172\.18\.0\.\d+$/, 'pont\'s IPAM gave the address');
    t.is((await sb.sh(`pont exec pc ${pingOnce(pod1)}`)).exitCode, 0, 'pc pings pod1 by address');
    t.is((await sb.sh(`${podmanCmd()} exec pod1 ${pingOnce(pc)}`)).exitCode, 0, 'pod1 pings pc by address');
    t.is((await sb.ok('pont exec pc getent hosts pod1')).split(/\s+/)[0], pod1, 'pc resolves pod1 through pont\'s resolver');
    t.is((await sb.sh(`pont exec pc ${pingOnce('pod1')}`)).exitCode, 0, 'pc pings pod1 by name');
    // Podman puts the result's dns.nameservers first in the container's resolv.conf
    t.regex(await podman(sb, 'exec pod1 cat /etc/resolv.conf'), /^nameserver 127\.0\.0\.11$/m);
    t.regex(await podman(sb, 'exec pod1 nslookup pc 127.0.0.11'), new RegExp(`Address:\\s+${pc.replace(/\./g, '\\.')}$`, 'm'), 'pod1 resolves pc');
    t.is((await sb.sh(`${podmanCmd()} exec pod1 ${pingOnce('pc')}`)).exitCode, 0, 'pod1 pings pc by name');
    t.is((await sb.sh('pont stop pod1')).exitCode, 1, 'pont stop of the runtime\'s container is refused');
    t.regex((await sb.sh('pont rm pod1')).stderr, /attached by a CNI runtime.*remove it with that runtime/);

    await podman(sb, 'rm -f -t 0 pod1');
    t.is(await sb.snapshot(), before, 'no interface, rule, route, namespace or address reservation left; the store as before');
    t.is((await sb.sh(`pont exec pc ${pingOnce(pc)}`)).exitCode, 0, 'pc still reaches its own address');
  } finally {
    await removeCgroups(sb);
  }
}, { skip });

/** The same podman command line, for sb.sh (a failure is an assertion, not a thrown error). */
const podmanCmd = () => `CONTAINERS_CONF=${W}/containers.conf podman --root ${W}/root --runroot ${W}/runroot --storage-driver vfs --cni-config-dir ${W}/net.d`;

/** The plugin as libcni runs it: CNI_* in the environment, the configuration on stdin, from another directory. */
async function cni(sb: Sandbox, command: string, opts: { id?: string; netns?: string; ifname?: string; args?: string; conf?: Record<string, unknown> } = {}): Promise<{ out: Record<string, unknown> | null; code: number }> {
  const conf = JSON.stringify({ cniVersion: '1.1.0', name: 'mynet', type: 'pont', network: 'mynet', ...opts.conf });
  const vars = [`CNI_COMMAND=${command}`, `CNI_CONTAINERID=${opts.id ?? 'cafe0001'}`, `CNI_IFNAME=${opts.ifname ?? 'eth0'}`, `CNI_PATH=/usr/lib/cni`, ...(opts.netns !== undefined ? [`CNI_NETNS=${opts.netns}`] : []), ...(opts.args ? [`CNI_ARGS='${opts.args}'`] : [])];
  const r = await sb.sh(`cd / && echo '${conf}' | env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin ${vars.join(' ')} ${ROOT}/bin/pont-cni`);
  return { out: r.stdout.trim() ? JSON.parse(r.stdout) : null, code: r.exitCode };
}

/** The host as sb.snapshot sees it, less the netns ids the kernel gives a namespace once a veth joined it. */
const snapshot = async (sb: Sandbox) => (await sb.snapshot()).replace(/ \(id: \d+\)/g, '');

sandboxTest('cni plugin by hand: ADD result, CHECK, STATUS, idempotent DEL, DEL after the namespace went, GC, pont rm -f', async (t, sb) => {
  await sb.ok('pont network create mynet && ip netns add ns1 && ip netns add ns2 && ip netns add ns3');
  const empty = await snapshot(sb);
  const add = await cni(sb, 'ADD', { netns: '/run/netns/ns1', args: 'K8S_POD_NAME=web1', conf: { cniVersion: '0.4.0', aliases: ['www'] } });
  t.is(add.code, 0, JSON.stringify(add.out));
  t.like(add.out, { cniVersion: '0.4.0', ips: [{ version: '4', address: '172.18.0.2/16', gateway: '172.18.0.1', interface: 2 }], routes: [{ dst: '0.0.0.0/0', gw: '172.18.0.1' }], dns: { nameservers: ['127.0.0.11'] } });
  t.like((add.out!.interfaces as unknown[])[2], { name: 'eth0', sandbox: '/run/netns/ns1' });
  t.is((await sb.ok('ip netns exec ns1 nslookup www 127.0.0.11 2>&1 || busybox nslookup www 127.0.0.11')).includes('172.18.0.2'), true, 'the alias resolves in its own namespace');
  t.is((await cni(sb, 'CHECK', { netns: '/run/netns/ns1' })).code, 0);
  t.is((await cni(sb, 'STATUS')).code, 0);
  t.like((await cni(sb, 'STATUS', { conf: { network: 'nosuch' } })).out, { code: 50 });
  t.like((await cni(sb, 'ADD', { netns: '/run/netns/ns1' })).out, { code: 100 }, 'a second ADD of one attachment is an error');
  t.like((await cni(sb, 'ADD', { id: 'cafe0002', netns: '/run/netns/nosuch' })).out, { code: 4 });
  t.like((await cni(sb, 'ADD', { id: 'cafe0002', netns: '/run/netns/ns2', conf: { network: 'nosuch' } })).out, { code: 7 });
  await sb.ok('ip -n ns1 addr flush dev eth0');
  t.regex(String((await cni(sb, 'CHECK', { netns: '/run/netns/ns1' })).out?.msg), /address 172\.18\.0\.2\/16 is missing/);

  t.deepEqual(await cni(sb, 'DEL', { netns: '/run/netns/ns1' }), { out: null, code: 0 });
  t.deepEqual(await cni(sb, 'DEL', { netns: '/run/netns/ns1' }), { out: null, code: 0 }, 'a second DEL succeeds');
  t.deepEqual(await cni(sb, 'DEL', { id: 'neverseen' }), { out: null, code: 0 });
  t.is(await snapshot(sb), empty, 'DEL leaves the host and the store as before ADD');

  // the runtime removed the namespace before its DEL: the host's side still goes
  t.is((await cni(sb, 'ADD', { id: 'cafe0002', netns: '/run/netns/ns2' })).code, 0);
  await sb.ok('ip netns del ns2');
  t.deepEqual(await cni(sb, 'DEL', { id: 'cafe0002', netns: '/run/netns/ns2' }), { out: null, code: 0 });
  await sb.ok('ip netns add ns2');
  t.is(await snapshot(sb), empty);

  // GC keeps the valid attachments and removes the rest
  t.is((await cni(sb, 'ADD', { id: 'cafe0003', netns: '/run/netns/ns2' })).code, 0);
  t.is((await cni(sb, 'ADD', { id: 'cafe0004', netns: '/run/netns/ns3' })).code, 0);
  t.is((await cni(sb, 'GC', { conf: { 'cni.dev/valid-attachments': [{ containerID: 'cafe0004', ifname: 'eth0' }] } })).code, 0);
  t.is((await sb.ok(`pont ps --format '{{.Names}}'`)).trim(), 'cafe0004');
  t.is((await sb.sh('pont start cafe0004')).exitCode, 1, 'start is the runtime\'s');
  await sb.ok('pont rm -f cafe0004');
  t.is(await snapshot(sb), empty, 'pont rm -f took it off the network');
});
