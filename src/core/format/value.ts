// How JS values behave as Go values inside templates: kinds, truth, `%v`
// printing and encoding/json output.

/** Non-enumerable hint: ordered Go struct field names, e.g. ['Subnet', 'IPRange', 'Gateway', 'AuxAddress:map']. */
export const GO_STRUCT = Symbol.for('pont.goStruct');
/** Optional Go type name used in error messages, e.g. '*formatter.networkContext'. */
export const GO_TYPE = Symbol.for('pont.goType');

/** Kinds of struct field zero values; the suffix after ':' in a GO_STRUCT entry. */
export type ZeroKind = 'string' | 'int' | 'float' | 'bool' | 'map' | 'slice' | 'ptr';

/** Marks `obj` as a Go struct with the given field order (see GO_STRUCT). */
export function goStruct<T extends object>(obj: T, fields: string[], typeName?: string): T {
  Object.defineProperty(obj, GO_STRUCT, { value: fields, enumerable: false, configurable: true });
  if (typeName) Object.defineProperty(obj, GO_TYPE, { value: typeName, enumerable: false, configurable: true });
  return obj;
}

export type Kind = 'invalid' | 'nil' | 'string' | 'int' | 'float' | 'bool' | 'slice' | 'map' | 'struct' | 'func';

export interface StructField { name: string; zero: ZeroKind }

export function structFields(v: unknown): StructField[] | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const hint = (v as Record<symbol, unknown>)[GO_STRUCT];
  if (!Array.isArray(hint)) return undefined;
  return hint.map((h: string) => {
    const [name, zero = 'string'] = String(h).split(':');
    return { name, zero: zero as ZeroKind };
  });
}

export function kindOf(v: unknown): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string': return 'string';
    case 'number': return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'boolean': return 'bool';
    case 'function': return 'func';
  }
  if (Array.isArray(v)) return 'slice';
  return structFields(v) ? 'struct' : 'map';
}

/** Go-ish type name for error messages. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return 'interface {}';
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'slice': return (v as unknown[]).every((e) => typeof e === 'string') && (v as unknown[]).length > 0 ? '[]string' : '[]interface {}';
    case 'map': return 'map[string]interface {}';
    case 'struct': return String((v as Record<symbol, unknown>)[GO_TYPE] ?? 'struct');
    case 'func': return 'func()';
  }
}

export function zeroValue(k: ZeroKind): unknown {
  switch (k) {
    case 'int': case 'float': return 0;
    case 'bool': return false;
    case 'map': return {};
    case 'slice': return [];
    case 'ptr': return null;
    default: return '';
  }
}

/** Value of a struct field, with Go's zero value when the JS property is absent. */
export function structGet(v: object, f: StructField): unknown {
  const x = (v as Record<string, unknown>)[f.name];
  if (x === undefined) return zeroValue(f.zero);
  // nil maps and slices print as map[] / [] in Go, not <nil>
  if (x === null && (f.zero === 'map' || f.zero === 'slice')) return zeroValue(f.zero);
  return x;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Map entries in Go's printing/iteration order (sorted keys). */
export function mapEntries(v: object): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof Map
    ? [...v.entries()]
    : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]);
  return entries.filter(([, x]) => x !== undefined).sort((a, b) => compareKeys(a[0], b[0]));
}

export function mapSize(v: object): number {
  return v instanceof Map ? v.size : Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).length;
}

/** Go's isTrue: empty values are false, structs always true. */
export function truth(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return false;
    case 'string': return (v as string).length > 0;
    case 'int': case 'float': return typeof v === 'bigint' ? v !== 0n : v !== 0;
    case 'bool': return v as boolean;
    case 'slice': return (v as unknown[]).length > 0;
    case 'map': return mapSize(v as object) > 0;
    default: return true;
  }
}

/** A user-supplied Go Stringer (`String()` method) or Error, as fmt would use it. */
function stringer(v: object): string | undefined {
  if (v instanceof Error) return v.message;
  const s = (v as { String?: unknown }).String;
  return typeof s === 'function' ? String(s.call(v)) : undefined;
}

/** strconv.FormatFloat(x, 'g', -1, 64) as used by %v. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, e] = x.toExponential().split('e');
  const exp = Number(e);
  // shortest %g switches to exponent form outside [1e-4, 1e6)
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

/** fmt's %v (plus = %+v). `undefined` nested in composites prints as <nil>. */
export function formatValue(v: unknown, plus = false): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return '<nil>';
    case 'string': return v as string;
    case 'int': return String(v);
    case 'float': return formatFloat(v as number);
    case 'bool': return v ? 'true' : 'false';
    case 'func': return '<func>';
    case 'slice': return `[${(v as unknown[]).map((e) => formatValue(e, plus)).join(' ')}]`;
  }
  const s = stringer(v as object);
  if (s !== undefined) return s;
  const fields = structFields(v);
  if (fields) {
    const parts = fields.map((f) => (plus ? `${f.name}:` : '') + formatValue(structGet(v as object, f), plus));
    return `{${parts.join(' ')}}`;
  }
  const parts = mapEntries(v as object).map(([k, x]) => `${formatValue(k, plus)}:${formatValue(x, plus)}`);
  return `map[${parts.join(' ')}]`;
}

/** encoding/json string quoting; Docker's `json` func disables HTML escaping. */
export function jsonQuote(s: string, escapeHTML = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += short[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += `\\u00${c.toString(16)}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // lone surrogate = invalid UTF-8 in Go
    else out += ch;
  }
  return out + '"';
}

export interface JsonOptions {
  /** Escape <, >, & as \u003c etc. like json.Marshal (Docker's `json` func does not). */
  escapeHTML?: boolean;
  /** json.MarshalIndent's indent, e.g. '    ' for `docker inspect`; compact when absent. */
  indent?: string;
}

/**
 * encoding/json output. Plain objects keep insertion order (they usually
 * mirror Docker's structs); Map instances are sorted like Go maps;
 * GO_STRUCT objects follow the hint order. Throws on NaN/Infinity like Go.
 */
export function goJson(v: unknown, opts: JsonOptions = {}, depth = 0): string {
  const esc = opts.escapeHTML ?? false;
  if (v === undefined || v === null || typeof v === 'function') return 'null';
  if (typeof v === 'string') return jsonQuote(v, esc);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${formatFloat(v)}`);
    return String(v);
  }
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return goJson(toJSON.call(v), opts, depth);
  const wrap = (open: string, items: string[], close: string): string => {
    if (items.length === 0) return open + close;
    if (opts.indent === undefined) return open + items.join(',') + close;
    const pad = (d: number): string => '\n' + opts.indent!.repeat(d);
    return open + items.map((x) => pad(depth + 1) + x).join(',') + pad(depth) + close;
  };
  if (Array.isArray(v)) return wrap('[', v.map((e) => goJson(e, opts, depth + 1)), ']');
  let keys: unknown[];
  const get = (k: unknown): unknown => (v instanceof Map ? v.get(k) : (v as Record<string, unknown>)[k as string]);
  if (v instanceof Map) keys = mapEntries(v).map(([k]) => k);
  else {
    const own = Object.keys(v);
    const hinted = structFields(v)?.map((f) => f.name).filter((k) => own.includes(k)) ?? [];
    keys = [...hinted, ...own.filter((k) => !hinted.includes(k))];
  }
  const sep = opts.indent === undefined ? ':' : ': ';
  const items = keys.filter((k) => get(k) !== undefined).map((k) => jsonQuote(String(k), esc) + sep + goJson(get(k), opts, depth + 1));
  return wrap('{', items, '}');
}
