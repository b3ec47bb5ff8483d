/**
 * Workbench latency, measured in the browser: from pressing Enter on
 * `index=botsv2 sourcetype=stream:dns` to the first page of events on screen, to the timeline
 * drawn, and to the fields summary.
 *
 *   node dist/bench/workbench.js [--data DIR] [--events N] [--runs N] [--search SPL]
 *
 * With --data DIR holding data, the bench reads it (e.g. the Frothly data from `quarry demo` at
 * scale 10). With an empty or missing DIR (or none: a temp dir, removed after), it first ingests
 * N synthetic Splunk Stream DNS events (default 1,000,000) there, so later runs reuse them.
 * Needs /usr/bin/chromium (scripts/ensure-chromium.sh).
 *
 * The baseline, measured in the same run right after each browser run: the raw SQL a hand-written
 * client would send to the same DuckDB file for the same screens, read into JS rows — the newest
 * 100 events (all columns), the timeline (min/max of _time, then counts per bucket), and DuckDB's
 * SUMMARIZE over the newest 100,000 events for the fields summary. The table prints the medians
 * and the workbench/SQL ratio (what the engine, the job API, HTTP and drawing cost on top).
 */
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { once } from 'node:events';
import { chromium } from 'playwright-core';
import { ingestPaths } from '../src/ingest/index.js';
import { buildApp } from '../src/server/app.js';
import { loadEngine } from '../src/server/engine.js';
import { chooseSpan } from '../src/search/job.js';
import { quoteIdent, sqlString, Store } from '../src/store/index.js';
import { printTable } from './lib.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';
const SEARCH = arg('search') ?? 'index=botsv2 sourcetype=stream:dns';
const RUNS = Number(arg('runs') ?? 5);
/** the raw SQL baseline needs a plain `index=X sourcetype=Y` search */
const BASELINE = (() => {
  const m = /^index="?([\w-]+)"?\s+sourcetype="?([\w:.\/-]+)"?$/.exec(SEARCH.trim());
  return m ? { index: m[1]!, sourcetype: m[2]! } : null;
})();

async function synthetic(dataDir: string, n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-src-'));
  const file = join(dir, 'dns.json');
  const out = createWriteStream(file);
  const t0 = Date.UTC(2017, 7, 16) / 1000;
  const span = 14 * 86400;
  const hosts = 64;
  for (let i = 0; i < n; i++) {
    const t = t0 + Math.floor((i / n) * span);
    const src = `10.0.${2 + (i % 3)}.${100 + (i % hosts)}`;
    const q = i % 50 === 0 ? `${(i * 2654435761 >>> 0).toString(36)}.hildegardsfarm.com` : `www${i % 97}.example${i % 13}.com`;
    const line = JSON.stringify({
      endtime: new Date(t * 1000).toISOString(),
      timestamp: new Date(t * 1000).toISOString(),
      protocol_stack: 'ip:udp:dns',
      transport: 'udp',
      src_ip: src,
      src_port: 50000 + (i % 15000),
      dest_ip: i % 4 ? '10.0.1.100' : '8.8.8.8',
      dest_port: 53,
      bytes_in: 60 + (i % 40),
      bytes_out: 120 + (i % 200),
      message_type: [i % 2 ? 'RESPONSE' : 'QUERY'],
      query: [q],
      query_type: ['A'],
      reply_code: 'NoError',
      transaction_id: i % 65536,
    });
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const store = await Store.open(dataDir);
  const t = Date.now();
  const r = await ingestPaths(store, [file], { index: 'botsv2', sourcetype: 'stream:dns', tz: 'UTC' });
  console.log(`ingested ${r.ingested.toLocaleString('en-US')} synthetic stream:dns events in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The same screens as plain SQL on the store's connection: ms for the first page, timeline, summary. */
async function rawSql(store: Store, index: string, sourcetype: string): Promise<{ firstEvents: number; timeline: number; summary: number }> {
  const conn = await store.connect();
  try {
    const t = (await conn.runAndReadAll(`SELECT tbl FROM _quarry_tables WHERE sourcetype = ${sqlString(sourcetype)}`)).getRows()[0]?.[0];
    const from = `${quoteIdent(String(t))} WHERE "index" = ${sqlString(index)}`;
    let t0 = performance.now();
    (await conn.runAndReadAll(`SELECT * FROM ${from} ORDER BY _time DESC, _raw LIMIT 100`)).getRowObjectsJS();
    const firstEvents = performance.now() - t0;
    t0 = performance.now();
    const [mn, mx] = (await conn.runAndReadAll(`SELECT epoch_us(min(_time))::BIGINT, epoch_us(max(_time))::BIGINT FROM ${from}`)).getRows()[0]!;
    const span = chooseSpan(Number(mn), Number(mx) + 1) * 1e6;
    (await conn.runAndReadAll(`SELECT (epoch_us(_time) // ${span}) * ${span} AS b, count(*)::BIGINT AS n FROM ${from} GROUP BY b ORDER BY b`)).getRowObjectsJS();
    const timeline = performance.now() - t0;
    t0 = performance.now();
    (await conn.runAndReadAll(`SUMMARIZE (SELECT * FROM ${from} ORDER BY _time DESC LIMIT 100000)`)).getRowObjectsJS();
    const summary = performance.now() - t0;
    return { firstEvents, timeline, summary };
  } finally {
    conn.closeSync();
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`workbench bench skipped: no Chromium at ${CHROMIUM} (run scripts/ensure-chromium.sh)`);
    return;
  }
  let dataDir = arg('data');
  let tmp: string | null = null;
  if (!dataDir) dataDir = tmp = mkdtempSync(join(tmpdir(), 'quarry-bench-'));
  if (!existsSync(join(dataDir, 'quarry.duckdb'))) await synthetic(dataDir, Number(arg('events') ?? 1_000_000));
  const store = await Store.open(dataDir);
  const cat = (await store.catalog()).filter((c) => c.index === 'botsv2' && c.sourcetype === 'stream:dns');
  console.log(`data: ${dataDir} · stream:dns events: ${cat.reduce((a, c) => a + c.eventCount, 0).toLocaleString('en-US')}`);
  let engine;
  try {
    engine = await loadEngine();
  } catch {
    // before the SPL engine exists: the tests' stand-in (index=/sourcetype= only)
    engine = (await import('../test/server/helpers.js')).fakeEngine;
    console.log('note: SPL engine not found, using the test stand-in engine');
  }
  const app = await buildApp({ store, engine, auth: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url + '/');
  await page.waitForSelector('.cm-content');
  const rows: Record<string, number>[] = [];
  const raw: Record<string, number>[] = [];
  const load: number[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      await page.click('.cm-content');
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(SEARCH);
      const runs = await page.evaluate(() => (window as unknown as { __quarry: { runs: number } }).__quarry.runs);
      load.push(loadavg()[0]!);
      await page.keyboard.press('Enter');
      await page.waitForFunction((k) => {
        const w = window as unknown as { __quarry: { runs: number; marks: Record<string, number> } };
        return w.__quarry.runs > k && w.__quarry.marks.summary !== undefined && document.querySelector('.ev-row .ev-raw') !== null;
      }, runs, { timeout: 120_000 });
      const m = await page.evaluate(() => (window as unknown as { __quarry: { marks: Record<string, number> } }).__quarry.marks);
      rows.push({
        firstEvents: m.firstEvents! - m.enter!,
        timeline: m.timeline! - m.enter!,
        done: m.done! - m.enter!,
        summary: m.summary! - m.enter!,
      });
      // the baseline right after, under the same load (the page is idle by now)
      if (BASELINE) raw.push(await rawSql(store, BASELINE.index, BASELINE.sourcetype));
      console.log(
        `run ${r + 1}: first events ${rows[r]!.firstEvents!.toFixed(0)} ms · timeline ${rows[r]!.timeline!.toFixed(0)} ms · job done ${rows[r]!.done!.toFixed(0)} ms · fields summary ${rows[r]!.summary!.toFixed(0)} ms` +
          (raw[r] ? ` | raw SQL: first page ${raw[r]!.firstEvents!.toFixed(0)} ms · timeline ${raw[r]!.timeline!.toFixed(0)} ms · SUMMARIZE ${raw[r]!.summary!.toFixed(0)} ms` : ''),
      );
    }
    const med = (xs: Record<string, number>[], k: string) => (xs.length ? median(xs.map((x) => x[k]!)) : NaN);
    const line = (what: string, k: string, base: string, baseK?: string) => ({
      'Enter →': what,
      'workbench (ms)': Math.round(med(rows, k)),
      'raw SQL baseline': baseK && raw.length ? `${Math.round(med(raw, baseK))} ms (${base})` : base,
      ratio: baseK && raw.length ? `${(med(rows, k) / med(raw, baseK)).toFixed(1)}×` : '',
    });
    printTable(`median of ${RUNS} runs · ${SEARCH} · load average during the runs ${median(load).toFixed(2)} (1 min), ${loadavg().map((x) => x.toFixed(2)).join(' ')} now`, [
      line('first page of events on screen', 'firstEvents', 'newest 100, all columns', 'firstEvents'),
      line('timeline drawn', 'timeline', 'min/max + counts per bucket', 'timeline'),
      line('job done', 'done', '—'),
      line('fields summary shown', 'summary', 'SUMMARIZE newest 100k', 'summary'),
    ]);
    const ok = median(rows.map((r) => Math.max(r.firstEvents!, r.timeline!))) < 1000;
    console.log(`\nfirst page of events and timeline under 1 s: ${ok ? 'yes' : 'NO'}`);
    // Scrolling the virtualised list: jump deep into the kept events and time the rows' arrival.
    const total = await page.evaluate(() => Number(document.querySelector('.events')?.getAttribute('data-total')));
    for (const frac of [0.5, 0.999]) {
      const t0 = Date.now();
      const target = await page.evaluate((f) => {
        const sc = document.querySelector('.ev-scroll') as HTMLElement;
        sc.scrollTop = Math.floor((sc.scrollHeight - sc.clientHeight) * f);
        return Math.floor(sc.scrollTop / 68);
      }, frac);
      await page.waitForFunction((i) => {
        const rows = [...document.querySelectorAll('.ev-row')].filter((r) => r.querySelector('.ev-raw'));
        return rows.some((r) => Math.abs(Number((r as HTMLElement).dataset.index) - i) < 20);
      }, target, { timeout: 30_000 });
      const domRows = await page.evaluate(() => document.querySelectorAll('.ev-row').length);
      console.log(`scroll to event ${target.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}: rows on screen in ${Date.now() - t0} ms (${domRows} rows in the DOM)`);
    }
  } finally {
    await browser.close();
    await app.close();
    store.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
