import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type QuarryApp } from '../../src/server/app.js';
import { dnsEvents, fakeEngine, tempStore, type TempData } from './helpers.js';

async function waitDone(app: QuarryApp, sid: string, ms = 10_000): Promise<Record<string, unknown>> {
  const t0 = Date.now();
  for (;;) {
    const r = await app.inject({ method: 'GET', url: `/api/search/jobs/${sid}` });
    const st = r.json() as Record<string, unknown>;
    if (st.state !== 'running' && st.state !== 'parsing') return st;
    if (Date.now() - t0 > ms) throw new Error(`job ${sid} still ${st.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('search jobs API', () => {
  let data: TempData;
  let app: QuarryApp;
  before(async () => {
    data = await tempStore(dnsEvents(250), { index: 'botsv2', sourcetype: 'stream:dns' });
    app = await buildApp({ store: data.store, engine: fakeEngine, auth: false, loadOptional: false, jobs: { previewCount: 20 } });
  });
  after(async () => {
    await app.close();
    data.cleanup();
  });

  const post = (search: string) =>
    app.inject({ method: 'POST', url: '/api/search/jobs', payload: { search, earliest: '', latest: '', tz: 'UTC' } });

  it('runs an event search: status, events newest first, paging, timeline, summary', async () => {
    const r = await post('index=botsv2 sourcetype=stream:dns');
    assert.equal(r.statusCode, 201);
    const { sid } = r.json() as { sid: string };
    assert.match(sid, /^[a-z0-9_]+$/);
    const st = await waitDone(app, sid);
    assert.equal(st.state, 'done');
    assert.equal(st.eventCount, 250);
    assert.equal(st.resultCount, 250);
    assert.equal(st.transforming, false);
    assert.ok(typeof st.elapsedMs === 'number');

    const p1 = (await app.inject({ url: `/api/search/jobs/${sid}/events?offset=0&count=10` })).json() as { rows: { _time: number; bytes: number }[]; total: number };
    assert.equal(p1.rows.length, 10);
    assert.equal(p1.total, 250);
    for (let i = 1; i < p1.rows.length; i++) assert.ok(p1.rows[i - 1]!._time >= p1.rows[i]!._time, 'newest first');
    assert.equal(p1.rows[0]!.bytes, 100 + 249);
    const p2 = (await app.inject({ url: `/api/search/jobs/${sid}/events?offset=245&count=10` })).json() as { rows: { bytes: number }[] };
    assert.equal(p2.rows.length, 5);
    assert.equal(p2.rows[4]!.bytes, 100);

    const tl = (await app.inject({ url: `/api/search/jobs/${sid}/timeline` })).json() as { span: number; buckets: { t: number; count: number }[] };
    assert.equal(tl.buckets.reduce((a, b) => a + b.count, 0), 250);
    assert.ok(tl.span >= 60, `span ${tl.span}`);
    assert.ok(tl.buckets.length <= 150);

    const sm = (await app.inject({ url: `/api/search/jobs/${sid}/summary` })).json() as {
      eventCount: number;
      fields: { name: string; count: number; distinctCount: number; interesting: boolean; topValues: { value: string; count: number; percent: number }[]; numeric?: { min: number; max: number; mean: number } }[];
    };
    assert.equal(sm.eventCount, 250);
    const src = sm.fields.find((f) => f.name === 'src')!;
    assert.equal(src.count, 250);
    assert.equal(src.distinctCount, 5);
    assert.equal(src.interesting, true);
    assert.equal(src.topValues.length, 5);
    assert.equal(src.topValues[0]!.count, 50);
    assert.equal(src.topValues[0]!.percent, 20);
    const bytes = sm.fields.find((f) => f.name === 'bytes')!;
    assert.deepEqual(bytes.numeric, { min: 100, max: 349, mean: 224.5 });
    const query = sm.fields.find((f) => f.name === 'query')!;
    assert.equal(query.topValues.length, 7);
  });

  it('runs a transforming search and serves results', async () => {
    const { sid } = (await post('index=botsv2 | stats count by src')).json() as { sid: string };
    const st = await waitDone(app, sid);
    assert.equal(st.state, 'done');
    assert.equal(st.transforming, true);
    assert.equal(st.resultCount, 5);
    const res = (await app.inject({ url: `/api/search/jobs/${sid}/results` })).json() as { fields: { name: string }[]; rows: { src: string; count: number }[] };
    assert.deepEqual(res.fields.map((f) => f.name), ['src', 'count']);
    assert.equal(res.rows.length, 5);
    assert.deepEqual(res.rows[0], { src: '10.0.2.100', count: 50 });
    const tl = (await app.inject({ url: `/api/search/jobs/${sid}/timeline` })).json() as { available: boolean };
    assert.equal(tl.available, false);
  });

  it('answers a malformed search with 400 and the span', async () => {
    const r = await post('index=botsv2 | stast count');
    assert.equal(r.statusCode, 400);
    const b = r.json() as { message: string; span: { start: number; end: number }; hint: string };
    assert.match(b.message, /stast/);
    assert.deepEqual(b.span, { start: 15, end: 20 });
    assert.equal(b.hint, 'did you mean stats?');
    assert.equal((await post('   ')).statusCode, 400);
    const noTz = await app.inject({ method: 'POST', url: '/api/search/jobs', payload: { search: 'index=botsv2', tz: 'Mars/Base' } });
    assert.equal(noTz.statusCode, 400);
  });

  it('cancels a running job: its query stops and others keep running', async () => {
    const slow = (await post('slow')).json() as { sid: string };
    const fast = (await post('index=botsv2 | stats count by dest')).json() as { sid: string };
    const st = await waitDone(app, fast.sid);
    assert.equal(st.state, 'done', 'a fast job finishes while a slow one runs');
    const before = (await app.inject({ url: `/api/search/jobs/${slow.sid}` })).json() as { state: string };
    assert.equal(before.state, 'running');
    const t0 = Date.now();
    const d = await app.inject({ method: 'DELETE', url: `/api/search/jobs/${slow.sid}` });
    assert.equal(d.statusCode, 200);
    assert.equal((d.json() as { state: string }).state, 'cancelled');
    assert.equal((await app.inject({ url: `/api/search/jobs/${slow.sid}` })).statusCode, 404);
    // the interrupted connection is free again: a new search answers promptly
    const again = (await post('index=botsv2 | stats count by src')).json() as { sid: string };
    assert.equal((await waitDone(app, again.sid, 5000)).state, 'done');
    assert.ok(Date.now() - t0 < 5000);
  });

  it('exports CSV with formula cells neutralised, and JSON', async () => {
    const { sid } = (await post('index=botsv2 | stats count by message_type')).json() as { sid: string };
    await waitDone(app, sid);
    const csv = await app.inject({ url: `/api/search/jobs/${sid}/export?format=csv` });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="quarry-.*\.csv"/);
    assert.equal(csv.body, 'message_type,count\r\nQUERY,125\r\nRESPONSE,125\r\n');
    const json = await app.inject({ url: `/api/search/jobs/${sid}/export?format=json` });
    assert.deepEqual(JSON.parse(json.body.split('\n')[0]!), { preview: false, result: { message_type: 'QUERY', count: 125 } });
  });

  it('404s unknown jobs and API routes, sends a strict CSP', async () => {
    assert.equal((await app.inject({ url: '/api/search/jobs/nope' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/nothing' })).statusCode, 404);
    const r = await app.inject({ url: '/api/indexes' });
    assert.equal(r.statusCode, 200);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const idx = r.json() as { indexes: { index: string; eventCount: number }[] };
    assert.deepEqual(idx.indexes.map((i) => [i.index, i.eventCount]), [['botsv2', 250]]);
    const h = await app.inject({ url: '/api/hunts' });
    assert.equal(h.statusCode, 501);
    assert.match((h.json() as { message: string }).message, /hunts not installed/);
  });

  it('refuses cross-origin state changes', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/search/jobs',
      headers: { origin: 'http://evil.example', host: 'localhost:8000' },
      payload: { search: 'index=botsv2' },
    });
    assert.equal(r.statusCode, 403);
  });
});
