// Go standard-library and go-connections v0.4.0 (the version Docker 20.10 vendors) parsing
// helpers, reproduced so pont accepts, rejects and words errors exactly as Docker does.

import { builtin } from '../../kernel/cjs-require.js';

// node:net (with the stream modules it loads) only once an address is checked: loading it was
// ~1 ms of every command's start, and most commands check none
let netIsIP: (s: string) => number;
const isIP = (s: string) => (netIsIP ??= (builtin('node:net') as typeof import('node:net')).isIP)(s);

/** strconv.Quote for the characters users plausibly type; used inside NumError texts. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (c < 0x80) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/**
 * strconv.ParseUint(s, 10, 16). Go scans left to right: a non-digit is a syntax error, but
 * overflow is reported as soon as it happens, so "99999x" is a range error, "7x" a syntax one.
 */
export function parseUint16(s: string): number {
  const fail = (why: string) => new Error(`strconv.ParseUint: parsing ${goQuote(s)}: ${why}`);
  if (s === '') throw fail('invalid syntax');
  let n = 0;
  for (const ch of s) {
    if (ch < '0' || ch > '9') throw fail('invalid syntax');
    n = n * 10 + (ch.charCodeAt(0) - 48);
    if (n > 0xffff) throw fail('value out of range');
  }
  return n;
}

/**
 * strconv.ParseInt(s, 0, 64), as pflag reads an int flag: a sign, then a base prefix (0x, 0o,
 * 0b, or a leading 0 for octal) and digits, underscores between them allowed. Scanned left to
 * right as Go does: the first bad digit is a syntax error, the first overflow a range error.
 * Exact up to 2^53; beyond, the nearest double (callers bound what they take).
 */
export function parseInt64(s: string): number {
  const fail = (why: string) => new Error(`strconv.ParseInt: parsing ${goQuote(s)}: ${why}`);
  let u = s;
  const neg = u[0] === '-';
  if (u[0] === '-' || u[0] === '+') u = u.slice(1);
  if (u === '') throw fail('invalid syntax');
  let base = 10n;
  let digits = u;
  if (u[0] === '0') {
    const p = u[1]?.toLowerCase();
    if (u.length >= 3 && (p === 'b' || p === 'o' || p === 'x')) {
      base = p === 'b' ? 2n : p === 'o' ? 8n : 16n;
      digits = u.slice(2);
    } else {
      base = 8n;
      digits = u.slice(1);
    }
  }
  const limit = neg ? 1n << 63n : (1n << 63n) - 1n;
  let n = 0n;
  let underscores = false;
  for (const ch of digits) {
    if (ch === '_') {
      underscores = true;
      continue;
    }
    const c = ch.toLowerCase();
    const d = c >= '0' && c <= '9' ? BigInt(c.charCodeAt(0) - 48) : c >= 'a' && c <= 'z' ? BigInt(c.charCodeAt(0) - 87) : 99n;
    if (d >= base) throw fail('invalid syntax');
    n = n * base + d;
    // ParseUint's own bound (2^64) fails as it scans; the sign's bound is checked after
    if (n >= 1n << 64n) throw fail('value out of range');
  }
  if (underscores && !underscoreOK(u)) throw fail('invalid syntax');
  if (n > limit) throw fail('value out of range');
  return Number(neg ? -n : n);
}

/** Go's underscoreOK: each '_' between digits (a base prefix counts as one), none at the end. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1].toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1].toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i].toLowerCase();
    if ((c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * nat.ParsePortRange. Only the first two '-' fields are read, so "1-2-3" is the range 1-2
 * (a Docker quirk kept on purpose).
 */
export function parsePortRange(ports: string): [number, number] {
  if (ports === '') throw new Error('Empty string specified for ports.');
  if (!ports.includes('-')) {
    const p = parseUint16(ports);
    return [p, p];
  }
  const parts = ports.split('-');
  const start = parseUint16(parts[0]);
  const end = parseUint16(parts[1]);
  if (end < start) throw new Error(`Invalid range specified for the Port: ${ports}`);
  return [start, end];
}

/** nat.SplitProtoPort (v0.4.0): returns [proto, port]; anything after a second '/' is ignored. */
export function splitProtoPort(rawPort: string): [string, string] {
  const parts = rawPort.split('/');
  if (rawPort === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', rawPort];
  if (parts[1] === '') return ['tcp', parts[0]];
  return [parts[1], parts[0]];
}

/** nat's splitParts: the last two ':' fields are host and container port, the rest is the IP. */
export function splitParts(rawport: string): [string, string, string] {
  const parts = rawport.split(':');
  const n = parts.length;
  const containerPort = parts[n - 1];
  switch (n) {
    case 1: return ['', '', containerPort];
    case 2: return ['', parts[0], containerPort];
    case 3: return [parts[0], parts[1], containerPort];
    default: return [parts.slice(0, n - 2).join(':'), parts[n - 2], containerPort];
  }
}

/** net.SplitHostPort; throws with net.AddrError's text ("address X: why"). */
export function splitHostPort(hostport: string): [string, string] {
  const fail = (why: string) => new Error(`address ${hostport}: ${why}`);
  const i = hostport.lastIndexOf(':');
  if (i < 0) throw fail('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) throw fail("missing ']' in address");
    if (end + 1 === hostport.length) throw fail('missing port in address');
    if (end + 1 !== i) {
      throw fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) throw fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) throw fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) throw fail("unexpected ']' in address");
  return [host, hostport.slice(i + 1)];
}

/** net.ParseIP(s) != nil. Node agrees with Go (1.17+) except that Go refuses IPv6 zones. */
export function isGoIP(s: string): boolean {
  return isIP(s) !== 0 && !s.includes('%');
}

/**
 * net.IP.String() of a valid address: IPv6 compressed (RFC 5952, as Go does), IPv4-mapped IPv6
 * printed as dotted IPv4 (Go stores both 16-byte). Invalid input is returned unchanged.
 */
export function canonicalIP(ip: string): string {
  if (isIP(ip) !== 6 || ip.includes('%')) return ip;
  const h = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (!m) return h;
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}
