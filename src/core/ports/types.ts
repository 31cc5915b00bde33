// Shared shapes for port publishing. Kept apart so format/allocate/portspec can import
// them without import cycles.

export type Proto = 'tcp' | 'udp' | 'sctp';

export const PROTOS: readonly Proto[] = ['tcp', 'udp', 'sctp'];

/** Inclusive host port range, e.g. `-p 8000-8010:80` → {start: 8000, end: 8010}. */
export interface HostPortRange {
  start: number;
  end: number;
}

/**
 * One entry of HostConfig.PortBindings, flattened.
 * hostIp '' means "all addresses" (Docker stores HostIp "").
 * hostPort null means "daemon picks": from the ephemeral range, or from hostPortRange when set
 * (Docker 20.10 stores HostPort "8000-8010" and the allocator picks one port inside it).
 */
export interface PortBinding {
  hostIp: string;
  hostPort: number | null;
  containerPort: number;
  proto: Proto;
  hostPortRange?: HostPortRange;
}

export interface ExposedPort {
  port: number;
  proto: Proto;
}

/**
 * Mirrors the engine's types.Port that `docker ps` formats: ip '' = exposed only.
 * Docker 20.10 reports an unspecified-address binding twice, ip '0.0.0.0' and ip '::'.
 */
export interface PsPort {
  ip: string;
  privatePort: number;
  publicPort?: number;
  proto: string;
}
