/** Log text is attacker-controlled: hostile field names and values never become SQL. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSearch } from '../../src/search/index.js';
import { rmSync } from 'node:fs';
import type { FieldValue } from '../../src/ingest/event.js';
import { Store, type StoredEvent } from '../../src/store/index.js';
import { storeWith, tempDir } from '../util.js';

const HOSTILE = [`a"b`, `x'; DROP TABLE "ev_test"; --`, 'semi;colon', 'dash--dash', `q"; DELETE FROM _quarry_catalog; --`];

test('hostile field names and values round-trip and leave the store untouched', async () => {
  const events = HOSTILE.map((h, i) => ({ time: 1503600000 + i, [h]: h, [`${h}.n`]: i, plain: h }));
  const { store, cleanup } = await storeWith(events, { sourcetype: 'test' });
  try {
    const all = await runSearch(store, 'index=main | stats count', { tz: 'UTC' });
    assert.equal(all.rows[0]!.count, HOSTILE.length);
    for (const h of HOSTILE) {
      // the value is searched as data, through the one escaping function
      const quoted = h.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
      const r = await runSearch(store, `index=main plain="${quoted}" | table plain`, { tz: 'UTC' });
      assert.deepEqual(r.rows, [{ plain: h }], h);
      if (!h.includes('"') && !h.includes("'")) {
        // a hostile name as an eval field reference
        const byField = await runSearch(store, `index=main | eval v='${h}' | stats count(v) AS n`, { tz: 'UTC' });
        assert.equal(byField.rows[0]!.n, 1, h);
      }
    }
    const cat = await store.catalog();
    assert.equal(cat.length, 1);
    assert.equal(cat[0]!.eventCount, HOSTILE.length);
    for (const h of HOSTILE) assert.ok(cat[0]!.fields.some((f) => f.name === h), `field ${h} kept under its own name`);
    const tables = (await store.conn.runAndReadAll(`SELECT count(*) AS n FROM "ev_test"`)).getRowObjectsJS();
    assert.equal(Number(tables[0]!.n), HOSTILE.length);
  } finally {
    cleanup();
  }
});

test('types widen across batches and never drop or reword a value; names differing in case stay apart', async () => {
  const dir = tempDir();
  const store = await Store.open(dir);
  try {
    const ev = (i: number, fields: Record<string, FieldValue>): StoredEvent => ({ time: (1503600000 + i) * 1e6, index: 'main', sourcetype: 'stream:x', host: 'h', source: 's', raw: String(i), fields });
    await store.append({ events: [ev(0, { v: 1, Name: 'upper', name: 'lower' })], quarantined: [] });
    await store.append({ events: [ev(1, { v: 2.5 })], quarantined: [] });
    await store.append({ events: [ev(2, { v: 'text' })], quarantined: [] });
    await store.append({ events: [ev(3, { v: ['x', 'y'] })], quarantined: [] });
    const r = await runSearch(store, 'index=main | sort _time | table v Name name', { tz: 'UTC' });
    assert.deepEqual(r.rows.map((x) => x.v), ['1', '2.5', 'text', ['x', 'y']]);
    assert.deepEqual([r.rows[0]!.Name, r.rows[0]!.name], ['upper', 'lower']);
    const cat = await store.catalog();
    assert.equal(cat[0]!.fields.find((f) => f.name === 'v')!.type, 'VARCHAR[]');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
