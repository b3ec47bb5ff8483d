/** Jobs on the real SPL engine: event searches are paged straight from the query (no table). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type QuarryApp } from '../../src/server/app.js';
import { splEngine } from '../../src/server/engine.js';
import { tempStore, type TempData } from './helpers.js';

function events(): Record<string, unknown>[] {
  const t0 = Date.UTC(2017, 7, 23) / 1000;
  const out: Record<string, unknown>[] = [];
  // 1500 events over 3 days, five at each time (ties), plus a burst of 500 in one minute
  for (let i = 0; i < 1500; i++) out.push({ time: t0 + Math.floor(i / 5) * 600, n: i, src: `10.0.0.${i % 7}`, q: [`h${i % 11}.example`] });
  for (let i = 0; i < 500; i++) out.push({ time: t0 + 86400 + (i % 60), n: 1500 + i, src: '10.9.9.9', q: ['x.tunnel.example'] });
  return out;
}

describe('search jobs on the SPL engine', () => {
  let data: TempData;
  let app: QuarryApp;
  before(async () => {
    data = await tempStore(events(), { index: 'main' });
    app = await buildApp({ store: data.store, engine: splEngine, auth: false, loadOptional: false, jobs: { maxEvents: 1800 } });
  });
  after(async () => {
    await app.close();
    data.cleanup();
  });

  async function run(search: string, extra: Record<string, string> = {}) {
    const r = await app.inject({ method: 'POST', url: '/api/search/jobs', payload: { search, tz: 'UTC', ...extra } });
    assert.equal(r.statusCode, 201, r.body);
    const { sid } = r.json() as { sid: string };
    for (let i = 0; i < 500; i++) {
      const st = (await app.inject({ url: `/api/search/jobs/${sid}` })).json() as Record<string, unknown>;
      if (st.state === 'done' || st.state === 'failed') return { sid, st };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('job did not finish');
  }

  it('pages an event search newest first without gaps or repeats, across ties and buckets', async () => {
    const { sid, st } = await run('index=main');
    assert.equal(st.state, 'done');
    assert.equal(st.eventCount, 2000);
    assert.equal(st.resultCount, 1800, 'kept events capped at maxEvents');
    assert.equal(st.truncated, true);
    const seen: { n: number; _time: number }[] = [];
    for (let off = 0; off < 1800; off += 170) {
      const p = (await app.inject({ url: `/api/search/jobs/${sid}/events?offset=${off}&count=170` })).json() as { rows: { n: number; _time: number }[] };
      seen.push(...p.rows);
    }
    assert.equal(seen.length, 1800);
    assert.equal(new Set(seen.map((r) => r.n)).size, 1800, 'no event twice');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]!._time >= seen[i]!._time, `newest first at ${i}`);
    // the 200 oldest events are the ones left out
    const kept = new Set(seen.map((r) => r.n));
    for (let i = 0; i < 200; i++) assert.ok(!kept.has(i), `oldest event ${i} left out`);
    // the first page equals the preview's order
    const first = (await app.inject({ url: `/api/search/jobs/${sid}/events?offset=0&count=5` })).json() as { rows: { n: number }[] };
    assert.deepEqual(first.rows.map((r) => r.n), seen.slice(0, 5).map((r) => r.n));
    const past = (await app.inject({ url: `/api/search/jobs/${sid}/events?offset=1790&count=50` })).json() as { rows: unknown[] };
    assert.equal(past.rows.length, 10);
  });

  it('summarises the kept events and exports them', async () => {
    const { sid } = await run('index=main src=10.9.9.9');
    const sm = (await app.inject({ url: `/api/search/jobs/${sid}/summary` })).json() as { eventCount: number; sampled: boolean; fields: { name: string; count: number; distinctCount: number; topValues: { value: string; count: number }[]; numeric?: { min: number; max: number } }[] };
    assert.equal(sm.eventCount, 500);
    assert.equal(sm.sampled, false);
    const n = sm.fields.find((f) => f.name === 'n')!;
    assert.deepEqual([n.count, n.distinctCount, n.numeric?.min, n.numeric?.max], [500, 500, 1500, 1999]);
    const q = sm.fields.find((f) => f.name === 'q{}')!;
    assert.deepEqual(q.topValues, [{ value: 'x.tunnel.example', count: 500, percent: 100 }]);
    const csv = await app.inject({ url: `/api/search/jobs/${sid}/export?format=csv` });
    assert.equal(csv.body.trim().split('\r\n').length, 501);
  });

  it('keeps to the time range and runs a seed-style transforming search', async () => {
    const e = String(Date.UTC(2017, 7, 24) / 1000);
    const l = String(Date.UTC(2017, 7, 24) / 1000 + 3600);
    const { sid, st } = await run('index=main', { earliest: e, latest: l });
    assert.equal(st.eventCount, 500 + 30);
    const tl = (await app.inject({ url: `/api/search/jobs/${sid}/timeline` })).json() as { span: number; buckets: { t: number; count: number }[] };
    assert.ok(tl.span <= 60, `span ${tl.span}`);
    assert.equal(tl.buckets.reduce((a, b) => a + b.count, 0), 530);
    const stats = await run('index=main | stats count by src | sort - count');
    assert.equal(stats.st.transforming, true);
    const res = (await app.inject({ url: `/api/search/jobs/${stats.sid}/results` })).json() as { rows: { src: string; count: number }[] };
    assert.deepEqual(res.rows[0], { src: '10.9.9.9', count: 500 });
  });

  it('runs a search again without guesses when the data contradicts one (URL Toolbox over a field with several values in some rows)', async () => {
    // every 100th event has a second name: the single-value guess fails there
    const search = 'index=main | eval h="h" . (n % 11) . ".example", m=if(n % 100 == 0, mvappend(h, "www.bbc.co.uk"), mvappend(h)) | ut_parse_extended(m, "mozilla") | stats count by ut_tld | sort ut_tld';
    for (const [kind, s] of [['transforming', search], ['events', search.replace(' | stats count by ut_tld | sort ut_tld', ' | search ut_tld="co.uk" | table n ut_tld ut_netloc')]]) {
      const { sid, st } = await run(s);
      assert.equal(st.state, 'done', `${kind}: ${JSON.stringify(st.error)}`);
      const res = (await app.inject({ url: `/api/search/jobs/${sid}/results?count=100` })).json() as { rows: Record<string, unknown>[] };
      if (kind === 'transforming') assert.deepEqual(res.rows, [{ ut_tld: 'None', count: 2000 }, { ut_tld: 'co.uk', count: 20 }]);
      else {
        assert.equal(res.rows.length, 20);
        for (const r of res.rows) assert.equal(Number(r.n) % 100, 0);
      }
    }
  });
});
