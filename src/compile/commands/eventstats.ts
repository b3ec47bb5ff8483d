import { SplError } from '../../spl/errors.js';
import { quoteIdent } from '../../store/sql.js';
import type { CommandSpec } from './spec.js';
import { aggregateSql, parseStatsArgs, type StatsArgs } from './stats.js';
import { rejectOptions } from './util.js';

/**
 * eventstats: the stats aggregates over all rows (per by-group), added to every row; rows and
 * their order unchanged. Lowered to a grouped CTE joined back on the by-fields.
 */
export const eventstats: CommandSpec<StatsArgs> = {
  name: 'eventstats',
  help: 'eventstats <fn>(field) [AS name] ... [by field ...]: add aggregates over all results to each result.',
  parse(c) {
    const a = parseStatsArgs(c, ['allnum']);
    rejectOptions(a.options as never, ['allnum'], 'eventstats');
    return a;
  },
  compile(args, b) {
    const by = args.by.map((w) => w.value);
    for (const w of args.by) {
      if (b.schema.get(w.value)?.type === 'mv') throw new SplError('eventstats: a multivalue by-field is not supported yet', w.span, 'mvexpand it first');
    }
    const seq = b.ensureSeq();
    const base = b.from;
    const baseSchema = b.schema.clone();
    const orderSql = b.orderBy().replace(/^ ORDER BY /, '');
    const missing = by.some((f) => !baseSchema.has(f));
    const aggs = args.aggs.map((a) => ({ a, t: aggregateSql(a, b, orderSql) }));
    const gcols: string[] = [];
    by.forEach((f, i) => {
      if (baseSchema.has(f)) gcols.push(`${baseSchema.col(f)} AS "_q_k${i}"`);
    });
    const seen = new Set<string>();
    const uniq = aggs.filter(({ a }) => (seen.has(a.as) ? false : (seen.add(a.as), true)));
    uniq.forEach(({ t }, i) => gcols.push(`${t.sql} AS "_q_a${i}"`));
    const keys = by.map((f) => baseSchema.col(f));
    const where = keys.length ? ` WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}` : '';
    const group = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    const out = baseSchema.clone();
    if (missing) {
      // a by-field that does not exist: no row belongs to a group, nothing is added
      const cols = uniq.map(({ a, t }) => {
        const ex = out.get(a.as);
        if (ex) return null;
        const nf = out.set(a.as, t.type);
        return `CAST(NULL AS ${t.type === 'mv' ? 'VARCHAR[]' : t.type === 'str' ? 'VARCHAR' : 'DOUBLE'}) AS ${quoteIdent(nf.column)}`;
      }).filter(Boolean);
      if (cols.length) b.push(`SELECT *, ${cols.join(', ')} FROM ${base}`, out);
      return;
    }
    b.push(`SELECT ${gcols.join(', ')} FROM ${base}${where}${group}`, b.schema);
    const g = b.from;
    const replaced: string[] = [];
    const added: string[] = [];
    uniq.forEach(({ a, t }, i) => {
      const existing = out.get(a.as);
      if (existing) {
        existing.type = t.type;
        replaced.push(`g."_q_a${i}" AS ${quoteIdent(existing.column)}`);
      } else {
        const nf = out.set(a.as, t.type);
        added.push(`g."_q_a${i}" AS ${quoteIdent(nf.column)}`);
      }
    });
    const on = by.length ? by.map((_, i) => `m.${keys[i]} = g."_q_k${i}"`).join(' AND ') : 'TRUE';
    const star = replaced.length ? `m.* REPLACE (${replaced.join(', ')})` : 'm.*';
    b.push(`SELECT ${star}${added.length ? ', ' + added.join(', ') : ''} FROM ${base} AS m LEFT JOIN ${g} AS g ON ${on}`, out, [{ sql: seq, desc: false }]);
  },
};
