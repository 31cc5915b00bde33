// /_ping, /version, /info (clients negotiate the API version from them), /events, and the
// answers for what pont does not have (volumes, plugins) that clients ask before they give up.
import { cpus, hostname, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { BUILTIN_IMAGES } from '../../core/images.js';
import { readState } from '../door.js';
import { badRequest, notFound } from '../errors.js';
import type { DockerEvent, EventLog } from '../events.js';
import { DOCKER_HEADERS, filterList, sendJson } from '../request.js';
import { route, type Route } from '../router.js';
import { API_VERSION, ENGINE_VERSION, MIN_API_VERSION, PONT_VERSION } from '../version.js';

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

/** `since`/`until` as Docker takes them: seconds, with an optional fraction; in nanoseconds. */
function timeNano(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^\d+(\.\d{1,9})?$/.test(v)) throw badRequest(`failed to parse value ${v} as a timestamp`);
  const [s, f = ''] = v.split('.');
  return Number(s) * 1e9 + Number(f.padEnd(9, '0'));
}

/** The /events filters pont's events can match: type, event (action), container, network, label. */
function eventFilter(list: string[]): (e: DockerEvent) => boolean {
  const by = new Map<string, string[]>();
  for (const item of list) {
    const i = item.indexOf('=');
    const k = item.slice(0, i);
    if (!['type', 'event', 'container', 'network', 'label', 'image'].includes(k)) throw badRequest(`Invalid filter '${k}'`);
    by.set(k, [...(by.get(k) ?? []), item.slice(i + 1)]);
  }
  const any = (k: string, test: (v: string) => boolean) => !by.has(k) || by.get(k)!.some(test);
  return (e) =>
    any('type', (v) => v === e.Type) &&
    any('event', (v) => v === e.Action) &&
    any('container', (v) => e.Type === 'container' && (e.Actor.ID.startsWith(v) || e.Actor.Attributes.name === v)) &&
    any('network', (v) => e.Type === 'network' && (e.Actor.ID.startsWith(v) || e.Actor.Attributes.name === v)) &&
    any('image', (v) => e.Type === 'container' && e.Actor.Attributes.image === v) &&
    any('label', (v) => {
      const [k, val] = v.split('=');
      return Object.hasOwn(e.Actor.Attributes, k) && (val === undefined || e.Actor.Attributes[k] === val);
    });
}

export function systemRoutes(events: EventLog): Route[] {
  return [
    route('GET', '/_ping', async (_req, res) => {
      res.writeHead(200, { ...DOCKER_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Content-Length': 2 });
      res.end('OK');
    }),
    route('GET', '/version', async (_req, res) => {
      const common = { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: 'amd64', KernelVersion: release() };
      sendJson(res, 200, {
        Platform: { Name: 'pont' },
        Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ...common, GitCommit: '', GoVersion: '', BuildTime: '', Experimental: 'false' } }, { Name: 'pont', Version: PONT_VERSION, Details: { Node: process.version } }],
        Version: ENGINE_VERSION,
        ...common,
        GitCommit: '',
        GoVersion: '',
        BuildTime: '',
      });
    }),
    route('GET', '/info', async (_req, res) => {
      const state = await readState();
      const running = state.containers.filter((c) => c.running).length;
      sendJson(res, 200, {
        ID: '',
        Containers: state.containers.length,
        ContainersRunning: running,
        ContainersPaused: 0,
        ContainersStopped: state.containers.length - running,
        Images: Object.keys(BUILTIN_IMAGES).length,
        Driver: 'pont',
        DriverStatus: [],
        Plugins: { Volume: null, Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay', 'cni'], Authorization: null, Log: null },
        MemoryLimit: false,
        SwapLimit: false,
        IPv4Forwarding: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '1',
        Debug: false,
        NFd: 0,
        NGoroutines: 0,
        SystemTime: new Date().toISOString(),
        LoggingDriver: 'pont',
        CgroupDriver: 'none',
        CgroupVersion: '',
        NEventsListener: 0,
        KernelVersion: release(),
        OperatingSystem: osName(),
        OSVersion: '',
        OSType: 'linux',
        Architecture: 'x86_64',
        IndexServerAddress: 'https://index.docker.io/v1/',
        RegistryConfig: null,
        NCPU: cpus().length,
        MemTotal: totalmem(),
        GenericResources: null,
        DockerRootDir: '/var/lib/pont',
        HttpProxy: '',
        HttpsProxy: '',
        NoProxy: '',
        Name: hostname(),
        Labels: [],
        ExperimentalBuild: false,
        ServerVersion: ENGINE_VERSION,
        Runtimes: {},
        DefaultRuntime: '',
        Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
        LiveRestoreEnabled: false,
        Isolation: '',
        InitBinary: '',
        ContainerdCommit: { ID: '', Expected: '' },
        RuncCommit: { ID: '', Expected: '' },
        InitCommit: { ID: '', Expected: '' },
        SecurityOptions: [],
        Warnings: null,
      });
    }),
    route('GET', '/events', async (req, res) => {
      const since = timeNano(req.query.get('since'));
      const until = timeNano(req.query.get('until'));
      const keep = eventFilter(filterList(req.query));
      res.writeHead(200, { ...DOCKER_HEADERS, 'Content-Type': 'application/json' });
      res.flushHeaders();
      const send = (e: DockerEvent) => {
        if (keep(e) && (until === undefined || e.timeNano <= until)) res.write(JSON.stringify(e) + '\n');
      };
      events.refresh();
      if (since !== undefined) for (const e of events.since(since)) send(e);
      const untilMs = until === undefined ? undefined : until / 1e6 - Date.now();
      if (untilMs !== undefined && untilMs <= 0) return void res.end();
      await new Promise<void>((resolve) => {
        const off = events.subscribe(send);
        const timer = untilMs === undefined ? null : setTimeout(finish, untilMs);
        res.once('close', finish);
        function finish() {
          off();
          if (timer) clearTimeout(timer);
          resolve();
        }
      });
      res.end();
    }),
    route('GET', '/volumes', async (_req, res) => sendJson(res, 200, { Volumes: [], Warnings: null })),
    route('GET', '/volumes/{name}', async (req) => {
      throw notFound(`get ${req.params.name}: no such volume`);
    }),
    route('GET', '/plugins/{name}/json', async (req) => {
      throw notFound(`plugin "${req.params.name}" not found`);
    }),
  ];
}

