import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parseTimeModifier } from '../../time/relative.js';
import { quoteIdent } from '../../store/sql.js';
import type { Builder } from '../builder.js';
import { autoSpan, bucketStart, timeBucketSql } from '../timebins.js';
import type { CommandSpec } from './spec.js';
import { intOpt, optionsAmong, parseTimeSpan, rejectOptions, type Options, type TimeSpan } from './util.js';

interface Args {
  field: Word;
  as?: Word;
  opts: Options;
}

const OPTS = ['span', 'bins', 'minspan', 'start', 'end', 'aligntime'];

/** The offset (seconds) aligntime= gives fixed time spans. */
function alignOffset(b: Builder, opts: Options, span: TimeSpan): number {
  const w = opts.get('aligntime');
  if (!w) return 0;
  let t: number | undefined;
  const v = w.value.toLowerCase();
  if (v === 'earliest') t = b.range.earliest !== undefined ? b.range.earliest / 1e6 : undefined;
  else if (v === 'latest') t = b.range.latest !== undefined ? b.range.latest / 1e6 : undefined;
  else {
    try {
      t = parseTimeModifier(w.value, b.ctx.now, b.ctx.tz) / 1000;
    } catch (e) {
      throw new SplError(`aligntime: ${(e as Error).message}`, w.span);
    }
  }
  if (t === undefined) return 0;
  if (span.unit === 'd' || span.unit === 'w' || span.unit === 'mon' || span.unit === 'q' || span.unit === 'y') {
    throw new SplError('aligntime= works with spans shorter than a day', w.span);
  }
  const s = span.seconds;
  return ((t % s) + s) % s;
}

/** The span a time field gets: span=, or bins=N over the data's (or search's) range. */
export async function timeSpanFor(b: Builder, opts: Options, col: string, dfltBins = 100): Promise<TimeSpan> {
  const sw = opts.get('span');
  if (sw) {
    const span = parseTimeSpan(sw.value);
    if (!span) throw new SplError(`cannot read span "${sw.value}"`, sw.span, 'e.g. span=5m, span=1h, span=1d');
    return span;
  }
  const bins = intOpt(opts, 'bins', dfltBins, 1);
  let lo = b.range.earliest !== undefined ? b.range.earliest / 1e6 : undefined;
  let hi = b.range.latest !== undefined ? b.range.latest / 1e6 : lo !== undefined ? b.ctx.now / 1000 : undefined;
  if (lo === undefined || hi === undefined) {
    const r = await b.ctx.conn.runAndReadAll(`SELECT epoch_us(min(${col})) / 1e6, epoch_us(max(${col})) / 1e6 FROM (${b.sql()})`);
    const [mn, mx] = r.getRowsJS()[0] as [number | null, number | null];
    lo = Number(mn ?? 0);
    hi = Number(mx ?? 0);
  }
  const span = autoSpan(Math.max(0, hi - lo), bins);
  const minspan = opts.get('minspan');
  if (minspan) {
    const m = parseTimeSpan(minspan.value);
    if (!m) throw new SplError(`cannot read minspan "${minspan.value}"`, minspan.span);
    if (m.seconds > span.seconds) return m;
  }
  return span;
}

/** A nice numeric bin width for bins=N over [lo, hi]: a power of ten. */
export function numericSpan(lo: number, hi: number, bins: number): number {
  const range = hi - lo;
  if (!(range > 0)) return 1;
  let span = Math.pow(10, Math.floor(Math.log10(range / bins)));
  while (Math.floor(hi / span) - Math.floor(lo / span) + 1 > bins) span *= 10;
  return span;
}

export const bin: CommandSpec<Args> = {
  name: 'bin',
  aliases: ['bucket', 'discretize'],
  help: 'bin [span=5m|bins=N] [start=] [end=] [aligntime=] field [AS new]: put values into buckets (time: bucket start; numbers: "lo-hi").',
  parse(c) {
    let field: Word | undefined;
    let as: Word | undefined;
    const opts = optionsAmong(c, OPTS, (c) => {
      if (field && c.accept('as', true)) {
        as = c.fieldName();
        if (!as) throw c.error('AS needs a name');
        return 'next';
      }
      if (field) throw c.error(`bin: unexpected "${c.text.slice(c.pos, c.end).split(/\s/)[0]}"`);
      field = c.fieldName();
      if (!field) throw c.error('bin needs a field, e.g. bin _time span=1h');
      return 'next';
    });
    c.done();
    if (!field) throw c.error('bin needs a field, e.g. bin _time span=1h');
    if (opts.get('span')?.value.toLowerCase().includes('log')) throw new SplError('log spans are not supported yet', opts.get('span')!.span);
    return { field, as, opts };
  },
  async compile(a, b) {
    const f = b.schema.get(a.field.value);
    if (!f) return;
    const target = a.as?.value ?? a.field.value;
    const col = quoteIdent(f.column);
    const schema = b.schema.clone();
    let sql: string;
    let type: 'time' | 'str' | 'num';
    if (f.type === 'time') {
      rejectOptions(a.opts, ['start', 'end'], 'bin on _time');
      const span = await timeSpanFor(b, a.opts, col);
      sql = timeBucketSql(col, span, b.ctx.tz, alignOffset(b, a.opts, span));
      type = 'time';
      if (target !== '_time') {
        sql = `epoch_us(${sql}) / 1000000.0`;
        type = 'num';
      }
    } else {
      if (a.opts.has('aligntime')) throw new SplError('aligntime= is for time fields', a.opts.get('aligntime')!.keySpan);
      const x = f.type === 'num' || f.type === 'int' ? `CAST(${col} AS DOUBLE)` : f.type === 'mv' ? `TRY_CAST(${col}[1] AS DOUBLE)` : `TRY_CAST(trim(${col}) AS DOUBLE)`;
      let width: number;
      const sw = a.opts.get('span');
      if (sw) {
        width = Number(sw.value);
        if (!(width > 0)) {
          const ts = parseTimeSpan(sw.value);
          if (!ts) throw new SplError(`cannot read span "${sw.value}"`, sw.span);
          width = ts.seconds;
        }
      } else {
        const bins = intOpt(a.opts, 'bins', 100, 1);
        const r = await b.ctx.conn.runAndReadAll(`SELECT min(${x}), max(${x}) FROM (${b.sql()})`);
        let [lo, hi] = (r.getRowsJS()[0] as [number | null, number | null]).map((v) => (v === null ? 0 : Number(v))) as [number, number];
        if (a.opts.has('start')) lo = Math.min(lo, Number(a.opts.get('start')!.value));
        if (a.opts.has('end')) hi = Math.max(hi, Number(a.opts.get('end')!.value));
        width = numericSpan(lo, hi, bins);
      }
      const digits = Math.max(0, (String(width).split('.')[1] ?? '').length);
      const lo = `round(floor(${x} / ${width}) * ${width}, ${digits})`;
      sql = `CASE WHEN ${x} IS NULL THEN NULL ELSE spl_num_str(${lo}) || '-' || spl_num_str(round(${lo} + ${width}, ${digits})) END`;
      type = 'str';
    }
    const existing = schema.get(target);
    if (existing) {
      existing.type = type;
      b.push(`SELECT * REPLACE (${sql} AS ${quoteIdent(existing.column)}) FROM ${b.from}`, schema);
    } else {
      const nf = schema.set(target, type);
      b.push(`SELECT *, ${sql} AS ${quoteIdent(nf.column)} FROM ${b.from}`, schema);
    }
    void bucketStart;
  },
};
