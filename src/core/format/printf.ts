// fmt.Sprintf / Sprint / Sprintln for template values: the verbs Docker users
// write (%s %d %v %q %t %x %X %f %e %g %c %o %b %T), flags, width, precision
// and Go's %!verb(type=value) / MISSING / EXTRA diagnostics.
import { goQuote } from './errors.js';
import { formatFloat, formatValue, kindOf, mapEntries, structFields, structGet, typeName } from './value.js';

interface Spec { minus: boolean; plus: boolean; sharp: boolean; space: boolean; zero: boolean; width?: number; prec?: number; verb: string }

const runeLen = (s: string): number => [...s].length;

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width ?? 0;
  const n = runeLen(s);
  if (n >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  return ' '.repeat(w - n) + s;
}

function signed(neg: boolean, body: string, spec: Spec): string {
  return (neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + body;
}

function fmtInt(v: number | bigint, spec: Spec): string | undefined {
  const neg = v < 0;
  const abs = neg ? -v : v;
  const radix: Record<string, number> = { d: 10, v: 10, b: 2, o: 8, O: 8, x: 16, X: 16 };
  const verb = spec.verb;
  if (verb === 'c') return String.fromCodePoint(Number(v));
  if (verb === 'q') return `'${goQuote(String.fromCodePoint(Number(v))).slice(1, -1).replace(/\\"/g, '"')}'`;
  if (verb === 'U') return `U+${Number(v).toString(16).toUpperCase().padStart(4, '0')}`;
  if (!(verb in radix)) return 'eEfFgG'.includes(verb) ? fmtFloat(Number(v), spec) : undefined;
  let digits = abs.toString(radix[verb]);
  if (verb === 'X') digits = digits.toUpperCase();
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, '0');
  if (spec.sharp && (verb === 'x' || verb === 'X')) digits = `0${verb}${digits}`;
  if ((spec.sharp && verb === 'o') ) digits = `0${digits}`;
  if (verb === 'O') digits = `0o${digits}`;
  return signed(neg, digits, spec);
}

function expForm(mant: string, exp: number, upper: boolean): string {
  return `${mant}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function fmtFloat(x: number, spec: Spec): string | undefined {
  const verb = spec.verb;
  if (!Number.isFinite(x)) return signed(x < 0, Number.isNaN(x) ? 'NaN' : 'Inf', Number.isNaN(x) ? { ...spec, plus: false, space: false } : spec);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  if (verb === 'f' || verb === 'F') body = a.toFixed(spec.prec ?? 6);
  else if (verb === 'e' || verb === 'E') {
    const [m, e] = a.toExponential(spec.prec ?? 6).split('e');
    body = expForm(m, Number(e), verb === 'E');
  } else if (verb === 'g' || verb === 'G' || verb === 'v') {
    if (spec.prec === undefined) body = formatFloat(a);
    else {
      const p = Math.max(spec.prec, 1);
      const [m, e] = a.toExponential(p - 1).split('e');
      const exp = Number(e);
      const digits = m.replace('.', '').replace(/0+$/, '') || '0';
      const eprec = p > digits.length && digits.length >= exp + 1 ? digits.length : p;
      body = exp < -4 || exp >= eprec
        ? expForm(digits[0] + (digits.length > 1 ? `.${digits.slice(1)}` : ''), exp, false)
        : a.toFixed(Math.max(digits.length - (exp + 1), 0));
    }
    if (verb === 'G') body = body.toUpperCase();
  } else return undefined;
  return signed(neg, body, spec);
}

function fmtString(s: string, spec: Spec): string | undefined {
  if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join('');
  switch (spec.verb) {
    case 's': case 'v': return s;
    case 'q': return spec.sharp && !/[`\x00-\x1f\x7f]/.test(s) ? `\`${s}\`` : goQuote(s);
    case 'x': case 'X': {
      const hex = [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
      const out = hex.join(spec.space ? ' ' : '');
      return spec.verb === 'X' ? out.toUpperCase() : out;
    }
  }
  return undefined;
}

/** One operand with one verb; composites apply the verb to each element like fmt. */
function fmtArg(v: unknown, spec: Spec): string {
  const bad = (): string => `%!${spec.verb}(${v === undefined || v === null ? '<nil>' : `${typeName(v)}=${formatValue(v)}`})`;
  if (spec.verb === 'T') return pad(v === undefined || v === null ? '<nil>' : typeName(v), spec, false);
  const k = kindOf(v);
  switch (k) {
    case 'invalid': case 'nil': return spec.verb === 'v' ? pad('<nil>', spec, false) : bad();
    case 'bool': return spec.verb === 't' || spec.verb === 'v' ? pad(String(v), spec, false) : bad();
    case 'int': { const s = fmtInt(v as number, spec); return s === undefined ? bad() : pad(s, spec, true); }
    case 'float': { const s = fmtFloat(v as number, spec); return s === undefined ? bad() : pad(s, spec, true); }
    case 'string': { const s = fmtString(v as string, spec); return s === undefined ? bad() : pad(s, spec, false); }
    case 'func': return bad();
    case 'slice': return `[${(v as unknown[]).map((e) => fmtArg(e, spec)).join(' ')}]`;
  }
  if (spec.verb === 'v' || spec.verb === 's') {
    const str = (v as { String?: unknown }).String;
    if (typeof str === 'function') return pad(String(str.call(v)), spec, false);
  }
  const fields = structFields(v);
  if (fields) return `{${fields.map((f) => (spec.plus && spec.verb === 'v' ? `${f.name}:` : '') + fmtArg(structGet(v as object, f), spec)).join(' ')}}`;
  return `map[${mapEntries(v as object).map(([key, x]) => `${fmtArg(key, spec)}:${fmtArg(x, spec)}`).join(' ')}]`;
}

export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argNum = 0;
  const runes = [...format];
  const num = (i: number): [number | undefined, number] => {
    if (runes[i] === '*') {
      const a = args[argNum++];
      return [typeof a === 'number' ? Math.trunc(a) : undefined, i + 1];
    }
    let j = i;
    while (j < runes.length && runes[j] >= '0' && runes[j] <= '9') j++;
    return [j > i ? Number(runes.slice(i, j).join('')) : undefined, j];
  };
  for (let i = 0; i < runes.length; i++) {
    if (runes[i] !== '%') { out += runes[i]; continue; }
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, verb: '' };
    for (i++; i < runes.length && '-+# 0'.includes(runes[i]); i++) {
      const f = runes[i];
      if (f === '-') spec.minus = true; else if (f === '+') spec.plus = true; else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true; else spec.zero = true;
    }
    [spec.width, i] = num(i);
    if (spec.width !== undefined && spec.width < 0) { spec.minus = true; spec.width = -spec.width; }
    if (runes[i] === '.') { [spec.prec, i] = num(i + 1); spec.prec ??= 0; }
    if (i >= runes.length) { out += '%!(NOVERB)'; break; }
    spec.verb = runes[i];
    if (spec.verb === '%') { out += '%'; continue; }
    if (argNum >= args.length) { out += `%!${spec.verb}(MISSING)`; continue; }
    out += fmtArg(args[argNum++], spec);
  }
  if (argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (a === undefined || a === null ? '<nil>' : `${typeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

/** fmt.Sprint: spaces only between operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

export function sprintln(args: unknown[]): string {
  return args.map((a) => formatValue(a)).join(' ') + '\n';
}
