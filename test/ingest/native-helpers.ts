/**
 * Helpers of the native ingest tests (zeek-native, stream-native): the JavaScript path is the
 * oracle, and the same files ingested both ways into two stores must leave identical tables
 * (columns, order, types, rows), catalog, field list, progress and quarantine.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestPaths, type IngestOptions, type IngestReport } from '../../src/ingest/index.js';
import { Store } from '../../src/store/index.js';

export const OPTS: IngestOptions = { index: 'main', tz: 'UTC', host: 'test-host' };

/** Ingest the same runs of paths into a JavaScript-only store and a native store (`opts`: both). */
export async function both(dir: string, runs: string[][], jsOpts: Partial<IngestOptions> = {}, opts: Partial<IngestOptions> = {}): Promise<{ js: IngestReport[]; native: IngestReport[] }> {
  const out = { js: [] as IngestReport[], native: [] as IngestReport[] };
  for (const [name, extra] of [['js', { ...opts, native: false, ...jsOpts }], ['native', opts]] as const) {
    const store = await Store.open(join(dir, name));
    try {
      for (const paths of runs) out[name].push(await ingestPaths(store, paths, { ...OPTS, ...extra }));
    } finally {
      store.close();
    }
  }
  return out;
}

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));

/** Every difference between the two stores (empty when identical); also how many rows were compared. */
export async function differences(dir: string): Promise<{ diffs: string[]; rows: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const diffs: string[] = [];
  let rows = 0;
  try {
    await c.run(`ATTACH '${join(dir, 'js', 'quarry.duckdb')}' AS a (READ_ONLY)`);
    await c.run(`ATTACH '${join(dir, 'native', 'quarry.duckdb')}' AS b (READ_ONLY)`);
    const all = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS();
    const same = async (what: string, qa: string, qb: string) => {
      const onlyA = await all(`(${qa}) EXCEPT ALL (${qb})`);
      const onlyB = await all(`(${qb}) EXCEPT ALL (${qa})`);
      if (onlyA.length || onlyB.length) diffs.push(`${what}: JavaScript only ${json(onlyA.slice(0, 3))}, native only ${json(onlyB.slice(0, 3))}`);
      return Number((await all(`SELECT count(*) AS n FROM (${qa})`))[0]!.n);
    };
    // a field is a column, or derived (no column, or a NULL one: an alias a native insert did not
    // write); each table is compared as a search reads it: coalesce(column, expression). The
    // columns' order is not compared: a derived field's column, made when it is written out, comes
    // last (searches name fields, and list them sorted)
    const fieldsOf = async (db: string) => {
      const rows = await all(`SELECT c.tbl, c.field, c.col, i.data_type, i.ordinal_position FROM ${db}._quarry_columns c JOIN information_schema.columns i ON i.table_catalog = '${db}' AND i.table_name = c.tbl AND i.column_name = c.col ORDER BY c.tbl, i.ordinal_position`);
      const derived = await all(`SELECT tbl, field, expr, type FROM ${db}._quarry_derived`);
      const out = new Map<string, Map<string, { col?: string; type: string; expr?: string }>>();
      const of = (t: string) => out.get(t) ?? out.set(t, new Map()).get(t)!;
      for (const r of rows) of(String(r.tbl)).set(String(r.field), { col: String(r.col), type: String(r.data_type) });
      for (const d of derived) {
        const f = of(String(d.tbl)).get(String(d.field));
        of(String(d.tbl)).set(String(d.field), { ...f, type: f?.type ?? String(d.type), expr: String(d.expr) });
      }
      return out;
    };
    const fa = await fieldsOf('a'), fb = await fieldsOf('b');
    const shape = (m: typeof fa) => [...m].flatMap(([t, fs]) => [...fs].map(([f, x]) => `${t}.${f}: ${x.type}`)).sort();
    const sa = shape(fa), sb = shape(fb);
    if (json(sa) !== json(sb)) diffs.push(`fields: JavaScript only ${json(sa.filter((x) => !sb.includes(x)))}, native only ${json(sb.filter((x) => !sa.includes(x)))}`);
    for (const t of ['_quarry_tables', '_quarry_catalog', '_quarry_fields']) await same(t, `SELECT * FROM a.${t}`, `SELECT * FROM b.${t}`);
    const progress = (db: string) => `SELECT source_key, committed_offset, head_hash FROM ${db}._quarry_progress`;
    await same('progress', progress('a'), progress('b'));
    const quarantine = (db: string) => `SELECT idx, sourcetype, source, line, byte_offset, reason, text FROM ${db}._quarry_quarantine`;
    await same('quarantine', quarantine('a'), quarantine('b'));
    const quote = (x: string) => `"${x.replaceAll('"', '""')}"`;
    const resolved = (db: string, tbl: string, fields: string[], m: Map<string, { col?: string; expr?: string }>) =>
      `SELECT ${fields.map((f, i) => {
        const x = m.get(f);
        const v = !x ? 'NULL' : x.col && x.expr ? `coalesce(${quote(x.col)}, ${x.expr})` : x.col ? quote(x.col) : `(${x.expr})`;
        return `${v} AS c${i}`;
      }).join(', ')} FROM ${db}.${quote(tbl)}`;
    for (const { tbl } of await all(`SELECT tbl FROM a._quarry_tables`)) {
      const t = String(tbl);
      const fields = [...(fa.get(t)?.keys() ?? [])];
      rows += await same(t, resolved('a', t, fields, fa.get(t)!), resolved('b', t, fields, fb.get(t) ?? new Map()));
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
  return { diffs, rows };
}

export async function assertSame(dir: string): Promise<number> {
  const { diffs, rows } = await differences(dir);
  assert.deepEqual(diffs, [], 'the native store differs from the JavaScript one');
  return rows;
}

/** Ingest the files the JavaScript way into `<dir>/js` and compare with `<dir>/native`. */
export async function assertSameAsJavaScript(dir: string, files: string[], opts: Partial<IngestOptions> = {}): Promise<number> {
  const js = await Store.open(join(dir, 'js'));
  try {
    await ingestPaths(js, files, { ...OPTS, ...opts, native: false });
  } finally {
    js.close();
  }
  return assertSame(dir);
}


/**
 * A commit that fails after the native insert leaves nothing (not even the new tables), the error
 * is the ingest's, and a re-run stores each of the file's `events` once, natively, as the
 * JavaScript path would.
 */
export async function assertCrashLeavesNothing(dir: string, file: string, events: number, sourcetype: string): Promise<void> {
  const store = await Store.open(join(dir, 'native'));
  const appendSql = store.appendSql.bind(store);
  store.appendSql = (shape, insert, progress) =>
    appendSql(shape, async (conn) => {
      await insert(conn);
      throw new Error('simulated crash');
    }, progress);
  await assert.rejects(ingestPaths(store, [file], OPTS), /simulated crash/);
  store.close();
  const again = await Store.open(join(dir, 'native'));
  try {
    assert.equal(again.tableOf(sourcetype), undefined, 'the table of the rolled-back file is gone too');
    const rep = await ingestPaths(again, [file], OPTS);
    assert.equal(rep.ingested, events);
    assert.equal(rep.files[0]!.native, true);
  } finally {
    again.close();
  }
  await assertSameAsJavaScript(dir, [file]);
}
