import test from 'ava';
import { goStruct, parseTemplate, renderTemplate, TemplateError } from '../../../src/core/format/gotemplate.js';

// Docker-shaped data: `docker container inspect` / `docker network inspect` subsets.
const container = {
  Name: '/alpine1',
  Config: { Env: ['PATH=/usr/bin', 'TERM=xterm'], Labels: { 'com.example.team': 'net' } },
  NetworkSettings: {
    Networks: {
      bridge: { IPAddress: '172.17.0.2', Gateway: '172.17.0.1', Aliases: null },
      mynet: { IPAddress: '172.18.0.2', Gateway: '172.18.0.1', Aliases: ['web', 'a1b2c3'] },
    },
  },
  State: { Running: true, ExitCode: 0, Pid: 4242 },
};
const ipamConfig = ['Subnet', 'IPRange', 'Gateway', 'AuxAddress:map'];
const network = {
  Name: 'mynet',
  Driver: 'bridge',
  EnableIPv6: false,
  IPAM: goStruct(
    { Driver: 'default', Options: null, Config: [goStruct({ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }, ipamConfig)] },
    ['Driver', 'Options:map', 'Config:slice'],
  ),
  Options: { 'com.docker.network.bridge.name': 'br-1234', 'com.docker.network.driver.mtu': '1500' },
  Labels: {},
  Containers: {
    c0ffee: goStruct(
      { Name: 'alpine1', EndpointID: 'e1', MacAddress: '02:42:ac:12:00:02', IPv4Address: '172.18.0.2/16', IPv6Address: '' },
      ['Name', 'EndpointID', 'MacAddress', 'IPv4Address', 'IPv6Address'],
    ),
  },
};

class NetworkContext {
  constructor(private readonly n: { Name: string; Labels: Record<string, string> }) {}
  Name(): string { return this.n.Name; }
  Label(key: string): string { return this.n.Labels[key] ?? ''; }
}

const cases: [name: string, template: string, data: unknown, want: string][] = [
  // the seed command from the Docker docs
  ['seed: name and range over networks', '{{.Name}} - {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
    { Name: '/alpine1', NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } } } }, '/alpine1 - 172.17.0.2'],
  ['plain text', 'hello', {}, 'hello'],
  ['empty template', '', {}, ''],
  ['field chain', '{{.NetworkSettings.Networks.bridge.Gateway}}', container, '172.17.0.1'],
  ['field chain with spaces', '{{ .Name }}', container, '/alpine1'],
  ['range over map in sorted key order', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', container, '172.17.0.2 172.18.0.2 '],
  ['range $k, $v over map', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}};{{end}}', container, 'bridge=172.17.0.2;mynet=172.18.0.2;'],
  ['range $i, $e over list', '{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}', container, '0:PATH=/usr/bin 1:TERM=xterm '],
  ['range single variable gets the element', '{{range $e := .Config.Env}}[{{$e}}]{{end}}', container, '[PATH=/usr/bin][TERM=xterm]'],
  ['range sorts map keys', '{{range $k, $v := .}}{{$k}}{{$v}}{{end}}', { b: 2, a: 1, c: 3 }, 'a1b2c3'],
  ['range else on empty list', '{{range .L}}x{{else}}empty{{end}}', { L: [] }, 'empty'],
  ['range else on null', '{{range .L}}x{{else}}none{{end}}', { L: null }, 'none'],
  ['range else on missing', '{{range .Nope}}x{{else}}none{{end}}', {}, 'none'],
  ['range over integer', '{{range 3}}{{.}}{{end}}', {}, '012'],
  ['range break', '{{range .L}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}', { L: [1, 2, 3, 4] }, '12'],
  ['range continue', '{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}', { L: [1, 2, 3] }, '13'],
  ['$ is the root inside range', '{{range .L}}{{$.P}}{{.}} {{end}}', { P: '>', L: ['a', 'b'] }, '>a >b '],
  ['dot alone', '{{.}}', 'x', 'x'],
  ['$ alone', '{{$}}', 7, '7'],
  ['missing key prints <no value>', '{{.Nope}}', {}, '<no value>'],
  ['missing chain prints <no value>', '{{.Nope.Deeper.Still}}', {}, '<no value>'],
  ['null prints <nil>', '{{.N}}', { N: null }, '<nil>'],
  ['nil inside a list', '{{.L}}', { L: ['a', null] }, '[a <nil>]'],
  ['array prints like %v', '{{.Config.Env}}', container, '[PATH=/usr/bin TERM=xterm]'],
  ['map prints sorted', '{{.M}}', { M: { b: 'x', a: 1, c: [true] } }, 'map[a:1 b:x c:[true]]'],
  ['empty map', '{{.Labels}}', network, 'map[]'],
  ['struct hint prints {..} with zero values', '{{.IPAM.Config}}', network, '[{172.18.0.0/16  172.18.0.1 map[]}]'],
  ['struct hint, nil map field prints map[]', '{{.IPAM}}', network, '{default map[] [{172.18.0.0/16  172.18.0.1 map[]}]}'],
  ['map of structs', '{{.Containers}}', network, 'map[c0ffee:{alpine1 e1 02:42:ac:12:00:02 172.18.0.2/16 }]'],
  ['struct zero field access', '[{{(index .IPAM.Config 0).IPRange}}]', network, '[]'],
  ['booleans and numbers', '{{.State.Running}} {{.State.ExitCode}} {{.State.Pid}} {{.F}}', { ...container, F: 0.25 }, 'true 0 4242 0.25'],
  ['large float uses exponent', '{{.F}}', { F: 1234567.5 }, '1.2345675e+06'],
  ['small float uses exponent', '{{.F}}', { F: 0.00001 }, '1e-05'],
  ['json of a struct-like object keeps field order', '{{json .IPAM}}', network,
    '{"Driver":"default","Options":null,"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]}'],
  ['json of a string', '{{json .Name}}', container, '"/alpine1"'],
  ['json of a list', '{{json .Config.Env}}', container, '["PATH=/usr/bin","TERM=xterm"]'],
  ['json of missing value', '{{json .Nope}}', {}, 'null'],
  ['json does not HTML-escape (Docker sets SetEscapeHTML(false))', '{{json .}}', { a: '<b>&' }, '{"a":"<b>&"}'],
  ['json via pipeline', '{{.Options | json}}', network, '{"com.docker.network.bridge.name":"br-1234","com.docker.network.driver.mtu":"1500"}'],
  ['index map with dotted key', '{{index .Options "com.docker.network.bridge.name"}}', network, 'br-1234'],
  ['index missing key of string map is empty', '[{{index .Options "nope"}}]', network, '[]'],
  ['index list', '{{index .Config.Env 1}}', container, 'TERM=xterm'],
  ['index nested', '{{index .M "a" 1}}', { M: { a: ['x', 'y'] } }, 'y'],
  ['index then field (parenthesised chain)', '{{(index .NetworkSettings.Networks "mynet").IPAddress}}', container, '172.18.0.2'],
  ['index string gives a byte', '{{index "abc" 1}}', {}, '98'],
  ['join', '{{join .NetworkSettings.Networks.mynet.Aliases ","}}', container, 'web,a1b2c3'],
  ['join of null is empty', '[{{join .NetworkSettings.Networks.bridge.Aliases ","}}]', container, '[]'],
  ['split', '{{split "nginx:1.25:alpine" ":"}}', {}, '[nginx 1.25 alpine]'],
  ['index of split', '{{index (split .I ":") 0}}', { I: 'nginx:latest' }, 'nginx'],
  ['title', '{{title "hello wide-world foo_bar"}}', {}, 'Hello Wide-World Foo_bar'],
  ['lower/upper', '{{lower "MiXeD"}} {{upper "MiXeD"}}', {}, 'mixed MIXED'],
  ['pad', '[{{pad "x" 2 3}}]', {}, '[  x   ]'],
  ['pad empty stays empty', '[{{pad "" 2 3}}]', {}, '[]'],
  ['truncate', '{{truncate "0123456789abcdef" 12}} {{truncate "abc" 12}}', {}, '0123456789ab abc'],
  ['len of string/list/map', '{{len "héllo"}} {{len .Config.Env}} {{len .NetworkSettings.Networks}}', container, '6 2 2'],
  ['slice', '{{slice "abcdef" 1 3}} {{slice .L 1}} {{slice .L}}', { L: [1, 2, 3] }, 'bc [2 3] [1 2 3]'],
  ['if true', '{{if .State.Running}}up{{end}}', container, 'up'],
  ['if/else', '{{if .EnableIPv6}}v6{{else}}v4{{end}}', network, 'v4'],
  ['if/else if/else', '{{if eq .D "overlay"}}o{{else if eq .D "bridge"}}b{{else}}?{{end}}', { D: 'bridge' }, 'b'],
  ['else if falls to else', '{{if .A}}a{{else if .B}}b{{else}}c{{end}}', { A: 0, B: '' }, 'c'],
  ['empty values are false', '{{if .A}}1{{end}}{{if .B}}2{{end}}{{if .C}}3{{end}}{{if .D}}4{{end}}{{if .E}}5{{end}}', { A: '', B: [], C: {}, D: 0, E: null }, ''],
  ['with sets dot', '{{with .NetworkSettings.Networks.mynet}}{{.Gateway}}{{end}}', container, '172.18.0.1'],
  ['with else', '{{with .Nope}}x{{else}}y{{end}}', {}, 'y'],
  ['with declaration', '{{with $g := .State.Pid}}{{$g}}{{end}}', container, '4242'],
  ['else with', '{{with .A}}a{{else with .B}}{{.}}{{end}}', { B: 'b' }, 'b'],
  ['variables', '{{$n := .Name}}{{$n}}{{$n = "x"}}{{$n}}', container, '/alpine1x'],
  ['assignment reaches outer scope', '{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', {}, '2'],
  ['variable field chain', '{{$c := .NetworkSettings}}{{$c.Networks.bridge.IPAddress}}', container, '172.17.0.2'],
  ['pipeline into function', '{{.Name | upper}}', container, '/ALPINE1'],
  ['pipeline into printf as last arg', '{{.Name | printf "%s!"}}', container, '/alpine1!'],
  ['multi-stage pipeline', '{{.Name | printf "%s-x" | upper | len}}', container, '10'],
  ['parenthesised call', '{{printf "%s=%d" (lower "A") (len .L)}}', { L: [1, 2] }, 'a=2'],
  ['literals', '{{"s"}} {{`raw\\n`}} {{42}} {{-7}} {{0x1F}} {{1.5}} {{true}} {{\'a\'}}', {}, 's raw\\n 42 -7 31 1.5 true 97'],
  ['string escapes', '{{"a\\tb\\u00e9\\x41"}}', {}, 'a\tbéA'],
  ['eq ne lt le gt ge', '{{eq 1 1}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', {}, 'true true true true true false'],
  ['eq with several candidates', '{{eq .D "host" "bridge"}}', { D: 'bridge' }, 'true'],
  ['eq with missing value is false', '{{eq .Nope "x"}}', {}, 'false'],
  ['and/or return operands', '{{and 1 0 2}} {{or 0 "" "x"}} {{and 1 2}} {{or 0 ""}}', {}, '0 x 2 '],
  ['and short-circuits', '{{and .Nope (index .Nope 1)}}', {}, '<no value>'],
  ['not', '{{not .A}} {{not .B}}', { A: '', B: 'x' }, 'true false'],
  ['print and println', '{{print "a" 1 2 "b"}}|{{println "a" 1}}', {}, 'a1 2b|a 1\n'],
  ['trim markers', 'a  {{- .X -}}  b\n{{- " c" }}', { X: 1 }, 'a1b c'],
  ['negative number is not a trim marker', '{{-3}}', {}, '-3'],
  ['comments', 'a{{/* note */}}b {{- /* trimmed */ -}} c', {}, 'abc'],
  ['multi-line action', '{{if\n.A\n}}yes{{end}}', { A: true }, 'yes'],
  ['method without args', '{{.Name}}', new NetworkContext({ Name: 'n1', Labels: {} }), 'n1'],
  ['method with args', '{{.Label "team"}}', new NetworkContext({ Name: 'n1', Labels: { team: 'net' } }), 'net'],
  ['Map instance as Go map', '{{range $k, $v := .}}{{$k}}:{{$v}} {{end}}{{.b}}', new Map([['b', 2], ['a', 1]]), 'a:1 b:2 2'],
  ['Stringer method', '{{.}}', { String: () => 'custom' }, 'custom'],
];

for (const [name, template, data, want] of cases) {
  test(`render: ${name}`, (t) => {
    t.is(renderTemplate(template, data), want);
  });
}

test('parsed template is reusable', (t) => {
  const tmpl = parseTemplate('{{.ID}}:{{.Name}}');
  t.is(tmpl.execute({ ID: 1, Name: 'a' }), '1:a');
  t.is(tmpl.execute({ ID: 2, Name: 'b' }), '2:b');
});

const errors: [name: string, template: string, data: unknown, message: string][] = [
  ['unknown function', '{{foo}}', {}, 'template: :1: function "foo" not defined'],
  ['unknown function in pipeline', '{{.Name | foo}}', {}, 'template: :1: function "foo" not defined'],
  ['unclosed action', '{{.Name', {}, 'template: :1: unclosed action'],
  ['unclosed action across lines', '{{if\n.A', {}, 'template: :2: unclosed action started at :1'],
  ['unexpected end', '{{end}}', {}, 'template: :1: unexpected {{end}}'],
  ['unexpected else', 'x{{else}}', {}, 'template: :1: unexpected {{else}}'],
  ['missing end', '{{if .A}}x', {}, 'template: :1: unexpected EOF'],
  ['missing end on a later line', '{{range .A}}\n\nx', {}, 'template: :3: unexpected EOF'],
  ['undefined variable', '{{$x}}', {}, 'template: :1: undefined variable "$x"'],
  ['variable out of scope', '{{if true}}{{$x := 1}}{{end}}{{$x}}', {}, 'template: :1: undefined variable "$x"'],
  ['empty action', '{{}}', {}, 'template: :1: missing value for command'],
  ['empty if', '{{if}}{{end}}', {}, 'template: :1: missing value for if'],
  ['non-executable pipeline stage', '{{.A | "x"}}', {}, 'template: :1: non executable command in pipeline stage 2'],
  ['unterminated string', '{{"abc}}', {}, 'template: :1: unterminated quoted string'],
  ['unclosed paren', '{{(.A}}', {}, 'template: :1: unclosed left paren'],
  ['unexpected paren', '{{.A)}}', {}, 'template: :1: unexpected right paren'],
  ['bad character after field', '{{.A}\n}}', {}, "template: :1: bad character U+007D '}'"],
  ['stray punctuation', '{{#}}', {}, 'template: :1: unexpected "#" in command'],
  ['break outside range', '{{break}}', {}, 'template: :1: {{break}} outside {{range}}'],
  ['bad else if inside range', '{{range .L}}{{else if .A}}{{end}}', {}, 'template: :1: unexpected <if> in input'],
  ['unclosed comment', '{{/* x', {}, 'template: :1: unclosed comment'],
  ['field of a string', '{{.Name.Foo}}', { Name: 'x' }, 'template: :1:7: executing "" at <.Name.Foo>: can\'t evaluate field Foo in type string'],
  ['field of a string on line 2', 'a\n {{.A.B}}', { A: 's' }, 'template: :2:5: executing "" at <.A.B>: can\'t evaluate field B in type string'],
  ['field of null', '{{.N.X}}', { N: null }, 'template: :1:4: executing "" at <.N.X>: nil pointer evaluating interface {}.X'],
  ['index out of range', '{{index .L 5}}', { L: [1] }, 'template: :1:2: executing "" at <index>: error calling index: index out of range: 5'],
  ['len of a number', '{{len 3}}', {}, 'template: :1:2: executing "" at <len>: error calling len: len of type int'],
  ['wrong arg count', '{{len}}', {}, 'template: :1:2: executing "" at <len>: wrong number of args for len: want 1 got 0'],
  ['wrong arg count, variadic', '{{index}}', {}, 'template: :1:2: executing "" at <index>: wrong number of args for index: want at least 1 got 0'],
  ['wrong arg type', '{{upper .L}}', { L: [1] }, 'template: :1:8: executing "" at <.L>: wrong type for value; expected string; got []interface {}'],
  ['missing value for string arg', '{{upper .Nope}}', {}, 'template: :1:8: executing "" at <.Nope>: invalid value; expected string'],
  ['range over a string', '{{range .S}}{{end}}', { S: 'str' }, 'template: :1:8: executing "" at <.S>: range can\'t iterate over str'],
  ['incompatible comparison', '{{eq 1 "1"}}', {}, 'template: :1:2: executing "" at <eq>: error calling eq: incompatible types for comparison'],
  ['argument to non-function', '{{.A 1}}', { A: 'x' }, 'template: :1:2: executing "" at <.A>: A is not a method but has arguments'],
  ['struct without the field', '{{.Nope}}', goStruct({ A: 1 }, ['A'], 'types.Thing'), 'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type types.Thing'],
  ['long context is cut at 20 chars', '{{.Aaaaaaaaaa.Bbbbbbbbbbbb}}', { Aaaaaaaaaa: 's' }, 'template: :1:13: executing "" at <.Aaaaaaaaaa.Bbbbbbbb...>: can\'t evaluate field Bbbbbbbbbbbb in type string'],
];

for (const [name, template, data, message] of errors) {
  test(`error: ${name}`, (t) => {
    const err = t.throws(() => renderTemplate(template, data), { instanceOf: TemplateError });
    t.is(err?.message, message);
  });
}

test('execution error keeps the partial output', (t) => {
  const err = t.throws(() => renderTemplate('ok {{.A.B}}', { A: 'x' }), { instanceOf: TemplateError });
  t.is((err as TemplateError).partial, 'ok ');
});
