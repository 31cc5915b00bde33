// The docker CLI's list output: its fork of Go's text/tabwriter (cell widths
// via go-runewidth) configured as NewWriter(out, 10, 1, 3, ' ', 0), and the
// formatter.Context rules for "table ..." versus plain templates.
import { TemplateError } from './errors.js';
import { HEADER_FUNCS } from './functions.js';
import { parseTemplate, type Template } from './gotemplate.js';

export interface TabwriterOptions { minwidth: number; tabwidth: number; padding: number; padchar: string }
export const DOCKER_TABWRITER: TabwriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' };

/** Terminal cell width of one code point, approximating go-runewidth. */
function runeWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  // printable ASCII, nearly every cell's every character: no Unicode property to look up
  if (c >= 0x20 && c < 0x7f) return 1;
  if (c < 0x20 || (c >= 0x7f && c < 0xa0) || /[\p{Mn}\p{Me}\p{Cf}]/u.test(ch)) return 0;
  const wide =
    (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd) ||
    /\p{Emoji_Presentation}/u.test(ch);
  return wide ? 2 : 1;
}

export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += runeWidth(ch);
  return w;
}

interface Cell { text: string; width: number; htab: boolean }

/**
 * Aligns tab-terminated cells into columns exactly like tabwriter.Writer:
 * write `text`, then Flush. '\t' and '\v' end cells, '\n' and '\f' end lines,
 * '\f' (and any line with a single cell) ends all column blocks.
 */
export function tabwrite(text: string, opts: TabwriterOptions = DOCKER_TABWRITER): string {
  let out = '';
  let lines: Cell[][] = [[]];
  let cell = '';
  const widths: number[] = [];

  const padding = (textw: number, cellw: number): void => {
    if (opts.padchar === '\t') {
      if (opts.tabwidth === 0) return;
      const w = Math.ceil(cellw / opts.tabwidth) * opts.tabwidth;
      out += '\t'.repeat(Math.ceil((w - textw) / opts.tabwidth));
    } else out += opts.padchar.repeat(cellw - textw);
  };

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      lines[i].forEach((c, j) => {
        out += c.text;
        if (j < widths.length) padding(c.width, widths[j]);
      });
      // the last buffered line has no newline yet
      out += i + 1 === lines.length ? cell : '\n';
    }
  };

  // Elastic tabstops: a column block is a run of lines that have a cell in this column.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let th = line0; th < line1; th++) {
      if (column >= lines[th].length - 1) continue;
      writeLines(line0, th);
      line0 = th;
      let width = opts.minwidth;
      for (; th < line1; th++) {
        const line = lines[th];
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column].width + opts.padding);
      }
      widths.push(width);
      format(line0, th);
      widths.pop();
      line0 = th;
    }
    writeLines(line0, line1);
  };

  const flush = (): void => {
    format(0, lines.length);
    lines = [[]];
  };
  const terminateCell = (htab: boolean): number => {
    const line = lines[lines.length - 1];
    line.push({ text: cell, width: stringWidth(cell), htab });
    cell = '';
    return line.length;
  };

  for (const ch of text) {
    if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') { cell += ch; continue; }
    const ncells = terminateCell(ch === '\t');
    if (ch === '\n' || ch === '\f') {
      lines.push([]);
      if (ch === '\f' || ncells === 1) flush();
    }
  }
  if (cell !== '') terminateCell(false);
  flush();
  return out;
}

/** The field names of a template that is only `{{.Field}}`s between tabs, or null. */
function plainFields(body: string): string[] | null {
  const fields = body.split('\t').map((part) => /^\{\{\.([A-Za-z_]\w*)\}\}$/.exec(part)?.[1]);
  return fields.every((f) => f !== undefined) ? (fields as string[]) : null;
}

function wrapError(e: unknown): never {
  if (e instanceof TemplateError) throw new TemplateError(`template parsing error: ${e.message}`);
  throw e;
}

/**
 * Docker's formatter.Context.Write for a list command. An empty format or
 * plain "table" selects `defaultTable`. A "table ..." format prints the header
 * row (the template run on `headers`, with Docker's header functions) and the
 * rows through the tabwriter; any other format prints each row plus "\n".
 * Errors read "template parsing error: ..." as Docker's do.
 */
export function formatList<T>(rows: T[], format: string | undefined, defaultTable: string, headers: Record<string, string> = {}): string {
  const f = !format || format === 'table' ? defaultTable : format;
  const isTable = f.startsWith('table');
  const body = (isTable ? f.slice('table'.length) : f)
    .replace(/^ +| +$/g, '') // strings.Trim(s, " "): spaces only
    .replace(/\\[tn]/g, (m) => (m === '\\t' ? '\t' : '\n'));
  // A template of plain fields (the default tables) over string values prints each value as it
  // is: no need to start the template engine, which takes ~3 ms, most of a short `ls`.
  const fields = plainFields(body);
  const cells = (r: unknown) => fields?.map((name) => (r as Record<string, unknown>)[name]) ?? [];
  const plain = (r: unknown) => cells(r).every((v) => typeof v === 'string');
  if (fields && rows.every(plain) && (!isTable || plain(headers))) {
    const buf = rows.map((r) => `${cells(r).join('\t')}\n`).join('');
    return isTable ? tabwrite(`${cells(headers).join('\t')}\n${buf}`) : buf;
  }
  let tmpl: Template;
  try { tmpl = parseTemplate(body); } catch (e) { return wrapError(e); }
  let buf = '';
  for (const row of rows) {
    try { buf += tmpl.execute(row); } catch (e) { wrapError(e); }
    buf += '\n';
  }
  if (!isTable) return buf;
  let header: string;
  try {
    header = tmpl.execute(headers, HEADER_FUNCS);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    header = e.partial; // Docker ignores header errors and keeps what was written
  }
  return tabwrite(`${header}\n${buf}`);
}
