// Adapter from the CLI to the Go-template and table formatting in core/format.
export { renderTemplate } from '../core/format/gotemplate.js';
import { formatList as coreFormatList } from '../core/format/table.js';

/** Docker's list output: a table by default, or each row through the user's template. */
export function formatList(rows: Record<string, unknown>[], format: string | undefined, defaultTable: string, headers: Record<string, string>): string {
  return coreFormatList(rows, format && format !== '' ? format : defaultTable, defaultTable, headers);
}
