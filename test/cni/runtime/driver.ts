// Runs one chain operation in the process's own namespaces, for integration tests that must run
// the plugins inside a sandbox: `node driver.js` with a JSON request on stdin, run through
// `sb.sh`. Prints {"result": …} or {"error": message, "plugin"?, "code"?}; exits 0 either way.
import { readFileSync } from 'node:fs';
import { addNetworkList, checkNetworkList, CniError, delNetworkList, explainNetworkList, gcNetworkList, type ChainOptions, type CniRuntime } from '../../../src/cni/runtime/chain.js';
import { loadConfList } from '../../../src/cni/runtime/config.js';

export interface DriverRequest {
  op: 'ADD' | 'DEL' | 'CHECK' | 'GC' | 'EXPLAIN-ADD';
  /** path or name of the configuration list */
  list: string;
  confDir?: string;
  rt: CniRuntime;
  opts: ChainOptions;
  valid?: { containerId: string; ifname: string }[];
}

async function run(req: DriverRequest): Promise<unknown> {
  const list = loadConfList(req.list, req.confDir);
  switch (req.op) {
    case 'ADD':
      return addNetworkList(list, req.rt, req.opts);
    case 'DEL':
      return delNetworkList(list, req.rt, req.opts);
    case 'CHECK':
      return checkNetworkList(list, req.rt, req.opts);
    case 'GC':
      return gcNetworkList(list, req.valid ?? [], req.opts);
    case 'EXPLAIN-ADD':
      return explainNetworkList('ADD', list, req.rt, req.opts);
  }
}

const req = JSON.parse(readFileSync(0, 'utf8')) as DriverRequest;
try {
  process.stdout.write(JSON.stringify({ result: (await run(req)) ?? null }));
} catch (e) {
  const err = e as Error;
  process.stdout.write(JSON.stringify({ error: err.message, ...(e instanceof CniError ? { plugin: e.plugin, code: e.code } : {}) }));
}
