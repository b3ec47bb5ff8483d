import type { SearchArgs, SearchNode } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import { parseSearch } from '../../spl/search-expr.js';
import { Cursor } from '../../spl/cursor.js';
import { parseTimeModifier, TimeModifierError } from '../../time/relative.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import { Schema, type FieldType } from '../schema.js';
import { compileSearchNode, scope } from '../search.js';
import type { CommandSpec } from './spec.js';

const STORE_TYPES: Record<string, FieldType> = { BIGINT: 'int', DOUBLE: 'num', VARCHAR: 'str', 'VARCHAR[]': 'mv', TIMESTAMP: 'time' };
const BASE_ORDER = ['_time', '_raw', 'index', 'sourcetype', 'source', 'host'];

function unifyTypes(a: FieldType, b: FieldType): FieldType {
  if (a === b) return a;
  if (a === 'mv' || b === 'mv') return 'mv';
  if ((a === 'int' || a === 'num') && (b === 'int' || b === 'num')) return 'num';
  return 'str';
}

const SQL_OF: Record<FieldType, string> = { num: 'DOUBLE', int: 'BIGINT', str: 'VARCHAR', mv: 'VARCHAR[]', time: 'TIMESTAMP', bool: 'BOOLEAN', null: 'VARCHAR' };

/** A `search`/`query` value from a subsearch (return, format): parsed as search syntax. */
function searchText(text: string, span: SearchNode['span']): SearchNode {
  if (/^\s*NOT\s*\(\s*\)\s*$/i.test(text)) return { kind: 'not', item: { kind: 'all', span }, span };
  if (!text.trim()) return { kind: 'all', span };
  const c = new Cursor(text, 0, text.length, 'search', () => {
    throw new SplError('a subsearch result cannot hold a subsearch', span);
  });
  try {
    return parseSearch(c).node;
  } catch (e) {
    if (e instanceof SplError) throw new SplError(`the subsearch returned a search Quarry cannot read: ${e.message} (in: ${text.slice(0, 200)})`, span);
    throw e;
  }
}

/** Turn subsearch rows into a search: ((f1=v1 AND f2=v2) OR ...), as Splunk's implicit `format` does. */
function rowsToSearch(rows: Row[], fields: string[], span: SearchNode['span']): SearchNode {
  const ors: SearchNode[] = [];
  for (const r of rows.slice(0, 10000)) {
    const ands: SearchNode[] = [];
    for (const f of fields) {
      if (f.startsWith('_')) continue;
      const v = r[f];
      if (v === null || v === undefined) continue;
      const vals = Array.isArray(v) ? v : [v];
      const parts: SearchNode[] = vals.map((x) =>
        f === 'search' || f === 'query'
          ? searchText(String(x), span)
          : { kind: 'compare', field: f, op: '=', value: String(x), quoted: true, span },
      );
      ands.push(parts.length === 1 ? parts[0]! : { kind: 'or', items: parts, span });
    }
    if (ands.length) ors.push(ands.length === 1 ? ands[0]! : { kind: 'and', items: ands, span });
  }
  // An empty subsearch result matches nothing (Splunk: NOT ()).
  if (!ors.length) return { kind: 'not', item: { kind: 'all', span }, span };
  return ors.length === 1 ? ors[0]! : { kind: 'or', items: ors, span };
}

async function runSubsearches(node: SearchNode, b: Builder, out: Map<SearchNode, SearchNode>): Promise<void> {
  if (node.kind === 'subsearch') {
    const res = await b.ctx.runPipeline(node.pipeline);
    out.set(node, rowsToSearch(res.rows, res.fields, node.span));
  } else if (node.kind === 'and' || node.kind === 'or') {
    for (const n of node.items) await runSubsearches(n, b, out);
  } else if (node.kind === 'not') await runSubsearches(node.item, b, out);
}

function timeBound(b: Builder, given: { value: string; span: SearchNode['span'] } | undefined, fallback: string | undefined): number | undefined {
  const v = given?.value ?? fallback;
  if (v === undefined || v === '') return undefined;
  try {
    return parseTimeModifier(v, b.ctx.now, b.ctx.tz);
  } catch (e) {
    if (e instanceof TimeModifierError && given) throw new SplError(e.message, given.span, 'examples: earliest=-24h@h latest=now earliest="08/23/2017:00:00:00"');
    throw e;
  }
}

/** The first search: scan the sourcetype tables in scope, filtered, newest first. */
async function baseSearch(args: SearchArgs, b: Builder): Promise<void> {
  const subs = new Map<SearchNode, SearchNode>();
  await runSubsearches(args.node, b, subs);
  const entries = scope(args.node, b.ctx.catalog, subs);
  const earliest = timeBound(b, args.earliest, b.ctx.earliest);
  const latest = timeBound(b, args.latest, b.ctx.latest);
  b.range = { earliest: earliest === undefined || earliest <= 0 ? undefined : earliest * 1000, latest: latest === undefined ? undefined : latest * 1000 };

  // The union schema of every table in scope.
  const types = new Map<string, FieldType>();
  const tables = new Map<string, string>(); // sourcetype → table
  for (const e of entries) {
    tables.set(e.sourcetype, e.table);
    for (const f of e.fields) {
      const t = STORE_TYPES[f.type] ?? 'str';
      types.set(f.name, types.has(f.name) ? unifyTypes(types.get(f.name)!, t) : t);
    }
  }
  for (const n of BASE_ORDER) types.set(n, n === '_time' ? 'time' : 'str');
  const names = [...BASE_ORDER, ...[...types.keys()].filter((n) => !BASE_ORDER.includes(n)).sort()];
  const schema = new Schema();
  // a field some table derives (an alias a native ingest did not write) is computed, not read
  const derived = new Set(names.filter((n) => [...tables.keys()].some((st) => b.ctx.store.derivedOf(st, n))));
  for (const n of names) schema.set(n, types.get(n)!).stored = !derived.has(n);

  const timeCond: string[] = [];
  if (b.range.earliest !== undefined) timeCond.push(`"_time" >= make_timestamp(${Math.trunc(b.range.earliest)}::BIGINT)`);
  if (b.range.latest !== undefined) timeCond.push(`"_time" < make_timestamp(${Math.trunc(b.range.latest)}::BIGINT)`);

  // One branch per table, each filtered on its own: its sourcetype (and its index, when it holds
  // one in scope) is a constant there, so conditions on them are decided now, not per row.
  const branches: string[] = [];
  for (const [st, table] of tables) {
    const cols = schema.fields.map((f) => {
      const phys = b.ctx.store.columnOf(st, f.name);
      // an alias a native ingest did not write: derived from the row's other columns here
      const derived = b.ctx.store.derivedOf(st, f.name);
      if (!phys && !derived) return `CAST(NULL AS ${SQL_OF[f.type]}) AS ${quoteIdent(f.column)}`;
      const have = STORE_TYPES[phys?.type ?? derived!.type] ?? 'str';
      const src = !phys ? `(${derived!.expr})` : derived ? `coalesce(${quoteIdent(phys.column)}, ${derived.expr})` : quoteIdent(phys.column);
      let expr = src;
      if (have !== f.type) expr = f.type === 'mv' ? `CASE WHEN ${src} IS NULL THEN NULL ELSE [CAST(${src} AS VARCHAR)] END` : `CAST(${src} AS ${SQL_OF[f.type]})`;
      return `${expr} AS ${quoteIdent(f.column)}`;
    });
    const where = [...timeCond];
    const stIndexes = [...new Set(entries.filter((e) => e.sourcetype === st).map((e) => e.index))];
    where.push(stIndexes.length === 1 ? `"index" = ${sqlString(stIndexes[0]!)}` : `"index" IN (${stIndexes.map(sqlString).join(', ')})`);
    const constants: Record<string, string> = { sourcetype: st };
    if (stIndexes.length === 1) constants.index = stIndexes[0]!;
    const cond = compileSearchNode(args.node, { schema, subsearches: subs, constants });
    if (cond === 'FALSE') continue;
    const scan = `SELECT ${cols.join(', ')} FROM ${quoteIdent(table)} WHERE ${where.join(' AND ')}`;
    branches.push(cond === 'TRUE' ? scan : `SELECT * FROM (${scan}) WHERE ${cond}`);
  }
  const order = [{ sql: '"_time"', desc: true }];
  if (!branches.length) {
    // Nothing in scope: an empty relation with the base columns.
    const cols = schema.fields.map((f) => `CAST(NULL AS ${SQL_OF[f.type]}) AS ${quoteIdent(f.column)}`).join(', ');
    b.push(`SELECT ${cols} WHERE FALSE`, schema, order);
    return;
  }
  b.push(branches.join('\nUNION ALL\n'), schema, order);
}

export const search: CommandSpec<SearchArgs> = {
  name: 'search',
  generating: true,
  help: 'search <terms and field=value comparisons>: keep the events (or results) that match.',
  parse: parseSearch,
  async compile(args, b) {
    if (!b.started) return baseSearch(args, b);
    if (args.earliest || args.latest) {
      const bound = args.earliest ?? args.latest!;
      throw new SplError('earliest/latest are only allowed in the first search', bound.span);
    }
    const subs = new Map<SearchNode, SearchNode>();
    await runSubsearches(args.node, b, subs);
    const cond = compileSearchNode(args.node, { schema: b.schema, subsearches: subs });
    if (cond !== 'TRUE') b.push(`SELECT * FROM ${b.from} WHERE ${cond}`, b.schema);
  },
};
