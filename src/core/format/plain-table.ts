// The docker CLI's list output for a template of plain fields (every default table, and
// `--format 'table {{.ID}}\t{{.Name}}'`): each value printed as it is, without the template
// engine, whose modules took ~0.5 ms of a short `ls` to load and set up. table.ts has the rest.
import { tabwrite } from './tabwriter.js';

/** A list format as formatter.Context reads it: "table ..." or not, and its template's text. */
export interface ListFormat {
  isTable: boolean;
  body: string;
}

/** An empty format or plain "table" selects `defaultTable`; `\t` and `\n` are escapes. */
export function listFormat(format: string | undefined, defaultTable: string): ListFormat {
  const f = !format || format === 'table' ? defaultTable : format;
  const isTable = f.startsWith('table');
  let body = isTable ? f.slice('table'.length) : f;
  // strings.Trim(s, " "): spaces only. Each expression runs only where it has work: compiling
  // one costs a short command more than running it (the default tables need neither)
  if (body.startsWith(' ') || body.endsWith(' ')) body = body.replace(/^ +| +$/g, '');
  if (body.includes('\\')) body = body.replace(/\\[tn]/g, (m) => (m === '\\t' ? '\t' : '\n'));
  return { isTable, body };
}

/** [A-Za-z_][A-Za-z0-9_]*, a Go template's field name. */
function isFieldName(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    if (!letter && !(i > 0 && c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}

/** The field names of a template that is only `{{.Field}}`s between tabs, or null. */
export function plainFields(body: string): string[] | null {
  const fields: string[] = [];
  for (const part of body.split('\t')) {
    const name = part.slice(3, -2);
    if (!part.startsWith('{{.') || !part.endsWith('}}') || part.length < 5 || !isFieldName(name)) return null;
    fields.push(name);
  }
  return fields;
}

/**
 * The list as formatList (table.ts) prints it, when its template is plain fields over string
 * values (and headers); else null, for the template engine.
 */
export function plainList<T>(rows: T[], { isTable, body }: ListFormat, headers: Record<string, string>): string | null {
  const fields = plainFields(body);
  if (!fields) return null;
  const cells = (r: unknown) => fields.map((name) => (r as Record<string, unknown>)[name]);
  const plain = (r: unknown) => cells(r).every((v) => typeof v === 'string');
  if (!rows.every(plain) || (isTable && !plain(headers))) return null;
  const buf = rows.map((r) => `${cells(r).join('\t')}\n`).join('');
  return isTable ? tabwrite(`${cells(headers).join('\t')}\n${buf}`) : buf;
}
