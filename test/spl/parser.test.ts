import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grammars } from '../../src/compile/index.js';
import { formatSplError, SplError } from '../../src/spl/errors.js';
import { expandMacros, MacroTable } from '../../src/spl/macros.js';
import { parsePipeline } from '../../src/spl/parser.js';
import type { SearchArgs, SearchNode } from '../../src/spl/ast.js';

const parse = (s: string) => parsePipeline(s, grammars);
const searchNode = (s: string): SearchNode => (parse(s).commands[0]!.args as SearchArgs).node;

function parseError(s: string): SplError {
  try {
    parse(s);
  } catch (e) {
    assert.ok(e instanceof SplError, `expected SplError, got ${e}`);
    return e;
  }
  assert.fail(`expected "${s}" to be rejected`);
}

/** Compact rendering of a search tree, for readable assertions. */
function show(n: SearchNode): string {
  switch (n.kind) {
    case 'and':
      return `AND(${n.items.map(show).join(', ')})`;
    case 'or':
      return `OR(${n.items.map(show).join(', ')})`;
    case 'not':
      return `NOT(${show(n.item)})`;
    case 'term':
      return n.quoted ? `"${n.value}"` : n.value;
    case 'compare':
      return `${n.field}${n.op}${n.quoted ? `"${n.value}"` : n.value}`;
    case 'in':
      return `${n.field} IN [${n.values.map((v) => v.value).join(',')}]`;
    case 'subsearch':
      return `[${n.pipeline.commands.map((c) => c.name).join('|')}]`;
    case 'all':
      return '*';
  }
}

test('the first segment is an implicit search and commands keep their spans', () => {
  const text = 'index="botsv2" (.pdf OR .tgz) | stats count by sourcetype | sort - count';
  const p = parse(text);
  assert.deepEqual(p.commands.map((c) => c.name), ['search', 'stats', 'sort']);
  const stats = p.commands[1]!;
  assert.equal(text.slice(stats.nameSpan.start, stats.nameSpan.end), 'stats');
  assert.equal(text.slice(stats.span.start, stats.span.end).trim(), 'stats count by sourcetype');
});

test('search precedence: juxtaposition is AND, OR binds tighter than AND, NOT takes one term', () => {
  assert.equal(show(searchNode('A=1 AND B=2 OR C=3')), 'AND(A=1, OR(B=2, C=3))');
  assert.equal(show(searchNode('error NOT 403 OR 404')), 'AND(error, OR(NOT(403), 404))');
  assert.equal(show(searchNode('index="botsv2" (.pdf OR .tgz OR .doc OR .xls)')), 'AND(index="botsv2", OR(.pdf, .tgz, .doc, .xls))');
  // lower-case operators are plain terms
  assert.equal(show(searchNode('a or b')), 'AND(a, or, b)');
});

test('field comparisons, quoted values, wildcards and IN', () => {
  assert.equal(
    show(searchNode('sourcetype=stream:ftp method!=PORT command="smb2 read" query=*.hildegardsfarm.com bytes>=100')),
    'AND(sourcetype=stream:ftp, method!=PORT, command="smb2 read", query=*.hildegardsfarm.com, bytes>=100)',
  );
  assert.equal(show(searchNode('dest_port IN (21, 20, "990")')), 'dest_port IN [21,20,990]');
  assert.equal(show(searchNode('flow_id=d7370639-8ca9-40d3-a5f8-dd6547d4ff99')), 'flow_id=d7370639-8ca9-40d3-a5f8-dd6547d4ff99');
});

test('earliest and latest are taken out of the tree as the time range', () => {
  const args = parse('index=x earliest=-24h@h latest=now foo').commands[0]!.args as SearchArgs;
  assert.equal(args.earliest?.value, '-24h@h');
  assert.equal(args.latest?.value, 'now');
  assert.equal(show(args.node), 'AND(index=x, *, *, foo)');
});

test('subsearches parse as nested pipelines', () => {
  assert.equal(show(searchNode('index=a [search index=b | fields src]')), 'AND(index=a, [search|fields])');
});

test('pipes inside quotes and brackets do not split commands', () => {
  const p = parse('search "a|b" [search x | head 1] | head 2');
  assert.deepEqual(p.commands.map((c) => c.name), ['search', 'head']);
});

test('an unknown command is an error at its name, with the closest name as a hint', () => {
  const text = 'index=x | stast count';
  const e = parseError(text);
  assert.equal(text.slice(e.span.start, e.span.end), 'stast');
  assert.match(e.message, /unknown command "stast"/);
  assert.match(e.hint ?? '', /stats/);
  const shown = formatSplError(e, text);
  assert.match(shown, /^error at 1:11:/);
  assert.match(shown, /\n {12}\^{5}\n/);
});

test('malformed searches name the position and what was expected', () => {
  const cases: [string, RegExp, string][] = [
    ['index=x "unterminated', /unterminated quoted string/, '"unterminated'],
    ['index=x (a OR b', /expected \) to close the group/, ''],
    ['index=x ) a', /unbalanced \)/, ')'],
    ['index=x | stats count by', /by needs at least one field/, ''],
    ['index=x | eval x=round(1,', /expected an expression/, ''],
    ['index=x | head ten', /head takes a number/, 'ten'],
    ['index=x || head 1', /empty command between pipes/, ''],
    // `| stats count` is valid: Splunk runs it on no events (count=0); see docs/spl.md
    ['index=x | stats bogus(x)', /unknown stats function "bogus"/, 'bogus'],
    ['', /the search is empty/, ''],
    ['index=x [search ', /unclosed \[/, '['],
  ];
  for (const [text, re, spanText] of cases) {
    const e = parseError(text);
    assert.match(e.message, re, text);
    assert.ok(e.span.start >= 0 && e.span.end <= Math.max(text.length, 1), `span inside the text for ${text}`);
    if (spanText) assert.equal(text.slice(e.span.start, e.span.end), spanText, text);
  }
});

test('eval expressions: precedence, dotted field names, string concatenation', () => {
  const p = parse('index=x | eval uniq=src_ip." ".dest_ip, y=1+2*3, z=Processes.dest');
  const assigns = p.commands[1]!.args as { field: string; expr: { kind: string; op?: string } }[];
  assert.deepEqual(assigns.map((a) => a.field), ['uniq', 'y', 'z']);
  assert.equal(assigns[0]!.expr.op, '.');
  assert.equal(assigns[1]!.expr.op, '+');
  assert.equal(assigns[2]!.expr.kind, 'field');
});

test('macros expand with arguments, nest, and recursion is stopped', () => {
  const m = new MacroTable();
  m.add('dns_src(1)', 'sourcetype=stream:dns src=$ip$');
  m.add('outer', '`dns_src(10.0.0.1)` | head 1');
  assert.equal(expandMacros('index=x `outer`', m), 'index=x sourcetype=stream:dns src=10.0.0.1 | head 1');
  m.add('loop', '`loop`');
  assert.throws(() => expandMacros('`loop`', m), /nested more than 20 deep/);
  assert.throws(() => expandMacros('`nope(1)`', m), /unknown macro `nope\(1\)`/);
  // bare calls after a pipe, as the seeds write the URL Toolbox
  m.add('ut_shannon(1)', 'eval ut_shannon=len($word$)');
  assert.equal(expandMacros('x | ut_shannon(ut_subdomain)', m, { bareCommands: (n) => m.has(n) }), 'x | eval ut_shannon=len(ut_subdomain)');
});

test('```comments``` are ignored', () => {
  const p = parse('index=x ```count them``` | stats count ```by nothing```');
  assert.deepEqual(p.commands.map((c) => c.name), ['search', 'stats']);
});

// https://docs.splunk.com/Documentation/Splunk/9.4.0/SearchReference/Eval: field names with
// special characters go in single quotes; their double quotes and pipes do not end anything.
test('a single-quoted field name holding " or | does not split the pipeline', () => {
  assert.deepEqual(parse(`| makeresults | eval 'a"b'=1 | table 'a"b'`).commands.map((c) => c.name), ['makeresults', 'eval', 'table']);
  assert.deepEqual(parse(`| makeresults | eval 'x|y'=2, z='x|y'+1 | table z`).commands.map((c) => c.name), ['makeresults', 'eval', 'table']);
  // an apostrophe inside a word or a double-quoted string is not a quote
  assert.deepEqual(parse(`search O'Brien | eval s="it's | x" | table s`).commands.map((c) => c.name), ['search', 'eval', 'table']);
});
