// What pont leaves on the host's filesystem: a container's output is root's alone, and another
// tool's network namespace and /etc/netns files are never taken over, overwritten or deleted.
import { sandboxTest } from '../helpers/root-test.js';

sandboxTest('run -d: the run directory is 0700, log and pid file 0600; /etc/netns files stay 0644', async (t, sb) => {
  await sb.ok('pont run -d -i --name m1 alpine sh -c "echo secret; sleep 300"');
  const id = (await sb.ok(`pont inspect -f '{{.Id}}' m1`)).trim();
  const dir = `/run/pont/containers/${id}`;
  const modes = (await sb.ok(`stat -c '%a %n' ${dir} ${dir}/container.log ${dir}/pid ${dir}/stdin /etc/netns/m1/hosts /etc/netns/m1/hostname /etc/netns/m1/resolv.conf`)).trim().split('\n');
  t.deepEqual(modes, [
    `700 ${dir}`, `600 ${dir}/container.log`, `600 ${dir}/pid`, `600 ${dir}/stdin`,
    '644 /etc/netns/m1/hosts', '644 /etc/netns/m1/hostname', '644 /etc/netns/m1/resolv.conf',
  ]);
  // another user cannot read the output; root (pont logs) still can
  const other = await sb.sh(`setpriv --reuid=65534 --regid=65534 --clear-groups cat ${dir}/container.log`);
  t.not(other.exitCode, 0);
  await sb.ok('for i in $(seq 1 100); do pont logs m1 | grep -q secret && exit 0; sleep 0.05; done; exit 1');
  // restarting keeps the modes (the log is reopened)
  await sb.ok('pont stop -t 0 m1 && pont start m1');
  t.is((await sb.ok(`stat -c '%a' ${dir} ${dir}/container.log ${dir}/pid`)).trim(), '700\n600\n600');
});

sandboxTest("a container's mount namespace holds none of the host's namespace mounts, and gets none made later; an exec joins it", async (t, sb) => {
  await sb.ok('pont run -d --name m1 alpine sleep 300');
  const pid = (await sb.ok(`pont inspect -f '{{.State.Pid}}' m1`)).trim();
  // the container's chain of execs ends in its command: then its entry has run
  await sb.ok(`for i in $(seq 1 100); do [ "$(cat /proc/${pid}/comm)" = sleep ] && exit 0; sleep 0.05; done; exit 1`);
  await sb.ok('pont run -d --name m2 alpine sleep 300 && ip netns add other');
  // field 5 of mountinfo is the mount point
  const netnsMounts = (file: string) => sb.ok(`awk '$5 ~ "^/run/netns(/|$)" { print $5 }' ${file} | sort`);
  t.is(await netnsMounts('/proc/self/mountinfo'), '/run/netns\n/run/netns/m1\n/run/netns/m2\n/run/netns/other\n');
  t.is(await netnsMounts(`/proc/${pid}/mountinfo`), '');
  // `ip netns exec` and `pont exec` into it work as before
  t.regex(await sb.ok('ip netns exec m1 ip -o addr show eth0'), /inet 172\.17\.0\.2\//);
  t.is((await sb.ok('pont exec m1 hostname')).trim(), (await sb.ok(`pont inspect -f '{{.Config.Hostname}}' m1`)).trim());
  // an exec joins the container's own mount namespace (no copy of the host's made for it)
  t.is((await sb.ok('pont exec m1 readlink /proc/self/ns/mnt')).trim(), (await sb.ok(`readlink /proc/${pid}/ns/mnt`)).trim());
  t.is((await sb.ok(`pont exec m1 awk '$5 ~ "^/run/netns(/|$)"' /proc/self/mountinfo`)).trim(), '');
});

sandboxTest('a web image keeps its page in /run/pont, by its pid; the next one removes a dead one\'s, and none is left in /tmp', async (t, sb) => {
  const tmpBefore = await sb.ok('ls -d /tmp/pont-www-* 2>/dev/null | sort || true');
  await sb.ok('pont run -d --name w1 -p 127.0.0.1:8081:80 nginx');
  const pid1 = (await sb.ok(`pont inspect -f '{{.State.Pid}}' w1`)).trim();
  await sb.ok('for i in $(seq 1 100); do curl -s -m 1 http://127.0.0.1:8081/ | grep -q "It works" && exit 0; sleep 0.05; done; exit 1');
  t.is((await sb.ok(`cat /run/pont/www-${pid1}/index.html`)).trim(), '<html><body><h1>It works!</h1></body></html>');
  await sb.ok('pont rm -f w1');
  await sb.ok('pont run -d --name w2 httpd');
  const pid2 = (await sb.ok(`pont inspect -f '{{.State.Pid}}' w2`)).trim();
  await sb.ok(`for i in $(seq 1 100); do [ -e /run/pont/www-${pid2}/index.html ] && exit 0; sleep 0.05; done; exit 1`);
  t.is((await sb.ok('ls -d /run/pont/www-* | sort')).trim(), `/run/pont/www-${pid2}`, "the dead server's page is gone, the live one's kept");
  t.is(await sb.ok('ls -d /tmp/pont-www-* 2>/dev/null | sort || true'), tmpBefore, 'nothing new in /tmp');
});

sandboxTest('run --name NAME refuses a namespace or /etc/netns/NAME made by another tool and leaves them untouched', async (t, sb) => {
  await sb.ok('mkdir -p /etc/netns/vpn && echo "nameserver 10.9.9.9" > /etc/netns/vpn/resolv.conf && echo mine > /etc/netns/vpn/keep');
  await sb.ok('ip netns add other && ip -n other link add d0 type veth peer name d1');
  const files = async () => sb.ok('cd /etc/netns && find . -type f | sort | xargs -I{} sh -c \'echo {}; cat {}\'');
  const before = await sb.snapshot();
  const filesBefore = await files();

  for (const name of ['vpn', 'other']) {
    const r = await sb.pont(`run -d --name ${name} alpine sleep 300`);
    t.is(r.exitCode, 125, name);
    t.is(r.stderr, `pont: Error response from daemon: Conflict. The network namespace "${name}" already exists on this host (made by another tool): choose another --name.\nSee 'pont run --help'.\n`);
  }
  const dry = await sb.pont('run --dry-run --name vpn alpine sleep 300');
  t.not(dry.exitCode, 0);
  t.is(await sb.snapshot(), before);
  t.is(await files(), filesBefore);
  t.regex(await sb.ok('ip -n other -o link'), /d0/);

  // a normal run still works (the first one also makes the default bridge and pont's chains),
  // and its removal leaves the other tool's namespace and files as they were
  await sb.ok('pont run -d --name web alpine sleep 300');
  t.regex(await sb.ok('ip netns list'), /^web/m);
  await sb.ok('pont rm -f web');
  t.deepEqual((await sb.ok('ip netns list')).trim().split('\n').map((l) => l.split(' ')[0]), ['other']);
  t.is(await files(), filesBefore);
});

sandboxTest('rm -f removes only the files pont wrote in /etc/netns/NAME: a file added since stays', async (t, sb) => {
  await sb.ok('pont run -d --name web alpine sleep 300');
  await sb.ok('echo added > /etc/netns/web/extra');
  await sb.ok('pont rm -f web');
  t.is((await sb.ok('ls -A /etc/netns/web')).trim(), 'extra');
  t.is((await sb.ok('cat /etc/netns/web/extra')).trim(), 'added');
  t.false((await sb.ok('ip netns list')).includes('web'));
  // without it, the directory goes too
  await sb.ok('rm /etc/netns/web/extra && rmdir /etc/netns/web');
  await sb.ok('pont run -d --name w2 alpine sleep 300 && pont rm -f w2');
  t.is((await sb.ok('ls -A /etc/netns')).trim(), '');
});

sandboxTest('--dry-run shows the process as pont starts it (env -i and the environment) and every kill rm -f does', async (t, sb) => {
  const run = await sb.ok(`pont run --dry-run -d --name d1 --hostname h1 -e 'GREETING=a b' alpine sh -c 'echo "$GREETING"'`);
  const line = run.split('\n').find((l) => l.includes('unshare'));
  t.is(line, `ip netns exec d1 unshare --uts sh -c 'umount -l -c /run/netns 2>/dev/null; hostname "$0" && exec "$@"' h1 setpriv --bounding-set -all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap -- env -i --default-signal=INT,QUIT -- PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME=h1 'GREETING=a b' HOME=/root sh -c 'echo "$GREETING"' </dev/null &`);
  // the environment part is what the process really gets
  await sb.ok(`pont run -d --name d1 --hostname h1 -e 'GREETING=a b' alpine sleep 300`);
  const rec = JSON.parse(await sb.ok('cat /var/lib/pont/state.json')).containers.find((c: { name: string }) => c.name === 'd1');
  // a loaded machine may catch the process still in its exec chain (ip netns exec, unshare, setpriv, env)
  await sb.ok(`for i in $(seq 100); do [ "$(cat /proc/${rec.pid}/comm)" = sleep ] && exit 0; sleep 0.05; done; exit 1`);
  t.is((await sb.ok(`tr '\\0' '\\n' < /proc/${rec.pid}/environ`)).trim(), 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=h1\nGREETING=a b\nHOME=/root');

  const rm = (await sb.ok('pont rm -f --dry-run d1')).split('\n');
  const at = rm.indexOf(`kill -9 ${rec.monitorPid}`);
  t.true(at > 0, rm.join('\n'));
  t.deepEqual(rm.slice(at - 1, at + 5), [
    `# only if field 22 (start time) of /proc/${rec.monitorPid}/stat is still ${rec.monitorPidStart}`,
    `kill -9 ${rec.monitorPid}`,
    `# its process group, if the monitor or ${rec.pid} (one of the group) passed the check`,
    `kill -9 -- -${rec.monitorPid}`,
    `# only if field 22 (start time) of /proc/${rec.pid}/stat is still ${rec.pidStart}`,
    `kill -9 ${rec.pid}`,
  ]);
  // and the monitor does lead that group
  t.is((await sb.ok(`ps -o pgid= -p ${rec.pid}`)).trim(), String(rec.monitorPid));
  t.is((await sb.ok(`cut -d' ' -f22 /proc/${rec.pid}/stat`)).trim(), String(rec.pidStart));
});

sandboxTest("an `ip netns add` after pont's containers hides none of them: ip netns exec works and rm deletes them", async (t, sb) => {
  await sb.ok('pont run -d --name web alpine sleep 300');
  // iproute2 binds /run/netns onto itself on first use when it is not a mount point yet: pont made it one first
  await sb.ok('ip netns add other');
  t.regex(await sb.ok('ip netns exec web ip -br addr show eth0'), /172\.17\.0\.2\/16/);
  await sb.ok('pont rm -f web');
  t.is((await sb.ok('ip netns list')).trim(), 'other');
  t.regex(await sb.ok('findmnt -no PROPAGATION /run/netns'), /shared/);
});
