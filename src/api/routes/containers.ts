// /containers: create, start, stop, restart, kill, wait, remove, inspect, list, logs, attach —
// the engine's container verbs behind Docker's paths, with Docker's status codes and shapes.
import type { ServerResponse } from 'node:http';
import { constants } from 'node:os';
import type { Duplex } from 'node:stream';
import { builtinImage } from '../../core/images.js';
import type { ContainerRecord, State } from '../../core/model.js';
import { inspectContainer, psRow } from '../../core/present-container.js';
import { planContainerFilter } from '../../core/filters/container.js';
import { planPruneFilter } from '../../core/filters/prune.js';
import { compareTimes } from '../../core/collate.js';
import { findContainer } from '../../engine/lookup.js';
import { recordedExit } from '../../engine/container/exit-codes.js';
import { boundStopTimeout } from '../../engine/container/stop-timeout.js';
import { parseSignalName, supportsSignal, type Signal } from '../../core/signals.js';
import { RUN_DIR } from '../../kernel/run-dir.js';
import { mutate, readState } from '../door.js';
import { type ApiError, badRequest, notFound, toApiError } from '../errors.js';
import { containerEvent, type EventLog } from '../events.js';
import { boolQuery, DOCKER_HEADERS, filterList, intQuery, parseFilters, readJson, sendEmpty, sendJson } from '../request.js';
import { route, type Route } from '../router.js';
import { containerCreateRequest, unprefixed } from '../translate.js';
import { followLog, openStream, STREAM_HEADERS } from '../streams.js';
import { parseTail } from '../../engine/container/log-follow.js';
import { isSettled, settledWatch } from '../../engine/container/liveness.js';
import { imageId } from './images.js';

/** The container a path names, or Docker's 404. */
export function mustFind(state: State, ref: string): ContainerRecord {
  const c = findContainer(state, ref);
  if (!c) throw notFound(`No such container: ${ref}`);
  return c;
}

/** "alpine" → "alpine:latest", as Docker names an image it does not have. */
const withTag = (image: string) => (/:[\w.-]+$/.test(image.split('/').pop()!) ? image : `${image}:latest`);

/** A signal as `docker kill -s` takes it: KILL, SIGKILL, 9. */
export function parseSignal(value: string | null): Signal {
  if (value === null || value === '') return 'SIGKILL';
  const signal = parseSignalName(value);
  if (!signal) throw badRequest(`Invalid signal: ${value}`);
  return signal;
}

/** One row of GET /containers/json, as dockerd's types.Container. */
function listEntry(c: ContainerRecord, state: State, now: number): Record<string, unknown> {
  const row = psRow(c, state.networks, now, { noTrunc: true, ports: '' });
  const inspected = inspectContainer(c, state.networks, { run: RUN_DIR }) as { NetworkSettings: { Networks: Record<string, unknown> } };
  const published = new Set(c.running ? c.ports.map((p) => `${p.containerPort}/${p.proto}`) : []);
  const ports = [
    ...(c.running ? c.ports.map((p) => ({ IP: p.hostIp || '0.0.0.0', PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.proto })) : []),
    ...c.exposed.filter((e) => !published.has(e)).map((e) => ({ PrivatePort: Number(e.split('/')[0]), Type: e.split('/')[1] })),
  ];
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: c.image ? imageId(c.image) : '',
    Command: c.cmd.join(' '),
    Created: Math.floor(Date.parse(c.created) / 1000),
    Ports: ports,
    Labels: c.labels ?? {},
    State: row.State,
    Status: row.Status,
    HostConfig: { NetworkMode: c.networkMode },
    NetworkSettings: { Networks: inspected.NetworkSettings.Networks },
    Mounts: [],
  };
}


export function containerRoutes(events: EventLog): Route[] {
  /** `t` as Docker takes it, bounded as the CLI's -t (engine/container/stop-timeout.ts). */
  const stopTimeout = (q: URLSearchParams) => boundStopTimeout(intQuery(q, 't') ?? 10);
  const stopped = async (ref: string, timeout: number) => {
    const { stopContainer } = await import('../../engine/container/index.js');
    await mutate((ctx) => stopContainer(ctx, ref, timeout));
  };
  return [
    route('POST', '/containers/create', async (req, res) => {
      const { request, warnings } = containerCreateRequest(req.query.get('name'), await readJson(req.raw));
      const image = request.args[0];
      if (!builtinImage(image)) throw notFound(`No such image: ${withTag(image)}`);
      const { runContainer } = await import('../../engine/container/index.js');
      const { container, said } = await mutate(async (ctx, said) => ({ ...(await runContainer(ctx, request)), said: said.err })).catch((e) => {
        throw createError(e);
      });
      // Docker's CLI prints each as "WARNING: …", as pont's own CLI does
      sendJson(res, 201, { Id: container.id, Warnings: [...warnings, ...said.map(unprefixed)] });
    }),
    route('GET', '/containers/json', async (req, res) => {
      const keep = parseFilters(planContainerFilter, filterList(req.query));
      const state = await readState();
      const test = keep(state);
      const all = boolQuery(req.query, 'all');
      const limit = intQuery(req.query, 'limit') ?? -1;
      const now = Date.now();
      let list = state.containers.filter((c) => (all || c.running || limit > 0) && test(c)).sort((a, b) => compareTimes(b.created, a.created));
      if (limit > 0) list = list.slice(0, limit);
      sendJson(res, 200, list.map((c) => listEntry(c, state, now)));
    }),
    route('POST', '/containers/prune', async (req, res) => {
      const keep = parseFilters(planPruneFilter, filterList(req.query));
      const { pruneContainers } = await import('../../engine/container/index.js');
      const removed = await mutate((ctx) => pruneContainers(ctx, keep));
      // a pont container takes no disk space of its own
      sendJson(res, 200, { ContainersDeleted: removed.length ? removed : null, SpaceReclaimed: 0 });
    }),
    route('GET', '/containers/{id}/json', async (req, res) => {
      const state = await readState();
      sendJson(res, 200, inspectContainer(mustFind(state, req.params.id), state.networks, { run: RUN_DIR }));
    }),
    route('POST', '/containers/{id}/start', async (req, res) => {
      const c = mustFind(await readState(), req.params.id);
      if (c.running) return sendEmpty(res, 304);
      const { startContainer } = await import('../../engine/container/index.js');
      await mutate((ctx) => startContainer(ctx, c.id));
      sendEmpty(res, 204);
    }),
    route('POST', '/containers/{id}/stop', async (req, res) => {
      const c = mustFind(await readState(), req.params.id);
      if (!c.running) return sendEmpty(res, 304);
      events.say(containerEvent(c, 'kill', { signal: '15' }));
      await stopped(c.id, stopTimeout(req.query));
      events.refresh();
      events.say(containerEvent(c, 'stop'));
      sendEmpty(res, 204);
    }),
    route('POST', '/containers/{id}/restart', async (req, res) => {
      const c = mustFind(await readState(), req.params.id);
      await stopped(c.id, stopTimeout(req.query));
      const { startContainer } = await import('../../engine/container/index.js');
      await mutate((ctx) => startContainer(ctx, c.id));
      events.refresh();
      events.say(containerEvent(c, 'restart'));
      sendEmpty(res, 204);
    }),
    route('POST', '/containers/{id}/kill', async (req, res) => {
      const signal = parseSignal(req.query.get('signal'));
      // the engine finds the container by the name given: its errors name it as dockerd's do
      const c = findContainer(await readState(), req.params.id);
      const { killContainer } = await import('../../engine/container/kill.js');
      // dockerd says it once the signal is known to be one this platform has
      const number = typeof signal === 'number' ? signal : (constants.signals as Record<string, number>)[signal];
      if (c?.running && supportsSignal(signal)) events.say(containerEvent(c, 'kill', { signal: String(number) }));
      await mutate((ctx) => killContainer(ctx, req.params.id, signal));
      sendEmpty(res, 204);
    }),
    route('POST', '/containers/{id}/wait', async (req, res) => {
      const condition = req.query.get('condition') || 'not-running';
      if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw badRequest(`invalid condition: "${condition}"`);
      const c = mustFind(await readState(), req.params.id);
      // headers first, as dockerd: the client knows the wait is in place before it starts the container
      res.writeHead(200, { ...DOCKER_HEADERS, 'Content-Type': 'application/json' });
      res.flushHeaders();
      const code = await waitFor(events, c, condition as 'not-running' | 'next-exit' | 'removed', res);
      if (code !== null) res.end(JSON.stringify({ StatusCode: code, Error: null }) + '\n');
    }),
    route('DELETE', '/containers/{id}', async (req, res) => {
      const c = mustFind(await readState(), req.params.id);
      const force = boolQuery(req.query, 'force');
      if (boolQuery(req.query, 'link')) throw badRequest('pont containers have no links to remove');
      const { removeContainer } = await import('../../engine/container/rm.js');
      if (c.running && force) events.say(containerEvent(c, 'kill', { signal: '9' }));
      await mutate((ctx) => removeContainer(ctx, c.id, force));
      sendEmpty(res, 204);
    }),
    route('GET', '/containers/{id}/logs', async (req, res) => {
      const c = mustFind(await readState(), req.params.id);
      const stdout = boolQuery(req.query, 'stdout');
      const stderr = boolQuery(req.query, 'stderr');
      if (!stdout && !stderr) throw badRequest('Bad parameters: you must choose at least one stream');
      const tail = parseTail(req.query.get('tail'));
      res.writeHead(200, STREAM_HEADERS);
      await followLog(c, { tail, follow: boolQuery(req.query, 'follow'), tty: c.tty, events: settledWatch(events, c.id, fresh(events)) }, res);
      res.end();
    }),
    route(
      'POST',
      '/containers/{id}/attach',
      async () => {
        throw badRequest('attach needs a hijacked connection (Upgrade: tcp)');
      },
      async (req, socket) => {
        const c = mustFind(await readState(), req.params.id);
        openStream(socket);
        events.say(containerEvent(c, 'attach'));
        if (!boolQuery(req.query, 'stream')) return void socket.end();
        // the container's output as it is logged: what it wrote since its start, then what follows
        await followLog(c, { follow: true, tty: c.tty, events: settledWatch(events, c.id, fresh(events)), onlyNew: true }, socket);
        socket.end();
      },
    ),
    route('POST', '/containers/{id}/resize', async (req, res) => {
      mustFind(await readState(), req.params.id);
      sendEmpty(res, 200);
    }),
  ];
}


/**
 * pont refuses at create what dockerd refuses at start (D-failed-run-leaves-nothing). A 404 from
 * create means "no such image" to every client (the docker CLI and docker-py pull, then create
 * again), so a missing network or container named in the request is a bad request here.
 */
function createError(e: unknown): ApiError {
  const err = toApiError(e);
  return err.status === 404 ? badRequest(err.message) : err;
}

/** The store read now, through the event log (which then says what changed). */
const fresh = (events: EventLog) => (): State => {
  events.refresh();
  return events.current();
};

/**
 * Resolves with the exit code when the condition holds: not-running (now, if it is not), next-exit
 * (the next exit after this call), removed (gone from the store). Null if the client left.
 */
function waitFor(events: EventLog, c: ContainerRecord, condition: 'not-running' | 'next-exit' | 'removed', res: ServerResponse | Duplex): Promise<number | null> {
  return new Promise((resolve) => {
    const finishedAt = c.finishedAt;
    let lastCode = c.exitCode;
    const check = (state: State): boolean => {
      const now = state.containers.find((x) => x.id === c.id);
      if (now) lastCode = now.exitCode;
      // a --rm container leaves the store as it exits: its code was recorded on the way out
      else lastCode = recordedExit(c.id) ?? lastCode;
      // a --rm container whose processes died outside pont: the next command forgets it (engine/world.ts)
      if (condition === 'removed') return !now || (now.autoRemove && isSettled(now));
      if (!now) return true;
      if (condition === 'not-running') return !now.running;
      return !now.running && now.finishedAt !== finishedAt;
    };
    let off = () => {};
    const done = (code: number | null) => {
      off();
      resolve(code);
    };
    res.once('close', () => done(null));
    // a container whose process and monitor died outside pont stops too (liveness.ts)
    const watch = settledWatch(events, c.id, fresh(events));
    off = watch.onChange((state) => {
      if (check(state)) done(lastCode);
    });
    // the state as the event log last read it
    if (condition !== 'next-exit' && check(watch.current())) done(lastCode);
  });
}
