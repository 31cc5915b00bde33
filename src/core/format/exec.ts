// Executes a parsed template against JS data, following text/template/exec.go:
// same evaluation order, same "missing value" rules, same error wording.
import { TemplateError } from './errors.js';
import type { FuncMap, ParamType, TemplateFunc } from './functions.js';
import { nodeString, type Arg, type ChainNode, type Command, type ControlNode, type IdentifierNode, type Node, type Pipe, type VariableNode } from './parser.js';
import { formatValue, kindOf, mapEntries, structFields, structGet, truth, typeName } from './value.js';

const MISSING = Symbol('missing'); // no final value piped into a command
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
type AnyNode = Node | Arg | Command;

/** Own or inherited (non-builtin) property: a method if it is a function. */
function lookup(obj: object, name: string): { method?: (...a: unknown[]) => unknown; value?: unknown } | undefined {
  const stop = [Object.prototype, Array.prototype, Map.prototype, Function.prototype];
  for (let o: object | null = obj; o && !stop.includes(o); o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (!d) continue;
    const v = d.get ? d.get.call(obj) : d.value;
    return typeof v === 'function' ? { method: v as (...a: unknown[]) => unknown } : { value: v };
  }
  return undefined;
}

export function execute(root: Node[], data: unknown, src: string, funcs: FuncMap): string {
  const out: string[] = [];
  const vars: { name: string; value: unknown }[] = [{ name: '$', value: data }];
  let at: AnyNode | undefined;

  const errorf = (msg: string): never => {
    if (!at) throw new TemplateError(`template: : ${msg}`);
    const before = src.slice(0, at.pos);
    const nl = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    const col = nl < 0 ? at.pos : at.pos - (nl + 1);
    const ctx = [...nodeString(at)];
    const context = ctx.length > 20 ? `${ctx.slice(0, 20).join('')}...` : ctx.join('');
    throw new TemplateError(`template: :${line}:${col}: executing "" at <${context}>: ${msg}`);
  };

  const varValue = (name: string): unknown => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) return vars[i].value;
    return errorf(`undefined variable: ${name}`);
  };
  const setVar = (name: string, value: unknown): void => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) { vars[i].value = value; return; }
    errorf(`undefined variable: ${name}`);
  };

  const notAFunction = (args: Arg[], final: unknown): void => {
    if (args.length > 1 || final !== MISSING) errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  };

  /** Go's validateType for function arguments. */
  const validate = (v: unknown, t: ParamType): unknown => {
    const want = t === 'strings' ? '[]string' : t;
    switch (t) {
      case 'value': return v;
      case 'any': return v === undefined ? null : v;
      case 'strings':
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v)) errorf(`wrong type for value; expected []string; got ${typeName(v)}`);
        return (v as unknown[]).map((e) => (typeof e === 'string' ? e : formatValue(e)));
    }
    if (v === undefined) errorf(`invalid value; expected ${want}`);
    if (kindOf(v) !== t) errorf(`wrong type for value; expected ${want}; got ${typeName(v)}`);
    return t === 'int' ? Number(v) : v;
  };

  const evalArg = (dot: unknown, t: ParamType, n: Arg): unknown => {
    at = n;
    switch (n.type) {
      case 'dot': return validate(dot, t);
      case 'nil':
        if (t === 'string' || t === 'int') errorf(`cannot assign nil to ${t}`);
        return t === 'value' ? undefined : null;
      case 'field': return validate(evalFieldChain(dot, dot, n, n.idents, [n], MISSING), t);
      case 'variable': return validate(evalVariable(dot, n, [n], MISSING), t);
      case 'pipe': return validate(evalPipeline(dot, n), t);
      case 'identifier': return validate(evalFunction(dot, n, [n], MISSING), t);
      case 'chain': return validate(evalChain(dot, n, [n], MISSING), t);
    }
    const lit = n.value;
    if (t === 'string' && typeof lit !== 'string') errorf(`expected string; found ${nodeString(n)}`);
    if (t === 'int' && kindOf(lit) !== 'int') errorf(`expected integer; found ${nodeString(n)}`);
    if (t === 'strings') errorf(`can't handle ${nodeString(n)} for arg of type []string`);
    return lit;
  };

  const evalCall = (dot: unknown, fn: TemplateFunc, node: AnyNode, name: string, args: Arg[], final: unknown, builtin: boolean): unknown => {
    const argNodes = args.slice(1); // args[0] names the function
    const numIn = argNodes.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic) {
      if (numIn < numFixed) errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${argNodes.length}`);
    } else if (numIn !== numFixed) errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    if (builtin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const a of argNodes) {
        v = evalArg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      return final !== MISSING ? final : v;
    }
    const argv = argNodes.map((a, i) => evalArg(dot, i < numFixed ? fn.params[i] : fn.variadic!, a));
    if (final !== MISSING) {
      const t = fn.variadic && numIn - 1 >= numFixed ? fn.variadic : fn.params[numIn - 1] ?? 'any';
      argv.push(validate(final, t));
    }
    try {
      return fn.fn(...argv);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      at = node;
      return errorf(`error calling ${name}: ${(e as Error).message}`);
    }
  };

  const evalField = (dot: unknown, name: string, node: AnyNode, args: Arg[], final: unknown, receiver: unknown): unknown => {
    if (receiver === undefined) return undefined; // missing map key: stays missing
    if (receiver === null) return errorf(`nil pointer evaluating interface {}.${name}`);
    const k = kindOf(receiver);
    if (k !== 'map' && k !== 'struct') return errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof Map) {
      if (hasArgs) errorf(`${name} is not a method but has arguments`);
      return receiver.get(name);
    }
    const found = lookup(receiver as object, name);
    if (found?.method) {
      const m = found.method;
      const fn: TemplateFunc = { params: [], variadic: 'any', fn: (...a) => m.apply(receiver, a) };
      return evalCall(dot, fn, node, name, args, final, false);
    }
    const field = structFields(receiver)?.find((f) => f.name === name);
    if (k === 'struct') {
      if (!field && !found) errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
      if (hasArgs) errorf(`${name} has arguments but cannot be invoked as function`);
      return field ? structGet(receiver as object, field) : found!.value;
    }
    if (hasArgs) errorf(`${name} is not a method but has arguments`);
    return found?.value;
  };

  const evalFieldChain = (dot: unknown, receiver: unknown, node: AnyNode, idents: string[], args: Arg[], final: unknown): unknown => {
    for (let i = 0; i < idents.length - 1; i++) receiver = evalField(dot, idents[i], node, [], MISSING, receiver);
    return evalField(dot, idents[idents.length - 1], node, args, final, receiver);
  };

  const evalChain = (dot: unknown, chain: ChainNode, args: Arg[], final: unknown): unknown => {
    at = chain;
    if (chain.node.type === 'nil') errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = evalArg(dot, 'value', chain.node);
    return evalFieldChain(dot, pipe, chain, chain.fields, args, final);
  };

  const evalVariable = (dot: unknown, v: VariableNode, args: Arg[], final: unknown): unknown => {
    at = v;
    const value = varValue(v.idents[0]);
    if (v.idents.length === 1) {
      notAFunction(args, final);
      return value;
    }
    return evalFieldChain(dot, value, v, v.idents.slice(1), args, final);
  };

  const evalFunction = (dot: unknown, ident: IdentifierNode, args: Arg[], final: unknown): unknown => {
    at = ident;
    const fn = funcs[ident.name];
    if (!fn) errorf(`"${ident.name}" is not a defined function`);
    return evalCall(dot, fn, ident, ident.name, args, final, true);
  };

  const evalCommand = (dot: unknown, cmd: Command, final: unknown): unknown => {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field': at = first; return evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain': return evalChain(dot, first, cmd.args, final);
      case 'identifier': return evalFunction(dot, first, cmd.args, final);
      case 'pipe': notAFunction(cmd.args, final); return evalPipeline(dot, first);
      case 'variable': return evalVariable(dot, first, cmd.args, final);
    }
    at = first;
    notAFunction(cmd.args, final);
    switch (first.type) {
      case 'dot': return dot;
      case 'nil': return errorf('nil is not a command');
      default: return first.value;
    }
  };

  const evalPipeline = (dot: unknown, pipe: Pipe): unknown => {
    at = pipe;
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = evalCommand(dot, cmd, value);
    for (const name of pipe.decl) {
      if (pipe.isAssign) setVar(name, value);
      else vars.push({ name, value });
    }
    return value;
  };

  const walkList = (dot: unknown, list: Node[]): void => { for (const n of list) walk(dot, n); };

  const walkRange = (dot: unknown, r: ControlNode): void => {
    at = r;
    const val = evalPipeline(dot, r.pipe);
    const mark = vars.length;
    const decl = r.pipe.decl;
    const iterate = (key: unknown, elem: unknown): void => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) setVar(decl[decl.length > 1 ? 1 : 0], elem);
        else vars[mark - 1].value = elem;
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) setVar(decl[0], key);
        else vars[mark - 2].value = key;
      }
      try {
        walkList(elem, r.list);
      } catch (e) {
        if (e !== CONTINUE) throw e;
      } finally {
        vars.length = mark;
      }
    };
    let entries: [unknown, unknown][] = [];
    switch (kindOf(val)) {
      case 'invalid': case 'nil': break;
      case 'slice': entries = (val as unknown[]).map((e, i) => [i, e]); break;
      case 'map': entries = mapEntries(val as object); break;
      case 'int':
        if (decl.length > 1) errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        entries = Array.from({ length: Math.max(Number(val), 0) }, (_, i) => [i, i]);
        break;
      default: errorf(`range can't iterate over ${formatValue(val)}`);
    }
    try {
      for (const [k, e] of entries) iterate(k, e);
    } catch (e) {
      if (e !== BREAK) throw e;
    }
    if (entries.length === 0 && r.elseList) walkList(dot, r.elseList);
  };

  const walk = (dot: unknown, node: Node): void => {
    at = node;
    switch (node.type) {
      case 'text': out.push(node.text); return;
      case 'action': {
        const val = evalPipeline(dot, node.pipe);
        at = node;
        if (node.pipe.decl.length === 0) out.push(val === undefined ? '<no value>' : formatValue(val));
        return;
      }
      case 'if': case 'with': {
        const mark = vars.length;
        const val = evalPipeline(dot, node.pipe);
        if (truth(val)) walkList(node.type === 'with' ? val : dot, node.list);
        else if (node.elseList) walkList(dot, node.elseList);
        vars.length = mark;
        return;
      }
      case 'range': {
        const mark = vars.length;
        walkRange(dot, node);
        vars.length = mark;
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
    }
  };

  try {
    walkList(data, root);
  } catch (e) {
    if (e instanceof TemplateError) e.partial = out.join('');
    throw e;
  }
  return out.join('');
}
