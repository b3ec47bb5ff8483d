/**
 * Internal commands behind the built-in URL Toolbox macros (src/search/macros.ts). Users call the
 * macros — `ut_parse_extended(url, list)`, `ut_shannon(word)` … with or without backticks —
 * which expand to these; the leading underscore marks them as Quarry's plumbing (Splunk runs
 * external lookups there). Each lowers to UDF calls from src/functions/urltoolbox.ts:
 *
 *   _ut_parse extended|simple <url field> [<list field or "literal">]
 *   _ut_shannon <word field>
 *   _ut_levenshtein <field 1> <field 2>
 *   _ut_countset <word field> <set field or "literal">
 *
 * A null input sets no outputs (Splunk does not send such rows to the lookup); a multivalue input
 * is parsed value by value and gives multivalue outputs.
 */
import type { Span } from '../../spl/ast.js';
import type { Cursor } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import { UT_PARSE_FIELDS, UT_PARSE_SIMPLE_FIELDS } from '../../functions/urltoolbox.js';
import type { Builder } from '../builder.js';
import { fieldRef } from '../expr.js';
import { NULL, toStr, type Typed } from '../typed.js';
import { inlineValueMap, joinValueMap, materializeValueMap, type ValueMapCall } from '../distinct.js';
import { assign } from './eval.js';
import type { CommandSpec } from './spec.js';

interface Operand {
  value: string;
  literal: boolean;
  span: Span;
}

function operand(c: Cursor, what: string, optional = false): Operand | undefined {
  c.skipWs();
  if (c.peek() === '"') {
    const q = c.quoted();
    return { value: q.value, literal: true, span: q.span };
  }
  const f = c.fieldName();
  if (!f) {
    if (optional) return undefined;
    throw c.error(`${c.command} needs ${what}`);
  }
  return { value: f.value, literal: false, span: f.span };
}

function typedOf(o: Operand, b: Builder): Typed {
  return o.literal ? { sql: sqlString(o.value), type: 'str', literal: o.value } : fieldRef(b.schema, o.value);
}

/** The value of a field in the first row that has it (utbox reads the list from the first row only). */
async function firstValue(o: Operand | undefined, b: Builder, fallback: string): Promise<string> {
  if (!o) return fallback;
  if (o.literal) return o.value;
  const t = fieldRef(b.schema, o.value);
  if (t.type === 'null') return fallback;
  // without ORDER BY the LIMIT stops the scan at the first row that has it
  const order = b.order;
  b.order = [];
  const q = b.sql(toStr(t));
  b.order = order;
  const r = await b.ctx.conn.runAndReadAll(`SELECT v FROM (${q}) AS q(v) WHERE v IS NOT NULL LIMIT 1`);
  const v = r.getRowsJS()[0]?.[0];
  return v === undefined || v === null ? fallback : String(v);
}

/** Set several fields at once from SQL expressions over the current relation, dropping helper columns. */
function setFields(b: Builder, outputs: { name: string; sql: string; type: 'str' | 'mv' | 'num' }[], drop: string[]): void {
  const schema = b.schema.clone();
  const exclude = [...drop];
  const cols: string[] = [];
  for (const o of outputs) {
    const existing = schema.get(o.name);
    const f = existing ?? schema.set(o.name, o.type);
    f.type = o.type;
    if (existing) exclude.push(existing.column);
    cols.push(`${o.sql} AS ${quoteIdent(f.column)}`);
  }
  for (const d of drop) schema.remove(d);
  const ex = exclude.length ? ` EXCLUDE (${exclude.map(quoteIdent).join(', ')})` : '';
  b.push(`SELECT *${ex}, ${cols.join(', ')} FROM ${b.from}`, schema);
}

export interface UtParseArgs {
  mode: 'extended' | 'simple';
  url: Operand;
  list?: Operand;
}

export const utParseCommand: CommandSpec<UtParseArgs> = {
  name: '_ut_parse',
  help: 'internal: what `ut_parse_extended(url, list)`, `ut_parse(url, list)` and `ut_parse_simple(url)` expand to.',
  parse(c) {
    const m = c.word();
    if (!m || !['extended', 'simple'].includes(m.value)) throw c.error('_ut_parse needs extended or simple');
    const url = operand(c, 'a URL field')!;
    const list = operand(c, 'a list field', true);
    c.done();
    return { mode: m.value as 'extended' | 'simple', url, list };
  },
  async compile(args, b) {
    const url = typedOf(args.url, b);
    if (url.type === 'null') return; // no input field: the lookup adds nothing
    const list = args.mode === 'simple' ? 'iana' : await firstValue(args.list, b, 'iana');
    const mv = url.type === 'mv';
    // parsed once per distinct URL, into a table: its deepest name says how many
    // ut_subdomain_level_N fields there are. The rows so far are materialised first, so the scan
    // and filters before run once, not once for the map and again for the results.
    const call: ValueMapCall = { fn: 'ut_parse', input: mv ? url.sql : toStr(url), multivalue: mv, args: [list], result: '["VARCHAR"]' };
    await b.materialize();
    const map = await materializeValueMap(b, call);
    let levels = 0;
    if (args.mode === 'extended') {
      const depth = mv ? `max(list_max(list_transform("_q_v", lambda p: len(p))))` : `max(len("_q_v"))`;
      const r = await b.ctx.conn.runAndReadAll(`SELECT ${depth} FROM ${map}`);
      levels = Math.max(0, Number(r.getRowsJS()[0]?.[0] ?? 0) - UT_PARSE_FIELDS.length);
    }
    const helper = `_q_ut${b.ctx.nextId()}`;
    const schema = b.schema.clone();
    schema.set(helper, 'mv').column = helper;
    joinValueMap(b, call, map, helper, schema);
    const names: string[] = [...(args.mode === 'simple' ? UT_PARSE_SIMPLE_FIELDS : UT_PARSE_FIELDS)];
    for (let i = 1; i <= levels; i++) names.push(`ut_subdomain_level_${i}`);
    const h = quoteIdent(helper);
    const outputs = names.map((name, i) => {
      const idx = i + 1;
      return mv
        ? { name, type: 'mv' as const, sql: `nullif(list_filter(list_transform(${h}, lambda p: p[${idx}]), lambda x: x IS NOT NULL), [])` }
        : { name, type: 'str' as const, sql: `${h}[${idx}]` };
    });
    setFields(b, outputs, [helper]);
  },
};

/** ut_shannon: once per distinct word, joined back (the hot path of DNS hunts). */
export const utShannonCommand: CommandSpec<Operand> = {
  name: '_ut_shannon',
  help: 'internal: what `ut_shannon(word)` expands to; sets ut_shannon (bits per character).',
  parse(c) {
    const op = operand(c, 'a field')!;
    c.done();
    return op;
  },
  compile(op, b) {
    const x = typedOf(op, b);
    if (x.type === 'null') return;
    const mv = x.type === 'mv';
    const helper = `_q_sh${b.ctx.nextId()}`;
    const schema = b.schema.clone();
    schema.set(helper, mv ? 'mv' : 'num').column = helper;
    inlineValueMap(b, { fn: 'ut_shannon', input: mv ? x.sql : toStr(x), multivalue: mv, result: '"DOUBLE"' }, helper, schema);
    const h = quoteIdent(helper);
    setFields(b, [{ name: 'ut_shannon', type: mv ? 'mv' : 'num', sql: mv ? `list_transform(${h}, lambda v: spl_num_str(v))` : h }], [helper]);
  },
};

function oneFieldCommand(name: string, out: string, help: string, udf: string, arity: 1 | 2, type: 'num' | 'str'): CommandSpec<Operand[]> {
  return {
    name,
    help,
    parse(c) {
      const ops = [operand(c, 'a field')!];
      if (arity === 2) ops.push(operand(c, 'a second field')!);
      c.done();
      return ops;
    },
    compile(ops, b) {
      const ts = ops.map((o) => typedOf(o, b));
      if (ts.some((t) => t.type === 'null')) return;
      const [x, y] = ts;
      const fmt = (v: string) => (type === 'num' ? `spl_num_str(${v})` : v);
      let t: Typed;
      if (x!.type === 'mv') {
        t = { sql: `list_transform(${x!.sql}, lambda v: ${fmt(`${udf}(v${y ? `, ${toStr(y)}` : ''})`)})`, type: 'mv' };
      } else {
        t = { sql: `${udf}(${toStr(x!)}${y ? `, ${toStr(y)}` : ''})`, type };
      }
      assign(b, out, t === NULL ? NULL : t);
    },
  };
}

export const utLevenshteinCommand = oneFieldCommand('_ut_levenshtein', 'ut_levenshtein', 'internal: what `ut_levenshtein(w1, w2)` expands to.', 'spl_ut_levenshtein', 2, 'num');
export const utCountsetCommand = oneFieldCommand('_ut_countset', 'ut_countset', 'internal: what `ut_countset(word, set)` expands to (JSON; use spath input=ut_countset).', 'spl_ut_countset', 2, 'str');

export const URL_TOOLBOX_COMMANDS = [utParseCommand, utShannonCommand, utLevenshteinCommand, utCountsetCommand];
export { SplError };
