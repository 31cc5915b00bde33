import test from 'ava';
import {
  parseAddHost, parseAlias, parseContainerName, parseDns, parseDnsOption, parseDnsSearch, parseHostname, parseMac,
} from '../../../src/core/validate/container-flags.js';
import { renderHosts, renderResolvConf } from '../../../src/core/etc-files.js';

test('--add-host: Docker 20.10 texts', (t) => {
  t.throws(() => parseAddHost('x'), { message: 'invalid argument "x" for "--add-host" flag: bad format for add-host: "x"' });
  t.throws(() => parseAddHost(':1.2.3.4'), { message: 'invalid argument ":1.2.3.4" for "--add-host" flag: bad format for add-host: ":1.2.3.4"' });
  t.throws(() => parseAddHost('x:notip'), { message: 'invalid argument "x:notip" for "--add-host" flag: invalid IP address in add-host: "notip"' });
  t.throws(() => parseAddHost('a:'), { message: 'invalid argument "a:" for "--add-host" flag: invalid IP address in add-host: ""' });
});

test('--add-host: a name with a newline or a space cannot write extra lines into /etc/hosts', (t) => {
  for (const v of ['a\nb:1.2.3.4', 'a b:1.2.3.4', 'a\tb:1.2.3.4', 'a#:1.2.3.4', 'x:1.2.3.4\n9.9.9.9 evil']) {
    const e = t.throws(() => parseAddHost(v));
    t.false(e!.message.includes('\n'), v);
  }
});

test('--add-host: IPv6 after the first colon, as Docker splits', (t) => {
  t.deepEqual(parseAddHost('h:::1'), { host: 'h', ip: '::1' });
  t.deepEqual(parseAddHost('h:1.2.3.4'), { host: 'h', ip: '1.2.3.4' });
  t.true(renderHosts({ hostname: 'c', addresses: [], extraHosts: ['h:::1'] }).includes('::1\th\n'));
});

test('--dns: an IP address, else Docker\'s text', (t) => {
  t.is(parseDns('1.2.3.4'), '1.2.3.4');
  t.is(parseDns(' 1.2.3.4 '), '1.2.3.4');
  t.throws(() => parseDns('x'), { message: 'invalid argument "x" for "--dns" flag: x is not an ip address' });
  t.throws(() => parseDns('1.2.3.4\nnameserver 9.9.9.9'), { message: 'invalid argument "1.2.3.4\\nnameserver 9.9.9.9" for "--dns" flag: 1.2.3.4\\nnameserver 9.9.9.9 is not an ip address' });
});

test('--dns-search: Docker\'s validateDNSSearch', (t) => {
  t.is(parseDnsSearch('example.com'), 'example.com');
  t.is(parseDnsSearch('example.com.'), 'example.com');
  t.is(parseDnsSearch('.'), '.');
  t.throws(() => parseDnsSearch('bad..x'), { message: 'invalid argument "bad..x" for "--dns-search" flag: bad..x is not a valid domain' });
  t.throws(() => parseDnsSearch('-bad'), { message: /-bad is not a valid domain$/ });
  t.throws(() => parseDnsSearch('a\nb'), { message: 'invalid argument "a\\nb" for "--dns-search" flag: a\\nb is not a valid domain' });
  t.throws(() => parseDnsSearch('a'.repeat(260)), { message: /is not a valid domain$/ });
  t.throws(() => parseDnsSearch('123'), { message: /is not a valid domain$/ });
});

test('--dns-search . writes no search line', (t) => {
  const text = renderResolvConf({ embeddedDns: false, hostResolvConf: 'search lan\nnameserver 10.0.0.1\n', dns: [], dnsSearch: ['.'], dnsOptions: [] });
  t.is(text, 'nameserver 10.0.0.1\n');
});

test('--dns-option: one word, no newline injection into resolv.conf', (t) => {
  t.is(parseDnsOption('ndots:2'), 'ndots:2');
  for (const v of ['a\nnameserver 9.9.9.9', 'a b', '', 'a\r']) {
    const e = t.throws(() => parseDnsOption(v));
    t.regex(e!.message, /^invalid argument ".*" for "--dns-option" flag: /);
    t.false(e!.message.includes('\n'));
  }
});

test('--mac-address: Go ParseMAC forms of a unicast 6-byte address', (t) => {
  t.is(parseMac('92:d0:c6:0a:29:33'), '92:d0:c6:0a:29:33');
  t.is(parseMac('92-D0-C6-0A-29-33'), '92:d0:c6:0a:29:33');
  t.is(parseMac('92d0.c60a.2933'), '92:d0:c6:0a:29:33');
  t.throws(() => parseMac('x'), { message: 'x is not a valid mac address' });
  t.throws(() => parseMac('01:02:03:04:05:06'), { message: '01:02:03:04:05:06 is not a valid mac address' });
  t.throws(() => parseMac('92:d0:c6:0a:29'));
  t.throws(() => parseMac('92:d0-c6:0a:29:33'));
  t.throws(() => parseMac('92:d0:c6:0a:29:33\n'), { message: '92:d0:c6:0a:29:33\\n is not a valid mac address' });
});

test('--hostname: one name the kernel and /etc/hosts take', (t) => {
  for (const v of ['web', 'a_b', 'web-1.example', 'a'.repeat(64)]) t.is(parseHostname(v), v);
  for (const v of ['a\nb', 'bad name', '-x', '', 'a'.repeat(65), '.x', 'a/b', 'é']) {
    const e = t.throws(() => parseHostname(v));
    t.regex(e!.message, /^invalid argument ".*" for "-h, --hostname" flag: .* is not a valid hostname/);
    t.false(e!.message.includes('\n'));
  }
});

test('aliases: no spaces, control characters or emptiness', (t) => {
  t.is(parseAlias('--alias', 'db'), 'db');
  for (const v of ['a b', 'a\nb', '', 'x'.repeat(256)]) t.throws(() => parseAlias('--alias', v), { message: /for "--alias" flag: / });
});

test('--name: Docker\'s rule and text; a leading / is dropped as Docker does', (t) => {
  t.is(parseContainerName('/ab'), 'ab');
  t.throws(() => parseContainerName('a b'), { message: 'Error response from daemon: Invalid container name (a b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed' });
  t.throws(() => parseContainerName('a'), { message: /Invalid container name \(a\)/ });
  t.throws(() => parseContainerName('a\nb'), { message: /Invalid container name \(a\\nb\)/ });
  t.throws(() => parseContainerName('a'.repeat(256)), { message: /longer than 255 characters/ });
});
