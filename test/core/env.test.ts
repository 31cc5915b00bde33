// A container's environment as Docker 20.10 builds it (observed against a private dockerd).
import test from 'ava';
import { callerEnvironment, callerVariable, containerEnv, parseEnvFile, parseEnvOption } from '../../src/core/env.js';

const lookup = (name: string) => ({ SET: 'from-caller', EMPTY: '' } as Record<string, string>)[name];
const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

test('containerEnv: PATH, HOSTNAME, HOME by default; TERM only with a tty', (t) => {
  t.deepEqual(containerEnv({ hostname: 'abc' }, false, 'host'), [PATH, 'HOSTNAME=abc', 'HOME=/root']);
  t.deepEqual(containerEnv({ hostname: 'abc', env: [] }, true, 'host'), [PATH, 'HOSTNAME=abc', 'TERM=xterm', 'HOME=/root']);
  t.deepEqual(containerEnv({ hostname: '' }, false, 'vm'), [PATH, 'HOSTNAME=vm', 'HOME=/root'], 'host network: the host name');
});

test('containerEnv: given values in order, replacing a default in place; HOME only when not given', (t) => {
  t.deepEqual(containerEnv({ hostname: 'abc', env: ['Z=1', 'PATH=/bin', 'A=x=y', 'HOME=/h', 'TERM=dumb'] }, true, 'h'), [
    'PATH=/bin', 'HOSTNAME=abc', 'TERM=dumb', 'Z=1', 'A=x=y', 'HOME=/h',
  ]);
});

test('parseEnvOption: NAME=VALUE as is, NAME from the caller or dropped, =VALUE refused', (t) => {
  t.is(parseEnvOption('A=1', lookup), 'A=1');
  t.is(parseEnvOption('A=', lookup), 'A=');
  t.is(parseEnvOption('SET', lookup), 'SET=from-caller');
  t.is(parseEnvOption('EMPTY', lookup), 'EMPTY=');
  t.is(parseEnvOption('UNSET', lookup), null);
  t.throws(() => parseEnvOption('=x', lookup), { message: 'invalid environment variable: =x' });
});

test('parseEnvFile: comments and blank lines skipped, leading blanks trimmed, NAME from the caller', (t) => {
  t.deepEqual(parseEnvFile('# c\nA=1\n\n  B=two words \r\nSET\nUNSET\n', lookup), ['A=1', 'B=two words ', 'SET=from-caller']);
  t.throws(() => parseEnvFile('A B=1\n', lookup), { message: "poorly formatted environment: variable 'A B' contains whitespaces" });
  t.throws(() => parseEnvFile('=1\n', lookup), { message: "poorly formatted environment: no variable name on line '=1'" });
});

test('callerVariable: a variable bin/pont moved aside reads as the caller set it; empty kept value is unset', (t) => {
  t.is(callerVariable({ HOME: '/root' }, 'HOME'), '/root');
  t.is(callerVariable({}, 'HOME'), undefined);
  // the launcher moved it: the kept value is the caller's
  t.is(callerVariable({ PONT_NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }, 'NODE_EXTRA_CA_CERTS'), '/etc/ca.pem');
  // the launcher sets the kept name to '' when the caller had none
  t.is(callerVariable({ PONT_NODE_EXTRA_CA_CERTS: '' }, 'NODE_EXTRA_CA_CERTS'), undefined);
  // run without the launcher (node dist/...): the variable itself
  t.is(callerVariable({ NODE_EXTRA_CA_CERTS: '/a.pem', PONT_NODE_EXTRA_CA_CERTS: '/b.pem' }, 'NODE_EXTRA_CA_CERTS'), '/a.pem');
  // only moved variables are looked up under a kept name, and a kept name is the launcher's
  t.is(callerVariable({ PONT_HOME: '/x' }, 'HOME'), undefined);
  t.is(callerVariable({ PONT_NODE_EXTRA_CA_CERTS: '' }, 'PONT_NODE_EXTRA_CA_CERTS'), undefined);
});

test('callerEnvironment: what a CNI plugin gets, the moved variables back under their names', (t) => {
  t.deepEqual(callerEnvironment({ PATH: '/bin', PONT_NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }), { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' });
  t.deepEqual(callerEnvironment({ PATH: '/bin', PONT_NODE_EXTRA_CA_CERTS: '' }), { PATH: '/bin' });
  t.deepEqual(callerEnvironment({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/a.pem' }), { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/a.pem' });
});
