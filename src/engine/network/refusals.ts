// Docker's refusals for host and none containers, shared by connect and disconnect.
export const PRIVATE = 'container cannot be connected to multiple networks with one of the networks in private (none) mode';
export const HOST = 'container cannot be disconnected from host network or connected to host network';
