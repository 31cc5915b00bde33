// Where the cluster store is: `cluster-store` in /etc/pont/config.json, as Docker's daemon.json
// spelled it for libkv ("etcd://host:port"), with several members comma-separated so a client
// can fail over: "etcd://10.0.0.1:2379,10.0.0.2:2379". http:// is accepted too (etcd's own
// spelling of a client URL); TLS is not supported, so https:// is refused rather than sent in clear.
import { PontError } from '../core/errors.js';

export interface EtcdEndpoint {
  /** A name or address; an IPv6 address without brackets. */
  host: string;
  port: number;
}

/** etcd's default client port, for an endpoint written without one. */
export const ETCD_DEFAULT_PORT = 2379;

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

export function parseClusterStore(url: string): EtcdEndpoint[] {
  const invalid = (why: string) =>
    new PontError(`invalid cluster-store ${JSON.stringify(url)}: ${why}`, { category: 'usage' });
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url.trim());
  if (!m) throw invalid('expected etcd://host:port[,host:port...]');
  const scheme = m[1].toLowerCase();
  if (scheme !== 'etcd' && scheme !== 'http') throw invalid(`the scheme must be etcd:// or http://, not ${scheme}://`);
  const list = m[2].endsWith('/') ? m[2].slice(0, -1) : m[2];
  if (list.includes('/')) throw invalid('a path is not supported, only host:port');
  const endpoints = list.split(',').map((item) => parseEndpoint(item.trim(), invalid));
  const seen = new Set<string>();
  for (const e of endpoints) {
    const text = endpointText(e);
    if (seen.has(text)) throw invalid(`${text} is listed twice`);
    seen.add(text);
  }
  return endpoints;
}

function parseEndpoint(item: string, invalid: (why: string) => PontError): EtcdEndpoint {
  if (!item) throw invalid('an empty member in the list');
  // [v6]:port, [v6], host:port, host
  const m = /^\[([^\]]*)\](?::(.*))?$/.exec(item) ?? /^([^:[\]]*)(?::([^:]*))?$/.exec(item);
  if (!m) throw invalid(`${JSON.stringify(item)} is not host:port (an IPv6 address goes in brackets)`);
  const [, host, portText] = m;
  const bracketed = item.startsWith('[');
  if (bracketed ? !IPV6.test(host) || !host.includes(':') : !HOSTNAME.test(host)) throw invalid(`${JSON.stringify(host)} is not a host name or address`);
  if (portText === undefined) return { host, port: ETCD_DEFAULT_PORT };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw invalid(`${JSON.stringify(portText)} is not a port (1-65535)`);
  return { host, port };
}

/** host:port, IPv6 in brackets. */
export const endpointText = (e: EtcdEndpoint) => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`);

/** The endpoints as a user wrote them, for messages: "etcd://10.0.0.1:2379,10.0.0.2:2379". */
export const endpointsText = (es: readonly EtcdEndpoint[]) => `etcd://${es.map(endpointText).join(',')}`;
