// The ADD result (SPEC section 5) in the shape of the version the runtime asked for: 0.4.0 marks
// each address with "version": "4"; 1.0.0 and 1.1.0 do not. A previous plugin's result is kept,
// pont's interfaces appended after its own (their indices moved along). Pure, no I/O.
import { SUPPORTED_VERSIONS } from './request.js';

/** What an attachment made, whatever the version: the engine's answer (engine/cni/add.ts). */
export interface CniResult {
  interfaces: { name: string; mac?: string; sandbox?: string; mtu?: number }[];
  /** `interface`: index into `interfaces`. */
  ips: { address: string; gateway?: string; interface: number }[];
  routes: { dst: string; gw?: string }[];
  dns: { nameservers?: string[]; search?: string[]; options?: string[] };
}

export function renderResult(cniVersion: string, r: CniResult, prev?: Record<string, unknown>): Record<string, unknown> {
  const before = prevParts(prev);
  const shift = before.interfaces.length;
  const ips = [
    ...before.ips,
    ...r.ips.map((ip) => ({ ...(cniVersion === '0.4.0' ? { version: '4' } : {}), address: ip.address, ...(ip.gateway ? { gateway: ip.gateway } : {}), interface: ip.interface + shift })),
  ];
  const dns = Object.keys(r.dns).length ? r.dns : before.dns;
  return {
    cniVersion,
    interfaces: [...before.interfaces, ...r.interfaces],
    ips,
    routes: [...before.routes, ...r.routes],
    ...(dns && Object.keys(dns).length ? { dns } : {}),
  };
}

function prevParts(prev: Record<string, unknown> | undefined): { interfaces: unknown[]; ips: unknown[]; routes: unknown[]; dns?: unknown } {
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return { interfaces: list(prev?.interfaces), ips: list(prev?.ips), routes: list(prev?.routes), ...(prev?.dns ? { dns: prev.dns } : {}) };
}

export const renderVersion = (cniVersion: string) => ({ cniVersion, supportedVersions: [...SUPPORTED_VERSIONS] });
