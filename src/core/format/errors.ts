/** A template parse or execution error; `message` follows Go's wording. */
export class TemplateError extends Error {
  /** Output written before an execution error (Docker keeps it for table headers). */
  partial = '';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Go's %q for a string (strconv.Quote, printable Unicode kept as-is). */
export function goQuote(s: string): string {
  const esc: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (esc[ch]) out += esc[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** Go's %#U: `U+0023 '#'`. */
export function goRune(ch: string): string {
  const c = ch.codePointAt(0)!;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}
