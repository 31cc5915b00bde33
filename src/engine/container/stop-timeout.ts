// How long a stop waits for SIGTERM to work, as the CLI's -t and the API's ?t= give it.

/**
 * A stop's wait as Docker takes it (seconds; negative: for ever), bounded: what is negative or
 * over an hour waits an hour, so that no stop holds its caller (the store's lock) without end.
 */
export const boundStopTimeout = (seconds: number): number => (seconds < 0 || seconds > 3600 ? 3600 : seconds);
