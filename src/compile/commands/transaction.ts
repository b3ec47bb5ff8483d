import type { Expr, SearchNode, Span } from '../../spl/ast.js';
import { Cursor, type Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parseExpr } from '../../spl/expr.js';
import { parseSearch } from '../../spl/search-expr.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import { compileExpr } from '../expr.js';
import { tsOperator, valuesOf } from '../rows.js';
import { compileSearchNode } from '../search.js';
import { toBool } from '../typed.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, intOpt, parseTimeSpan, rejectOptions, type Options } from './util.js';

type Cond = { kind: 'eval'; expr: Expr; span: Span } | { kind: 'search'; node: SearchNode; span: Span };

interface Args {
  fields: Word[];
  opts: Options;
  startswith?: Cond;
  endswith?: Cond;
}

const OPTS = ['maxspan', 'maxpause', 'maxevents', 'keepevicted', 'mvlist', 'delim', 'connected', 'unifyends', 'keeporphans', 'mvraw', 'nullstr', 'maxopentxn', 'maxopenevents', 'name'];

function searchCond(text: string, span: Span): Cond {
  const c = new Cursor(text, 0, text.length, 'transaction', () => {
    throw new SplError('no subsearch in startswith/endswith', span);
  });
  try {
    return { kind: 'search', node: parseSearch(c).node, span };
  } catch (e) {
    if (e instanceof SplError) throw new SplError(`in ${text}: ${e.message}`, span);
    throw e;
  }
}

function parseCond(c: Cursor): Cond {
  c.skipWs();
  const start = c.pos;
  if (/^eval\s*\(/i.test(c.text.slice(c.pos, c.end))) {
    c.accept('eval', true);
    c.expect('(');
    const expr = parseExpr(c);
    c.expect(')', ') to close eval(');
    return { kind: 'eval', expr, span: { start, end: c.pos } };
  }
  if (c.peek() === '"') {
    const q = c.quoted();
    return searchCond(q.value, q.span);
  }
  if (c.peek() === '(') {
    let depth = 0;
    let i = c.pos;
    for (; i < c.end; i++) {
      if (c.text[i] === '(') depth++;
      else if (c.text[i] === ')' && --depth === 0) break;
    }
    const text = c.text.slice(c.pos + 1, i);
    c.pos = i + 1;
    return searchCond(text, { start, end: c.pos });
  }
  const w = c.word();
  if (!w) throw c.error('expected a search, (search) or eval(condition)');
  return searchCond(w.value, w.span);
}

export const transaction: CommandSpec<Args> = {
  name: 'transaction',
  help: 'transaction [field ...] [maxspan=] [maxpause=] [maxevents=1000] [startswith=] [endswith=] [keepevicted=f]: group events into transactions.',
  parse(c) {
    const opts: Options = new Map();
    const fields: Word[] = [];
    let startswith: Cond | undefined;
    let endswith: Cond | undefined;
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      if (c.accept(',', false)) continue;
      const m = /^(startswith|endswith)\s*=\s*/i.exec(c.text.slice(c.pos, c.end));
      if (m) {
        c.pos += m[0].length;
        const cond = parseCond(c);
        if (m[1]!.toLowerCase() === 'startswith') startswith = cond;
        else endswith = cond;
        continue;
      }
      const o = c.options(OPTS);
      for (const [k, v] of o) opts.set(k, v);
      if (o.size) continue;
      const u = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
      if (u) throw c.error(`transaction: unknown option ${u[1]}=`, { start: c.pos, end: c.pos + u[1]!.length }, `options: ${OPTS.join(', ')}, startswith, endswith`);
      const f = c.fieldName();
      if (!f) throw c.error('transaction: expected a field name or option');
      fields.push(f);
    }
    c.done();
    rejectOptions(opts, ['unifyends', 'keeporphans', 'mvraw', 'maxopentxn', 'maxopenevents', 'name'], 'transaction');
    if (opts.has('connected') && !boolOpt(opts, 'connected', true)) throw new SplError('connected=false is not supported yet', opts.get('connected')!.span);
    for (const k of ['maxspan', 'maxpause']) {
      const w = opts.get(k);
      if (w && w.value !== '-1' && !parseTimeSpan(w.value)) throw new SplError(`cannot read ${k}="${w.value}"`, w.span, 'e.g. 30s, 5m, 1h, 1d');
    }
    return { fields, opts, startswith, endswith };
  },
  async compile(a, b) {
    const spanOf = (k: string) => {
      const w = a.opts.get(k);
      if (!w || w.value === '-1') return Infinity;
      return parseTimeSpan(w.value)!.seconds;
    };
    const maxspan = spanOf('maxspan');
    const maxpause = spanOf('maxpause');
    const maxevents = intOpt(a.opts, 'maxevents', 1000, -1);
    const keepevicted = boolOpt(a.opts, 'keepevicted', false);
    const mvlist = boolOpt(a.opts, 'mvlist', false);
    const delim = a.opts.get('delim')?.value ?? ' ';
    void delim;
    // the start/end conditions become columns, then the grouping runs over the rows
    const condCol = (cond: Cond | undefined, name: string) => {
      if (!cond) return;
      let sql: string;
      if (cond.kind === 'eval') {
        const t = compileExpr(cond.expr, { schema: b.schema, tz: b.ctx.tz, now: b.ctx.now });
        if (t.type !== 'bool') throw new SplError(`${name} eval() needs a condition`, cond.span);
        sql = `coalesce(${toBool(t)}, FALSE)`;
      } else sql = `coalesce(${compileSearchNode(cond.node, { schema: b.schema, subsearches: new Map() })}, FALSE)`;
      const schema = b.schema.clone();
      schema.set(`_qtx_${name}`, 'str').column = `_qtx_${name}`;
      b.push(`SELECT *, CASE WHEN ${sql} THEN 'y' END AS "_qtx_${name}" FROM ${b.from}`, schema);
    };
    condCol(a.startswith, 'start');
    condCol(a.endswith, 'end');
    const keys = a.fields.map((w) => w.value);
    await tsOperator(b, (fields, rows) => {
      const names = fields.map((f) => f.name).filter((n) => n !== '_qtx_start' && n !== '_qtx_end');
      const t = (r: Row) => (typeof r._time === 'number' ? r._time : 0);
      const sorted = rows.map((r, i) => ({ r, i })).sort((p, q) => t(p.r) - t(q.r) || q.i - p.i).map((x) => x.r);
      interface Txn {
        events: Row[];
        closed: boolean;
      }
      const done: Txn[] = [];
      const open = new Map<string, Txn>();
      const finish = (key: string, closed: boolean) => {
        const tx = open.get(key);
        if (!tx) return;
        open.delete(key);
        tx.closed = closed || !a.endswith;
        done.push(tx);
      };
      for (const r of sorted) {
        const vals = keys.map((k) => valuesOf(r[k]));
        if (vals.some((v) => !v.length)) continue;
        const key = JSON.stringify(vals);
        let tx = open.get(key);
        const isStart = r._qtx_start !== undefined;
        const isEnd = r._qtx_end !== undefined;
        if (tx) {
          const first = t(tx.events[0]!);
          const last = t(tx.events[tx.events.length - 1]!);
          if ((a.startswith && isStart) || t(r) - first > maxspan || t(r) - last > maxpause || (maxevents > 0 && tx.events.length >= maxevents)) {
            finish(key, false);
            tx = undefined;
          }
        }
        if (!tx) {
          if (a.startswith && !isStart) continue;
          tx = { events: [], closed: false };
          open.set(key, tx);
        }
        tx.events.push(r);
        if (isEnd) finish(key, true);
      }
      for (const key of [...open.keys()]) finish(key, false);
      const out: Row[] = [];
      for (const tx of done) {
        if (!tx.closed && !keepevicted) continue;
        const merged: Row = {};
        for (const n of names) {
          if (n === '_time' || n === '_raw') continue;
          const seen: string[] = [];
          for (const e of tx.events) for (const v of valuesOf(e[n])) if (mvlist || !seen.includes(v)) seen.push(v);
          if (seen.length) merged[n] = seen.length === 1 ? seen[0] : mvlist ? seen : [...seen].sort();
        }
        const first = t(tx.events[0]!);
        const last = t(tx.events[tx.events.length - 1]!);
        merged._time = first;
        const raws = tx.events.map((e) => e._raw).filter((x) => x !== undefined);
        if (raws.length) merged._raw = raws.join('\n');
        merged.duration = last - first;
        merged.eventcount = tx.events.length;
        merged.closed_txn = tx.closed ? 1 : 0;
        out.push(merged);
      }
      out.sort((p, q) => t(q) - t(p));
      const outNames = [...names, 'duration', 'eventcount', 'closed_txn'].filter((n, i, arr) => arr.indexOf(n) === i);
      return {
        fields: outNames.map((n) => (n === '_time' ? { name: n, type: 'time' as const } : n === 'duration' || n === 'eventcount' || n === 'closed_txn' ? { name: n, type: 'num' as const } : n)),
        rows: out,
      };
    });
    void (null as unknown as Builder);
  },
};
