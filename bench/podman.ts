// Issue 13: pont's CLI against Podman with netavark (Debian's Podman 4.3, netavark 1.4,
// aardvark-dns 1.4), the daemonless runtime closest to pont's design: every command a whole
// process that finds its state on disk. `node dist/bench/podman.js [--iterations 11]` (root).
// Two sandboxes: pont's, and one for Podman, rootful, wholly in the sandbox's tmpfs /run: storage
// (vfs), run root, tmp dir, network configs and netavark's state, named by a containers.conf of
// its own (CONTAINERS_CONF); runc (crun refuses cgroups v1+v2 hybrids), cgroupfs under a parent of
// this run's, removed at the end; image: a busybox root imported (no registry). Podman's DNS stays
// its default for a user network: aardvark-dns, checked running and in the container's resolv.conf.
// Each holds networks `big` and `side`, container `c1` on `big` and `roamer` on `side`. Then 1
// warm-up and ITER measured rounds, the two alternated (their order turned each round, so a change
// in the machine's load falls on both alike), each round timing every verb once as a whole
// process, inside its sandbox, with bash's $EPOCHREALTIME.
// pont's CPU time is shown beside, being far less load-dependent.
// Goal: run -d ≤ 0.8× Podman's; the other verbs are shown for information.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { isMain, machineLine, median, ms, ok, PontBox, printTable, type Row, runAlone, type Shell, timed, times } from './lib.js';

const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '11' } }, strict: false });
const ITER = Number(args.iterations);
const GOAL = 0.8;
const W = '/run/podman-bench';
const NETAVARK = '/usr/lib/podman/netavark';
const CGROUP_PARENT = `pont-bench-podman-${process.pid}`;

interface Engine {
  name: string;
  shell: Shell;
  cli: string;
  img: string;
  /** What `run` adds before the image (Podman: the cgroup parent this run removes at the end). */
  runFlags: string;
  /** What `rm -f` adds: Podman waits 10 s for a stop signal's effect unless told -t 0. */
  rmFlags: string;
}

/** Each verb as one shell line, given the engine and the round's number. */
const VERBS: { key: string; label: string; line: (e: Engine, i: number) => string; goal?: number }[] = [
  { key: 'run', label: 'run -d --network big', line: (e, i) => `${e.cli} run -d${e.runFlags} --name x${i} --network big ${e.img} sleep 600`, goal: GOAL },
  { key: 'rm', label: 'rm -f <ctr>', line: (e, i) => `${e.cli} rm -f${e.rmFlags} x${i}` },
  { key: 'create', label: 'network create', line: (e, i) => `${e.cli} network create n${i}` },
  { key: 'netrm', label: 'network rm', line: (e, i) => `${e.cli} network rm n${i}` },
  { key: 'connect', label: 'network connect', line: (e) => `${e.cli} network connect big roamer` },
  { key: 'disconnect', label: 'network disconnect', line: (e) => `${e.cli} network disconnect big roamer` },
];

/** Why Podman cannot run here, or null. */
function podmanUnavailable(): string | null {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`], { stdio: 'ignore' }).status === 0;
  const missing = ['podman', 'runc', 'conmon', 'busybox', NETAVARK, '/usr/lib/podman/aardvark-dns'].filter((c) => !has(c));
  return missing.length ? `needs ${missing.join(', ')} (scripts/setup.sh --for-tests installs them)` : null;
}

/** Podman's shell: its own containers.conf, and a tmp dir in the sandbox (import writes there). */
function podmanShell(box: PontBox): Shell {
  const env = { CONTAINERS_CONF: `${W}/containers.conf`, TMPDIR: `${W}/tmp` };
  return { sh: (command, opts = {}) => box.sh(command, { ...opts, env }) };
}

const PODMAN = `podman --root ${W}/root --runroot ${W}/runroot --storage-driver vfs`;

/** Podman's configuration and its image, in the sandbox; returns what `podman info` says it runs. */
async function setUpPodman(s: Shell): Promise<string> {
  await ok(s, `set -e
mkdir -p ${W}/networks ${W}/root ${W}/runroot ${W}/tmp ${W}/rootfs/bin ${W}/rootfs/etc ${W}/rootfs/proc ${W}/rootfs/sys ${W}/rootfs/dev ${W}/rootfs/tmp
cp "$(command -v busybox)" ${W}/rootfs/bin/busybox
for a in $(busybox --list); do [ "$a" = busybox ] || ln -s busybox ${W}/rootfs/bin/$a; done
cat > ${W}/containers.conf <<EOC
[network]
network_backend = "netavark"
network_config_dir = "${W}/networks"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
tmp_dir = "${W}/tmp"
EOC
tar -C ${W}/rootfs -cf ${W}/rootfs.tar .
${PODMAN} import ${W}/rootfs.tar localhost/bb >/dev/null`);
  const info = (await ok(s, `${PODMAN} info --format '{{.Host.NetworkBackend}} {{.Host.OCIRuntime.Name}} {{.Host.CgroupManager}} {{.Store.GraphDriverName}}'`)).trim();
  if (!info.startsWith('netavark ')) throw new Error(`podman runs network backend "${info.split(' ')[0]}", not netavark`);
  return info;
}

/** Podman's DNS as a user network has it by default: aardvark-dns running, the gateway first in c1's resolv.conf. */
async function checkAardvark(s: Shell): Promise<string> {
  const gw = (await ok(s, `${PODMAN} network inspect big --format '{{(index .Subnets 0).Gateway}} {{.DNSEnabled}}'`)).trim();
  const first = (await ok(s, `${PODMAN} exec c1 awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf`)).trim();
  const running = (await s.sh('pgrep -x aardvark-dns')).exitCode === 0;
  if (!gw.endsWith(' true') || first !== gw.split(' ')[0] || !running) {
    throw new Error(`podman's DNS is not aardvark's: network big "${gw}", c1's first nameserver ${first}, aardvark-dns ${running ? 'running' : 'not running'}`);
  }
  return `aardvark-dns running, c1's resolver ${first} (big's gateway)`;
}

async function setup(e: Engine): Promise<void> {
  await ok(e.shell, `set -e
    ${e.cli} network create big >/dev/null; ${e.cli} network create side >/dev/null
    ${e.cli} run -d${e.runFlags} --name c1 --network big ${e.img} sleep 3600 >/dev/null
    ${e.cli} run -d${e.runFlags} --name roamer --network side ${e.img} sleep 3600 >/dev/null`);
}

/** Podman's containers stopped, then the cgroups cgroupfs left in the host's hierarchy (empty directories). */
const cleanUpPodman = (s: Shell) =>
  s.sh(`${PODMAN} rm -a -f -t 0 >/dev/null 2>&1
for c in /sys/fs/cgroup/*/${CGROUP_PARENT}; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \\; ; done; true`);

/** One round of every verb; round 0 is the warm-up. */
const round = (e: Engine, i: number) => VERBS.map((v) => `tm ${i === 0 ? 'warm' : 't'}-${v.key} ${v.line(e, i)}`).join('\n');

export async function bench(): Promise<Row[]> {
  console.log(`== podman: the pont CLI against Podman 4.3 with netavark, ${ITER} alternated rounds after 1 warm-up ==`);
  console.log(machineLine());
  const why = podmanUnavailable();
  if (why) {
    console.log(`podman skipped: ${why}`);
    return [{ bench: 'podman', metric: 'run -d, median', pont: 'n/a', docker: 'n/a', value: 'n/a', goal: `≤ ${GOAL.toFixed(2)}× podman`, met: null }];
  }
  const boxes: PontBox[] = [];
  let podman: Shell | null = null;
  try {
    boxes.push(await PontBox.create(), await PontBox.create());
    podman = podmanShell(boxes[1]);
    const engines: Engine[] = [
      { name: 'pont', shell: boxes[0], cli: 'pont', img: 'alpine', runFlags: '', rmFlags: '' },
      { name: 'podman', shell: podman, cli: PODMAN, img: 'localhost/bb', runFlags: ` --cgroup-parent /${CGROUP_PARENT}`, rmFlags: ' -t 0' },
    ];
    const info = await setUpPodman(podman);
    const netavark = (await ok(podman, `${NETAVARK} --version`)).trim();
    for (const e of engines) await setup(e);
    console.log(`podman: ${info.replace(/ /g, ', ')} (${netavark}); ${await checkAardvark(podman)}`);
    const acc = engines.map(() => new Map<string, number[]>());
    for (let i = 0; i <= ITER; i++) {
      for (let j = 0; j < engines.length; j++) {
        const k = (i + j) % engines.length;
        for (const [key, v] of await timed(engines[k].shell, round(engines[k], i))) acc[k].set(key, [...(acc[k].get(key) ?? []), ...v]);
      }
    }
    const medians = (m: Map<string, number[]>, prefix: string) => Object.fromEntries(VERBS.map((v) => [v.key, median(m.get(`${prefix}t-${v.key}`) ?? [])]));
    const [p, pm] = acc.map((m) => medians(m, ''));
    const pcpu = medians(acc[0], 'cpu:');
    console.log(machineLine());
    printTable(
      ['verb', 'pont', 'podman', 'pont/podman', 'goal', 'met', 'pont cpu'],
      VERBS.map((v) => {
        const r = p[v.key] / pm[v.key];
        return [v.label, ms(p[v.key]), ms(pm[v.key]), times(r), v.goal ? `≤ ${v.goal.toFixed(2)}×` : '', v.goal ? (r <= v.goal ? 'yes' : 'NO') : '', ms(pcpu[v.key])];
      }),
    );
    // Podman's CPU time is not shown: conmon, which does much of its work, is not waited for
    console.log(`(medians of ${ITER}; pont cpu: user + sys with the children it waits for; podman's rm is rm -f -t 0; its run includes its cgroups, which pont does not make)`);
    return VERBS.map((v) => {
      const r = p[v.key] / pm[v.key];
      return {
        bench: 'podman',
        metric: `${v.label}, median`,
        pont: ms(p[v.key]),
        docker: `${ms(pm[v.key])} (podman)`,
        value: times(r),
        goal: v.goal ? `≤ ${v.goal.toFixed(2)}× podman` : '',
        met: v.goal ? r <= v.goal : null,
      };
    });
  } finally {
    if (podman) await cleanUpPodman(podman);
    await Promise.all(boxes.map((b) => b.destroy()));
  }
}

if (isMain(import.meta.url)) await runAlone('podman', bench);
