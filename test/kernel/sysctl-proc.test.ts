// Which of pont's procfs instances a namespace's sysctls go through (kernel/sysctl-proc.ts): a
// pure hash of its name, the same in every command, spread over all the instances.
import test from 'ava';
import { shardOf } from '../../src/kernel/sysctl-proc.js';

test('a namespace has one shard, the same each time, and 500 container names spread over every shard', (t) => {
  t.is(shardOf('web'), shardOf('web'));
  const counts = new Map<number, number>();
  for (let i = 0; i < 500; i++) {
    const s = shardOf(`f${i}`);
    t.true(Number.isInteger(s) && s >= 0 && s < 16, String(s));
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  t.is(counts.size, 16, 'every shard used');
  // ~31 each: no shard holds the chain the instances are there to cut
  t.true(Math.max(...counts.values()) <= 60, JSON.stringify([...counts]));
});
