// pont as a CNI plugin: one invocation (environment + stdin) in, one JSON document on stdout
// and an exit code out. The request is parsed and checked here; the engine (engine/cni) does
// the work under the store's lock, as every pont command does.
//   ADD    → the result of the configuration's cniVersion (0.4.0, 1.0.0 or 1.1.0)
//   DEL    → nothing; success when the attachment is already gone
//   CHECK  → nothing, or an error naming what is missing
//   STATUS → nothing, or code 50 when pont's store cannot be read
//   GC     → nothing; stale attachments of the network removed
//   VERSION→ {cniVersion, supportedVersions}
import { DAEMON, PontError } from '../core/errors.js';
import type { Context } from '../engine/context.js';
import { CNI_CODE, CniError, renderError } from './errors.js';
import { type CniRequest, type Env, parseRequest, requestVersion } from './request.js';
import { renderResult, renderVersion } from './result.js';

export interface PluginOutput {
  stdout: string;
  exitCode: number;
}

/** Opens the engine's context for one request (the real one, or a test's) and closes it. */
export type WithContext = <T>(fn: (ctx: Context) => Promise<T>) => Promise<T>;

export async function runPlugin(env: Env, stdin: string, withContext: WithContext): Promise<PluginOutput> {
  let version = requestVersion(stdin);
  try {
    const req = parseRequest(env, stdin);
    version = req.command === 'VERSION' ? req.cniVersion : req.conf.cniVersion;
    const out = await handle(req, withContext);
    return { stdout: out === undefined ? '' : JSON.stringify(out) + '\n', exitCode: 0 };
  } catch (e) {
    return { stdout: JSON.stringify(renderError(version, asCniError(e))) + '\n', exitCode: 1 };
  }
}

async function handle(req: CniRequest, withContext: WithContext): Promise<unknown> {
  switch (req.command) {
    case 'VERSION':
      return renderVersion(req.cniVersion);
    case 'ADD': {
      const { cniAdd } = await import('../engine/cni/add.js');
      const a = req.attachment;
      const r = await withContext((ctx) => cniAdd(ctx, { network: req.conf.network, containerId: a.containerId, netnsPath: a.netnsPath, netns: a.netns, ifname: a.ifname, name: a.name, aliases: req.conf.aliases, ...(a.ip ? { ip: a.ip } : {}) }));
      return renderResult(req.conf.cniVersion, r, req.conf.prevResult);
    }
    case 'DEL': {
      const { cniDel } = await import('../engine/cni/del.js');
      await withContext((ctx) => cniDel(ctx, { network: req.conf.network, containerId: req.attachment.containerId, ifname: req.attachment.ifname }));
      return undefined;
    }
    case 'CHECK': {
      const { cniCheck } = await import('../engine/cni/check.js');
      const a = req.attachment;
      await withContext((ctx) => cniCheck(ctx, { network: req.conf.network, containerId: a.containerId, ifname: a.ifname, netns: a.netns }));
      return undefined;
    }
    case 'STATUS':
      await withContext(async (ctx) => {
        let found;
        try {
          found = ctx.store.read().networks.some((n) => n.name === req.conf.network || n.id === req.conf.network);
        } catch (e) {
          throw new CniError(CNI_CODE.unavailable, `pont's store cannot be read: ${(e as Error).message}`);
        }
        if (!found) throw new CniError(CNI_CODE.unavailable, `pont network ${req.conf.network} not found`, `create it: pont network create ${req.conf.network}`);
      });
      return undefined;
    case 'GC': {
      const { cniGc } = await import('../engine/cni/del.js');
      await withContext((ctx) => cniGc(ctx, { network: req.conf.network, valid: req.valid }));
      return undefined;
    }
  }
}

/** pont's own refusals keep their line (without Docker's daemon prefix); anything else is a bug's. */
export function asCniError(e: unknown): CniError {
  if (e instanceof CniError) return e;
  if (e instanceof PontError) {
    const msg = e.message.startsWith(DAEMON) ? e.message.slice(DAEMON.length) : e.message;
    return new CniError(CNI_CODE.pont, msg, e.hints.join('\n'));
  }
  return new CniError(CNI_CODE.pont, `pont failed: ${(e as Error)?.message ?? String(e)}`, (e as Error)?.stack ?? '');
}
