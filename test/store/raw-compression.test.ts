/**
 * `_raw` is stored with ZSTD in a store created now (DuckDB 1.2's storage format), and a store
 * written in the older format (no ZSTD for strings) keeps working with DuckDB's own choice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Store, quoteIdent, type StoredEvent } from '../../src/store/index.js';
import { runSearch } from '../../src/search/index.js';
import { tempDir } from '../util.js';

const N = 5000;
const events = (sourcetype = 'test'): StoredEvent[] =>
  Array.from({ length: N }, (_, i) => {
    const fields = { n: i, note: `event ${i} of a test that writes a long enough raw text to compress` };
    return { time: 1503600000000 + i * 1000, sourcetype, index: 'main', host: 'h', source: 's', raw: JSON.stringify(fields), fields } as StoredEvent;
  });

async function rawCompressions(store: Store, sourcetype = 'test'): Promise<string[]> {
  const c = await store.connect();
  await c.run('CHECKPOINT');
  const t = store.tableOf(sourcetype)!;
  const rows = await c.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info(${"'" + t.replaceAll("'", "''") + "'"}) WHERE column_name = '_raw' AND segment_type = 'VARCHAR'`);
  c.closeSync();
  return rows.getRows().map((r) => String(r[0]));
}

async function roundTrip(store: Store): Promise<void> {
  const r = await runSearch(store, 'index=main n=4321 | table _raw', { tz: 'UTC', earliest: '0' });
  assert.deepEqual(r.rows, [{ _raw: JSON.stringify({ n: 4321, note: 'event 4321 of a test that writes a long enough raw text to compress' }) }]);
  const c = await store.connect();
  const count = await c.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(store.tableOf('test')!)} WHERE _raw LIKE '%long enough%'`);
  c.closeSync();
  assert.equal(Number(count.getRows()[0]![0]), N);
}

test('a new store keeps _raw with ZSTD, and reads it back exactly', async () => {
  const dir = tempDir();
  const store = await Store.open(dir);
  try {
    await store.append({ events: events(), quarantined: [] });
    assert.deepEqual(await rawCompressions(store), ['ZSTD']);
    await roundTrip(store);
    // Zeek's short lines keep DuckDB's own choice, which writes them faster
    await store.append({ events: events('zeek:conn'), quarantined: [] });
    const zeek = await rawCompressions(store, 'zeek:conn');
    assert.ok(zeek.length > 0 && !zeek.includes('ZSTD'), `compression ${zeek}`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store file of the older storage format (no ZSTD for strings) takes new tables as before', async () => {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  const old = await DuckDBInstance.create(join(dir, 'quarry.duckdb'), { storage_compatibility_version: 'v0.10.2' });
  old.closeSync();
  const store = await Store.open(dir);
  try {
    await store.append({ events: events(), quarantined: [] });
    const kinds = await rawCompressions(store);
    assert.ok(!kinds.includes('ZSTD') && !kinds.includes('Uncompressed'), `compression ${kinds}`);
    await roundTrip(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
