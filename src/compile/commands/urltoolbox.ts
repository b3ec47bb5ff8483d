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
import { UT_PARSE_FIELDS, UT_PARSE_SIMPLE_FIELDS, keySuffix } from '../../functions/urltoolbox.js';
import type { Builder } from '../builder.js';
import { fieldRef } from '../expr.js';
import { NULL, toStr, type Typed } from '../typed.js';
import { joinValueMap, materializeValueMap, type ValueMapCall } from '../distinct.js';
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

/** A bare host name SQL can parse: two or more non-empty ASCII labels, the last with a letter. */
const BARE_HOST = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*$';
/** The most distinct domains (last two labels) the SQL parse writes into the query as a MAP. */
const MAX_DOMAINS = 2000;

/**
 * ut_parse_extended over bare host names (the DNS case) as per-row SQL: each output is its own
 * expression, so DuckDB computes only the outputs later commands read, and nothing is
 * materialised. The public suffix is looked up once per distinct domain (last two labels, see
 * keySuffix) before the query and written into it as a MAP. Returns false, having changed
 * nothing, unless every value is a bare host name whose domain decides its suffix (then the
 * TypeScript parse per distinct value runs as before). A value the query meets that the look-up
 * did not see (a chain that gives other rows the second time) goes to the TypeScript parse row
 * by row.
 */
async function parseHostsInSql(b: Builder, args: UtParseArgs, list: string): Promise<boolean> {
  // When the rest of the search reads few fields, the rows so far are copied once with just
  // those (the look-up below and the results then read the copy, not the chain twice).
  const copied = b.laterFields !== undefined;
  // the ut_subdomain_level_N fields (as many as the deepest name has) only when something can read them
  const wantLevels = !b.laterFields || [...b.laterFields].some((f) => f.startsWith('ut_subdomain_level_'));
  const re = sqlString(BARE_HOST);
  const keyOf = (x: string) => `lower(regexp_extract(${x}, '[^.]+\\.[^.]+$'))`;
  const labels = (x: string) => (wantLevels ? `length(${x}) - length(replace(${x}, '.', '')) + 1` : '0');
  // with the copy, a row of one value carries its domain ('' when SQL does not parse it) and its
  // number of labels, computed while copying, for the pass below and the query
  const keyCol = `_q_uk${b.ctx.nextId()}`;
  const labelsCol = `_q_un${b.ctx.nextId()}`;
  if (copied) {
    const u = typedOf(args.url, b);
    const one = u.type === 'mv' ? `CASE WHEN len(${u.sql}) = 1 THEN (${u.sql})[1] END` : `(${toStr(u)})`;
    const ks = b.schema.clone();
    ks.set(keyCol, 'str').column = keyCol;
    ks.set(labelsCol, 'num').column = labelsCol;
    b.push(
      `SELECT *, CASE WHEN ${one} IS NULL THEN NULL WHEN regexp_full_match(${one}, ${re}) THEN ${keyOf(one)} ELSE '' END AS ${quoteIdent(keyCol)}, ${labels(one)} AS ${quoteIdent(labelsCol)} FROM ${b.from}`,
      ks,
    );
    await b.materialize(new Set([...b.laterFields!, args.url.value, keyCol, labelsCol]));
  }
  const url = typedOf(args.url, b);
  const mv = url.type === 'mv';
  const order = b.order;
  b.order = [];
  const perValue = (values: string) => `SELECT regexp_full_match(x, ${re}) AS fast, ${keyOf('x')} AS k, ${labels('x')} AS n, m FROM (${values}) AS v(x, m) WHERE x IS NOT NULL`;
  const K = quoteIdent(keyCol);
  const inner = copied
    ? `SELECT ${K} <> '' AS fast, nullif(${K}, '') AS k, ${quoteIdent(labelsCol)} AS n, ${mv ? '1' : 'NULL'} AS m FROM ${b.from} WHERE ${K} IS NOT NULL` +
      (mv ? ` UNION ALL ${perValue(`SELECT unnest(${url.sql}), len(${url.sql}) FROM ${b.from} WHERE len(${url.sql}) > 1`)}` : '')
    : perValue(b.sql(mv ? `unnest(${url.sql}), len(${url.sql})` : `${toStr(url)}, NULL`));
  b.order = order;
  const r = await b.ctx.conn.runAndReadAll(`SELECT k, max(n) AS n, bool_or(NOT fast) AS slow, max(m) AS m FROM (${inner}) AS p GROUP BY k LIMIT ${MAX_DOMAINS + 1}`);
  const rows = r.getRowsJS() as [string | null, number | bigint, boolean, number | bigint | null][];
  if (!rows.length || rows.length > MAX_DOMAINS || rows.some(([k, , slow]) => slow || k === null)) return false;
  const suffixes = new Map<string, string>();
  let levels = 0;
  for (const [k, n] of rows) {
    const tld = keySuffix(k!, list);
    if (tld === undefined) return false;
    suffixes.set(k!, tld);
    if (tld && wantLevels) levels = Math.max(levels, Number(n) - tld.split('.').length - 1);
  }
  // a multivalue input that holds at most one value per row (as after mvdedup on DNS queries) is
  // parsed as that value, without a lambda over the list
  const single = mv && rows.every(([, , , m]) => m === null || Number(m) <= 1);
  /** several values in some row: each output is a list, computed value by value */
  const manyValues = mv && !single;
  const input = manyValues ? url.sql : single ? `(${url.sql})[1]` : `(${toStr(url)})`;
  const map = `MAP {${[...suffixes].map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ')}}`;
  // a helper column: per value, its public suffix ('' none), or NULL where SQL does not parse it
  // (the copy holds exactly the values looked at, all bare host names: no need to check again)
  const fastSuffix = (x: string) =>
    copied && !manyValues ? `${map}[${K}]` : copied ? `${map}[${keyOf(x)}]` : `CASE WHEN regexp_full_match(${x}, ${re}) THEN ${map}[${keyOf(x)}] END`;
  const helper = `_q_ut${b.ctx.nextId()}`;
  const hs = b.schema.clone();
  hs.set(helper, manyValues ? 'mv' : 'str').column = helper;
  b.push(`SELECT *, ${manyValues ? `list_transform(${input}, lambda x: ${fastSuffix('x')})` : fastSuffix(input)} AS ${quoteIdent(helper)} FROM ${b.from}`, hs);
  const h = quoteIdent(helper);
  // per value x with suffix t: L what precedes the suffix, D the label before it, S the rest
  const leftOf = (x: string, t: string) => `CASE WHEN ${t} <> '' AND length(${x}) > length(${t}) THEN ${x}[1 : length(${x}) - length(${t}) - 1] END`;
  // one value per row: L is a column of its own, computed once for every output that reads it
  const left = `_q_ul${b.ctx.nextId()}`;
  if (!manyValues) {
    const ls = b.schema.clone();
    ls.set(left, 'str').column = left;
    b.push(`SELECT *, ${leftOf(input, h)} AS ${quoteIdent(left)} FROM ${b.from}`, ls);
  }
  const names: string[] = [...UT_PARSE_FIELDS];
  for (let i = 1; i <= levels; i++) names.push(`ut_subdomain_level_${i}`);
  const L = (x: string, t: string) => (manyValues ? leftOf(x, t) : quoteIdent(left));
  const D = (x: string, t: string) => `string_split(${L(x, t)}, '.')[-1]`;
  const S = (x: string, t: string) => `CASE WHEN contains(${L(x, t)}, '.') THEN ${L(x, t)}[1 : length(${L(x, t)}) - length(${D(x, t)}) - 1] END`;
  const none = (e: string) => `coalesce(${e}, 'None')`;
  const part = (name: string, x: string, t: string): string => {
    switch (name) {
      case 'ut_netloc':
        return x;
      case 'ut_port':
        return `'80'`;
      case 'ut_domain':
        return none(`${D(x, t)} || '.' || nullif(${t}, '')`);
      case 'ut_tld':
        return none(`nullif(${t}, '')`);
      case 'ut_domain_without_tld':
        return none(D(x, t));
      case 'ut_subdomain':
        return none(S(x, t));
      case 'ut_subdomain_count':
        return `coalesce(CAST(len(string_split(${S(x, t)}, '.')) AS VARCHAR), '0')`;
      default: {
        const level = /^ut_subdomain_level_(\d+)$/.exec(name);
        return level ? `string_split(${S(x, t)}, '.')[-${level[1]}]` : `'None'`;
      }
    }
  };
  const lit = sqlString(list);
  const one = (name: string, i: number, x: string, t: string) =>
    `CASE WHEN ${x} IS NULL THEN NULL WHEN ${t} IS NOT NULL THEN ${part(name, x, t)} ELSE spl_ut_parse_part(${x}, ${lit}, ${i + 1}) END`;
  const outputs = names.map((name, i) => {
    if (manyValues) return { name, type: 'mv' as const, sql: `nullif(list_filter(list_transform(${input}, lambda x, j: ${one(name, i, 'x', `${h}[j]`)}), lambda y: y IS NOT NULL), [])` };
    // at most one value per row: single values (Splunk makes no difference between a multivalue
    // of one value and that value), so later commands need no list functions
    return { name, type: 'str' as const, sql: one(name, i, input, h) };
  });
  setFields(b, outputs, [...(manyValues ? [helper] : [helper, left]), ...(copied ? [keyCol, labelsCol] : [])]);
  return true;
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
    if (args.mode === 'extended' && (await parseHostsInSql(b, args, list))) return;
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

/** ut_shannon: a character histogram per word in SQL (the hot path of DNS hunts), see entropySql. */
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
    // (spl_num_str is a macro that repeats its argument: it formats the computed list)
    // a list of one value (the usual case) skips the lambda over the list
    const out = mv
      ? `CASE WHEN len(${x.sql}) = 1 THEN list_transform([${entropySql(`(${x.sql})[1]`)}], lambda v: spl_num_str(v)) ELSE list_transform(list_transform(${x.sql}, lambda w: ${entropySql('w')}), lambda v: spl_num_str(v)) END`
      : entropySql(`(${toStr(x)})`);
    setFields(b, [{ name: 'ut_shannon', type: mv ? 'mv' : 'num', sql: out }], []);
  },
};

/**
 * Shannon entropy of a word as SQL, row by row and vectorised (a histogram of its characters),
 * as ut_shannon.py computes it: words that are not plain ASCII or that begin or end with
 * whitespace (ut_shannon trims them) go to the TypeScript function instead.
 */
export function entropySql(w: string): string {
  // -sum(k/n * log2(k/n)) over the character counts k = log2(n) - sum(k * log2(k)) / n
  return `CASE WHEN strlen(${w}) = length(${w}) AND ${w}[1] > ' ' AND ${w}[-1] > ' ' THEN log2(length(${w})) - list_sum(list_transform(map_values(list_histogram(string_split(${w}, ''))), lambda k: k * log2(k))) / length(${w}) ELSE spl_ut_shannon(${w}) END`;
}

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
