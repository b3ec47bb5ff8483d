import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import type { CommandSpec } from './spec.js';
import { sort } from './sort.js';
import { boolOpt, leadingCount, optionsAmong, rejectOptions, type Options } from './util.js';

interface Args {
  n: number;
  fields: Word[];
  opts: Options;
  sortby?: ReturnType<typeof sort.parse>;
}

const OPTS = ['keepevents', 'keepempty', 'consecutive'];

/** dedup: keep the first N results of each combination of the fields' values, in current order. */
export const dedup: CommandSpec<Args> = {
  name: 'dedup',
  help: 'dedup [N] field ... [keepempty=f] [consecutive=f] [sortby [+|-]field ...]: drop results whose field values were already seen.',
  parse(c) {
    let n = 1;
    const fields: Word[] = [];
    let sortby: Args['sortby'];
    const opts = optionsAmong(c, OPTS, (c) => {
      if (c.accept(',', false)) return 'next';
      if (c.lookingAt('sortby', true)) {
        c.accept('sortby', true);
        sortby = sort.parse(c);
        return 'stop';
      }
      const count = fields.length ? undefined : leadingCount(c);
      if (count) {
        n = Number(count.value);
        return 'next';
      }
      const f = c.fieldName(false);
      if (!f) return 'stop';
      fields.push(f);
      return 'next';
    });
    c.done();
    if (!fields.length) throw c.error('dedup needs at least one field');
    if (n < 1) throw c.error('dedup count must be at least 1');
    rejectOptions(opts, ['keepevents'], 'dedup');
    return { n, fields, opts, sortby };
  },
  async compile(a, b) {
    const keepempty = boolOpt(a.opts, 'keepempty', false);
    const consecutive = boolOpt(a.opts, 'consecutive', false);
    for (const w of a.fields) if (w.value.includes('*')) throw new SplError('dedup does not take wildcards', w.span);
    const present = a.fields.map((w) => w.value).filter((f) => b.schema.has(f));
    if (present.length < a.fields.length) {
      // a field no row has: every row has a null in it
      if (!keepempty) b.push(`SELECT * FROM ${b.from} WHERE FALSE`, b.schema);
    } else {
      const seq = b.ensureSeq();
      const keys = present.map((f) => b.schema.col(f));
      const anyNull = keys.map((k) => `${k} IS NULL`).join(' OR ');
      const schema = b.schema.clone();
      schema.set('_q_rn', 'int').column = '_q_rn';
      if (consecutive) {
        const same = keys.map((k) => `${k} IS NOT DISTINCT FROM lag(${k}) OVER (ORDER BY ${seq})`).join(' AND ');
        b.push(`SELECT *, CASE WHEN (${anyNull}) THEN 1 WHEN row_number() OVER (ORDER BY ${seq}) > 1 AND ${same} THEN 2 ELSE 1 END AS "_q_rn" FROM ${b.from}`, schema);
      } else {
        b.push(`SELECT *, CASE WHEN (${anyNull}) THEN 1 ELSE row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${seq}) END AS "_q_rn" FROM ${b.from}`, schema);
      }
      const out = schema.clone();
      out.remove('_q_rn');
      const cond = `"_q_rn" <= ${consecutive ? 1 : a.n}${keepempty ? '' : ` AND NOT (${anyNull})`}`;
      b.push(`SELECT * EXCLUDE ("_q_rn") FROM ${b.from} WHERE ${cond}`, out);
    }
    if (a.sortby) await sort.compile({ ...a.sortby, limit: 0 }, b, undefined as never);
  },
};
