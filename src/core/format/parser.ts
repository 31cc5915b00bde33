// Recursive-descent parser mirroring text/template/parse/parse.go (no
// define/template/block: Docker's --format never needs them).
import { TemplateError, goQuote } from './errors.js';
import { lex, type Token, type TokenType } from './lexer.js';

export interface Pipe { type: 'pipe'; pos: number; decl: string[]; isAssign: boolean; cmds: Command[] }
export interface Command { type: 'command'; pos: number; args: Arg[] }
export interface FieldNode { type: 'field'; pos: number; idents: string[] }
export interface VariableNode { type: 'variable'; pos: number; idents: string[] }
export interface ChainNode { type: 'chain'; pos: number; node: Arg; fields: string[] }
export interface IdentifierNode { type: 'identifier'; pos: number; name: string }
export type Arg =
  | FieldNode | VariableNode | ChainNode | IdentifierNode
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | { type: 'number'; pos: number; value: number; text: string }
  | { type: 'string'; pos: number; value: string; text: string }
  | Pipe;
export interface ControlNode { type: 'if' | 'with' | 'range'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
export type Node =
  | { type: 'text'; pos: number; text: string }
  | { type: 'action'; pos: number; pipe: Pipe }
  | ControlNode
  | { type: 'break' | 'continue'; pos: number };
type Marker = { type: 'end' | 'else'; pos: number };

/** Go's `{{...}}` rendering of a node, used in error messages. */
export function nodeString(n: Node | Arg | Command | Marker): string {
  switch (n.type) {
    case 'text': return goQuote(n.text);
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'if': case 'with': case 'range':
      return `{{${n.type} ${nodeString(n.pipe)}}}${n.list.map(nodeString).join('')}` +
        (n.elseList ? `{{else}}${n.elseList.map(nodeString).join('')}` : '') + '{{end}}';
    case 'break': case 'continue': case 'end': case 'else': return `{{${n.type}}}`;
    case 'pipe': {
      const decl = n.decl.length ? `${n.decl.join(', ')} ${n.isAssign ? '=' : ':='} ` : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field': return n.idents.map((i) => `.${i}`).join('');
    case 'variable': return n.idents.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'number': case 'string': return n.text;
    case 'identifier': return n.name;
    case 'chain': return (n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.fields.map((f) => `.${f}`).join('');
  }
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** strconv.Unquote for "..." `...` and '...' literals. */
function unquote(text: string): string {
  const q = text[0];
  const body = text.slice(1, -1);
  if (q === '`') return body.replace(/\r/g, '');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') { out += body[i]; continue; }
    const c = body[++i];
    let hex = 0;
    if (c in ESCAPES) out += ESCAPES[c];
    else if (c === q) out += q;
    else if (c === 'x') hex = 2;
    else if (c === 'u') hex = 4;
    else if (c === 'U') hex = 8;
    else if (/[0-7]/.test(c) && /^[0-7]{3}$/.test(body.slice(i, i + 3))) { out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8)); i += 2; }
    else throw new Error('invalid syntax');
    if (hex) {
      const digits = body.slice(i + 1, i + 1 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) throw new Error('invalid syntax');
      out += String.fromCodePoint(parseInt(digits, 16));
      i += hex;
    }
  }
  return out;
}

function parseNumber(text: string, type: TokenType): number {
  if (type === 'charConst') {
    const s = unquote(text);
    if ([...s].length !== 1) throw new Error(`malformed character constant: ${text}`);
    return s.codePointAt(0)!;
  }
  const t = text.replace(/_/g, '');
  const sign = t[0] === '-' ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  let m: RegExpMatchArray | null;
  if ((m = body.match(/^0[xX]([0-9a-fA-F]+)$/))) return sign * parseInt(m[1], 16);
  if ((m = body.match(/^0[oO]?([0-7]+)$/))) return sign * parseInt(m[1], 8);
  if ((m = body.match(/^0[bB]([01]+)$/))) return sign * parseInt(m[1], 2);
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return sign * Number(body);
  throw new Error(`illegal number syntax: "${text}"`);
}

function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'keyword') return `<${t.val}>`;
  const runes = [...t.val];
  return runes.length > 10 ? `${goQuote(runes.slice(0, 10).join(''))}...` : goQuote(t.val);
}

export function parse(src: string, hasFunction: (name: string) => boolean): Node[] {
  const toks = lex(src);
  let i = 0;
  let line = 1; // line of the furthest token read, as Go reports it
  let far = -1;
  let actionLine = 0;
  let rangeDepth = 0;
  const vars: string[] = ['$'];

  const errorf = (msg: string): never => { throw new TemplateError(`template: :${line}: ${msg}`); };
  const at = (k: number): Token => {
    const idx = Math.min(k, toks.length - 1);
    if (idx > far) { far = idx; line = toks[idx].line; }
    return toks[idx];
  };
  const next = (): Token => at(i++);
  const backup = (): void => { i--; };
  const peek = (): Token => at(i);
  const nextNonSpace = (): Token => { let t; do t = next(); while (t.type === 'space'); return t; };
  // Like Go, this consumes the spaces and leaves the token pending.
  const peekNonSpace = (): Token => { const t = nextNonSpace(); backup(); return t; };
  const unexpected = (t: Token, context: string): never => {
    if (t.type !== 'error') return errorf(`unexpected ${tokenString(t)} in ${context}`);
    const started = actionLine && actionLine !== t.line ? ` started at :${actionLine}` : '';
    return errorf(t.val + (started && !t.val.endsWith(' action') ? ' in action' : '') + started);
  };
  const expect = (type: TokenType, context: string): Token => {
    const t = nextNonSpace();
    if (t.type !== type) unexpected(t, context);
    return t;
  };

  const term = (): Arg | undefined => {
    const t = nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!hasFunction(t.val)) errorf(`function "${t.val}" not defined`);
        return { type: 'identifier', pos: t.pos, name: t.val };
      case 'dot': return { type: 'dot', pos: t.pos };
      case 'nil': return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!vars.includes(t.val)) errorf(`undefined variable "${t.val}"`);
        return { type: 'variable', pos: t.pos, idents: [t.val] };
      case 'field': return { type: 'field', pos: t.pos, idents: [t.val.slice(1)] };
      case 'bool': return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'number': case 'charConst':
        try { return { type: 'number', pos: t.pos, value: parseNumber(t.val, t.type), text: t.val }; } catch (e) { return errorf((e as Error).message); }
      case 'leftParen': return pipeline('parenthesized pipeline', 'rightParen');
      case 'string': case 'rawString':
        try { return { type: 'string', pos: t.pos, value: unquote(t.val), text: t.val }; } catch (e) { return errorf((e as Error).message); }
    }
    backup();
    return undefined;
  };

  const operand = (): Arg | undefined => {
    const node = term();
    if (!node || peek().type !== 'field') return node;
    const pos = peek().pos;
    const fields: string[] = [];
    while (peek().type === 'field') fields.push(next().val.slice(1));
    switch (node.type) {
      case 'field': return { type: 'field', pos, idents: [...node.idents, ...fields] };
      case 'variable': return { type: 'variable', pos, idents: [...node.idents, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        return errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      default: return { type: 'chain', pos, node, fields };
    }
  };

  const command = (): Command => {
    const cmd: Command = { type: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const t = next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') backup();
      else if (t.type !== 'pipe') unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) errorf('empty command');
    return cmd;
  };

  const pipeline = (context: string, end: TokenType): Pipe => {
    const pipe: Pipe = { type: 'pipe', pos: peekNonSpace().pos, decl: [], isAssign: false, cmds: [] };
    for (let v = peekNonSpace(); v.type === 'variable'; v = peekNonSpace()) {
      const save = i;
      nextNonSpace();
      const t = peekNonSpace();
      if (t.type === 'assign' || t.type === 'declare') {
        pipe.isAssign = t.type === 'assign';
        nextNonSpace();
        pipe.decl.push(v.val);
        vars.push(v.val);
        break;
      }
      if (t.type === 'char' && t.val === ',') {
        nextNonSpace();
        pipe.decl.push(v.val);
        vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          errorf('range can only initialize variables');
        }
        errorf(`too many declarations in ${context}`);
      }
      i = save; // "$x foo": $x is an operand, not a declaration
      break;
    }
    for (;;) {
      const t = nextNonSpace();
      if (t.type === end) break;
      if (['bool', 'charConst', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(t.type)) {
        backup();
        pipe.cmds.push(command());
      } else unexpected(t, context);
    }
    if (pipe.cmds.length === 0) errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, k) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type)) errorf(`non executable command in pipeline stage ${k + 2}`);
    });
    return pipe;
  };

  const itemList = (): [Node[], Marker] => {
    const list: Node[] = [];
    while (peekNonSpace().type !== 'eof') {
      const n = textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.push(n as Node);
    }
    return errorf('unexpected EOF');
  };

  const control = (context: 'if' | 'with' | 'range'): Node => {
    const mark = vars.length;
    const pipe = pipeline(context, 'rightDelim');
    if (context === 'range') rangeDepth++;
    const [list, nextNode] = itemList();
    if (context === 'range') rangeDepth--;
    let elseList: Node[] | undefined;
    if (nextNode.type === 'else') {
      const p = peek();
      if (context !== 'range' && p.type === 'keyword' && p.val === context) {
        next(); // "else if" / "else with" nests a control that consumes the shared {{end}}
        elseList = [control(context)];
      } else {
        const [l, n] = itemList();
        if (n.type !== 'end') errorf(`expected end; found ${nodeString(n)}`);
        elseList = l;
      }
    }
    vars.length = mark;
    return { type: context, pos: pipe.pos, pipe, list, elseList };
  };

  const action = (): Node | Marker => {
    const t = nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'if': case 'with': case 'range': return control(t.val);
        case 'end': return { type: 'end', pos: expect('rightDelim', 'end').pos };
        case 'else': {
          const p = peekNonSpace();
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with')) return { type: 'else', pos: p.pos };
          return { type: 'else', pos: expect('rightDelim', 'else').pos };
        }
        case 'break': case 'continue': {
          const r = nextNonSpace();
          if (r.type !== 'rightDelim') unexpected(r, `{{${t.val}}}`);
          if (rangeDepth === 0) errorf(`{{${t.val}}} outside {{range}}`);
          return { type: t.val, pos: t.pos };
        }
        default: return errorf(`{{${t.val}}} is not supported`);
      }
    }
    backup();
    const pos = peek().pos;
    return { type: 'action', pos, pipe: pipeline('command', 'rightDelim') };
  };

  const textOrAction = (): Node | Marker => {
    const t = nextNonSpace();
    if (t.type === 'text') return { type: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') {
      actionLine = t.line;
      try { return action(); } finally { actionLine = 0; }
    }
    return unexpected(t, 'input');
  };

  const root: Node[] = [];
  while (peek().type !== 'eof') {
    const n = textOrAction();
    if (n.type === 'end' || n.type === 'else') errorf(`unexpected ${nodeString(n)}`);
    root.push(n as Node);
  }
  return root;
}
