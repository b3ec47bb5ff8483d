import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import { Schema } from '../schema.js';
import type { CommandSpec } from './spec.js';
import { groupedSource } from './stats.js';
import { boolOpt, intOpt, leadingCount, optionsAmong, rejectOptions, type Options } from './util.js';

interface Args {
  fields: Word[];
  by: Word[];
  opts: Options;
}

const OPTS = ['limit', 'countfield', 'percentfield', 'showcount', 'showperc', 'useother', 'otherstr', 'partitions'];

function parseTop(c: import('../../spl/cursor.js').Cursor): Args {
  const fields: Word[] = [];
  let by: Word[] = [];
  const opts = optionsAmong(c, OPTS, (c, opts) => {
    if (c.accept(',', false)) return 'next';
    if (c.lookingAt('by', true)) {
      c.accept('by', true);
      by = c.fieldList([], false);
      if (!by.length) throw c.error('by needs at least one field');
      return 'next';
    }
    const count = fields.length ? undefined : leadingCount(c);
    if (count) {
      opts.set('limit', { ...count, quoted: false, keySpan: { start: count.span.start, end: count.span.start } });
      return 'next';
    }
    const f = c.fieldName(false);
    if (!f) return 'stop';
    fields.push(f);
    return 'next';
  });
  c.done();
  if (!fields.length) throw c.error(`${c.command} needs at least one field, e.g. ${c.command} src`);
  rejectOptions(opts, ['partitions'], c.command);
  return { fields, by, opts };
}

function compileTop(a: Args, b: import('../builder.js').Builder, rare: boolean): void {
  const limit = intOpt(a.opts, 'limit', 10);
  const countfield = a.opts.get('countfield')?.value ?? 'count';
  const percentfield = a.opts.get('percentfield')?.value ?? 'percent';
  const showcount = boolOpt(a.opts, 'showcount', true);
  const showperc = boolOpt(a.opts, 'showperc', true);
  const useother = boolOpt(a.opts, 'useother', false);
  const otherstr = a.opts.get('otherstr')?.value ?? 'OTHER';
  const fields = a.fields.map((w) => w.value);
  const by = a.by.map((w) => w.value);
  const out = new Schema();
  for (const f of [...by, ...fields]) out.set(f, 'str');
  const outCols = [...by, ...fields].map((f) => out.get(f)!);
  const cf = showcount ? out.set(countfield, 'num') : undefined;
  const pf = showperc ? out.set(percentfield, 'num') : undefined;
  if ([...fields, ...by].some((f) => !b.schema.has(f))) {
    b.push(`SELECT ${out.fields.map((f) => `CAST(NULL AS ${f.type === 'num' ? 'DOUBLE' : 'VARCHAR'}) AS ${quoteIdent(f.column)}`).join(', ')} WHERE FALSE`, out, []);
    b.transforming = true;
    return;
  }
  const seq = b.ensureSeq();
  const str = (f: string) => {
    const fld = b.schema.get(f)!;
    const col = b.schema.col(f);
    return fld.type === 'num' ? `spl_num_str(${col})` : fld.type === 'int' || fld.type === 'time' ? `CAST(${fld.type === 'time' ? `epoch(${col})` : col} AS VARCHAR)` : col;
  };
  const { from } = groupedSource(b, [...by, ...fields]);
  const all = [...by, ...fields];
  const keyList = all.map((f, i) => `${str(f)} AS "_q_k${i}"`).join(', ');
  const byKeys = by.map((_, i) => `"_q_k${i}"`);
  const part = byKeys.length ? `PARTITION BY ${byKeys.join(', ')} ` : '';
  const notNull = all.map((f) => `${b.schema.col(f)} IS NOT NULL`).join(' AND ');
  // count per combination, first appearance for ties, total per by-group of the rows that have the fields
  const grouped = `SELECT ${all.map((_, i) => `"_q_k${i}"`).join(', ')}, count(*) AS "_q_c", min(${seq}) AS "_q_first" FROM (SELECT ${keyList}, ${seq} FROM ${from} WHERE ${notNull}) GROUP BY ALL`;
  const ranked = `SELECT *, sum("_q_c") OVER (${part.trim() ? part : ''}) AS "_q_tot", row_number() OVER (${part}ORDER BY "_q_c" ${rare ? 'ASC' : 'DESC'}, "_q_first") AS "_q_r" FROM (${grouped})`;
  const schema = new Schema();
  b.push(ranked, schema, []);
  const ranks = b.from;
  const sel = (prefix: string) =>
    [
      ...outCols.map((f, i) => `${prefix}"_q_k${i}" AS ${quoteIdent(f.column)}`),
      ...(cf ? [`CAST("_q_c" AS DOUBLE) AS ${quoteIdent(cf.column)}`] : []),
      ...(pf ? [`round(100.0 * "_q_c" / "_q_tot", 6) AS ${quoteIdent(pf.column)}`] : []),
    ].join(', ');
  const order = [...byKeys.map((k) => `${k} ASC`), '"_q_r" ASC'].join(', ');
  let sql = `SELECT ${sel('')}, ${byKeys.length ? byKeys.map((k, i) => `${k} AS "_q_o${i}"`).join(', ') + ', ' : ''}"_q_r" FROM ${ranks}${limit > 0 ? ` WHERE "_q_r" <= ${limit}` : ''}`;
  if (useother && limit > 0) {
    const otherCols = [
      ...outCols.map((f, i) => (i < by.length ? `"_q_k${i}"` : sqlString(otherstr)) + ` AS ${quoteIdent(f.column)}`),
      ...(cf ? [`CAST(sum("_q_c") AS DOUBLE) AS ${quoteIdent(cf.column)}`] : []),
      ...(pf ? [`round(100.0 * sum("_q_c") / any_value("_q_tot"), 6) AS ${quoteIdent(pf.column)}`] : []),
    ];
    sql += ` UNION ALL SELECT ${otherCols.join(', ')}, ${byKeys.length ? byKeys.map((k, i) => `${k} AS "_q_o${i}"`).join(', ') + ', ' : ''}${limit + 1} AS "_q_r" FROM ${ranks} WHERE "_q_r" > ${limit}${byKeys.length ? ` GROUP BY ${byKeys.join(', ')}` : ''}`;
  }
  const outSchema = out.clone();
  by.forEach((_, i) => (outSchema.set(`_q_o${i}`, 'str').column = `_q_o${i}`));
  outSchema.set('_q_r', 'int').column = '_q_r';
  void order;
  b.push(sql, outSchema, [...by.map((_, i) => ({ sql: `"_q_o${i}"`, desc: false })), { sql: '"_q_r"', desc: false }]);
  b.transforming = true;
  void SplError;
}

export const top: CommandSpec<Args> = {
  name: 'top',
  help: 'top [N] [limit=10] [countfield=count] [percentfield=percent] [showcount=t] [showperc=t] [useother=f] field ... [by field ...]: the most common values.',
  parse: parseTop,
  compile: (a, b) => compileTop(a, b, false),
};

export const rare: CommandSpec<Args> = {
  name: 'rare',
  help: 'rare [N] ... field ... [by field ...]: the least common values (options as top).',
  parse: parseTop,
  compile: (a, b) => compileTop(a, b, true),
};
