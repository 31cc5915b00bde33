// Tokenizer for Go text/template with the default {{ }} delimiters, following
// text/template/parse/lex.go closely so errors and trimming match Go.
import { goRune } from './errors.js';

// Thrown inside lex() and turned into an 'error' token, so the parser reports
// it only when it gets there (Go lexes lazily, so earlier parse errors win).
class LexError { constructor(readonly msg: string) {} }

export type TokenType =
  | 'text' | 'leftDelim' | 'rightDelim' | 'space' | 'field' | 'variable' | 'identifier' | 'dot'
  | 'string' | 'rawString' | 'number' | 'charConst' | 'bool' | 'nil' | 'pipe' | 'leftParen'
  | 'rightParen' | 'declare' | 'assign' | 'char' | 'keyword' | 'error' | 'eof';

export interface Token { type: TokenType; val: string; pos: number; line: number }

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

export function lex(input: string): Token[] {
  const toks: Token[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const newlines: number[] = [];
  for (let k = input.indexOf('\n'); k >= 0; k = input.indexOf('\n', k + 1)) newlines.push(k);
  const lineAt = (p: number): number => {
    let lo = 0, hi = newlines.length; // count newlines before p
    while (lo < hi) { const mid = (lo + hi) >> 1; if (newlines[mid] < p) lo = mid + 1; else hi = mid; }
    return lo + 1;
  };
  const fail = (msg: string): never => {
    throw new LexError(msg);
  };
  const emit = (type: TokenType, val = input.slice(start, pos)): void => {
    toks.push({ type, val, pos: start, line: lineAt(start) });
    start = pos;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (isSpace(input[pos]) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) return { delim: true, trim: true };
    return { delim: input.startsWith('}}', pos), trim: false };
  };
  const atTerminator = (): boolean => {
    const c = input[pos];
    return c === undefined || isSpace(c) || '.,|:()'.includes(c) || input.startsWith('}}', pos);
  };
  const skipSpaces = (): void => {
    while (isSpace(input[pos])) pos++;
    start = pos;
  };
  const accept = (chars: string): boolean => {
    if (input[pos] !== undefined && chars.includes(input[pos])) { pos++; return true; }
    return false;
  };
  const acceptRun = (chars: string): void => { while (accept(chars)); };

  const lexNumber = (): void => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) { accept('+-'); acceptRun('0123456789_'); }
    if (digits.length === 23 && accept('pP')) { accept('+-'); acceptRun('0123456789_'); }
    if (isAlnum(input[pos])) { pos++; fail(`bad number syntax: "${input.slice(start, pos)}"`); }
    emit('number');
  };
  const lexQuoted = (quote: string, type: TokenType, what: string): void => {
    pos++;
    for (;;) {
      const c = input[pos++];
      if (c === '\\' && quote !== '`' && input[pos] !== undefined && input[pos] !== '\n') { pos++; continue; }
      if (c === undefined || (c === '\n' && quote !== '`') || (c === '\\' && quote !== '`')) fail(`unterminated ${what}`);
      if (c === quote) break;
    }
    emit(type);
  };
  const lexFieldOrVariable = (type: 'field' | 'variable'): void => {
    pos++; // the '.' or '$'
    if (atTerminator()) { emit(type === 'variable' ? 'variable' : 'dot'); return; }
    while (isAlnum(input[pos])) pos++;
    if (!atTerminator()) fail(`bad character ${goRune(String.fromCodePoint(input.codePointAt(pos)!))}`);
    emit(type);
  };

  const lexInsideAction = (): void => {
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth > 0) fail('unclosed left paren');
        if (trim) { pos += 2; start = pos; }
        pos += 2;
        emit('rightDelim');
        if (trim) skipSpaces();
        return;
      }
      const c = input[pos];
      if (c === undefined) fail('unclosed action');
      if (isSpace(c)) {
        let n = 0;
        while (isSpace(input[pos])) { pos++; n++; }
        // keep the space of a " -}}" trim marker for the delimiter check
        if (input[pos] === '-' && input.startsWith('}}', pos + 1)) {
          pos--;
          if (n === 1) { start = pos; continue; }
        }
        emit('space');
        continue;
      }
      if (c === '.' && !(input[pos + 1] >= '0' && input[pos + 1] <= '9')) { lexFieldOrVariable('field'); continue; }
      if (c === '+' || c === '-' || (c >= '0' && c <= '9') || c === '.') { lexNumber(); continue; }
      if (isAlnum(c)) {
        while (isAlnum(input[pos])) pos++;
        const word = input.slice(start, pos);
        if (!atTerminator()) fail(`bad character ${goRune(String.fromCodePoint(input.codePointAt(pos)!))}`);
        emit(KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier');
        continue;
      }
      switch (c) {
        case '=': pos++; emit('assign'); continue;
        case ':':
          pos++;
          if (input[pos] !== '=') fail('expected :=');
          pos++; emit('declare'); continue;
        case '|': pos++; emit('pipe'); continue;
        case '"': lexQuoted('"', 'string', 'quoted string'); continue;
        case '`': lexQuoted('`', 'rawString', 'raw quoted string'); continue;
        case "'": lexQuoted("'", 'charConst', 'character constant'); continue;
        case '$': lexFieldOrVariable('variable'); continue;
        case '(': pos++; parenDepth++; emit('leftParen'); continue;
        case ')':
          pos++;
          if (--parenDepth < 0) fail('unexpected right paren');
          emit('rightParen'); continue;
      }
      const ch = String.fromCodePoint(input.codePointAt(pos)!);
      if (/^[\x21-\x7e]$/.test(ch)) { pos++; emit('char'); continue; }
      fail(`unrecognized character in action: ${goRune(ch)}`);
    }
  };

  // Text, then one action or comment at a time.
  const lexAll = (): void => {
    while (pos < input.length) {
      const i = input.indexOf('{{', pos);
      const end = i < 0 ? input.length : i;
      const trimLeft = i >= 0 && input[i + 2] === '-' && isSpace(input[i + 3]);
      let text = input.slice(pos, end);
      if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
      if (text) { start = pos; toks.push({ type: 'text', val: text, pos, line: lineAt(pos) }); }
      if (i < 0) { pos = input.length; break; }
      pos = start = i;
      const after = i + 2 + (trimLeft ? 2 : 0);
      if (input.startsWith('/*', after)) {
        pos = after;
        start = pos;
        const close = input.indexOf('*/', pos + 2);
        if (close < 0) fail('unclosed comment');
        pos = close + 2;
        const { delim, trim } = atRightDelim();
        if (!delim) fail('comment ends before closing delimiter');
        pos += trim ? 4 : 2;
        if (trim) while (isSpace(input[pos])) pos++;
        start = pos;
        continue;
      }
      pos = i + 2;
      emit('leftDelim');
      pos = start = after;
      parenDepth = 0;
      lexInsideAction();
    }
  };

  try {
    lexAll();
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    toks.push({ type: 'error', val: e.msg, pos: start, line: lineAt(start) });
  }
  start = pos;
  emit('eof', '');
  return toks;
}
