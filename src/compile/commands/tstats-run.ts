/**
 * tstats in its simple form: `| tstats <aggs> [where index=... sourcetype=... host=... source=...]
 * [by index, sourcetype, host, source, _time [span=...]]` over the sourcetype tables. The data-model
 * grammar (from datamodel=..., summariesonly, nodename) is not handled here: compileSimpleTstats is
 * exported so a fuller grammar can hand its simple cases to it.
 */
import type { SearchArgs, SearchNode } from '../../spl/ast.js';
import type { Cursor, Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parseSearch } from '../../spl/search-expr.js';
import type { Builder } from '../builder.js';
import { bin } from './bin.js';
import { search } from './search.js';
import type { CommandSpec } from './spec.js';
import { parseAggregate, stats, type Aggregate } from './stats.js';
import type { Options } from './util.js';

export interface SimpleTstats {
  aggs: Aggregate[];
  where?: SearchArgs;
  by: Word[];
  span?: Word & { keySpan: { start: number; end: number } };
  opts: Options;
}

const INDEXED = new Set(['index', 'sourcetype', 'host', 'source', '_time', 'splunk_server']);
const OPTS = ['summariesonly', 'allow_old_summaries', 'fillnull_value', 'prestats', 'local', 'append', 'chunk_size', 'include_reduced_buckets'];

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
      if (!INDEXED.has(n.field.toLowerCase())) throw new SplError(`tstats: "${n.field}" is not an indexed field (index, sourcetype, host, source, _time)`, n.span, 'filter on other fields with a normal search');
      return;
    case 'term':
      return;
    case 'subsearch':
      throw new SplError('tstats: subsearches in where are not supported yet', n.span);
    default:
      return;
  }
}

export function parseSimpleTstats(c: Cursor): SimpleTstats {
  const opts = c.options(OPTS);
  for (const k of ['prestats', 'append', 'local', 'chunk_size', 'include_reduced_buckets', 'fillnull_value']) {
    const w = opts.get(k);
    if (w) throw new SplError(`tstats: option ${k}= is not supported yet`, w.keySpan);
  }
  const aggs: Aggregate[] = [];
  for (;;) {
    c.skipWs();
    if (c.atEnd() || c.lookingAt('where', true) || c.lookingAt('by', true) || c.lookingAt('from', true)) break;
    if (c.accept(',', false)) continue;
    aggs.push(parseAggregate(c));
  }
  if (!aggs.length) throw c.error('tstats needs a function, e.g. tstats count where index=main by sourcetype');
  if (c.lookingAt('from', true)) throw c.error('tstats from datamodel= is not supported yet', undefined, 'only the simple form over indexed fields runs');
  let where: SearchArgs | undefined;
  let by: Word[] = [];
  let span: SimpleTstats['span'];
  if (c.accept('where', true)) {
    // the where clause runs up to a top-level "by"
    const save = c.end;
    const text = c.text.slice(c.pos, c.end);
    const m = /\s(by)\s/i.exec(text);
    const end = m ? c.pos + m.index : c.end;
    (c as { end: number }).end = end;
    where = parseSearch(c);
    (c as { end: number }).end = save;
    c.pos = end;
    checkIndexed(where.node);
  }
  if (c.accept('by', true)) {
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      if (c.accept(',', false)) continue;
      const o = c.options(['span']);
      if (o.has('span')) {
        span = o.get('span');
        continue;
      }
      const f = c.fieldName();
      if (!f) throw c.error('by needs field names');
      if (!INDEXED.has(f.value.toLowerCase())) throw new SplError(`tstats: "${f.value}" is not an indexed field`, f.span, 'by index, sourcetype, host, source or _time');
      by.push(f);
    }
  }
  c.done();
  for (const a of aggs) if (a.field && !INDEXED.has(a.field.toLowerCase())) throw new SplError(`tstats: "${a.field}" is not an indexed field`, a.span);
  if (span && !by.some((w) => w.value === '_time')) throw new SplError('span= needs _time among the by fields', span.keySpan);
  return { aggs, where, by, span, opts };
}

export async function compileSimpleTstats(a: SimpleTstats, b: Builder): Promise<void> {
  if (b.started) throw new SplError('tstats must start the search', { start: 0, end: 0 });
  const all: SearchArgs = a.where ?? { node: { kind: 'all', span: { start: 0, end: 0 } } };
  await search.compile(all, b, undefined as never);
  if (a.by.some((w) => w.value === '_time')) {
    const opts: Options = new Map();
    if (a.span) opts.set('span', a.span as never);
    await bin.compile({ field: { value: '_time', quoted: false, span: { start: 0, end: 0 } }, opts }, b, undefined as never);
  }
  await stats.compile({ aggs: a.aggs, by: a.by, options: new Map() }, b, undefined as never);
}

export const tstats: CommandSpec<SimpleTstats> = {
  name: 'tstats',
  generating: true,
  help: '| tstats count [where index=... sourcetype=...] [by index, sourcetype, host, source, _time span=1h]: fast counts over indexed fields.',
  parse: parseSimpleTstats,
  compile: compileSimpleTstats,
};
