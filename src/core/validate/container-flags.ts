// `pont run` flags whose values end up in a container's /etc/hosts, /etc/resolv.conf, hostname,
// DNS names or links: each is parsed into a typed value here, in Docker 20.10's words where its
// CLI has them (docker/cli opts: ValidateExtraHost, ValidateIPAddress, ValidateDNSSearch,
// ValidateMACAddress). Where Docker accepts a value that would write extra lines into those
// files (a newline in --add-host's name, in --dns-option, in --hostname), pont refuses it.
import { PontError } from '../errors.js';
import { canonicalIP, goQuote, isGoIP } from '../ports/goparse.js';
import { CONTROL, FlagError, printable } from './flag-error.js';

export interface ExtraHost {
  host: string;
  ip: string;
}

/** `--add-host host:ip` (split on the first ':', so the address may be IPv6). */
export function parseAddHost(value: string): ExtraHost {
  const i = value.indexOf(':');
  const host = i < 0 ? '' : value.slice(0, i);
  // Docker accepts any host text (and trims the address); whitespace, '#' or a control character
  // would make the line several names, a comment or several lines
  if (host === '' || /[\s#]/.test(host) || CONTROL.test(value)) throw new FlagError('--add-host', value, `bad format for add-host: ${goQuote(value)}`);
  const ip = value.slice(i + 1);
  if (!isGoIP(ip.trim())) throw new FlagError('--add-host', value, `invalid IP address in add-host: ${goQuote(ip)}`);
  return { host, ip: canonicalIP(ip.trim()) };
}

/** `--dns IP`: Docker keeps the address in Go's canonical form. */
export function parseDns(value: string): string {
  if (CONTROL.test(value) || !isGoIP(value.trim())) throw new FlagError('--dns', value, `${printable(value)} is not an ip address`);
  return canonicalIP(value.trim());
}

// docker/cli opts.domainRegexp, as written (the stray `:?` groups included)
const DOMAIN = /^(:?(?:[a-zA-Z0-9]|(?:[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))(:?\.(?:[a-zA-Z0-9]|(?:[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])))*)\.?[\t\n\f\r ]*$/;

/** `--dns-search DOMAIN`; "." means no search domains. */
export function parseDnsSearch(value: string): string {
  const v = value.replace(/^ +| +$/g, '');
  if (v === '.') return v;
  const m = /[a-zA-Z]/.test(v) && !CONTROL.test(v) ? DOMAIN.exec(v) : null;
  if (!m || m[1].length >= 255) throw new FlagError('--dns-search', value, `${printable(v)} is not a valid domain`);
  return m[1];
}

/** `--dns-option OPT`: one word of resolv.conf's `options` line (Docker takes any text). */
export function parseDnsOption(value: string): string {
  if (value === '' || /[\s\p{Cc}\u2028\u2029]/u.test(value)) {
    throw new FlagError('--dns-option', value, `${printable(value)} is not a valid DNS option: one word without spaces or control characters`);
  }
  return value;
}

/**
 * `--mac-address`: Go's net.ParseMAC forms of a 6-byte address, lower-cased and ':'-separated.
 * Docker's text, in its run-time form (`docker: X is not a valid mac address.`); pont also refuses
 * a group (multicast) address, which the kernel refuses for an interface.
 */
export function parseMac(value: string): string {
  const hex = macHex(value);
  if (!hex || (parseInt(hex.slice(0, 2), 16) & 1) === 1) {
    throw new PontError(`${printable(value)} is not a valid mac address`, { category: 'usage', exitCode: 125 });
  }
  return hex.match(/../g)!.join(':');
}

function macHex(v: string): string | null {
  if (/^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/.test(v)) return v.replace(/[:-]/g, '').toLowerCase();
  if (/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(v)) return v.replace(/\./g, '').toLowerCase();
  return null;
}

/**
 * `-h, --hostname`: Docker 20.10 takes any text. pont writes it to /etc/hosts and /etc/hostname
 * and hands it to `hostname`, so it must be one name the kernel accepts: 1-64 bytes of letters,
 * digits, '.', '_' and '-', starting with a letter or digit (an RFC 1123 name, plus '_').
 */
export function parseHostname(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw new FlagError('-h, --hostname', value, `${printable(value)} is not a valid hostname: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  return value;
}

/** `--network-alias` / `--alias`: a DNS name the embedded resolver answers. */
export function parseAlias(flag: string, value: string): string {
  if (value === '' || Buffer.byteLength(value) > 255 || /[\s\p{Cc}\u2028\u2029]/u.test(value)) {
    throw new FlagError(flag, value, `${printable(value)} is not a valid alias: 1 to 255 bytes without spaces or control characters`);
  }
  return value;
}

/** Docker's rule for container names (a leading '/' is dropped, as Docker does). */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** `--name`: also a network namespace's name and a directory under /etc/netns, hence ≤ 255 bytes. */
export function parseContainerName(value: string): string {
  const name = value.startsWith('/') ? value.slice(1) : value;
  if (!CONTAINER_NAME.test(name)) {
    throw new PontError(`Error response from daemon: Invalid container name (${printable(value)}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { category: 'usage' });
  }
  if (name.length > 255) throw new PontError(`Error response from daemon: Invalid container name (${name.slice(0, 16)}…): longer than 255 characters`, { category: 'usage' });
  return name;
}
