// Adapter from the CLI to the Go-template and table formatting in core/format.
export { renderTemplate } from '../core/format/gotemplate.js';
import { formatList as coreFormatList } from '../core/format/table.js';
import { writeOut } from '../kernel/stdio.js';

/** Docker's list output: a table by default, or each row through the user's template. */
export function formatList(rows: Record<string, unknown>[], format: string | undefined, defaultTable: string, headers: Record<string, string>): string {
  return coreFormatList(rows, format && format !== '' ? format : defaultTable, defaultTable, headers);
}

/** `ls`/`ps` output: IDs only with -q, else the user's template or Docker's default table. */
export function printList(rows: Record<string, unknown>[], o: { quiet?: boolean; format?: string }, defaultTable: string, headers: Record<string, string>): void {
  if (o.quiet) {
    for (const r of rows) writeOut(`${r.ID}\n`);
    return;
  }
  writeOut(formatList(rows, o.format, defaultTable, headers));
}
