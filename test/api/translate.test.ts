// Docker API bodies into pont's typed requests: what Docker's clients send (bodies as captured
// from docker CLI 20.10, docker-compose 1.29 and docker-py 5.0.3) and what must be refused.
import test from 'ava';
import { containerCreateRequest, networkConnectRequest, networkCreateRequest } from '../../src/api/translate.js';

const CLI_NETWORK = {
  CheckDuplicate: true, Driver: 'bridge', Scope: '', EnableIPv6: false, IPAM: { Driver: 'default', Options: {}, Config: [] },
  Internal: false, Attachable: false, Ingress: false, ConfigOnly: false, ConfigFrom: null, Options: {}, Labels: {}, Name: 'mynet',
};

test('network create: the docker CLI body becomes the request `pont network create mynet` makes', (t) => {
  t.deepEqual(networkCreateRequest(CLI_NETWORK), {
    name: 'mynet', driver: 'bridge', subnet: undefined, gateway: undefined, ipRange: undefined, auxAddresses: undefined,
    internal: false, attachable: false, labels: {}, options: {}, ipamDriver: 'default', ipamOptions: {}, scope: undefined,
  });
});

test('network create: subnet, gateway, range, aux addresses, labels and options', (t) => {
  const r = networkCreateRequest({
    ...CLI_NETWORK, Internal: true, Labels: { 'com.docker.compose.project': 'proj' }, Options: { 'com.docker.network.bridge.name': 'br-x' },
    IPAM: { Driver: 'default', Config: [{ Subnet: '172.30.0.0/16', Gateway: '172.30.0.1', IPRange: '172.30.5.0/24', AuxiliaryAddresses: { a: '172.30.1.1' } }] },
  });
  t.like(r, { subnet: '172.30.0.0/16', gateway: '172.30.0.1', ipRange: '172.30.5.0/24', auxAddresses: { a: '172.30.1.1' }, internal: true });
  t.deepEqual(r.labels, { 'com.docker.compose.project': 'proj' });
  t.deepEqual(r.options, { 'com.docker.network.bridge.name': 'br-x' });
});

test('network create: refusals are one line each, before anything is touched', (t) => {
  const refused = (body: unknown) => t.throws(() => networkCreateRequest(body)) as Error & { status: number };
  t.is(refused({ ...CLI_NETWORK, Name: '' }).status, 400);
  t.regex(refused({ ...CLI_NETWORK, Name: 'a\nb' }).message, /control characters/);
  t.regex(refused({ ...CLI_NETWORK, EnableIPv6: true }).message, /IPv4 only/);
  t.regex(refused({ ...CLI_NETWORK, IPAM: { Config: [{ Subnet: '10.1.0.0/16' }, { Subnet: '10.2.0.0/16' }] } }).message, /doesn't support multiple subnets/);
  t.is(refused({ ...CLI_NETWORK, IPAM: { Config: [{ Gateway: '10.1.0.1' }] } }).message, 'every ip-range or gateway must have a corresponding subnet');
  t.regex(refused({ ...CLI_NETWORK, IPAM: { Options: { '': 'x' } } }).message, /invalid key: it is empty/);
  t.regex(refused({ ...CLI_NETWORK, Scope: 'a\nb' }).message, /control characters/);
  t.regex(refused({ ...CLI_NETWORK, ConfigOnly: true }).message, /--config-only/);
  t.regex(refused({ ...CLI_NETWORK, ConfigFrom: { Network: 'base' } }).message, /--config-from/);
  t.regex(refused({ ...CLI_NETWORK, Labels: { a: 1 } }).message, /must be a string/);
  t.regex(refused('nonsense').message, /must be an object/);
  t.regex(refused({ ...CLI_NETWORK, Name: 7 }).message, /network name must be a string/);
});

test('network create: the IPAM driver, its options and the scope go to the engine, which answers as Docker (engine/network/create.ts)', (t) => {
  const r = networkCreateRequest({ ...CLI_NETWORK, Scope: 'swarm', IPAM: { Driver: 'other', Options: { b: '1', a: '', 'k=v': 'w' } } });
  t.is(r.ipamDriver, 'other');
  t.is(r.scope, 'swarm');
  t.deepEqual(r.ipamOptions, { b: '1', a: '', 'k=v': 'w' }, 'a key with "=" kept whole');
});

test('network connect: container, address and aliases; a bad address is passed on to the engine', (t) => {
  t.deepEqual(networkConnectRequest({ Container: 'web', EndpointConfig: { IPAMConfig: { IPv4Address: '172.18.0.9' }, Aliases: ['www', 'web'] } }), {
    container: 'web', ip: '172.18.0.9', aliases: ['www', 'web'],
  });
  t.deepEqual(networkConnectRequest({ Container: 'web' }), { container: 'web', ip: undefined, aliases: [] });
  // refused by the engine, in Docker's order (test/parity/scenarios/ip-leading-zeros.ts)
  t.is(networkConnectRequest({ Container: 'web', EndpointConfig: { IPAMConfig: { IPv4Address: '300.1.1.1' } } }).ip, '300.1.1.1');
  t.throws(() => networkConnectRequest({}), { message: 'no container specified' });
});

// `docker run -d --name web --network mynet -p 8080:80 nginx httpd -f -p 80`, as the CLI sends it (trimmed)
const CLI_RUN = {
  Hostname: '', Env: null, Cmd: ['httpd', '-f', '-p', '80'], Image: 'nginx', Entrypoint: null, Labels: {}, Tty: false, OpenStdin: false,
  ExposedPorts: { '80/tcp': {} },
  HostConfig: { NetworkMode: 'mynet', PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, AutoRemove: false, Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null, RestartPolicy: { Name: 'no' } },
  NetworkingConfig: { EndpointsConfig: { mynet: {} } },
};

test('container create: the docker CLI body becomes `pont run`\'s request, not started', (t) => {
  const { request, warnings } = containerCreateRequest('web', CLI_RUN);
  t.deepEqual(warnings, []);
  t.like(request, { name: 'web', network: 'mynet', detach: true, start: false, tty: false, interactive: false, autoRemove: false, publishAll: false });
  t.deepEqual(request.args, ['nginx', 'httpd', '-f', '-p', '80']);
  t.deepEqual(request.publish, [{ hostIp: '', hostPort: 8080, containerPort: 80, proto: 'tcp' }]);
  t.deepEqual(request.expose.map((e) => `${e.port}/${e.proto}`), ['80/tcp']);
});

test('container create: bindings to an address, random ports, ranges and udp go through -p\'s parser', (t) => {
  const bindings = (pb: unknown) => containerCreateRequest(null, { ...CLI_RUN, HostConfig: { PortBindings: pb } }).request.publish;
  t.like(bindings({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8000' }] })[0], { hostIp: '127.0.0.1', containerPort: 80 });
  t.like(bindings({ '80/tcp': [{ HostIp: '', HostPort: '' }] })[0], { hostIp: '', containerPort: 80 });
  t.like(bindings({ '53/udp': [{ HostPort: '5353' }] })[0], { proto: 'udp', containerPort: 53 });
  t.is(bindings({ '80/tcp': null }).length, 1);
  t.throws(() => bindings({ '80/tcp': [{ HostIp: '1.2.3.4.5', HostPort: '80' }] }), { message: /Invalid ip address/ });
  t.throws(() => bindings({ '80/tcp': [{ HostIp: '::1', HostPort: '80' }] }));
  t.throws(() => bindings({ 'x/tcp': [{ HostPort: '80' }] }), { message: /Invalid containerPort/ });
});

test('container create: compose\'s labels and aliases, docker-py\'s bare NetworkingConfig, entrypoint before command', (t) => {
  const compose = containerCreateRequest('proj_web_1', {
    ...CLI_RUN, Labels: { 'com.docker.compose.project': 'proj', 'com.docker.compose.oneoff': 'False' },
    HostConfig: { NetworkMode: 'proj_front' }, NetworkingConfig: { EndpointsConfig: { proj_front: { Aliases: ['web', 'www'], IPAMConfig: null } } },
  }).request;
  t.deepEqual(compose.labels, { 'com.docker.compose.project': 'proj', 'com.docker.compose.oneoff': 'False' });
  t.deepEqual(compose.aliases, ['web', 'www']);
  // docker-py 5 sends {"pynet": null} without the EndpointsConfig wrapper: dockerd ignores it
  t.deepEqual(containerCreateRequest('py1', { Image: 'alpine', Cmd: 'sleep 60', HostConfig: { NetworkMode: 'pynet' }, NetworkingConfig: { pynet: null } }).request.args, ['alpine', 'sleep 60']);
  t.deepEqual(containerCreateRequest(null, { Image: 'alpine', Entrypoint: ['sh', '-c'], Cmd: ['echo hi'] }).request.args, ['alpine', 'sh', '-c', 'echo hi']);
  t.is(containerCreateRequest(null, { Image: 'alpine', HostConfig: { NetworkMode: 'default' } }).request.network, undefined);
});

test('container create: what pont cannot do is refused or said back as a warning', (t) => {
  t.throws(() => containerCreateRequest(null, { Image: 'alpine', HostConfig: { NetworkMode: 'container:web' } }), { message: /cannot share/ });
  t.throws(() => containerCreateRequest(null, { Image: 'alpine', NetworkingConfig: { EndpointsConfig: { a: {}, b: {} } } }), { message: 'Container cannot be connected to network endpoints: a, b' });
  t.throws(() => containerCreateRequest('x', { Image: 'alpine' }), { message: /Invalid container name|invalid/i });
  t.throws(() => containerCreateRequest(null, {}), { message: 'No command specified' });
  t.throws(() => containerCreateRequest(null, { Image: 'alpine', Env: ['A=\0'] }), { message: /NUL/ });
  t.throws(() => containerCreateRequest(null, { Image: 'alpine', Hostname: 'a b' }));
  t.throws(() => containerCreateRequest(null, { Image: 'alpine', HostConfig: { Dns: ['not-an-ip'] } }));
  const { warnings } = containerCreateRequest(null, { Image: 'alpine', HostConfig: { Binds: ['/a:/b'], RestartPolicy: { Name: 'always' } } });
  t.is(warnings.length, 2);
  t.regex(warnings.join('\n'), /volumes and binds are ignored[\s\S]*"always" is ignored/);
});
