// Errors with Docker's exact wording. `message` is the bare Go error text; the helpers add
// the decoration the docker CLI prints around it.

import { PontError } from '../errors.js';

/** docker run exits 125 when its own flag parsing fails (cli.StatusError{StatusCode: 125}). */
export const DOCKER_RUN_USAGE_EXIT = 125;

/**
 * What `docker run` 20.10 writes to stderr for a parse error (cli/command/container/run.go
 * reportError): "<argv0>: " + message with one trailing '.', then the help hint line.
 */
export function dockerRunErrorText(message: string, command = 'run', argv0 = 'docker'): string {
  const body = message.replace(/\.$/, '') + '.';
  return `${argv0}: ${body}\nSee '${argv0} ${command} --help'.`;
}

/** A -p/--publish/--expose value Docker would refuse before contacting the daemon. */
export class PortSpecError extends PontError {
  constructor(message: string) {
    super(message, { category: 'usage', exitCode: DOCKER_RUN_USAGE_EXIT });
    this.name = 'PortSpecError';
  }
  /** Full text docker prints, e.g. "docker: Invalid containerPort: abc.\nSee 'docker run --help'." */
  get dockerText(): string {
    return dockerRunErrorText(this.message);
  }
}

/** Base for libnetwork portallocator refusals (raised when the container starts). */
export class PortAllocatorError extends PontError {
  constructor(message: string) {
    super(message, { category: 'conflict' });
    this.name = 'PortAllocatorError';
  }
}

/** portallocator.ErrPortAlreadyAllocated: "Bind for 0.0.0.0:8000 failed: port is already allocated". */
export class PortAllocatedError extends PortAllocatorError {
  readonly ip: string;
  readonly port: number;
  constructor(ip: string, port: number) {
    super(`Bind for ${ip}:${port} failed: port is already allocated`);
    this.name = 'PortAllocatedError';
    this.ip = ip;
    this.port = port;
  }
}

/** portallocator.ErrAllPortsAllocated. */
export class AllPortsAllocatedError extends PortAllocatorError {
  constructor() {
    super('all ports are allocated');
    this.name = 'AllPortsAllocatedError';
  }
}

/**
 * How `docker run` shows a start-time allocation failure: the daemon wraps it per endpoint and
 * the CLI appends '.' (no help line), e.g. "docker: Error response from daemon: driver failed
 * programming external connectivity on endpoint web (<endpoint id>): Bind for ... allocated."
 */
export function dockerStartErrorText(err: Error, endpointName: string, endpointId: string): string {
  const msg = `Error response from daemon: driver failed programming external connectivity on endpoint ${endpointName} (${endpointId}): ${err.message}`;
  return `docker: ${msg.replace(/\.$/, '')}.`;
}
