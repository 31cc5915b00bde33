import test from 'ava';
import { TemplateError } from '../../../src/core/format/gotemplate.js';
import { formatList, stringWidth, tabwrite, type TabwriterOptions } from '../../../src/core/format/table.js';

// Cases from Go's text/tabwriter tests and docs (padchar '.' makes padding visible).
const dots = (minwidth: number, padding: number): TabwriterOptions => ({ minwidth, tabwidth: 0, padding, padchar: '.' });
const goCases: [name: string, opts: TabwriterOptions, input: string, want: string][] = [
  ['1a newline only', dots(8, 1), '\n', '\n'],
  ['1b two newlines', dots(8, 1), '\n\n', '\n\n'],
  ['1c single cell', dots(8, 1), 'Hello, world!\n', 'Hello, world!\n'],
  ['2 cells', dots(8, 1), 'a\tb\tc\n', 'a.......b.......c\n'],
  ['3 trailing tab, no newline', dots(8, 1), 'a\tb\tc\t', 'a.......b.......c'],
  ['4a lone tab prints nothing', dots(8, 1), '\t', ''],
  ['5 no newline', dots(8, 1), '*\t*', '*.......*'],
  ['5b', dots(8, 1), '*\t*\n', '*.......*\n'],
  ['5c', dots(8, 1), '*\t*\t', '*.......*'],
  ['7a two lines', dots(8, 1), '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.......2.......3.......4\n11......222.....3333....44444\n'],
  ['9a minwidth 1 padding 0', dots(1, 0), '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.2..3...4\n11222333344444\n'],
  ['10a', dots(5, 0), '1\t2\t3\t4\n', '1....2....3....4\n'],
  ['10b trailing empty cell padded', dots(5, 0), '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
  ['15a empty column', dots(4, 0), 'a\t\tb', 'a.......b'],
  ['16a tab padding', { minwidth: 100, tabwidth: 100, padding: 0, padchar: '\t' },
    'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n',
    'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'],
  ['ExampleWriter_Init tabs', { minwidth: 0, tabwidth: 8, padding: 0, padchar: '\t' },
    'a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n',
    'a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n'],
  ['ExampleWriter_Init spaces', { minwidth: 5, tabwidth: 0, padding: 1, padchar: ' ' },
    'a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n',
    'a    b     c       d         .\n123  12345 1234567 123456789 .\n'],
];

for (const [name, opts, input, want] of goCases) {
  test(`tabwriter (Go case ${name})`, (t) => {
    t.is(tabwrite(input, opts), want);
  });
}

// Docker's configuration: minwidth 10, tabwidth 1, padding 3, padchar ' '.
const dockerCases: [name: string, input: string, want: string][] = [
  ['network ls header and row', 'NETWORK ID\tNAME\tDRIVER\tSCOPE\n58b8305ce041\tbridge\tbridge\tlocal\n',
    'NETWORK ID     NAME      DRIVER    SCOPE\n58b8305ce041   bridge    bridge    local\n'],
  ['minimum width 10 applies to short columns', 'A\tB\nx\ty\n', 'A         B\nx         y\n'],
  ['padding 3 beyond the widest cell', 'abcdefghijkl\tx\n', 'abcdefghijkl   x\n'],
  ['a single-cell line ends the column block',
    'a\tb\tc\naaaaaaaaaaaa\tbb\tc\nx\ny\tz\n',
    'a              b         c\naaaaaaaaaaaa   bb        c\nx\ny         z\n'],
  ['columns are blocks of consecutive lines (Go doc example)',
    'aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n',
    'aaaa      bbb       d\naa        b         dd\na         \naa        cccc      eee\n'],
  ['vertical tab terminates a cell', 'a\vb\n', 'a         b\n'],
  ['form feed flushes the columns', 'aaaaaaaaaaaaaaa\tb\fc\td\n', 'aaaaaaaaaaaaaaa   b\nc         d\n'],
  ['no trailing newline', 'a\tb', 'a         b'],
  ['empty input', '', ''],
  ['wide characters count as two cells', '名前\tx\nab\ty\n', '名前      x\nab        y\n'],
];

for (const [name, input, want] of dockerCases) {
  test(`tabwriter (docker): ${name}`, (t) => {
    t.is(tabwrite(input), want);
  });
}

test('stringWidth follows terminal widths', (t) => {
  t.is(stringWidth('abc'), 3);
  t.is(stringWidth('名前'), 4);
  t.is(stringWidth('e\u0301'), 1);
});

const DEFAULT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
const HEADERS = { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE' };
const rows = [
  { ID: '58b8305ce041', Name: 'bridge', Driver: 'bridge', Scope: 'local' },
  { ID: '0d3c5d8aa5f4', Name: 'host', Driver: 'host', Scope: 'local' },
  { ID: '9b2e0e2c2e1e', Name: 'none', Driver: 'null', Scope: 'local' },
];
const longRow = { ID: '3f7f0d2a9c1b', Name: 'my-very-long-network-name', Driver: 'bridge', Scope: 'local' };

/** Pads cells to hand-computed column widths; the last cell is left as is. */
const line = (widths: number[], ...cells: string[]): string =>
  cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join('') + '\n';

const listCases: [name: string, rows: object[], format: string | undefined, want: string][] = [
  ['default table', rows, undefined,
    'NETWORK ID     NAME      DRIVER    SCOPE\n' +
    '58b8305ce041   bridge    bridge    local\n' +
    '0d3c5d8aa5f4   host      host      local\n' +
    '9b2e0e2c2e1e   none      null      local\n'],
  ['empty string format is the default table', rows.slice(0, 1), '',
    'NETWORK ID     NAME      DRIVER    SCOPE\n58b8305ce041   bridge    bridge    local\n'],
  ['"table" alone is the default table', rows.slice(0, 1), 'table',
    'NETWORK ID     NAME      DRIVER    SCOPE\n58b8305ce041   bridge    bridge    local\n'],
  ['long name widens its column', [...rows, longRow], undefined,
    line([15, 28, 10], 'NETWORK ID', 'NAME', 'DRIVER', 'SCOPE') +
    line([15, 28, 10], '58b8305ce041', 'bridge', 'bridge', 'local') +
    line([15, 28, 10], '0d3c5d8aa5f4', 'host', 'host', 'local') +
    line([15, 28, 10], '9b2e0e2c2e1e', 'none', 'null', 'local') +
    line([15, 28, 10], '3f7f0d2a9c1b', 'my-very-long-network-name', 'bridge', 'local')],
  ['no rows prints only the header', [], undefined, 'NETWORK ID   NAME      DRIVER    SCOPE\n'],
  ['no rows, custom format prints nothing', [], '{{.Name}}', ''],
  ['custom format without table', rows, '{{.Name}}', 'bridge\nhost\nnone\n'],
  ['custom format keeps tabs unaligned', rows.slice(0, 1), '{{.Name}}\t{{.Driver}}', 'bridge\tbridge\n'],
  ['literal \\t from the shell becomes a tab', rows, 'table {{.ID}}\\t{{.Name}}',
    'NETWORK ID     NAME\n58b8305ce041   bridge\n0d3c5d8aa5f4   host\n9b2e0e2c2e1e   none\n'],
  ['literal \\n becomes a newline', rows.slice(0, 1), '{{.Name}}\\n{{.ID}}', 'bridge\n58b8305ce041\n'],
  ['single column table (like --quiet)', rows.slice(0, 2), 'table {{.ID}}', 'NETWORK ID\n58b8305ce041\n0d3c5d8aa5f4\n'],
  ['spaces around the format are trimmed', rows.slice(0, 1), 'table   {{.Name}}  ', 'NAME\nbridge\n'],
  ['header functions keep titles intact', rows.slice(0, 1), 'table {{.Name | upper}}\t{{json .Driver}}\t{{truncate .ID 4}}',
    line([10, 11], 'NAME', 'DRIVER', 'NETWORK ID') + line([10, 11], 'BRIDGE', '"bridge"', '58b8')],
  ['pad applies to the header too', rows.slice(0, 1), 'table {{pad .Name 1 1}}|',
    ' NAME |\n bridge |\n'],
  ['unknown header key prints <no value>', rows.slice(0, 1), 'table {{.Name}}\t{{.Extra}}',
    line([10], 'NAME', '<no value>') + line([10], 'bridge', '<no value>')],
  ['table with printf', rows.slice(0, 2), 'table {{printf "%.4s" .ID}}\t{{.Scope}}',
    line([10], 'NETW', 'SCOPE') + line([10], '58b8', 'local') + line([10], '0d3c', 'local')],
];

for (const [name, list, format, want] of listCases) {
  test(`formatList: ${name}`, (t) => {
    t.is(formatList(list, format, DEFAULT, HEADERS), want);
  });
}

test('formatList: header errors are ignored and keep the partial header (as Docker does)', (t) => {
  class Ctx {
    Name(): string { return 'n1'; }
    Label(key: string): string { return key === 'team' ? 'net' : ''; }
  }
  const out = formatList([new Ctx()], 'table {{.Name}}\t{{.Label "team"}}', DEFAULT, { Name: 'NAME', Label: 'LABEL' });
  t.is(out, 'NAME      \nn1        net\n');
});

test('formatList: parse errors read like Docker', (t) => {
  const err = t.throws(() => formatList(rows, '{{foo}}', DEFAULT, HEADERS), { instanceOf: TemplateError });
  t.is(err?.message, 'template parsing error: template: :1: function "foo" not defined');
});

test('formatList: unclosed action', (t) => {
  const err = t.throws(() => formatList(rows, 'table {{.Name', DEFAULT, HEADERS), { instanceOf: TemplateError });
  t.is(err?.message, 'template parsing error: template: :1: unclosed action');
});

test('formatList: execution errors read like Docker', (t) => {
  const err = t.throws(() => formatList(rows, '{{.Name.X}}', DEFAULT, HEADERS), { instanceOf: TemplateError });
  t.is(err?.message, 'template parsing error: template: :1:7: executing "" at <.Name.X>: can\'t evaluate field X in type string');
});

test('formatList: a template of plain fields prints what the template engine prints', (t) => {
  // `{{ .X }}` (with spaces) is the same template, run by the engine
  const engine = (f: string) => f.replace(/\{\{\.(\w+)\}\}/g, '{{ .$1 }}');
  const odd = [{ ID: '', Name: 'x\ty', Driver: '長い名前', Scope: 'ℓocal' }, { ID: 'a', Name: 'ß', Driver: '', Scope: '\u0301' }];
  for (const list of [rows, [...rows, longRow], odd, []]) {
    for (const format of [undefined, 'table {{.ID}}\t{{.Name}}', '{{.Name}}', '{{.ID}}\t{{.Scope}}', 'table {{.Name}}\t{{.Extra}}']) {
      t.is(formatList(list, format, DEFAULT, HEADERS), formatList(list, engine(format ?? DEFAULT), DEFAULT, HEADERS), String(format));
    }
  }
});
