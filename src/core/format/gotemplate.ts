// Go text/template as the docker CLI uses it for --format / -f: Go's builtins
// plus Docker's json/join/split/title/lower/upper/pad/truncate.
import { TemplateError } from './errors.js';
import { execute } from './exec.js';
import { BUILTINS, type FuncMap } from './functions.js';
import { parse, type Node } from './parser.js';

export { TemplateError } from './errors.js';
export { GO_STRUCT, GO_TYPE, goStruct, goJson, formatValue } from './value.js';
export type { FuncMap, TemplateFunc, ParamType } from './functions.js';

export class Template {
  /** @internal use parseTemplate */
  constructor(readonly source: string, private readonly root: Node[]) {}

  /**
   * Runs the template. `overrides` replaces functions by name (Docker swaps in
   * its header functions for table headers). On failure throws TemplateError
   * whose `partial` holds the output produced so far.
   */
  execute(data: unknown, overrides?: FuncMap): string {
    const funcs = overrides ? { ...BUILTINS, ...overrides } : BUILTINS;
    return execute(this.root, data, this.source, funcs);
  }
}

/** Parses like template.New("").Funcs(docker's funcs).Parse(src). */
export function parseTemplate(src: string): Template {
  return new Template(src, parse(src, (name) => Object.hasOwn(BUILTINS, name)));
}

export function renderTemplate(template: string, data: unknown): string {
  return parseTemplate(template).execute(data);
}

export function isTemplateError(e: unknown): e is TemplateError {
  return e instanceof TemplateError;
}
