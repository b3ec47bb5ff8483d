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
import { guessSingleValue } from '../guesses.js';
import type { Builder } from '../builder.js';
import { fieldRef } from '../expr.js';
import { NULL, toStr, type Typed } from '../typed.js';
import { joinValueMap, materializeValueMap, valueMapSql, type ValueMapCall } from '../distinct.js';
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
  b.push(`SELECT *${ex}${cols.map((c) => `, ${c}`).join('')} FROM ${b.from}`, schema);
}

/** A bare host name SQL can parse: two or more non-empty ASCII labels, the last with a letter. */
const BARE_HOST = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*$';
/**
 * ut_parse_extended over bare host names (the DNS case) as per-row SQL in the search's one query:
 * each output is its own expression, so DuckDB computes only those later commands read. The public
 * suffix is decided once per distinct domain (the last two labels, see keySuffix) by a join with
 * that domain's answer from spl_ut_key_suffix; a value that is not a bare host name, or whose
 * suffix depends on more labels (bbc.co.uk), is parsed in TypeScript once per distinct value, by a
 * second join. A multivalue input is guessed to hold one value per row (src/compile/guesses.ts).
 * Returns false, having changed nothing, when this path does not apply: which
 * ut_subdomain_level_N fields exist depends on the data unless the later commands say which they
 * read, and a multivalue input without guesses needs the general path.
 */
function parseHostsInSql(b: Builder, args: UtParseArgs, list: string): boolean {
  const later = b.laterFields;
  const url = typedOf(args.url, b);
  const mv = url.type === 'mv';
  if (!later || (mv && !b.ctx.guesses)) return false;
  let levels = 0;
  for (const f of later) levels = Math.max(levels, Number(/^ut_subdomain_level_(\d+)$/.exec(f)?.[1] ?? 0));
  const id = () => `_q_u${b.ctx.nextId()}`;
  const [X, K, T, P, L] = [id(), id(), id(), id(), id()];
  const [x, k, t, p, l] = [X, K, T, P, L].map(quoteIdent) as [string, string, string, string, string];
  const add = (cols: [string, 'str' | 'mv', string][], select = (extra: string) => `SELECT *, ${extra} FROM ${b.from}`) => {
    const s = b.schema.clone();
    for (const [name, type] of cols) s.set(name, type).column = name;
    b.push(select(cols.map(([name, , sql]) => `${sql} AS ${quoteIdent(name)}`).join(', ')), s);
  };
  // x: the value; k: its domain, when it is a bare host name (computed once: the joins below read it)
  add([[X, 'str', mv ? guessSingleValue(url.sql, args.url.value) : `(${toStr(url)})`]]);
  add([[K, 'str', `CASE WHEN regexp_full_match(${x}, ${sqlString(BARE_HOST)}) THEN lower(split_part(${x}, '.', -2) || '.' || split_part(${x}, '.', -1)) END`]]);
  b.materializeStep();
  const rows = b.from;
  const lit = sqlString(list);
  // per distinct domain: its public suffix ('' for none), or null where the domain does not decide it
  const domains = `(SELECT d, spl_ut_key_suffix(d, ${lit}) AS s FROM (SELECT DISTINCT ${k} AS d FROM ${rows} WHERE ${k} IS NOT NULL) AS u)`;
  // t: the value's public suffix, or null where SQL does not parse the value
  add([[T, 'str', 'm.s']], (cols) => `SELECT f.*, ${cols} FROM ${rows} AS f LEFT JOIN ${domains} AS m ON f.${k} = m.d`);
  // p: every output from TypeScript, once per distinct value SQL does not parse
  const slow = `(SELECT g.${x} AS v FROM ${rows} AS g LEFT JOIN ${domains} AS n ON g.${k} = n.d WHERE n.s IS NULL) AS slow`;
  const call: ValueMapCall = { fn: 'ut_parse', input: 'v', multivalue: false, args: [list], result: '["VARCHAR"]' };
  add([[P, 'mv', 'm."_q_v"']], (cols) => `SELECT f.*, ${cols} FROM ${b.from} AS f LEFT JOIN (${valueMapSql(slow, call)}) AS m ON (CASE WHEN f.${t} IS NULL THEN f.${x} END) = m."_q_k"`);
  // l: what precedes the suffix
  add([[L, 'str', `CASE WHEN ${t} <> '' AND length(${x}) > length(${t}) THEN ${x}[1 : length(${x}) - length(${t}) - 1] END`]]);
  const names: string[] = [...UT_PARSE_FIELDS];
  for (let i = 1; i <= levels; i++) names.push(`ut_subdomain_level_${i}`);
  // the label before the suffix (D) and the rest (S)
  const D = `string_split(${l}, '.')[-1]`;
  const S = `CASE WHEN contains(${l}, '.') THEN ${l}[1 : length(${l}) - length(${D}) - 1] END`;
  const none = (e: string) => `coalesce(${e}, 'None')`;
  const part = (name: string): string => {
    switch (name) {
      case 'ut_netloc':
        return x;
      case 'ut_port':
        return `'80'`;
      case 'ut_domain':
        return none(`${D} || '.' || nullif(${t}, '')`);
      case 'ut_tld':
        return none(`nullif(${t}, '')`);
      case 'ut_domain_without_tld':
        return none(D);
      case 'ut_subdomain':
        return none(S);
      case 'ut_subdomain_count':
        return `coalesce(CAST(len(string_split(${S}, '.')) AS VARCHAR), '0')`;
      default: {
        const level = /^ut_subdomain_level_(\d+)$/.exec(name);
        return level ? `string_split(${S}, '.')[-${level[1]}]` : `'None'`;
      }
    }
  };
  // single values (Splunk makes no difference between a multivalue of one value and that value),
  // so later commands need no list functions
  // only the fields later commands read (levels included): the rest would cost planning time
  const outputs = names
    .map((name, i) => ({
      name,
      type: 'str' as const,
      sql: `CASE WHEN ${x} IS NULL THEN NULL WHEN ${t} IS NOT NULL THEN ${part(name)} ELSE ${p}[${i + 1}] END`,
    }))
    .filter((o) => later.has(o.name));
  setFields(b, outputs, [X, K, T, P, L]);
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
    if (args.mode === 'extended' && parseHostsInSql(b, args, list)) return;
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
