/**
 * The columnar write path (EventBatch → appender data chunks): every value comes back as it went
 * in, whatever its length, encoding or chunk, and a batch that fails leaves no trace.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { FieldValue } from '../../src/ingest/event.js';
import { CHUNK_ROWS } from '../../src/store/chunks.js';
import { Store, type StoredEvent } from '../../src/store/index.js';
import { tempDir } from '../util.js';

const T0 = 1_503_600_000_000_000;

function ev(i: number, fields: Record<string, FieldValue>, extra: Partial<StoredEvent> = {}): StoredEvent {
  return { sourcetype: 'test', index: 'main', time: T0 + i, host: 'h', source: 's', raw: `raw ${i}`, fields, ...extra };
}

async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  return (await store.conn.runAndReadAll(sql)).getRowObjectsJS();
}

test('strings, numbers and multivalues round-trip across chunk boundaries', async () => {
  const dir = tempDir();
  const store = await Store.open(dir);
  try {
    // inline (≤12 bytes) and out-of-line strings, non-ASCII that is short in chars but not in bytes
    const texts = ['', 'a', '123456789012', '1234567890123', 'é', 'ééééééé', '日本語', '😀', 'tab\there', 'nul\u0000x', 'q"\'\\', 'x'.repeat(5000)];
    const ints = [0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 4294967296, -4294967297, 123456789012];
    const n = CHUNK_ROWS * 2 + 17; // three chunks, the last one partial
    const events: StoredEvent[] = [];
    for (let i = 0; i < n; i++) {
      const f: Record<string, FieldValue> = { s: texts[i % texts.length]!, n: ints[i % ints.length]!, seq: i };
      if (i % 3 === 0) f.d = i + 0.25;
      if (i % 5 === 0) f.mv = i % 10 === 0 ? [texts[i % texts.length]!, 'b', ''] : 'solo';
      events.push(ev(i, f, { raw: `raw ${i} ${texts[i % texts.length]}` }));
    }
    await store.append({ events, quarantined: [] });
    assert.equal(store.columnOf('test', 'mv')?.type, 'VARCHAR[]');
    const base = await rows(store, `SELECT count(*) AS n FROM "ev_test" WHERE "index" = 'main' AND sourcetype = 'test' AND host = 'h' AND source = 's'`);
    assert.equal(Number(base[0]!.n), n, 'constant columns are stored on every row');
    const got = await rows(store, `SELECT seq, s, n, d, mv, _raw, epoch_us(_time) AS t FROM "ev_test" ORDER BY seq`);
    assert.equal(got.length, n);
    for (let i = 0; i < n; i++) {
      const g = got[i]!;
      const e = events[i]!;
      assert.equal(Number(g.seq), i);
      assert.equal(g.s, e.fields.s, `s at ${i}`);
      assert.equal(Number(g.n), e.fields.n, `n at ${i}`);
      assert.equal(g.d, i % 3 === 0 ? i + 0.25 : null);
      assert.deepEqual(g.mv, i % 5 ? null : i % 10 === 0 ? [texts[i % texts.length], 'b', ''] : ['solo']);
      assert.equal(g._raw, e.raw);
      assert.equal(Number(g.t), T0 + i);
    }
    // the stored strings compare as their values: equality (a join), order (by UTF-8 bytes),
    // starts_with and >
    const joined = await rows(store, `SELECT count(*) AS c FROM "ev_test" AS a JOIN (SELECT DISTINCT s FROM "ev_test") AS b ON a.s = b.s`);
    assert.equal(Number(joined[0]!.c), n);
    const sorted = await rows(store, `SELECT s FROM (SELECT DISTINCT s FROM "ev_test") ORDER BY s`);
    assert.deepEqual(sorted.map((r) => r.s), [...texts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const starts = await rows(store, `SELECT count(*) AS c FROM "ev_test" WHERE starts_with(_raw, 'raw 1') AND _raw > 'raw 1'`);
    assert.equal(Number(starts[0]!.c), events.filter((e) => e.raw.startsWith('raw 1') && Buffer.compare(Buffer.from(e.raw), Buffer.from('raw 1')) > 0).length);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rows are written in time order; catalog counts, ranges and fields are kept per index', async () => {
  const dir = tempDir();
  const store = await Store.open(dir);
  try {
    const events = [
      ev(30, { a: 'x' }),
      ev(10, { a: 'y', only_main: 1 }),
      ev(20, { b: 'z' }, { index: 'other' }),
      ev(5, { a: 'w' }),
    ];
    await store.append({ events, quarantined: [] });
    const got = await rows(store, `SELECT epoch_us(_time) - ${T0} AS t, "index" FROM "ev_test"`);
    assert.deepEqual(got.map((r) => Number(r.t)), [5, 10, 20, 30], 'stored in time order');
    const cat = await store.catalog();
    const main = cat.find((c) => c.index === 'main')!;
    const other = cat.find((c) => c.index === 'other')!;
    assert.equal(main.eventCount, 3);
    assert.equal(other.eventCount, 1);
    assert.deepEqual([main.earliest! - T0, main.latest! - T0], [5, 30]);
    assert.deepEqual(main.fields.map((f) => f.name), ['a', 'only_main']);
    assert.deepEqual(other.fields.map((f) => f.name), ['b']);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch that fails to commit leaves no rows, columns, catalog or offset behind', async () => {
  const dir = tempDir();
  const store = await Store.open(dir);
  try {
    await store.append({ events: [ev(1, { a: 1 })], quarantined: [], progress: { key: 'k', offset: 10, headHash: 'h' } });
    // Fail the batch's last statement (its offset), after its rows, new column and widening went in.
    const run = store.conn.run.bind(store.conn);
    store.conn.run = ((sql: string, ...rest: unknown[]) =>
      sql.startsWith('INSERT INTO _quarry_progress') ? Promise.reject(new Error('disk full')) : (run as (...a: unknown[]) => unknown)(sql, ...rest)) as typeof store.conn.run;
    const bad = { events: [ev(2, { a: 'now text', fresh: 'new column' })], quarantined: [{ index: 'main', sourcetype: 'test', source: 's', line: 2, offset: 20, reason: 'r', text: 't' }], progress: { key: 'k', offset: 20, headHash: 'h' } };
    await assert.rejects(store.append(bad), /disk full/);
    store.conn.run = run;
    assert.equal(Number((await rows(store, `SELECT count(*) AS n FROM "ev_test"`))[0]!.n), 1);
    assert.equal(store.columnOf('test', 'fresh'), undefined, 'the new column is forgotten');
    assert.equal(store.columnOf('test', 'a')?.type, 'BIGINT', 'the widening is undone');
    assert.equal((await store.catalog())[0]!.eventCount, 1);
    assert.equal(await store.quarantineCount(), 0);
    assert.equal((await store.progressOf('k'))!.offset, 10);
    // the same batch then goes in whole
    await store.append(bad);
    assert.equal(store.columnOf('test', 'a')?.type, 'VARCHAR');
    const got = await rows(store, `SELECT a, fresh FROM "ev_test" ORDER BY _time`);
    assert.deepEqual(got, [{ a: '1', fresh: null }, { a: 'now text', fresh: 'new column' }]);
    assert.equal((await store.progressOf('k'))!.offset, 20);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a new table's first batch: fields differing only in case get their own columns, base names stay base columns", async () => {
  const dir = tempDir();
  const store = await Store.open(dir);
  try {
    // `User` then `user` (DuckDB identifiers are case-insensitive), and `Host` beside the base `host`
    await store.append({ events: [ev(0, { User: 'A', Host: 'X' }), ev(1, { user: 'b', n: 1 }), ev(2, { User: 'C', user: 'd' })], quarantined: [] });
    const cols = ['User', 'user', 'Host'].map((f) => store.columnOf('test', f)?.column);
    assert.equal(new Set(cols.map((c) => c?.toLowerCase())).size, 3, `distinct physical columns: ${cols.join(', ')}`);
    const got = await rows(store, `SELECT "${cols[0]}" AS "U", "${cols[1]}" AS u, "${cols[2]}" AS "H", host FROM "ev_test" ORDER BY _time`);
    assert.deepEqual(got.map((r) => [r.U, r.u, r.H, r.host]), [['A', null, 'X', 'h'], [null, 'b', null, 'h'], ['C', 'd', null, 'h']]);
    // the mapping survives a reopen, and a later batch adds a column by ALTER
    store.close();
    const again = await Store.open(dir);
    try {
      assert.equal(again.columnOf('test', 'user')?.column, cols[1]);
      await again.append({ events: [ev(3, { USER: 'e' })], quarantined: [] });
      const c = again.columnOf('test', 'USER')!.column;
      assert.ok(!cols.map((x) => x!.toLowerCase()).includes(c.toLowerCase()), c);
      const r = await rows(again, `SELECT "${c}" AS v FROM "ev_test" WHERE "${c}" IS NOT NULL`);
      assert.deepEqual(r.map((x) => x.v), ['e']);
    } finally {
      again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('long strings placed through one heap string per vector and one call per string give the same rows', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { appendLayouts } = await import('../../src/store/chunks.js');
  const { layoutColumn } = await import('../../src/store/layout.js');
  const texts = ['', 'short', '123456789012', '1234567890123', 'é', 'ééééééé', '日本語の長い文字列です', '😀x', 'q"\'\\ '.repeat(9), 'x'.repeat(3000)];
  const n = CHUNK_ROWS + 100;
  const s = Array.from({ length: n }, (_, i) => (i % 11 === 10 ? undefined : texts[i % texts.length]!));
  const mv = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? undefined : [texts[i % texts.length]!, texts[(i + 3) % texts.length]!]));
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const got: unknown[][] = [];
    for (const heapMax of [undefined, 0]) {
      await conn.run('CREATE OR REPLACE TABLE t (i BIGINT, s VARCHAR, mv VARCHAR[])');
      const appender = await conn.createAppender('t');
      const cols = [layoutColumn('BIGINT', s.map((_, i) => i), n, CHUNK_ROWS), layoutColumn('VARCHAR', s, n, CHUNK_ROWS), layoutColumn('VARCHAR[]', mv, n, CHUNK_ROWS)];
      appendLayouts(appender, cols, n, heapMax);
      appender.closeSync();
      got.push((await conn.runAndReadAll('SELECT s, mv FROM t ORDER BY i')).getRowsJS());
    }
    assert.deepEqual(got[0], got[1]);
    assert.deepEqual(got[0]!.map((r) => (r as unknown[])[0] ?? undefined), s);
    assert.deepEqual(got[0]!.map((r) => (r as unknown[])[1] ?? undefined), mv);
  } finally {
    conn.closeSync();
  }
});
