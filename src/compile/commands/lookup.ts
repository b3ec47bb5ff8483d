import { existsSync } from 'node:fs';
import type { Span } from '../../spl/ast.js';
import type { Cursor, Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parseSearch } from '../../spl/search-expr.js';
import type { SearchArgs } from '../../spl/ast.js';
import { lookupFile, lookupHeader, lookupRelation } from '../../lookup/index.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import { loadRows, readCurrent, tsOperator, valuesOf } from '../rows.js';
import { Schema } from '../schema.js';
import { compileSearchNode } from '../search.js';
import { toList, toStr } from '../typed.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, intOpt, rejectOptions, unknownOption, type Options } from './util.js';

interface Pair {
  /** field in the lookup table */
  lk: string;
  /** field in the events */
  ev: string;
  span: Span;
}

interface LookupArgs {
  table: Word;
  inputs: Pair[];
  outputs: Pair[];
  mode: 'OUTPUT' | 'OUTPUTNEW' | 'ALL';
  opts: Options;
}

const MAX_MATCHES = 1000;

function pairList(c: Cursor, stop: string[]): Pair[] {
  const out: Pair[] = [];
  for (;;) {
    c.skipWs();
    if (c.atEnd() || stop.some((s) => c.lookingAt(s, true))) break;
    if (c.accept(',', false)) continue;
    const f = c.fieldName();
    if (!f) throw c.error('expected a field name');
    let ev = f.value;
    if (c.accept('as', true)) {
      const a = c.fieldName();
      if (!a) throw c.error('AS needs a field name');
      ev = a.value;
    }
    out.push({ lk: f.value, ev, span: f.span });
  }
  return out;
}

/** Resolve a lookup name to its CSV file, or fail at the name. */
export function tablePath(b: Builder, table: Word): string {
  let path: string;
  try {
    path = lookupFile(b.ctx.store.dir, table.value);
  } catch (e) {
    throw new SplError((e as Error).message, table.span);
  }
  if (!existsSync(path)) throw new SplError(`lookup table "${table.value}" not found`, table.span, `add it with: quarry lookup add ${table.value.replace(/\.csv$/i, '')} FILE.csv`);
  return path;
}

export const lookup: CommandSpec<LookupArgs> = {
  name: 'lookup',
  help: 'lookup NAME field [AS event_field] ... [OUTPUT|OUTPUTNEW field [AS event_field] ...]: add fields from a CSV lookup table.',
  parse(c) {
    const opts = c.options(['local', 'update', 'event_time_field']);
    rejectOptions(opts, ['event_time_field'], 'lookup');
    const table = c.word();
    if (!table) throw c.error('lookup needs a table name', undefined, 'e.g. lookup users user OUTPUT department');
    const inputs = pairList(c, ['output', 'outputnew']);
    if (!inputs.length) throw c.error('lookup needs at least one field to match on');
    let mode: LookupArgs['mode'] = 'ALL';
    let outputs: Pair[] = [];
    if (c.accept('outputnew', true)) mode = 'OUTPUTNEW';
    else if (c.accept('output', true)) mode = 'OUTPUT';
    if (mode !== 'ALL') {
      outputs = pairList(c, []);
      if (!outputs.length) throw c.error(`${mode} needs at least one field`);
    }
    c.done();
    return { table, inputs, outputs, mode, opts };
  },
  async compile(a, b) {
    void boolOpt;
    const path = tablePath(b, a.table);
    const header = lookupHeader(path);
    for (const p of [...a.inputs, ...a.outputs]) {
      if (!header.includes(p.lk)) throw new SplError(`lookup table "${a.table.value}" has no field "${p.lk}"`, p.span, `its fields: ${header.join(', ')}`);
    }
    const outputs = a.mode === 'ALL' ? header.filter((h) => !a.inputs.some((p) => p.lk === h)).map((h) => ({ lk: h, ev: h, span: a.table.span })) : a.outputs;
    const overwrite = a.mode !== 'OUTPUTNEW';
    if (a.inputs.some((p) => !b.schema.has(p.ev))) return; // no row has the input: nothing changes
    if (a.inputs.some((p) => b.schema.get(p.ev)!.type === 'mv')) return lookupInJs(b, path, a.inputs, outputs, overwrite);
    const rel = lookupRelation(path);
    const keys = a.inputs.map((p) => quoteIdent(p.lk));
    const uniq = await b.ctx.conn.runAndReadAll(`SELECT coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM ${rel} WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')} GROUP BY ${keys.join(', ')})`);
    const multi = Number(uniq.getRowsJS()[0]![0]) > 1;
    const gcols = [
      ...keys.map((k, i) => `${k} AS "_q_k${i}"`),
      ...outputs.map((o, j) =>
        multi ? `nullif(list(${quoteIdent(o.lk)} ORDER BY "_q_row") FILTER (WHERE ${quoteIdent(o.lk)} IS NOT NULL)[1:${MAX_MATCHES}], []) AS "_q_o${j}"` : `first(${quoteIdent(o.lk)}) AS "_q_o${j}"`,
      ),
      '1 AS "_q_hit"',
    ];
    const seq = b.ensureSeq();
    const base = b.from;
    const baseSchema = b.schema.clone();
    b.push(`SELECT ${gcols.join(', ')} FROM ${rel} WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')} GROUP BY ${keys.join(', ')}`, b.schema);
    const g = b.from;
    const on = a.inputs.map((p, i) => {
      const f = baseSchema.get(p.ev)!;
      return `${toStr({ sql: `m.${quoteIdent(f.column)}`, type: f.type })} = g."_q_k${i}"`;
    });
    const out = baseSchema.clone();
    const replace: string[] = [];
    const add: string[] = [];
    const seen = new Set<string>();
    outputs.forEach((o, j) => {
      if (seen.has(o.ev)) return;
      seen.add(o.ev);
      const t = multi ? 'mv' : 'str';
      const nv = `g."_q_o${j}"`;
      const ex = out.get(o.ev);
      if (ex) {
        const old = { sql: `m.${quoteIdent(ex.column)}`, type: ex.type };
        const oldT = t === 'mv' ? toList(old) : toStr(old);
        ex.type = t;
        replace.push(`${overwrite ? `CASE WHEN g."_q_hit" IS NOT NULL THEN ${nv} ELSE ${oldT} END` : `coalesce(${oldT}, ${nv})`} AS ${quoteIdent(ex.column)}`);
      } else add.push(`${nv} AS ${quoteIdent(out.set(o.ev, t).column)}`);
    });
    b.push(
      `SELECT m.*${replace.length ? ` REPLACE (${replace.join(', ')})` : ''}${add.length ? ', ' + add.join(', ') : ''} FROM ${base} AS m LEFT JOIN ${g} AS g ON ${on.join(' AND ')}`,
      out,
      [{ sql: seq, desc: false }],
    );
  },
};

/** Multivalue input fields: each value is looked up; the outputs of all matches are combined. */
async function lookupInJs(b: Builder, path: string, inputs: Pair[], outputs: Pair[], overwrite: boolean): Promise<void> {
  const reader = await b.ctx.conn.runAndReadAll(`SELECT * FROM ${lookupRelation(path)} ORDER BY "_q_row"`);
  const table = reader.getRowObjectsJS() as Record<string, unknown>[];
  const index = new Map<string, Record<string, unknown>[]>();
  for (const r of table) {
    const k = JSON.stringify(inputs.map((p) => r[p.lk] ?? null));
    (index.get(k) ?? index.set(k, []).get(k)!).push(r);
  }
  await tsOperator(b, (fields, rows) => {
    const names = fields.map((f) => f.name);
    for (const o of outputs) if (!names.includes(o.ev)) names.push(o.ev);
    for (const r of rows) {
      // every combination of the input values (usually one field is multivalue)
      let combos: string[][] = [[]];
      for (const p of inputs) {
        const vals = valuesOf((r as Row)[p.ev]);
        combos = combos.flatMap((c) => vals.map((v) => [...c, v]));
      }
      const matches = combos.flatMap((c) => index.get(JSON.stringify(c)) ?? []).slice(0, MAX_MATCHES);
      if (!matches.length) continue;
      for (const o of outputs) {
        const vals = matches.map((m) => m[o.lk]).filter((v): v is string => v !== null && v !== undefined);
        if (!overwrite && r[o.ev] !== undefined) continue;
        if (vals.length) r[o.ev] = vals.length === 1 ? vals[0] : vals;
        else if (overwrite) delete r[o.ev];
      }
    }
    return { fields: names, rows };
  });
}

interface InputArgs {
  table: Word;
  opts: Options;
  where?: SearchArgs;
}

export const inputlookup: CommandSpec<InputArgs> = {
  name: 'inputlookup',
  generating: true,
  help: '| inputlookup [append=f] [start=0] [max=N] NAME [WHERE <search>]: the rows of a CSV lookup table.',
  parse(c) {
    const OPTS = ['append', 'start', 'max', 'strict'];
    const opts = c.options(OPTS);
    const table = c.word();
    if (!table) throw c.error('inputlookup needs a table name');
    // options after the name too: Splunk runs its own content written that way (splunk/security_content)
    for (const [k, v] of c.options(OPTS)) opts.set(k, v);
    unknownOption(c, OPTS);
    rejectOptions(opts, ['strict'], 'inputlookup');
    let where: SearchArgs | undefined;
    if (c.accept('where', true)) where = parseSearch(c);
    c.done();
    return { table, opts, where };
  },
  async compile(a, b) {
    const path = tablePath(b, a.table);
    const header = lookupHeader(path);
    const append = boolOpt(a.opts, 'append', false);
    if (b.started && !append) throw new SplError('inputlookup must start the search (or use append=true)', a.table.span);
    const start = intOpt(a.opts, 'start', 0);
    const max = intOpt(a.opts, 'max', 0);
    const schema = new Schema();
    const cols = header.filter((h) => h !== '').map((h) => `${quoteIdent(h)} AS ${quoteIdent(schema.set(h, 'str').column)}`);
    let sql = `SELECT ${cols.join(', ')}, "_q_row" AS "_q_seq" FROM ${lookupRelation(path)}`;
    const full = schema.clone();
    full.set('_q_seq', 'int').column = '_q_seq';
    if (a.where) {
      if (a.where.earliest || a.where.latest) throw new SplError('earliest/latest do not apply to a lookup', (a.where.earliest ?? a.where.latest)!.span);
      const cond = compileSearchNode(a.where.node, { schema, subsearches: new Map() });
      sql = `SELECT * FROM (${sql}) WHERE ${cond}`;
    }
    sql = `SELECT * FROM (${sql}) ORDER BY "_q_seq"${max > 0 ? ` LIMIT ${max}` : ''}${start > 0 ? ` OFFSET ${start}` : ''}`;
    if (!b.started) {
      b.push(sql, full, [{ sql: '"_q_seq"', desc: false }]);
      return;
    }
    const reader = await b.ctx.conn.runAndReadAll(`SELECT * EXCLUDE ("_q_seq") FROM (${sql}) ORDER BY "_q_seq"`);
    const extra = reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined)));
    const cur = await readCurrent(b);
    const names = cur.fields.map((f) => ({ name: f.name, type: f.type }));
    for (const h of schema.fields) if (!names.some((n) => n.name === h.name)) names.push({ name: h.name, type: 'str' });
    const transforming = b.transforming;
    await loadRows(b, names.map((n) => ({ ...n, type: extra.some((r) => r[n.name] !== undefined) && n.type !== 'str' && n.type !== 'mv' ? 'str' : n.type })), [...cur.rows, ...(extra as Row[])]);
    b.transforming = transforming;
    void sqlString;
  },
};

export const outputlookup: CommandSpec<InputArgs> = {
  name: 'outputlookup',
  help: 'outputlookup [append=f] [create_empty=t] [override_if_empty=t] NAME: write the results to a CSV lookup table (they pass through).',
  parse(c) {
    const OPTS = ['append', 'create_empty', 'override_if_empty', 'max', 'key_field', 'createinapp', 'output_format'];
    const opts = c.options(OPTS);
    const table = c.word();
    if (!table) throw c.error('outputlookup needs a table name');
    for (const [k, v] of c.options(OPTS)) opts.set(k, v); // after the name too, as for inputlookup
    unknownOption(c, OPTS);
    rejectOptions(opts, ['key_field', 'output_format'], 'outputlookup');
    c.done();
    return { table, opts };
  },
  async compile(a, b) {
    let path: string;
    try {
      path = lookupFile(b.ctx.store.dir, a.table.value);
    } catch (e) {
      throw new SplError((e as Error).message, a.table.span);
    }
    const append = boolOpt(a.opts, 'append', false);
    const createEmpty = boolOpt(a.opts, 'create_empty', true);
    const overrideIfEmpty = boolOpt(a.opts, 'override_if_empty', true);
    const max = intOpt(a.opts, 'max', 0);
    const cur = await readCurrent(b);
    const transforming = b.transforming;
    await loadRows(b, cur.fields.map((f) => ({ name: f.name, type: f.type })), cur.rows);
    b.transforming = transforming;
    const rows = max > 0 ? cur.rows.slice(0, max) : cur.rows;
    const exists = existsSync(path);
    if (!rows.length && ((!exists && !createEmpty) || (exists && !overrideIfEmpty))) return;
    let fields = cur.fields.map((f) => f.name).filter((n) => !n.startsWith('_') || n === '_time');
    let prior: Record<string, string>[] = [];
    if (append && exists) {
      const header = lookupHeader(path);
      const r = await b.ctx.conn.runAndReadAll(`SELECT * EXCLUDE ("_q_row") FROM ${lookupRelation(path)} ORDER BY "_q_row"`);
      prior = r.getRowObjectsJS() as Record<string, string>[];
      fields = [...header, ...fields.filter((f) => !header.includes(f))];
    }
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    mkdirSync(dirname(path), { recursive: true });
    const cell = (v: unknown) => {
      if (v === null || v === undefined) return '';
      const s = Array.isArray(v) ? v.map(String).join('\n') : String(v);
      return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    };
    const lines = [fields.map(cell).join(',')];
    for (const r of prior) lines.push(fields.map((f) => cell(r[f])).join(','));
    for (const r of rows) lines.push(fields.map((f) => cell(r[f])).join(','));
    writeFileSync(path, lines.join('\n') + '\n');
  },
};
