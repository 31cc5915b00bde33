// Adapter from the CLI to the table formatting in core/format. The template engine is loaded
// only for a list whose format is more than plain fields (plain-table.ts).
import { listFormat, plainList } from '../core/format/plain-table.js';
import { writeOut } from '../kernel/stdio.js';

/** `ls`/`ps` output: IDs only with -q, else the user's template or Docker's default table. */
export async function printList(rows: Record<string, unknown>[], o: { quiet?: boolean; format?: string }, defaultTable: string, headers: Record<string, string>): Promise<void> {
  if (o.quiet) {
    for (const r of rows) writeOut(`${r.ID}\n`);
    return;
  }
  const spec = listFormat(o.format, defaultTable);
  writeOut(plainList(rows, spec, headers) ?? (await import('../core/format/table.js')).templateList(rows, spec, headers));
}
