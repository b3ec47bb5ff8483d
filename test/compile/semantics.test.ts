/**
 * Search-time semantics checked on real rows: each case is input events, SPL, expected rows,
 * following Splunk's documentation (spl-semantics.md cites the pages).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runSearch } from '../../src/search/index.js';
import type { Store } from '../../src/store/index.js';
import { storeWith } from '../util.js';

let store: Store;
let cleanup: () => void;

const T0 = Date.UTC(2017, 7, 25, 12, 0, 0) / 1000;
const EVENTS = [
  { ts: T0 + 1, msg: 'GET /files/31564-pdf.pdf ok', src: '10.0.0.1', method: 'STOR', bytes: 100, tags: ['a', 'b'] },
  { ts: T0 + 2, msg: 'GET /files/2322-pdf.pdf ok', src: '10.0.0.10', method: 'PORT', bytes: 250 },
  { ts: T0 + 3, msg: 'login admin@hildegardsfarm.com failed', src: '10.0.0.1', bytes: 7 },
  { ts: T0 + 4, msg: 'Error: Disk full', src: '192.168.1.5', method: 'type', bytes: 1e6, tags: ['c'] },
  { ts: T0 + 5, msg: 'report.docx saved', src: '10.0.0.2', method: 'RETR' },
];

before(async () => {
  ({ store, cleanup } = await storeWith(EVENTS, { sourcetype: 'web' }));
});
after(() => cleanup());

async function rows(spl: string): Promise<Record<string, unknown>[]> {
  const r = await runSearch(store, spl, { tz: 'UTC', now: (T0 + 3600) * 1000 });
  return r.rows;
}
const count = async (spl: string) => Number((await rows(`${spl} | stats count`))[0]!.count);

test('bare terms match whole tokens between breakers, case-insensitively', async () => {
  assert.equal(await count('pdf'), 2);
  assert.equal(await count('.pdf'), 2);
  assert.equal(await count('2322-pdf'), 1);
  assert.equal(await count('564-pdf'), 0, 'a term must start at a breaker');
  assert.equal(await count('ERROR'), 1);
  assert.equal(await count('hildegardsfarm.com'), 1);
  assert.equal(await count('.doc'), 0, '.doc must not match .docx');
  assert.equal(await count('10.0.0.1'), 2, '10.0.0.1 matches 10.0.0.1 but not 10.0.0.10 (raw holds "src":"10.0.0.1")');
  assert.equal(await count('fail*'), 1);
  assert.equal(await count('"disk full"'), 1);
});

test('field=value is whole-value and case-insensitive with * wildcards; != needs the field; NOT does not', async () => {
  assert.equal(await count('method=stor'), 1);
  assert.equal(await count('method=ST*'), 1);
  assert.equal(await count('src=10.0.0.1'), 2);
  assert.equal(await count('method!=PORT'), 3, 'events without method are not returned by !=');
  assert.equal(await count('NOT method=PORT'), 4, 'NOT returns events without the field too');
  assert.equal(await count('method!=PORT method!=TYPE'), 2);
  assert.equal(await count('method=*'), 4);
  assert.equal(await count('bytes>200'), 2);
  assert.equal(await count('bytes<=100'), 2);
  assert.equal(await count('tags{}=b'), 1, 'a multivalue field matches when any value does (JSON arrays are named with {})');
  assert.equal(await count('tags=b'), 0, 'generic JSON arrays are tags{}, not tags');
  assert.equal(await count('nosuchfield=x'), 0);
  assert.equal(await count('NOT nosuchfield=x'), 5);
});

test('events come newest first; head and tail take from that order', async () => {
  assert.deepEqual((await rows('* | head 2 | table src')).map((r) => r.src), ['10.0.0.2', '192.168.1.5']);
  assert.deepEqual((await rows('* | tail 2 | table src')).map((r) => r.src), ['10.0.0.1', '10.0.0.10'], 'tail gives the last results, last first');
  assert.deepEqual((await rows('* | reverse | head 1 | table src')).map((r) => r.src), ['10.0.0.1']);
});

test('stats: names as Splunk writes them, by-groups drop events missing the by-field', async () => {
  const r = await runSearch(store, '* | stats count sum(bytes) dc(src) AS sources values(method) by src', { tz: 'UTC' });
  assert.deepEqual(r.fields, ['src', 'count', 'sum(bytes)', 'sources', 'values(method)']);
  assert.deepEqual(r.rows[0], { src: '10.0.0.1', count: 2, 'sum(bytes)': 107, sources: 1, 'values(method)': 'STOR' });
  const byMethod = await rows('* | stats count by method');
  assert.equal(byMethod.reduce((a, x) => a + Number(x.count), 0), 4, 'the event without method is dropped');
  const none = await rows('nosuchterm | stats count');
  assert.deepEqual(none, [{ count: 0 }], 'stats without by gives one row even for no events');
});

test('eval: arithmetic, concatenation with null, round, if, coalesce, len', async () => {
  const r = await rows('* | eval mb=round(bytes/1024/1024, 2), pair=src." ".method, big=if(bytes>200, "yes", "no"), m=coalesce(method, "none"), n=len(src) | table src mb pair big m n | head 2');
  assert.deepEqual(r[0], { src: '10.0.0.2', pair: '10.0.0.2 RETR', big: 'no', m: 'RETR', n: 8 }, 'a null operand makes arithmetic null; if() takes else on null');
  assert.deepEqual(r[1], { src: '192.168.1.5', mb: 0.95, pair: '192.168.1.5 type', big: 'yes', m: 'type', n: 11 });
  const cat = await rows('* | eval x=src." ".nosuch | stats count(x)');
  assert.equal(cat[0]!['count(x)'], 0, 'concatenation with a missing field is null');
});

test('where compares case-sensitively and drops null conditions', async () => {
  assert.equal(await count('* | where method="STOR"'), 1);
  assert.equal(await count('* | where method="stor"'), 0);
  assert.equal(await count('* | where bytes > 200'), 2);
  assert.equal(await count('* | where NOT method="STOR"'), 3, 'null comparisons drop the row');
});

test('sort: numeric vs text, - for descending, a limit of 10000 unless sort 0', async () => {
  assert.deepEqual((await rows('* | sort - bytes | table bytes')).map((r) => r.bytes), [1e6, 250, 100, 7, undefined]);
  assert.deepEqual((await rows('* | sort src | table src')).map((r) => r.src), ['10.0.0.1', '10.0.0.1', '10.0.0.10', '10.0.0.2', '192.168.1.5']);
  const sql = (await runSearch(store, '* | sort src', { tz: 'UTC' })).compiled.sql;
  assert.match(sql, /LIMIT 10000/);
  assert.doesNotMatch((await runSearch(store, '* | sort 0 src', { tz: 'UTC' })).compiled.sql, /LIMIT 10000/);
});

test('fields, rename with wildcards, table of a missing field', async () => {
  const r = await runSearch(store, '* | head 1 | rename s* AS x_* | fields - x_rc | table x_* nosuch', { tz: 'UTC' });
  assert.deepEqual(r.fields, ['x_ourcetype', 'x_ource', 'nosuch']);
});

test('earliest/latest select a time range; relative modifiers snap in the zone', async () => {
  assert.equal(await count(`* earliest=${T0 + 2} latest=${T0 + 4}`), 2, 'latest is exclusive');
  assert.equal(await count('* earliest=-1h@h'), 5);
  assert.equal(await count('* earliest=-5m'), 0);
});
