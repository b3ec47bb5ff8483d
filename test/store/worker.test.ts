/**
 * Parsing in the worker thread (laid-out batches) stores exactly what parsing on the main thread
 * does: same rows, types, catalog, quarantine and progress, including the awkward cases (types
 * widened by an earlier batch, multivalues, non-ASCII text, rows out of time order, a resumed run).
 */
import assert from 'node:assert/strict';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestPaths } from '../../src/ingest/index.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../util.js';

function streamLines(n: number, from = 0): string[] {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    if (i % 211 === 7) { lines.push(`{"broken ${i}`); continue; }
    if (i % 307 === 9) { lines.push(JSON.stringify({ seq: i, protocol_stack: 'ip:udp:dns' })); continue; } // no time: quarantined
    const dns = i % 3 === 0;
    // out of time order within a batch, so rows are reordered
    const t = new Date(Date.UTC(2017, 7, 25) + ((i * 7919) % n) * 1000).toISOString();
    lines.push(JSON.stringify({
      endtime: t, timestamp: t, seq: i, src_ip: `10.0.${i % 7}.1`, dest_ip: '10.0.0.2',
      protocol_stack: dns ? 'ip:udp:dns' : 'ip:tcp:smb',
      // a number in the first batches, text later (the table is widened, later batches are narrower)
      code: i < 900 ? i % 5 : i % 2 ? `x${i}` : i,
      // a double sometimes, an integer otherwise
      ratio: i % 4 ? i / 8 : i,
      // non-ASCII, short and long; a lone surrogate
      note: i % 5 === 0 ? 'é' : i % 5 === 1 ? `naïve café résumé ${i}` : i % 5 === 2 ? `bad \ud800 ${i}` : `plain ${i}`,
      flag: i % 2 === 0,
      ...(dns ? { query: [`q${i}.example.com`, 'short'], ttl: [300, i] } : { filename: `f${i}.pdf`, nested: { a: i, b: [1, 'two'] } }),
      // one field only some rows have, one that is constant in every row
      ...(i % 10 === 0 ? { rare: `r${i}` } : {}),
      constant: 'same',
    }));
  }
  return lines;
}

async function dump(store: Store): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const tables = (await store.conn.runAndReadAll(`SELECT sourcetype, tbl FROM _quarry_tables ORDER BY 1`)).getRowObjectsJS();
  for (const t of tables) {
    const cols = (await store.conn.runAndReadAll(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${t.tbl}' ORDER BY ordinal_position`)).getRows();
    const rows = (await store.conn.runAndReadAll(`SELECT * EXCLUDE (_time) FROM "${t.tbl}" ORDER BY ALL`)).getRowsJS();
    out[String(t.sourcetype)] = { cols, rows };
  }
  // (the short lines have no time: _time is the ingest time, which differs between the runs)
  out.catalog = (await store.conn.runAndReadAll(`SELECT * REPLACE (if(sourcetype = '_json', NULL, earliest) AS earliest, if(sourcetype = '_json', NULL, latest) AS latest) FROM _quarry_catalog ORDER BY ALL`)).getRowsJS();
  for (const meta of ['_quarry_columns', '_quarry_fields']) {
    out[meta] = (await store.conn.runAndReadAll(`SELECT * FROM ${meta} ORDER BY ALL`)).getRowsJS();
  }
  out.quarantine = (await store.conn.runAndReadAll(`SELECT idx, sourcetype, source, line, byte_offset, reason, text FROM _quarry_quarantine ORDER BY byte_offset`)).getRowsJS();
  out.progress = (await store.conn.runAndReadAll(`SELECT regexp_replace(source_key, '^[^|]*[|][^\\x01]*', ''), committed_offset, head_hash FROM _quarry_progress ORDER BY 1`)).getRowsJS();
  return out;
}

test('the worker thread stores exactly what the main thread does, resumed run included', async () => {
  const dir = tempDir();
  try {
    const dumps: unknown[] = [];
    const reports: unknown[] = [];
    for (const worker of [false, true]) {
      const file = join(dir, `stream-${worker}.json`);
      writeFileSync(file, streamLines(3000).join('\n') + '\n');
      // short lines (_raw inline in the string_t, or not when not ASCII), no time of their own
      const short = join(dir, `short-${worker}.json`);
      writeFileSync(short, Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? `{"a":${i}}` : i % 3 === 1 ? `{"é":${i}}` : `{"long":"${'x'.repeat(i)}"}`)).join('\n') + '\n');
      const store = await Store.open(join(dir, `data-${worker}`));
      try {
        const opts = { index: 'main', tz: 'UTC', batchSize: 400, worker, host: 'h', source: 'f' };
        await ingestPaths(store, [short], opts);
        const first = await ingestPaths(store, [file], opts);
        appendFileSync(file, streamLines(700, 3000).join('\n') + '\n');
        const second = await ingestPaths(store, [file], opts);
        const strip = (r: typeof first) => ({ ...r, files: r.files.map((f) => ({ ...f, path: '' })) });
        reports.push([strip(first), strip(second)]);
        assert.ok(second.files[0]!.resumed_at > 0);
        dumps.push(await dump(store));
      } finally {
        store.close();
      }
    }
    assert.deepEqual(reports[1], reports[0]);
    assert.deepEqual(dumps[1], dumps[0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed commit stops the worker; the re-run stores each event once', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'stream.json');
    writeFileSync(file, streamLines(3000).join('\n') + '\n');
    const data = join(dir, 'data');
    const store = await Store.open(data);
    const append = store.append.bind(store);
    let calls = 0;
    store.append = (b) => (++calls === 3 ? Promise.reject(new Error('simulated crash')) : append(b));
    await assert.rejects(ingestPaths(store, [file], { index: 'main', tz: 'UTC', batchSize: 300, worker: true }), /simulated crash/);
    assert.equal(calls, 3, 'no commit after the failed one');
    store.close();
    const again = await Store.open(data);
    try {
      await ingestPaths(again, [file], { index: 'main', tz: 'UTC', batchSize: 300, worker: true });
      const r = (await again.conn.runAndReadAll(`SELECT (SELECT count(*) FROM "ev_stream:dns") + (SELECT count(*) FROM "ev_stream:smb") AS n, (SELECT count(*) FROM _quarry_quarantine) AS q`)).getRowObjectsJS()[0]!;
      const lines = streamLines(3000);
      const bad = lines.filter((l) => l.startsWith('{"broken') || !l.includes('timestamp')).length; // invalid JSON, no time
      assert.deepEqual([Number(r.n), Number(r.q)], [lines.length - bad, bad]);
    } finally {
      again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a read error in the worker fails the ingest', async () => {
  const dir = tempDir();
  try {
    const store = await Store.open(join(dir, 'data'));
    try {
      const file = join(dir, 'gone.json');
      writeFileSync(file, streamLines(10).join('\n') + '\n');
      // the driver has read the head and named the format; the file goes before the worker opens it
      const p = ingestPaths(store, [file], { index: 'main', tz: 'UTC', worker: true });
      rmSync(file);
      await assert.rejects(p, /ENOENT/);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
