// The docker CLI's list output, aligned: its fork of Go's text/tabwriter (cell widths via
// go-runewidth) configured as NewWriter(out, 10, 1, 3, ' ', 0). No import: the plain tables
// (plain-table.ts) are printed without loading the template engine.

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
  // printable ASCII, nearly every cell: one cell a character, no code point to decode
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x20 && s.charCodeAt(i) < 0x7f) i++;
  if (i === s.length) return i;
  let w = i;
  for (const ch of s.slice(i)) w += runeWidth(ch);
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

  // the separators are single UTF-16 units: a cell is the text between two of them
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x09 && c !== 0x0b && c !== 0x0a && c !== 0x0c) continue;
    cell = text.slice(start, i);
    start = i + 1;
    const ncells = terminateCell(c === 0x09);
    if (c === 0x0a || c === 0x0c) {
      lines.push([]);
      if (c === 0x0c || ncells === 1) flush();
    }
  }
  cell = text.slice(start);
  if (cell !== '') terminateCell(false);
  flush();
  return out;
}
