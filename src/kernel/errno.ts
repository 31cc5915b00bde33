// An errno's name as the kernel's headers spell it (EOPNOTSUPP, where libuv's
// util.getSystemErrorName says ENOTSUP for the same 95): one table for netlink's replies and
// posix_spawn's returns.
import { constants } from 'node:os';

const NAMES = new Map<number, string>(Object.entries(constants.errno).map(([k, v]) => [v, k]));

export const errnoName = (n: number): string => NAMES.get(n) ?? `errno ${n}`;
