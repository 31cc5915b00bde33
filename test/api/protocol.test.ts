// The wire: API versions in paths, routes, query values and filters as clients send them, the
// multiplexed stream's frames, a log's last lines.
import test from 'ava';
import { compareVersions, splitVersion } from '../../src/api/version.js';
import { match, route } from '../../src/api/router.js';
import { boolQuery, filterList, intQuery } from '../../src/api/request.js';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame } from '../../src/api/streams.js';
import { tailStart } from '../../src/engine/container/log-follow.js';
import { toApiError } from '../../src/api/errors.js';
import { daemonError, PontError } from '../../src/core/errors.js';

test('versions: a /vX.Y prefix is taken off; too new and too old get dockerd\'s texts', (t) => {
  t.deepEqual(splitVersion('/v1.41/networks'), { version: '1.41', path: '/networks' });
  t.deepEqual(splitVersion('/v1.24/containers/json'), { version: '1.24', path: '/containers/json' });
  t.deepEqual(splitVersion('/version'), { version: '1.41', path: '/version' });
  t.deepEqual(splitVersion('/v1.43/_ping'), { error: 'client version 1.43 is too new. Maximum supported API version is 1.41' });
  t.regex((splitVersion('/v1.11/info') as { error: string }).error, /too old. Minimum supported API version is 1.12/);
  t.true(compareVersions('1.41', '1.5') > 0);
  t.is(compareVersions('1.41', '1.41.0'), 0);
});

test('routes: parameters are one path segment, decoded; HEAD is GET\'s; no match is null', (t) => {
  const h = async () => {};
  const routes = [route('GET', '/_ping', h), route('POST', '/containers/{id}/start', h), route('DELETE', '/networks/{id}', h)];
  t.deepEqual((match(routes, 'POST', '/containers/web%2Dx/start') as { params: unknown }).params, { id: 'web-x' });
  t.truthy(match(routes, 'HEAD', '/_ping'));
  t.is(match(routes, 'GET', '/containers/a/b/start'), null);
  t.deepEqual(match(routes, 'GET', '/networks/n1'), { allowed: ['DELETE'] });
});

test('query values as dockerd reads them: compose\'s False, the CLI\'s 1, filters as a map or a list', (t) => {
  const q = new URLSearchParams('force=False&v=1&all=true&link=&t=10&bad=x1');
  t.false(boolQuery(q, 'force'));
  t.true(boolQuery(q, 'v'));
  t.true(boolQuery(q, 'all'));
  t.false(boolQuery(q, 'link'));
  t.false(boolQuery(q, 'missing'));
  t.is(intQuery(q, 't'), 10);
  t.is(intQuery(q, 'missing'), undefined);
  t.throws(() => intQuery(q, 'bad'));
  t.deepEqual(filterList(new URLSearchParams({ filters: '{"label":{"a=b":true},"name":{"web":true,"off":false}}' })), ['label=a=b', 'name=web']);
  t.deepEqual(filterList(new URLSearchParams({ filters: '{"label": ["com.docker.compose.project=proj", "com.docker.compose.oneoff=False"]}' })), [
    'label=com.docker.compose.project=proj', 'label=com.docker.compose.oneoff=False',
  ]);
  t.throws(() => filterList(new URLSearchParams({ filters: '[1]' })), { message: 'invalid filter' });
  t.throws(() => filterList(new URLSearchParams({ filters: '{"a":[1]}' })), { message: 'invalid filter' });
});

test('errors: pont\'s CLI texts lose their prefixes; categories become Docker\'s statuses', (t) => {
  t.like(toApiError(daemonError('network with name a already exists')), { status: 409, message: 'network with name a already exists' });
  t.like(toApiError(new PontError('Error: No such network: x', { category: 'not-found' })), { status: 404, message: 'No such network: x' });
  t.like(toApiError(new PontError('bad', { category: 'usage' })), { status: 400 });
  t.like(toApiError(new Error('boom')), { status: 500, message: 'internal error: boom' });
});

test('frames: stream byte, three zeros, big-endian length, the bytes', (t) => {
  t.deepEqual([...frame(1, Buffer.from('hi\n'))], [1, 0, 0, 0, 0, 0, 0, 3, 104, 105, 10]);
  t.deepEqual([...frame(2, Buffer.alloc(0))], [2, 0, 0, 0, 0, 0, 0, 0]);
});

test('tailStart: where the last n lines begin, read from the end; a final line without newline counts', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-tail-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tail = (text: string, n: number) => {
    writeFileSync(join(dir, 'log'), text);
    const fd = openSync(join(dir, 'log'), 'r');
    try {
      return text.slice(tailStart(fd, Buffer.byteLength(text), n));
    } finally {
      closeSync(fd);
    }
  };
  t.is(tail('a\nb\nc\n', 2), 'b\nc\n');
  t.is(tail('a\nb\nc\n', 9), 'a\nb\nc\n');
  t.is(tail('a\nb\nc\n', 0), '');
  t.is(tail('a\nb', 1), 'b');
  t.is(tail('', 3), '');
  // across the 64 KiB blocks it reads
  const long = Array.from({ length: 30000 }, (_, i) => `line ${i}`).join('\n') + '\n';
  t.is(tail(long, 3), 'line 29997\nline 29998\nline 29999\n');
});
