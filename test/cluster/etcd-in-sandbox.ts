// Runs inside a test sandbox, where etcd listens: serves the test process's calls to one Etcd
// client over stdin/stdout, one JSON line each way (see remote-etcd.ts, the other end).
//   in:  {"id":1,"method":"put","args":["/k","v"]}   {"id":2,"watch":["/k/",5]}   {"id":3,"cancel":2}
//   out: {"id":1,"result":7}   {"id":1,"error":{...}}   {"watch":2,"events":[...],"revision":9}   {"watch":2,"error":{...}}
// The process ends when its stdin does.
import { createInterface } from 'node:readline';
import { Etcd, type EtcdEndpoint } from '../../src/cluster/etcd.js';

const { endpoints, timeoutMs } = JSON.parse(process.argv[2]) as { endpoints: EtcdEndpoint[]; timeoutMs?: number };
const etcd = new Etcd(endpoints, { timeoutMs });
const watches = new Map<number, () => void>();

const send = (msg: unknown) => process.stdout.write(JSON.stringify(msg) + '\n');
const errorOf = (e: unknown) => {
  const x = e as Error & Record<string, unknown>;
  return { name: x.name, message: x.message, category: x.category, code: x.code, compacted: x.compacted, compactRevision: x.compactRevision };
};

type Request = { id: number; method?: string; args?: unknown[]; watch?: [string, number]; cancel?: number };

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const r = JSON.parse(line) as Request;
    if (r.watch) {
      const cancel = etcd.watch(
        ...r.watch,
        (events, revision) => send({ watch: r.id, events, revision }),
        (e) => send({ watch: r.id, error: errorOf(e) }),
      );
      watches.set(r.id, cancel);
      return;
    }
    if (r.cancel !== undefined) {
      watches.get(r.cancel)?.();
      return send({ id: r.id });
    }
    const method = (etcd as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[r.method!];
    method.apply(etcd, r.args ?? []).then(
      (result) => send({ id: r.id, result }),
      (e) => send({ id: r.id, error: errorOf(e) }),
    );
  })
  .on('close', () => etcd.close());
