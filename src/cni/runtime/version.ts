// CNI spec versions (semver strings such as "0.4.0", "1.0.0"): comparison and the choices the
// spec asks a runtime to make from them. Pure.

/** The newest spec version this runtime implements (SPEC.md 1.1.0: GC and STATUS). */
export const CNI_SPEC_VERSION = '1.1.0';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

export const isCniVersion = (v: string): boolean => SEMVER.test(v);

/** Negative, zero or positive as a is older than, equal to or newer than b; malformed sorts first. */
export function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

export const atLeast = (v: string, min: string): boolean => compareVersions(v, min) >= 0;

/**
 * The version a list runs at (spec §1 "Version considerations", as libcni does): the highest of
 * `cniVersion` and `cniVersions` that this runtime implements; undefined when none qualifies.
 */
export function selectListVersion(cniVersion: string | undefined, cniVersions: readonly string[] = []): string | undefined {
  const known = [...cniVersions, ...(cniVersion ? [cniVersion] : [])].filter((v) => compareVersions(v, CNI_SPEC_VERSION) <= 0);
  if (cniVersions.length === 0) return cniVersion;
  return known.sort(compareVersions).at(-1);
}

/** "0.1.0, 0.2.0, …, 1.0.0" as "0.1.0 to 1.0.0": what a refusal tells the user. */
export function describeVersions(versions: readonly string[]): string {
  const sorted = [...versions].sort(compareVersions);
  if (sorted.length === 0) return 'none';
  return sorted.length === 1 ? sorted[0]! : `${sorted[0]} to ${sorted.at(-1)}`;
}
