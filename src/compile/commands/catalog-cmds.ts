/** Generating commands over the catalog: eventcount and metadata. */
import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { quoteIdent } from '../../store/sql.js';
import type { CatalogEntry } from '../../store/types.js';
import { loadRows } from '../rows.js';
import { wildcardRegExp } from '../schema.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, rejectOptions, type Options } from './util.js';

interface CatArgs {
  indexes: Word[];
  opts: Options;
}

function parseCat(allowed: string[]) {
  return (c: import('../../spl/cursor.js').Cursor): CatArgs => {
    const indexes: Word[] = [];
    const opts: Options = new Map();
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      const m = /^index\s*=\s*/i.exec(c.text.slice(c.pos, c.end));
      if (m) {
        c.pos += m[0].length;
        const w = c.word('()[]|,');
        if (!w) throw c.error('index= needs a name');
        indexes.push(w);
        continue;
      }
      const o = c.options(allowed);
      for (const [k, v] of o) opts.set(k, v);
      if (o.size) continue;
      const u = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
      if (u) throw c.error(`${c.command}: unknown option ${u[1]}=`, { start: c.pos, end: c.pos + u[1]!.length }, `options: index, ${allowed.join(', ')}`);
      throw c.error(`${c.command}: unexpected "${c.text.slice(c.pos, c.end).split(/\s/)[0]}"`);
    }
    c.done();
    return { indexes, opts };
  };
}

function inScope(catalog: CatalogEntry[], indexes: Word[]): CatalogEntry[] {
  if (!indexes.length) return catalog;
  const res = indexes.map((w) => wildcardRegExp(w.value.toLowerCase()));
  return catalog.filter((e) => res.some((r) => r.test(e.index.toLowerCase())));
}

export const eventcount: CommandSpec<CatArgs> = {
  name: 'eventcount',
  generating: true,
  help: '| eventcount [index=name ...] [summarize=t]: the number of events (per index with summarize=false).',
  parse: parseCat(['summarize', 'report_size', 'list_vix']),
  async compile(a, b) {
    rejectOptions(a.opts, ['list_vix'], 'eventcount');
    if (b.started) throw new SplError('eventcount must start the search', { start: 0, end: 0 });
    const summarize = boolOpt(a.opts, 'summarize', true);
    const entries = inScope(b.ctx.catalog, a.indexes);
    if (summarize) {
      const count = entries.reduce((n, e) => n + e.eventCount, 0);
      await loadRows(b, [{ name: 'count', type: 'num' }], [{ count }]);
    } else {
      const per = new Map<string, number>();
      for (const e of entries) per.set(e.index, (per.get(e.index) ?? 0) + e.eventCount);
      const rows = [...per.keys()].sort().map((index) => ({ count: per.get(index)!, index, server: 'local' }));
      await loadRows(b, [{ name: 'count', type: 'num' }, { name: 'index', type: 'str' }, { name: 'server', type: 'str' }], rows);
    }
    b.transforming = true;
  },
};

export const metadata: CommandSpec<CatArgs> = {
  name: 'metadata',
  generating: true,
  help: '| metadata type=hosts|sources|sourcetypes [index=name ...]: first/last time and count of each host, source or sourcetype.',
  parse(c) {
    const a = parseCat(['type', 'splunk_server', 'splunk_server_group', 'datatype'])(c);
    const t = a.opts.get('type');
    if (!t) throw c.error('metadata needs type=hosts, type=sources or type=sourcetypes');
    if (!['hosts', 'sources', 'sourcetypes'].includes(t.value.toLowerCase())) throw new SplError('type= is hosts, sources or sourcetypes', t.span);
    rejectOptions(a.opts, ['splunk_server', 'splunk_server_group', 'datatype'], 'metadata');
    return a;
  },
  async compile(a, b) {
    if (b.started) throw new SplError('metadata must start the search', { start: 0, end: 0 });
    const type = a.opts.get('type')!.value.toLowerCase();
    const field = type.slice(0, -1); // host, source, sourcetype
    const entries = inScope(b.ctx.catalog, a.indexes).filter((e) => e.table);
    const agg = new Map<string, { first: number; last: number; n: number }>();
    const add = (k: string, first: number, last: number, n: number) => {
      const g = agg.get(k);
      if (!g) agg.set(k, { first, last, n });
      else {
        g.first = Math.min(g.first, first);
        g.last = Math.max(g.last, last);
        g.n += n;
      }
    };
    if (field === 'sourcetype') {
      for (const e of entries) add(e.sourcetype, (e.earliest ?? 0) / 1e6, (e.latest ?? 0) / 1e6, e.eventCount);
    } else {
      for (const e of entries) {
        const r = await b.ctx.conn.runAndReadAll(
          `SELECT ${quoteIdent(field)}, epoch_us(min("_time")) / 1e6, epoch_us(max("_time")) / 1e6, count(*) FROM ${quoteIdent(e.table)} WHERE "index" = $1 GROUP BY 1`,
          [e.index],
        );
        for (const row of r.getRowsJS()) if (row[0] !== null) add(String(row[0]), Number(row[1]), Number(row[2]), Number(row[3]));
      }
    }
    const rows = [...agg.keys()].sort().map((k) => {
      const g = agg.get(k)!;
      return { firstTime: g.first, lastTime: g.last, recentTime: g.last, [field]: k, totalCount: g.n, type };
    });
    await loadRows(
      b,
      [
        { name: 'firstTime', type: 'num' },
        { name: 'lastTime', type: 'num' },
        { name: 'recentTime', type: 'num' },
        { name: field, type: 'str' },
        { name: 'totalCount', type: 'num' },
        { name: 'type', type: 'str' },
      ],
      rows,
    );
    b.transforming = true;
  },
};
