/**
 * tstats: statistics over indexed fields or accelerated data models. The whole grammar parses:
 *
 *   | tstats [summariesonly=<bool>] [allow_old_summaries=<bool>] [chunk_size=<n>] [fillnull_value=<s>]
 *            [prestats=<bool>] [local=<bool>] [append=<bool>] [include_reduced_buckets=<bool>]
 *            <aggregate> [AS name] [, ...] [FROM datamodel=<DM>[.<dataset>] | FROM <namespace>]
 *            [WHERE <search expression incl. nodename=..., index=...>] [BY|GROUPBY <fields> [span=<t>]]
 *
 * The simple form over indexed fields (`| tstats count where index=x by sourcetype, _time span=1h`)
 * runs as a search, a bin of _time and stats; data model forms (FROM datamodel=..., fields named
 * `Dataset.field`) parse fully and fail at compile with "not supported yet" (no accelerated
 * summaries in Quarry).
 */
import type { Command, SearchArgs, SearchNode, Span } from '../../spl/ast.js';
import { Cursor, type Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parseSearch } from '../../spl/search-expr.js';
import type { Builder } from '../builder.js';
import { bin } from './bin.js';
import { parseAggregate, stats, type Aggregate } from './stats.js';
import { search } from './search.js';
import type { CommandSpec } from './spec.js';
import type { Options } from './util.js';

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

const INDEXED = new Set(['index', 'sourcetype', 'host', 'source', '_time', 'splunk_server']);

/** The simple form filters on indexed fields only. */
function checkIndexed(n: SearchNode): void {
  switch (n.kind) {
    case 'and':
    case 'or':
      n.items.forEach(checkIndexed);
      return;
    case 'not':
      checkIndexed(n.item);
      return;
    case 'compare':
    case 'in':
      if (n.field.toLowerCase() === 'nodename') throw new SplError('tstats nodename= (data model nodes) is not supported yet', n.span);
      if (!INDEXED.has(n.field.toLowerCase())) throw new SplError(`tstats: "${n.field}" is not an indexed field (index, sourcetype, host, source, _time)`, n.span, 'filter on other fields with a normal search');
      return;
    case 'subsearch':
      throw new SplError('tstats: subsearches in where are not supported yet', n.span);
    default:
      return;
  }
}

/** Run the simple form: search on the indexed fields, bin _time when grouped by it, then stats. */
export async function compileSimpleTstats(a: TstatsArgs, b: Builder, cmd: Command): Promise<void> {
  if (b.started) throw new SplError('tstats must start the search (| tstats ...)', cmd.nameSpan);
  for (const k of ['prestats', 'append', 'local', 'chunk_size', 'include_reduced_buckets', 'fillnull_value'] as const) {
    const w = a.options.get(k);
    // the summary options mean nothing without data models; these change the output and are not done
    if (w && ['prestats', 'append'].includes(k) && /^(t|true|1|yes)$/i.test(w.value)) throw new SplError(`tstats ${k}=true is not supported yet`, w.span);
  }
  if (a.where) checkIndexed(a.where.node);
  for (const f of a.by) if (!INDEXED.has(f.value.toLowerCase())) throw new SplError(`tstats: "${f.value}" is not an indexed field`, f.span, 'by index, sourcetype, host, source or _time');
  for (const g of a.aggs) if (g.field && !INDEXED.has(g.field.toLowerCase())) throw new SplError(`tstats: "${g.field}" is not an indexed field`, g.span);
  if (a.span && !a.by.some((w) => w.value === '_time')) throw new SplError('span= needs _time among the by fields', a.span.span);
  const all: SearchArgs = a.where ?? { node: { kind: 'all', span: cmd.span } };
  await search.compile(all, b, cmd as never);
  if (a.by.some((w) => w.value === '_time')) {
    const opts: Options = new Map();
    if (a.span) opts.set('span', { ...a.span, keySpan: a.span.span });
    await bin.compile({ field: { value: '_time', quoted: false, span: cmd.nameSpan }, opts }, b, cmd as never);
  }
  await stats.compile({ aggs: a.aggs, by: a.by, options: new Map() }, b, cmd as never);
}

export const tstats: CommandSpec<TstatsArgs> = {
  name: 'tstats',
  generating: true,
  help: '| tstats <fn>(field) ... [FROM datamodel=DM.Dataset] [WHERE search] [BY fields [span=...]]: statistics over indexed fields (data models: not supported yet).',
  parse: parseTstats,
  async compile(args, b, cmd) {
    if (args.from) {
      const f = args.from;
      const msg = f.datamodel !== undefined ? `tstats from datamodel= is not supported yet (${f.datamodel}${f.dataset ? '.' + f.dataset : ''}: Quarry has no accelerated data models)` : `tstats from ${f.namespace} is not supported yet`;
      throw new SplError(msg, cmd.nameSpan, 'search the events and use stats instead');
    }
    await compileSimpleTstats(args, b, cmd);
  },
};
