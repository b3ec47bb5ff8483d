/** Small pieces several command grammars share. */
import type { Pipeline, Span } from '../../spl/ast.js';
import type { Cursor, Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import type { Field } from '../schema.js';
import { readCurrent } from '../rows.js';

export type Options = Map<string, Word & { keySpan: Span }>;

/** Splunk booleans: t/true/1/yes and f/false/0/no. */
export function boolOpt(opts: Options, key: string, dflt: boolean): boolean {
  const w = opts.get(key);
  if (!w) return dflt;
  const v = w.value.toLowerCase();
  if (['t', 'true', '1', 'yes', 'y'].includes(v)) return true;
  if (['f', 'false', '0', 'no', 'n'].includes(v)) return false;
  throw new SplError(`${key}= takes true or false`, w.span, `e.g. ${key}=false`);
}

export function intOpt(opts: Options, key: string, dflt: number, min = 0): number {
  const w = opts.get(key);
  if (!w) return dflt;
  if (!/^-?\d+$/.test(w.value) || Number(w.value) < min) throw new SplError(`${key}= takes a whole number${min > 0 ? ` of at least ${min}` : ''}`, w.span);
  return Number(w.value);
}

/**
 * Options Splunk documents that Quarry does not implement: present → an error at the option, never
 * silently ignored.
 */
export function rejectOptions(opts: Options, keys: string[], command: string): void {
  for (const k of keys) {
    const w = opts.get(k);
    if (w) throw new SplError(`${command}: option ${k}= is not supported yet`, { start: w.keySpan.start, end: w.span.end }, `remove ${k}=`);
  }
}

/** Options anywhere before the positional arguments, in any order, all names from `allowed`. */
export function options(c: Cursor, allowed: readonly string[]): Options {
  return c.options(allowed);
}

/**
 * The argument loop of commands whose options may stand anywhere among their other arguments
 * (dedup, top, rare, bin, rex, makemv/mvexpand/nomv): options are collected as they come; anything else is read by
 * `arg` (a count, a field, a keyword clause...), which says whether to go on or stop there. A
 * `name=` that is not an option is an error that lists the options.
 */
export function optionsAmong(c: Cursor, allowed: readonly string[], arg: (c: Cursor, opts: Options) => 'next' | 'stop'): Options {
  const opts: Options = new Map();
  for (;;) {
    c.skipWs();
    if (c.atEnd()) break;
    const o = c.options(allowed);
    for (const [k, v] of o) opts.set(k, v);
    if (o.size) continue;
    const m = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
    if (m) throw c.error(`${c.command}: unknown option ${m[1]}=`, { start: c.pos, end: c.pos + m[1]!.length }, allowed.length ? `options: ${allowed.join(', ')}` : undefined);
    if (arg(c, opts) === 'stop') break;
  }
  return opts;
}

/** A leading count (`dedup 3 f`, `top 5 f`): the number and its span, consumed. */
export function leadingCount(c: Cursor): { value: string; span: Span } | undefined {
  const num = /^\d+(?=\s|$)/.exec(c.text.slice(c.pos, c.end));
  if (!num) return undefined;
  const span = { start: c.pos, end: c.pos + num[0].length };
  c.pos = span.end;
  return { value: num[0], span };
}

/** Any `name=value` left that is not a known option: a clear error rather than a field name. */
export function unknownOption(c: Cursor, allowed: readonly string[]): void {
  c.skipWs();
  const m = /^([A-Za-z_][\w]*)\s*=/.exec(c.text.slice(c.pos, c.end));
  if (m && !allowed.includes(m[1]!.toLowerCase())) {
    throw new SplError(`${c.command}: unknown option ${m[1]}=`, { start: c.pos, end: c.pos + m[1]!.length }, allowed.length ? `options: ${allowed.join(', ')}` : undefined);
  }
}

/** A `[ subsearch ]` argument, parsed. */
export function subsearch(c: Cursor): { pipeline: Pipeline; span: Span } {
  const br = c.bracket();
  return { pipeline: c.subparse(br.start, br.end), span: br.span };
}

/** Run a nested pipeline on the same connection and read its rows (time fields in epoch seconds). */
export async function runSub(b: Builder, p: Pipeline, maxout = 50000): Promise<{ fields: Field[]; rows: Row[] }> {
  const sb = await b.ctx.compilePipeline(p);
  const res = await readCurrent(sb);
  if (res.rows.length > maxout) res.rows.length = maxout;
  return res;
}

/** A time span: `30s`, `5m`, `1h`, `1d`, `1w`, `1mon`, `1y`, plain number = seconds. */
export interface TimeSpan {
  n: number;
  unit: 's' | 'ms' | 'm' | 'h' | 'd' | 'w' | 'mon' | 'q' | 'y';
  /** length in seconds for fixed units (months/years approximate, for sorting only) */
  seconds: number;
}

const UNIT_ALIASES: Record<string, TimeSpan['unit']> = {
  ms: 'ms', s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd', w: 'w', week: 'w', weeks: 'w',
  mon: 'mon', month: 'mon', months: 'mon', q: 'q', qtr: 'q', qtrs: 'q', quarter: 'q', quarters: 'q',
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y',
};
const UNIT_SECONDS: Record<TimeSpan['unit'], number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, mon: 2592000, q: 7776000, y: 31536000 };

export function parseTimeSpan(text: string): TimeSpan | undefined {
  const m = /^(\d+(?:\.\d+)?)?\s*([a-z]+)?$/i.exec(text.trim());
  if (!m || (!m[1] && !m[2])) return undefined;
  const n = m[1] ? Number(m[1]) : 1;
  const unit = m[2] ? UNIT_ALIASES[m[2].toLowerCase()] : 's';
  if (!unit || !(n > 0)) return undefined;
  return { n, unit, seconds: n * UNIT_SECONDS[unit] };
}

/** Parse a simple `field=value`-free word list until the end, e.g. positional field names. */
export function restFields(c: Cursor, wild = true): Word[] {
  const list = c.fieldList([], wild);
  return list;
}
