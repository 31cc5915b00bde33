// What pont loads on first use, without loading node:module for it (~0.3 ms of a start on the
// 2-core machine, its exports' set-up): Node's built-ins through process.getBuiltinModule
// (Node 20.16+), and the native addons through the bundle's own free require (bin/pont's, or
// the CommonJS wrapper's), or in the ES modules tsc builds (the tests) Node's createRequire.
// scripts/bundle.mjs defines PONT_BUNDLED.

declare const PONT_BUNDLED: boolean | undefined;

/** A built-in module (`node:net`), loaded now if no one has yet. */
export function builtin<T>(name: string): T {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule(name) as T;
  // an older Node (20.0-20.15, 21, 22.0-22.2), in a bundle: its require (setup.sh asks for 20.16+)
  return require(name) as T;
}

/** A require that resolves as one from `url` would (the module's import.meta.url). */
export function cjsRequire(url: string): NodeJS.Require {
  if (typeof PONT_BUNDLED === 'boolean' && PONT_BUNDLED) return require;
  return builtin<typeof import('node:module')>('node:module').createRequire(url);
}
