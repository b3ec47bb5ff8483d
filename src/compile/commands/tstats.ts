/**
 * tstats: statistics over indexed fields or accelerated data models. The whole grammar parses:
 *
 *   | tstats [summariesonly=<bool>] [allow_old_summaries=<bool>] [chunk_size=<n>] [fillnull_value=<s>]
 *            [prestats=<bool>] [local=<bool>] [append=<bool>] [include_reduced_buckets=<bool>]
 *            <aggregate> [AS name] [, ...] [FROM datamodel=<DM>[.<dataset>] | FROM <namespace>]
 *            [WHERE <search expression incl. nodename=..., index=...>] [BY|GROUPBY <fields> [span=<t>]]
 *
 * The plain form over events (`| tstats count where index=x by sourcetype`) runs as a search
 * followed by stats; data model forms are not supported yet (no accelerated summaries).
 */
import type { SearchArgs, SearchNode, Span } from '../../spl/ast.js';
import { Cursor, type Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parseSearch } from '../../spl/search-expr.js';
import { parseAggregate, stats, type Aggregate } from './stats.js';
import { search } from './search.js';
import type { CommandSpec } from './spec.js';

export const TSTATS_OPTIONS = ['summariesonly', 'allow_old_summaries', 'chunk_size', 'fillnull_value', 'prestats', 'local', 'append', 'include_reduced_buckets'] as const;

export interface TstatsArgs {
  options: Map<string, Word>;
  aggs: Aggregate[];
  /** FROM datamodel=Endpoint.Processes → { datamodel: 'Endpoint', dataset: 'Processes' } */
  from?: { datamodel?: string; dataset?: string; namespace?: string; span: Span };
  where?: SearchArgs;
  by: Word[];
  span?: Word;
}

/** The offset of the next top-level keyword (outside quotes, brackets and parentheses), or end. */
export function findKeyword(c: Cursor, words: string[]): number {
  let depth = 0;
  let inQ = false;
  const t = c.text;
  for (let i = c.pos; i < c.end; i++) {
    const ch = t[i]!;
    if (inQ) {
      if (ch === '\\') i++;
      else if (ch === '"') inQ = false;
      continue;
    }
    if (ch === '"') inQ = true;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth === 0 && /\s/.test(t[i - 1] ?? ' ')) {
      for (const w of words) {
        if (t.slice(i, i + w.length).toLowerCase() === w && (i + w.length >= c.end || /[\s(]/.test(t[i + w.length]!))) return i;
      }
    }
  }
  return c.end;
}

export function parseTstats(c: Cursor): TstatsArgs {
  const options = new Map<string, Word>();
  const aggs: Aggregate[] = [];
  const args: TstatsArgs = { options, aggs, by: [] };
  for (;;) {
    for (const [k, v] of c.options(TSTATS_OPTIONS)) options.set(k, v);
    c.skipWs();
    if (c.atEnd() || c.lookingAt('from', true) || c.lookingAt('where', true) || c.lookingAt('by', true) || c.lookingAt('groupby', true)) break;
    if (c.accept(',', false)) continue;
    aggs.push(parseAggregate(c));
  }
  if (!aggs.length && options.get('prestats')?.value.toLowerCase() !== 't' && options.get('prestats')?.value.toLowerCase() !== 'true') {
    throw c.error('tstats needs at least one function, e.g. | tstats count where index=main by sourcetype');
  }
  for (;;) {
    c.skipWs();
    if (c.atEnd()) break;
    const kwStart = c.pos;
    if (c.accept('from', true)) {
      if (args.from) throw new SplError('tstats: FROM given twice', { start: kwStart, end: c.pos });
      c.skipWs();
      const w = c.word('()[]|,');
      if (!w) throw c.error('FROM needs datamodel=<name> or a namespace');
      const m = /^datamodel\s*[=:]\s*(.*)$/i.exec(w.value);
      let dm = m ? m[1]! : undefined;
      if (m && dm === '') {
        const next = c.word('()[]|,');
        if (!next) throw c.error('datamodel= needs a data model name');
        dm = next.value;
      }
      if (dm !== undefined) {
        const dot = dm.indexOf('.');
        args.from = { datamodel: dot < 0 ? dm : dm.slice(0, dot), dataset: dot < 0 ? undefined : dm.slice(dot + 1), span: { start: kwStart, end: c.pos } };
      } else args.from = { namespace: w.value, span: { start: kwStart, end: c.pos } };
      continue;
    }
    if (c.accept('where', true)) {
      const stop = findKeyword(c, ['by', 'groupby', 'from']);
      const sub = new Cursor(c.text, c.pos, stop, 'tstats where', c.subparse);
      const where = parseSearch(sub);
      args.where = args.where ? { ...where, node: { kind: 'and', items: [args.where.node, where.node], span: where.node.span } as SearchNode } : where;
      c.pos = stop;
      continue;
    }
    if (c.accept('by', true) || c.accept('groupby', true)) {
      for (;;) {
        const opt = c.options(['span']);
        if (opt.has('span')) args.span = opt.get('span');
        c.skipWs();
        if (c.atEnd() || c.lookingAt('where', true) || c.lookingAt('from', true)) break;
        if (c.accept(',', false)) continue;
        const f = c.fieldName(true);
        if (!f) break;
        args.by.push(f);
      }
      if (!args.by.length) throw c.error('by needs at least one field');
      continue;
    }
    // options may also come after the functions (`tstats count where ... by x span=1h`, `prestats=t` late)
    const opts = c.options([...TSTATS_OPTIONS, 'span']);
    if (opts.size) {
      for (const [k, v] of opts) (k === 'span' ? (args.span = v) : options.set(k, v));
      continue;
    }
    break;
  }
  c.done();
  return args;
}

export const tstats: CommandSpec<TstatsArgs> = {
  name: 'tstats',
  generating: true,
  help: 'tstats <fn>(field) ... [FROM datamodel=DM.Dataset] [WHERE search] [BY fields [span=...]]: statistics over indexed fields.',
  parse: parseTstats,
  async compile(args, b, cmd) {
    if (args.from) {
      throw new SplError('tstats FROM datamodel=... is not supported yet (Quarry has no accelerated data models)', cmd.nameSpan.end > cmd.nameSpan.start ? cmd.nameSpan : args.from.span, 'search the events and use stats instead');
    }
    if (args.span) throw new SplError('tstats ... span= is not supported yet', args.span.span, 'bin _time first: ... | bin _time span=1h | stats ...');
    for (const k of ['prestats', 'append'] as const) {
      const v = args.options.get(k)?.value.toLowerCase();
      if (v === 't' || v === 'true' || v === '1') throw new SplError(`tstats ${k}=true is not supported yet`, args.options.get(k)!.span);
    }
    if (b.started) throw new SplError('tstats must start the search (| tstats ...)', cmd.nameSpan);
    const where: SearchArgs = args.where ?? { node: { kind: 'all', span: cmd.span } };
    await search.compile(where, b, cmd as never);
    await stats.compile({ aggs: args.aggs, by: args.by, options: new Map() }, b, cmd as never);
  },
};
