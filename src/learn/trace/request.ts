// `pont trace SOURCE DESTINATION[:PORT][/PROTO]` parsed into the probe it asks for. Pure.
import { PontError } from '../../core/errors.js';

export type TraceProto = 'icmp' | 'tcp' | 'udp';

export interface TraceDestination {
  address: string;
  /** Given as a container's name: its address is looked up in the store (`address` is '' until then). */
  container?: string;
  proto: TraceProto;
  /** The destination port (tcp, udp). */
  port?: number;
}

/** Where the probe leaves from: a pont container, the host itself, or any named namespace. */
export type TraceSource = { kind: 'host' } | { kind: 'netns'; name: string } | { kind: 'container'; ref: string };

const usage = (msg: string) => new PontError(`${msg}\nUsage:  pont trace SOURCE DESTINATION[:PORT][/PROTO]  (SOURCE: a container, host, or netns:NAME)`, { category: 'usage' });

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function parseSource(text: string): TraceSource {
  if (text === 'host') return { kind: 'host' };
  if (text.startsWith('netns:')) {
    const name = text.slice('netns:'.length);
    if (!NAME.test(name)) throw usage(`invalid namespace name: "${name}"`);
    return { kind: 'netns', name };
  }
  if (!NAME.test(text)) throw usage(`invalid source: "${text}"`);
  return { kind: 'container', ref: text };
}

/** `ADDRESS` (ICMP echo), `ADDRESS:PORT` (a TCP SYN), `ADDRESS:PORT/udp` (one datagram). */
export function parseDestination(text: string): TraceDestination {
  const m = /^([^:/]+)(?::(\d+))?(?:\/([a-z]+))?$/.exec(text);
  if (!m) throw usage(`invalid destination: "${text}"`);
  const [, address, portText, protoText] = m;
  const container = IPV4.test(address) ? undefined : address;
  if (container !== undefined && (!NAME.test(container) || /^[\d.]+$/.test(container))) throw usage(`invalid destination address: "${address}" (an IPv4 address or a container's name)`);
  if (protoText && protoText !== 'tcp' && protoText !== 'udp' && protoText !== 'icmp') throw usage(`invalid protocol: "${protoText}" (tcp, udp or icmp)`);
  const proto: TraceProto = (protoText as TraceProto | undefined) ?? (portText ? 'tcp' : 'icmp');
  if (proto === 'icmp') {
    if (portText) throw usage('an ICMP echo has no port');
    return container ? { address: '', container, proto } : { address, proto };
  }
  const port = Number(portText);
  if (!portText || port < 1 || port > 65535) throw usage(`a ${proto} probe needs a port between 1 and 65535: "${text}"`);
  return container ? { address: '', container, proto, port } : { address, proto, port };
}

/**
 * A destination given as a container's name: its address on a network it shares with the source
 * container (as the source's own lookup of that name would answer), else its first address.
 */
export function resolveDestination(dst: TraceDestination, src: TraceSource, containers: { name: string; endpoints: { networkId: string; ipAddress: string }[] }[]): TraceDestination {
  if (!dst.container) return dst;
  const target = containers.find((c) => c.name === dst.container || c.name === `/${dst.container}`);
  if (!target) throw usage(`no container named "${dst.container}" (a destination is an IPv4 address or a container's name)`);
  const from = src.kind === 'container' ? containers.find((c) => c.name === src.ref) : undefined;
  const shared = target.endpoints.find((e) => e.ipAddress && from?.endpoints.some((f) => f.networkId === e.networkId));
  const ep = shared ?? target.endpoints.find((e) => e.ipAddress);
  if (!ep) throw usage(`container "${dst.container}" has no address to send a probe to`);
  return { ...dst, address: ep.ipAddress };
}
