// An injected failure (PONT_FAIL_AT_STEP=N) at every step of every mutating command leaves the
// host exactly as before: links with their MAC, state, master and MTU, addresses and routes on
// the host and in every container, rules, the sysctls pont writes, namespaces, /etc/netns files,
// container processes and the store.
import type { ExecutionContext } from 'ava';
import { pontOrder, renderOrder } from '../../src/core/firewall/iptables/order.js';
import { sandboxTest, sandboxTestEachBackend } from '../helpers/root-test.js';
import { ROOT, type Sandbox } from '../helpers/sandbox.js';

const DEEP = [
  // links: name, MAC, flags (UP…), master, MTU, in the host and in each namespace; not carrier
  // (NO-CARRIER, LOWER_UP), which the kernel derives from a bridge's ports, after a delay
  `for ns in "" $(ip netns list | awk '{print $1}' | sort); do echo "== $ns"; ip \${ns:+-n $ns} -o link | sed -E 's/^[0-9]+: //; s/@if[0-9]+//; s/ qdisc \\S+//; s/ state \\S+//; s/ qlen [0-9]+//; s/link-netns \\S+//; s/ group \\S+//; s/NO-CARRIER,//; s/,LOWER_UP//'|sort; ip \${ns:+-n $ns} -4 -o addr | awk '{print $2, $4}' | sort; ip \${ns:+-n $ns} route | sed 's/ linkdown//' | sort; done`,
  'iptables-save | grep -v "^#" | sed "s/\\[[0-9]*:[0-9]*\\]//"',
  'sysctl -n net.ipv4.ip_forward; for f in /proc/sys/net/ipv4/conf/pont*/route_localnet; do [ -e "$f" ] && echo "$f $(cat $f)"; done; cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo no-br-nf',
  'find /etc/netns /run/pont/containers -mindepth 1 -type f 2>/dev/null | sort | xargs -r md5sum',
  // container processes: what pont started (the supervisor of DNS may come and go with need)
  'ps -eo args | grep -E "^(/bin/sh|sleep|busybox|node .*/(webserver|monitor))" | grep -v grep | sort',
  'md5sum < /var/lib/pont/state.json',
].join('; echo; ');

/** With pont's nftables table as sorted data (an undone deletion lists its chain last). */
const deep = async (sb: Sandbox) => `${await sb.ok(DEEP)}\n${await sb.nftTable()}`;

/**
 * `run` returns once the process is started; its exec chain (ip netns exec, unshare, setpriv, env)
 * may still be on its way to the command, which the process list would catch half-way.
 */
const settled = (sb: Sandbox) => sb.ok('for i in $(seq 200); do ps -eo args | grep -qE "^(setpriv|env -i|unshare|ip netns exec)" || exit 0; sleep 0.05; done; exit 1');

/**
 * `lastStepsKill`: the last steps of `rm -f`, from the one that kills the process (which nothing can
 * bring back) to the end (the namespace and the store): a failure there leaves everything as it
 * was but the process, and the next rm -f finishes the job.
 */
async function failEverywhere(t: ExecutionContext, sb: Sandbox, cmd: string, opts: { lastStepsKill?: number; killed?: string } = {}): Promise<number> {
  await settled(sb);
  const before = await deep(sb);
  const results: { n: number; after: string }[] = [];
  let steps = 0;
  for (let n = 1; n < 80; n++) {
    const r = await sb.pont(cmd, { env: { PONT_FAIL_AT_STEP: String(n) } });
    if (r.exitCode === 0) {
      steps = n - 1;
      break;
    }
    t.regex(r.stderr, new RegExp(`injected failure at step ${n}`), `${cmd}: failure at step ${n}`);
    results.push({ n, after: await deep(sb) });
    if (n === 79) throw new Error(`${cmd}: more than 80 steps?`);
  }
  // past the kill, the container's namespace is a new, empty one after the undo: leave it out too
  const noProcess = (s: string) => {
    let inKilled = false;
    return s
      .split('\n')
      .filter((l) => {
        if (l.startsWith('== ')) inKilled = l === `== ${opts.killed}`;
        else if (l === '') inKilled = false;
        return !inKilled && !/^(\/bin\/sh|sleep|busybox|node )/.test(l);
      })
      .join('\n');
  };
  for (const { n, after } of results) {
    const mayKill = opts.lastStepsKill !== undefined && n > steps - opts.lastStepsKill;
    if (mayKill) t.is(noProcess(after), noProcess(before), `${cmd}: failure at step ${n} of ${steps} left the host as it was, but the container's process and namespace`);
    else t.is(after, before, `${cmd}: failure at step ${n} of ${steps} left the host as it was`);
  }
  return steps;
}

sandboxTest('network create / rm / prune: a failure at any step changes nothing', async (t, sb) => {
  await sb.ok('pont network prune -f');
  t.true((await failEverywhere(t, sb, 'network create -o com.docker.network.bridge.enable_icc=false --internal iso')) >= 3);
  t.true((await failEverywhere(t, sb, 'network create --subnet 10.30.0.0/16 -o com.docker.network.driver.mtu=1400 web')) >= 3);
  t.true((await failEverywhere(t, sb, 'network rm iso')) >= 2);
  await sb.ok('pont network create spare');
  t.true((await failEverywhere(t, sb, 'network prune -f')) >= 2);
});

sandboxTestEachBackend('run (published ports, alias, DNS) and connect / disconnect: a failure at any step changes nothing', async (t, sb) => {
  await sb.ok('pont network create web && pont network create back && pont run -dit --name other --network web alpine');
  t.true((await failEverywhere(t, sb, 'run -d --name c1 --network web --network-alias www -p 8000:80 -p 127.0.0.1:5353:53/udp nginx')) >= 10);
  t.true((await failEverywhere(t, sb, 'network connect --alias api back c1')) >= 4);
  t.true((await failEverywhere(t, sb, 'network disconnect back c1')) >= 3);
  t.true((await failEverywhere(t, sb, 'network connect bridge c1')) >= 4);
});

// stop (and so restart) signals the process first, which nothing can undo (Docker neither): its
// steps are the monitor's, run when the process has exited; they are covered by start and rm here.
sandboxTestEachBackend('start / rm -f: a failure at any step changes nothing', async (t, sb) => {
  await sb.ok('pont network create web && pont run -d --name c1 --network web -p 8000:80 nginx && pont run -dit --name c2 --network web alpine');
  await sb.ok('pont stop c1');
  t.true((await failEverywhere(t, sb, 'start c1')) >= 3);
  // the kill, then the run directory's removal, the namespace's (lo down, two sysctls, netns del)
  // and the store's write come last
  t.true((await failEverywhere(t, sb, 'rm -f c2', { lastStepsKill: 6, killed: 'c2' })) >= 3);
  await sb.ok('pont stop c1');
  t.true((await failEverywhere(t, sb, 'rm c1')) >= 3);
});

// A command that deletes rules must know their order first (an undone deletion re-adds a rule at
// the end of its chain). While pont's firewall is sealed, that order comes from the seal, where
// the last command left it (core/firewall/iptables/order.ts), not from an iptables-save: each
// failure here starts sealed (a create and rm of a network seal again), and must leave pont's
// chains in their order — with the rules of three containers in one chain, the middle one deleted.
sandboxTest('iptables, sealed: rm -f, disconnect and network rm read no iptables-save, and a failure at any step of them puts the rules back in their order', async (t, sb) => {
  await sb.ok(`pont network create web && pont network create back && pont network create spare
    for c in c1 c2 c3; do pont run -dit --name $c --network web -p 127.0.0.1::80 alpine >/dev/null; done
    pont network connect back c3
    mkdir -p /run/spy && printf '#!/bin/sh\\necho called >> /run/spy/calls\\nexec /usr/sbin/iptables-save "$@"\\n' > /run/spy/iptables-save && chmod +x /run/spy/iptables-save`);
  const rules = () => sb.ok('iptables-save | grep -v "^#" | sed "s/\\[[0-9]*:[0-9]*\\]//"');
  const spied = { PATH: `/run/spy:${ROOT}/bin:/usr/sbin:/usr/bin:/sbin:/bin` };
  for (const cmd of ['rm -f c2', 'network disconnect back c3', 'network rm spare']) {
    for (let n = 1; ; n++) {
      await sb.ok('pont network create sealer >/dev/null && pont network rm sealer >/dev/null && rm -f /run/spy/calls');
      // the seal carries the order, and it is the kernel's
      const seal = await sb.ok('cat /run/pont/firewall.seal');
      t.is(renderOrder(pontOrder(seal.slice(seal.indexOf('\n') + 1))), renderOrder(pontOrder(await sb.ok('iptables-save'))), `${cmd}: the seal's order is the kernel's`);
      const before = await rules();
      const r = await sb.pont(cmd, { env: { PONT_FAIL_AT_STEP: String(n), ...spied } });
      const saves = (await sb.sh('cat /run/spy/calls')).stdout.split('\n').filter(Boolean).length;
      if (r.exitCode === 0) {
        t.is(saves, 0, `${cmd}: no iptables-save`);
        t.true(n > 3, `${cmd}: ${n - 1} steps`);
        break;
      }
      t.regex(r.stderr, new RegExp(`injected failure at step ${n}`));
      // the undo's own: the order restored is compared with the kernel's after the undo
      t.true(saves <= 1, `${cmd}: failure at step ${n}: ${saves} iptables-save`);
      t.is(await rules(), before, `${cmd}: failure at step ${n}: the rules as they were, in their order`);
    }
  }
  t.regex(await rules(), /-j DNAT --to-destination 172\.18\.0\.2:80\n-A PONT .*-j DNAT --to-destination 172\.18\.0\.4:80\n/);
});
