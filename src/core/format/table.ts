// The docker CLI's list output: the formatter.Context rules for "table ..." versus plain
// templates, through its tabwriter (tabwriter.ts). A template of plain fields is printed without
// the template engine (plain-table.ts).
import { TemplateError } from './errors.js';
import { HEADER_FUNCS } from './functions.js';
import { parseTemplate, type Template } from './gotemplate.js';
import { type ListFormat, listFormat, plainList } from './plain-table.js';
import { tabwrite } from './tabwriter.js';

export { DOCKER_TABWRITER, stringWidth, tabwrite, type TabwriterOptions } from './tabwriter.js';

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
  const spec = listFormat(format, defaultTable);
  return plainList(rows, spec, headers) ?? templateList(rows, spec, headers);
}

/** formatList through the template engine: for a format that is more than plain fields (plainList's). */
export function templateList<T>(rows: T[], { isTable, body }: ListFormat, headers: Record<string, string>): string {
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
