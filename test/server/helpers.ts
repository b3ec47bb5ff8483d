/**
 * Test helpers for the workbench server: a temp data dir with a few JSON-lines events ingested
 * through the real ingest path, and a tiny stand-in SPL engine (index=, sourcetype=,
 * `| stats count by F`, and `slow` for a query that runs until interrupted) so the job
 * mechanics are tested apart from the compiler.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ingestPaths } from '../../src/ingest/index.js';
import { Store, quoteIdent } from '../../src/store/index.js';
import type { CompiledSearch, OutField, Row, SearchEngine } from '../../src/search/job.js';
import { tempDir } from '../util.js';

export interface TempData {
  dir: string;
  store: Store;
  cleanup(): void;
}

export async function tempStore(lines: Record<string, unknown>[], opts: { index?: string; sourcetype?: string } = {}): Promise<TempData> {
  const dir = tempDir('quarry-web-');
  const src = join(dir, 'in');
  const file = join(dir, 'events.json');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const store = await Store.open(src);
  await ingestPaths(store, [file], { index: opts.index ?? 'main', tz: 'UTC', sourcetype: opts.sourcetype });
  return {
    dir,
    store,
    cleanup() {
      try {
        store.close();
      } catch {
        /* closed */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** n DNS-like events, one a minute from 2017-08-23T00:00Z, newest last in the file. */
export function dnsEvents(n: number): Record<string, unknown>[] {
  const t0 = Date.UTC(2017, 7, 23) / 1000;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      timestamp: new Date((t0 + i * 60) * 1000).toISOString(),
      src: `10.0.2.${100 + (i % 5)}`,
      dest: i % 3 === 0 ? '8.8.8.8' : '10.0.1.1',
      query: [`host${i % 7}.example.com`],
      bytes: 100 + i,
      message_type: i % 2 ? 'QUERY' : 'RESPONSE',
    });
  }
  return out;
}

function kindOf(type: string): OutField['type'] {
  if (type === 'BIGINT' || type === 'DOUBLE' || type === 'INTEGER' || type === 'HUGEINT') return 'num';
  if (type.endsWith('[]')) return 'mv';
  if (type.startsWith('TIMESTAMP')) return 'time';
  return 'str';
}

export const fakeEngine: SearchEngine = {
  async compile(store: Store, conn: DuckDBConnection, spl: string, opts: { earliest?: string; latest?: string }): Promise<CompiledSearch> {
    if (/^\s*slow\b/.test(spl)) {
      return {
        sql: `SELECT count(*) AS n FROM range(100000000000) a`,
        fields: [{ name: 'n', column: 'n', type: 'num' }],
        transforming: true,
        range: {},
        formats: {},
      };
    }
    const bad = /\|\s*(\w+)/.exec(spl);
    if (bad && bad[1] !== 'stats') {
      const e = new Error(`Unknown search command '${bad[1]}'`) as Error & { span: unknown; hint: string };
      e.name = 'SplError';
      e.span = { start: bad.index + bad[0].indexOf(bad[1]!), end: bad.index + bad[0].length };
      e.hint = 'did you mean stats?';
      throw e;
    }
    const idx = /index=(\S+)/.exec(spl)?.[1];
    const st = /sourcetype=(\S+)/.exec(spl)?.[1];
    const cat = (await store.catalog()).filter((c) => (!idx || c.index === idx) && (!st || c.sourcetype === st));
    const entry = cat[0];
    if (!entry) {
      return { sql: `SELECT NULL::TIMESTAMP AS _time WHERE false`, fields: [{ name: '_time', column: '_time', type: 'time' }], transforming: false, range: {}, formats: {} };
    }
    const cols = (await conn.runAndReadAll(`DESCRIBE ${quoteIdent(entry.table)}`)).getRowObjectsJS();
    const fields: OutField[] = cols.map((c) => ({ name: String(c.column_name), column: String(c.column_name), type: kindOf(String(c.column_type)) }));
    const range: { earliest?: number; latest?: number } = {};
    let where = `"index" = '${entry.index}'`;
    if (opts.earliest && /^\d+$/.test(opts.earliest)) {
      range.earliest = Number(opts.earliest) * 1e6;
      where += ` AND _time >= make_timestamp(${range.earliest})`;
    }
    if (opts.latest && /^\d+$/.test(opts.latest)) {
      range.latest = Number(opts.latest) * 1e6;
      where += ` AND _time < make_timestamp(${range.latest})`;
    }
    const term = /(\w+)="([^"]*)"/.exec(spl.split('|')[0]!);
    if (term && term[1] !== 'index' && term[1] !== 'sourcetype' && fields.some((f) => f.name === term[1])) {
      where += ` AND CAST(${quoteIdent(term[1]!)} AS VARCHAR) = '${term[2]!.replace(/'/g, "''")}'`;
    }
    const base = `SELECT * FROM ${quoteIdent(entry.table)} WHERE ${where}`;
    const stats = /\|\s*stats\s+count\s+by\s+(\w+)/.exec(spl);
    if (stats) {
      const f = stats[1]!;
      return {
        sql: `SELECT ${quoteIdent(f)}, count(*)::BIGINT AS "count" FROM (${base}) WHERE ${quoteIdent(f)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
        fields: [fields.find((x) => x.name === f) ?? { name: f, column: f, type: 'str' }, { name: 'count', column: 'count', type: 'num' }],
        transforming: true,
        range: {},
        formats: {},
      };
    }
    return { sql: `${base} ORDER BY _time DESC`, fields, transforming: false, range, formats: {} };
  },

  async readRows(conn: DuckDBConnection, sql: string, fields: OutField[], limit?: number): Promise<Row[]> {
    const sel = fields
      .map((f) => (f.type === 'time' ? `epoch_us(${quoteIdent(f.column)}) AS ${quoteIdent(f.column)}` : quoteIdent(f.column)))
      .join(', ');
    const r = await conn.runAndReadAll(`SELECT ${sel} FROM (${sql})${limit ? ` LIMIT ${limit}` : ''}`);
    return r.getRowObjectsJS().map((o) => {
      const row: Row = {};
      for (const f of fields) {
        const v = o[f.column];
        if (v === null || v === undefined) continue;
        row[f.name] = typeof v === 'bigint' ? Number(v) : Array.isArray(v) ? v.map(String) : v;
      }
      return row;
    });
  },
};
