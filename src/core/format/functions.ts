// Template functions: Go's builtins plus the ones the docker CLI adds
// (github.com/docker/cli/templates).
import { sprint, sprintf, sprintln } from './printf.js';
import { formatValue, goJson, kindOf, mapEntries, mapSize, truth, typeName } from './value.js';

/**
 * How an argument is checked before the call, like Go's reflect-based
 * validateType: 'value' passes anything through (reflect.Value params),
 * 'any' turns a missing value into nil, the others are strict.
 */
export type ParamType = 'value' | 'any' | 'string' | 'int' | 'strings';
export interface TemplateFunc {
  params: ParamType[];
  variadic?: ParamType;
  fn: (...args: any[]) => unknown;
}
export type FuncMap = Record<string, TemplateFunc>;

const fixed = (params: ParamType[], fn: TemplateFunc['fn']): TemplateFunc => ({ params, fn });
const variadic = (params: ParamType[], rest: ParamType, fn: TemplateFunc['fn']): TemplateFunc => ({ params, variadic: rest, fn });

// Go's indirectInterface: a nil interface (JS null) behaves as no value.
const deref = (v: unknown): unknown => (v === null ? undefined : v);

function length(v: unknown): number {
  if (v === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new Error('len of nil pointer');
  switch (kindOf(v)) {
    case 'string': return Buffer.byteLength(v as string);
    case 'slice': return (v as unknown[]).length;
    case 'map': return mapSize(v as object);
  }
  throw new Error(`len of type ${typeName(v)}`);
}

function indexArg(i: unknown, cap: number): number {
  if (i === undefined || i === null) throw new Error('cannot index slice/array with nil');
  if (kindOf(i) !== 'int') throw new Error(`cannot index slice/array with type ${typeName(i)}`);
  const x = Number(i);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...idx: unknown[]): unknown {
  let v = deref(item);
  if (v === undefined) throw new Error('index of untyped nil');
  for (const raw of idx) {
    const i = deref(raw);
    if (v === undefined || v === null) throw new Error('index of untyped nil');
    const k = kindOf(v);
    if (k === 'slice' || k === 'string') {
      const bytes = k === 'string' ? Buffer.from(v as string) : undefined;
      const len = bytes ? bytes.length : (v as unknown[]).length;
      const x = indexArg(i, len);
      if (x === len) throw new Error(`index out of range: ${x}`);
      v = bytes ? bytes[x] : (v as unknown[])[x];
    } else if (k === 'map') {
      if (v instanceof Map) v = v.get(i);
      else {
        if (typeof i !== 'string') throw new Error(`value has type ${typeName(i)}; should be string`);
        const m = v as Record<string, unknown>;
        // Missing key gives the element type's zero value; maps of strings
        // (Docker's Labels/Options) yield "", anything else no value.
        v = Object.hasOwn(m, i) ? m[i] : mapEntries(m).every(([, x]) => typeof x === 'string') ? '' : undefined;
      }
    } else throw new Error(`can't index item of type ${typeName(v)}`);
  }
  return v;
}

function slice(item: unknown, ...idx: unknown[]): unknown {
  const v = deref(item);
  if (v === undefined) throw new Error('slice of untyped nil');
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
  const k = kindOf(v);
  if (k === 'string' && idx.length === 3) throw new Error('cannot 3-index slice a string');
  if (k !== 'string' && k !== 'slice') throw new Error(`can't slice item of type ${typeName(v)}`);
  const bytes = k === 'string' ? Buffer.from(v as string) : undefined;
  const len = bytes ? bytes.length : (v as unknown[]).length;
  const bounds = [0, len, len];
  idx.forEach((i, n) => { bounds[n] = indexArg(deref(i), len); });
  if (bounds[0] > bounds[1]) throw new Error(`invalid slice index: ${bounds[0]} > ${bounds[1]}`);
  if (idx.length === 3 && bounds[1] > bounds[2]) throw new Error(`invalid slice index: ${bounds[1]} > ${bounds[2]}`);
  return bytes ? bytes.subarray(bounds[0], bounds[1]).toString() : (v as unknown[]).slice(bounds[0], bounds[1]);
}

type Basic = 'bool' | 'number' | 'string' | 'invalid' | 'other';
function basicKind(v: unknown): Basic {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return 'invalid';
    case 'bool': return 'bool';
    case 'int': case 'float': return 'number';
    case 'string': return 'string';
    default: return 'other';
  }
}

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let same: boolean;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new Error('incompatible types for comparison');
      same = false;
    } else if (k1 === 'other') {
      throw new Error(`non-comparable type ${formatValue(b)}: ${typeName(b)}`);
    } else same = k1 === 'invalid' || a == b; // == so bigint and number compare
    if (same) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a), k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  return (a as number | string) < (b as number | string);
}

/** strings.Title: upper-case letters that follow a separator. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /^[\x00-\x7f]$/.test(prev) ? !/^[0-9A-Za-z_]$/.test(prev) : !/^[\p{L}\p{Nd}]$/u.test(prev) && /^\s$/u.test(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function split(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

export const BUILTINS: FuncMap = {
  and: variadic(['value'], 'value', () => undefined), // short-circuits; evaluated in exec
  or: variadic(['value'], 'value', () => undefined),
  not: fixed(['value'], (v) => !truth(v)),
  len: fixed(['value'], length),
  index: variadic(['value'], 'value', index),
  slice: variadic(['value'], 'value', slice),
  print: variadic([], 'any', (...a) => sprint(a)),
  println: variadic([], 'any', (...a) => sprintln(a)),
  printf: variadic(['string'], 'any', (f, ...a) => sprintf(f, a)),
  eq: variadic(['value'], 'value', (a, ...b) => eq(deref(a), ...b.map(deref))),
  ne: fixed(['value', 'value'], (a, b) => !eq(deref(a), deref(b))),
  lt: fixed(['value', 'value'], (a, b) => lt(deref(a), deref(b))),
  le: fixed(['value', 'value'], (a, b) => lt(deref(a), deref(b)) || eq(deref(a), deref(b))),
  gt: fixed(['value', 'value'], (a, b) => !(lt(deref(a), deref(b)) || eq(deref(a), deref(b)))),
  ge: fixed(['value', 'value'], (a, b) => !lt(deref(a), deref(b))),
  // docker/cli templates.basicFunctions; encode errors yield "" as in Docker
  json: fixed(['any'], (v) => { try { return goJson(v); } catch { return ''; } }),
  split: fixed(['string', 'string'], split),
  join: fixed(['strings', 'string'], (l: string[], sep: string) => l.join(sep)),
  title: fixed(['string'], title),
  lower: fixed(['string'], (s: string) => s.toLowerCase()),
  upper: fixed(['string'], (s: string) => s.toUpperCase()),
  pad: fixed(['string', 'int', 'int'], (s: string, pre: number, post: number) => (s === '' ? s : ' '.repeat(Math.max(pre, 0)) + s + ' '.repeat(Math.max(post, 0)))),
  truncate: fixed(['string', 'int'], (s: string, n: number) => {
    const b = Buffer.from(s);
    return b.length < n ? s : b.subarray(0, Math.max(n, 0)).toString();
  }),
  // Not a Docker function (Docker strips the "table" prefix before parsing);
  // accepted as a no-op so a stray {{table}} renders its argument or nothing.
  table: variadic([], 'any', (...a) => (a.length ? a[0] : '')),
};

/** docker/cli templates.HeaderFunctions: keep header titles intact. */
const same = (v: string): string => v;
export const HEADER_FUNCS: FuncMap = {
  json: fixed(['string'], same),
  split: fixed(['string', 'string'], same),
  join: fixed(['string', 'string'], same),
  title: fixed(['string'], same),
  lower: fixed(['string'], same),
  upper: fixed(['string'], same),
  truncate: fixed(['string', 'int'], same),
};
