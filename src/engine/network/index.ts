// The network verbs, one module each.
export { connectContainer } from './connect.js';
export { createNetwork, type CreateNetworkRequest } from './create.js';
export { disconnectContainer } from './disconnect.js';
export { pruneNetworks } from './prune.js';
export { removeNetwork } from './rm.js';
