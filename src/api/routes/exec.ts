// /containers/{id}/exec, /exec/{id}/start, /exec/{id}/json: a command in a running container,
// its output streamed on the hijacked connection (multiplexed frames, or raw with a TTY), its
// stdin from the client when attached, its exit code kept for the client to ask.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import type { Duplex, Writable } from 'node:stream';
import { DEFAULT_PATH } from '../../core/env.js';
import { readState } from '../door.js';
import { ApiError, badRequest, conflict, notFound } from '../errors.js';
import { readJson, sendEmpty, sendJson } from '../request.js';
import { route, type Route } from '../router.js';
import { frame, openStream, STREAM_HEADERS } from '../streams.js';
import { envList, strings } from '../translate.js';
import { containerEvent, type EventLog } from '../events.js';
import { mustFind } from './containers.js';

interface Exec {
  id: string;
  containerId: string;
  cmd: string[];
  env: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  running: boolean;
  started: boolean;
  pid: number;
  exitCode: number | null;
}

/** Exec instances live as long as the service (Docker forgets them some time after they end). */
const execs = new Map<string, Exec>();
const MAX_KEPT = 1000;


function mustFindExec(id: string): Exec {
  const e = execs.get(id);
  if (!e) throw notFound(`No such exec instance: ${id}`);
  return e;
}

/**
 * Marks the exec started (a second start is refused from here on) and returns the argv of its
 * process: its container must still be there and running (Docker's 409 otherwise).
 */
async function prepareExec(e: Exec): Promise<string[]> {
  if (e.started) throw conflict(`Exec command ${e.id} has already run`);
  e.started = true;
  const state = await readState();
  const ctr = state.containers.find((c) => c.id === e.containerId);
  if (!ctr) throw notFound(`No such container: ${e.containerId}`);
  const { execArgv } = await import('../../engine/container/exec.js');
  return execArgv(ctr, e.cmd, { tty: e.tty, pty: e.tty, env: e.env });
}

/** Runs the exec's process, its output to `out` (framed unless a TTY); resolves at its exit. */
async function runExec(e: Exec, argv: string[], out: Writable | null, input: Duplex | null): Promise<void> {
  e.running = true;
  const child = spawn(argv[0], argv.slice(1), { stdio: [input && e.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { PATH: DEFAULT_PATH }, detached: !out });
  e.pid = child.pid ?? 0;
  const send = (stream: 1 | 2) => (data: Buffer) => {
    if (!out || out.destroyed) return;
    if (stream === 1 ? !e.stdout : !e.stderr) return;
    out.write(e.tty ? data : frame(stream, data));
  };
  child.stdout!.on('data', send(1));
  child.stderr!.on('data', send(2));
  if (input && child.stdin) {
    input.pipe(child.stdin);
    child.stdin.on('error', () => {});
  }
  await new Promise<void>((resolve) => {
    child.on('error', () => {
      e.exitCode = 126;
      resolve();
    });
    child.on('close', (code, sig) => {
      e.exitCode = code ?? (sig ? signalled(sig) : 1);
      resolve();
    });
  });
  e.running = false;
  if (input && child.stdin) input.unpipe(child.stdin);
}

/** 128 + the signal's number, as a shell reports a command a signal ended. */
const signalled = (sig: NodeJS.Signals) => 128 + ((constants.signals as Record<string, number>)[sig] ?? 0);

/** The exec routes; each exec says exec_create, exec_start and exec_die, as dockerd's do. */
export function execRoutes(events: EventLog): Route[] {
  const say = (e: Exec, action: string, extra: Record<string, string> = {}) => {
    const c = events.current().containers.find((x) => x.id === e.containerId);
    if (c) events.say(containerEvent(c, action, { execID: e.id, ...extra }));
  };
  const exec = (e: Exec, argv: string[], out: Writable | null, input: Duplex | null) => {
    say(e, `exec_start: ${e.cmd.join(' ')}`);
    return runExec(e, argv, out, input).finally(() => say(e, 'exec_die', { exitCode: String(e.exitCode ?? -1) }));
  };
  return [
    route('POST', '/containers/{id}/exec', async (req, res) => {
      const b = ((await readJson(req.raw)) ?? {}) as Record<string, unknown>;
      const cmd = strings(b.Cmd, 'Cmd');
      if (!cmd.length) throw badRequest('No exec command specified');
      const state = await readState();
      const c = mustFind(state, req.params.id);
      if (!c.running) throw conflict(`Container ${c.id} is not running`);
      if (typeof b.User === 'string' && b.User !== '' && b.User !== 'root' && b.User !== '0') throw badRequest('pont runs exec as root: User is not supported');
      const env = envList(b.Env, 'keep');
      const id = randomBytes(32).toString('hex');
      // the oldest finished instance makes room; with MAX_KEPT running, no more
      if (execs.size >= MAX_KEPT) {
        const done = [...execs.values()].find((x) => !x.running && (x.started || x.exitCode !== null));
        if (!done) throw new ApiError(503, `${MAX_KEPT} exec instances are kept already: wait for some to finish`);
        execs.delete(done.id);
      }
      execs.set(id, {
        id, containerId: c.id, cmd, env, tty: b.Tty === true, stdin: b.AttachStdin === true, stdout: b.AttachStdout === true, stderr: b.AttachStderr === true,
        running: false, started: false, pid: 0, exitCode: null,
      });
      say(execs.get(id)!, `exec_create: ${cmd.join(' ')}`);
      sendJson(res, 201, { Id: id });
    }),
    route(
      'POST',
      '/exec/{id}/start',
      async (req, res) => {
        // not hijacked: detached, or the output as the response body
        const e = mustFindExec(req.params.id);
        const b = ((await readJson(req.raw)) ?? {}) as Record<string, unknown>;
        const argv = await prepareExec(e);
        if (b.Detach === true) {
          exec(e, argv, null, null).catch(() => {});
          return sendEmpty(res, 200);
        }
        res.writeHead(200, STREAM_HEADERS);
        await exec(e, argv, res, null);
        res.end();
      },
      async (req, socket, body) => {
        const e = mustFindExec(req.params.id);
        let b: Record<string, unknown>;
        try {
          b = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
        } catch (err) {
          throw badRequest(`invalid JSON: ${(err as Error).message}`);
        }
        // refusals (a stopped container, a second start) are answered before the stream opens
        const argv = await prepareExec(e);
        openStream(socket);
        if (b?.Detach === true) {
          exec(e, argv, null, null).catch(() => {});
          return void socket.end();
        }
        await exec(e, argv, socket, socket);
        socket.end();
      },
    ),
    route('GET', '/exec/{id}/json', async (req, res) => {
      const e = mustFindExec(req.params.id);
      sendJson(res, 200, {
        CanRemove: false,
        ContainerID: e.containerId,
        DetachKeys: '',
        ExitCode: e.exitCode,
        ID: e.id,
        OpenStderr: e.stderr,
        OpenStdin: e.stdin,
        OpenStdout: e.stdout,
        ProcessConfig: { arguments: e.cmd.slice(1), entrypoint: e.cmd[0], privileged: false, tty: e.tty, user: '' },
        Running: e.running,
        Pid: e.pid,
      });
    }),
    route('POST', '/exec/{id}/resize', async (req, res) => {
      mustFindExec(req.params.id);
      sendEmpty(res, 201);
    }),
  ];
}

