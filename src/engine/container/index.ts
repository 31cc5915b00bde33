// The container verbs, one module each.
export { containerExited } from './exited.js';
export { pruneContainers, removeContainers } from './rm.js';
export { resolveCommand, runContainer, type RunRequest, type RunResult } from './run.js';
export { startContainer } from './start.js';
export { stopContainer } from './stop.js';
