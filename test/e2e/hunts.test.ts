/**
 * The workbench on a small generated Frothly network (src/gen), in Chromium: the first-run page
 * explains the data; a seed search shows events and a timeline that zooms; the hunts page runs
 * the DNS hunt step by step, shows the truth file's tunnel domain as a finding, its step SPL opens
 * in the search page over the same range, and the saved HTML report opens under a strict policy.
 * Screenshots land in $QUARRY_SHOTS (default: quarry-screenshots in the temp dir).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ingestPaths } from '../../src/ingest/index.js';
import type { HuntRun } from '../../src/shared/api-types.js';
import type { HuntsModule } from '../../src/server/optional.js';
import { Store } from '../../src/store/index.js';
import { chromiumMissing, openPage, realEngine, search, SHOTS, startWorkbenchOn, waitRun, type Workbench } from './harness.js';
import { tempDir } from '../util.js';

const here = dirname(fileURLToPath(import.meta.url));
const genPath = join(here, '..', '..', 'src', 'gen', 'index.js');
const huntsPath = join(here, '..', '..', 'src', 'hunts', 'index.js');
/** the attack at full size, a two-hundredth of the background: ~46k events */
const SCALE = 0.005;

const skip = chromiumMissing() || (!existsSync(genPath) || !existsSync(huntsPath) ? 'the generator or the hunts are not in this build' : false);
if (skip) console.log(`# hunts e2e skipped: ${skip}`);

interface Truth {
  findings: { role: string; value: string }[];
}

describe('hunts page on a generated Frothly network', { skip: skip || undefined }, () => {
  let wb: Workbench;
  let truth: Truth;
  before(async () => {
    if (!(await realEngine())) throw new Error('the SPL engine is missing');
    const { generateFrothly } = (await import(genPath)) as { generateFrothly: (o: Record<string, unknown>) => Promise<unknown> };
    const hunts = (await import(huntsPath)) as HuntsModule;
    const dir = tempDir('quarry-e2e-frothly-');
    const gen = join(dir, 'gen');
    await generateFrothly({ out: gen, scale: SCALE, seed: 'frothly' });
    truth = JSON.parse(readFileSync(join(gen, 'truth.json'), 'utf8')) as Truth;
    const store = await Store.open(join(dir, 'data'));
    await ingestPaths(store, [gen], { index: 'botsv2', tz: 'America/Los_Angeles' });
    // as `quarry demo` does: the asset and identity lookups next to the data
    for (const f of ['assets.csv', 'identities.csv']) copyFileSync(join(gen, f), join(store.dir, f));
    const data = {
      dir,
      store,
      cleanup() {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    wb = await startWorkbenchOn(data, { hunts });
    console.log(`# screenshots in ${SHOTS}`);
  }, { timeout: 300_000 });
  after(async () => wb?.close());

  it('the first-run page says what the data is and which searches and hunts to try', async () => {
    const { page, errors } = await openPage(wb);
    await page.waitForSelector('.ld-index');
    await page.waitForSelector('.ld-hunt-list li');
    const data = (await page.textContent('.ld-data')) ?? '';
    assert.match(data, /index=botsv2/);
    assert.match(data, /stream:dns/);
    const hunts = await page.$$eval('.ld-hunt-list .ld-hunt', (bs) => bs.map((b) => b.textContent));
    assert.ok(hunts.includes('DNS exfiltration and tunnelling'), hunts.join(', '));
    assert.ok((await page.$$('.ld-q')).length >= 8, 'seed searches to try');
    await page.screenshot({ path: join(SHOTS, 'frothly-landing.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a seed search shows events and the timeline; zooming narrows the range', async () => {
    const { page, errors } = await openPage(wb);
    await search(page, 'index=botsv2 sourcetype=stream:dns');
    await page.waitForSelector('.timeline[data-state=ready]');
    await page.waitForSelector('.ev-row .ev-raw');
    await page.waitForSelector('.fs-field[data-field=query]');
    const total = await page.evaluate(() => Number(document.querySelector('.events')?.getAttribute('data-total')));
    assert.ok(total > 1000, `events: ${total}`);
    await page.screenshot({ path: join(SHOTS, 'frothly-search.png') });
    const box = (await page.locator('.tl-canvas').boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.4, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, y, { steps: 6 });
    await page.mouse.up();
    const runs = await page.evaluate(() => window.__quarry.runs);
    await page.click('text=Zoom to selection');
    await waitRun(page, runs + 1);
    await page.waitForSelector('.timeline[data-state=ready]');
    const zoomed = await page.evaluate(() => Number(document.querySelector('.events')?.getAttribute('data-total')));
    assert.ok(zoomed > 0 && zoomed < total, `zoomed: ${zoomed} of ${total}`);
    assert.ok(new URL(page.url()).searchParams.get('earliest'));
    await page.screenshot({ path: join(SHOTS, 'frothly-zoomed.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('runs the DNS hunt: steps as they complete, the tunnel domain as a finding, SPL links, the report', async () => {
    const { page, errors } = await openPage(wb, '/hunts');
    const card = page.locator('.hn-item[data-hunt=dns-exfiltration]');
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /T1071\.004/);
    // every poll of the run, to see the steps arrive one after another
    const polls: { state: string; steps: number }[] = [];
    page.on('response', async (r) => {
      if (!/\/api\/hunts\/runs\/[0-9a-f]+$/.test(r.url())) return;
      const run = (await r.json().catch(() => null)) as HuntRun | null;
      if (run) polls.push({ state: run.state, steps: run.steps.filter(Boolean).length });
    });
    await page.screenshot({ path: join(SHOTS, 'frothly-hunts-list.png') });
    await card.locator('button', { hasText: 'Run hunt' }).click();
    // while it runs (the DNS hunt takes about a second here): completed steps above waiting ones
    await page.waitForSelector('.hn-run[data-state=running]', { timeout: 5000 }).then(() => page.screenshot({ path: join(SHOTS, 'frothly-hunt-running.png') }), () => {});
    await page.waitForSelector('.hn-run[data-state=done]', { timeout: 120_000 });
    assert.ok(polls.length > 0 && polls.at(-1)!.steps === 5, JSON.stringify(polls));
    for (let i = 1; i < polls.length; i++) assert.ok(polls[i]!.steps >= polls[i - 1]!.steps, 'steps only accumulate');

    // findings: role, value, score, why; the truth's tunnel domain among them
    const tunnel = truth.findings.find((f) => f.role === 'tunnel_domain')!.value;
    const rows = await page.$$eval('.hn-findings tbody tr', (trs) => trs.map((tr) => ({ role: tr.getAttribute('data-role'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })));
    const hit = rows.find((r) => r.role === 'tunnel_domain');
    assert.ok(hit, JSON.stringify(rows));
    assert.equal(hit.cells[1], tunnel);
    assert.ok(Number(hit.cells[2]) > 0, 'a score');
    assert.ok(hit.cells[3]!.length > 10, 'a reason');
    const headers = await page.$$eval('.hn-findings thead th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(headers.slice(0, 4), ['role', 'value', 'score', 'why']);
    // each step: status, its SPL with a link, a table; the timeline step has its chart
    const steps = await page.$$eval('.hn-step', (ss) => ss.map((s) => ({ status: s.getAttribute('data-status'), spl: s.querySelector('.hn-spl code')?.textContent ?? '', rows: s.querySelectorAll('tbody tr').length, img: s.querySelector('.hn-chart img') !== null })));
    assert.equal(steps.length, 5);
    assert.ok(steps.slice(0, 4).every((s) => s.status === 'ok' && s.rows > 0 && s.spl.startsWith('index=')), JSON.stringify(steps));
    assert.ok(steps[3]!.img, 'the tunnel timeline has a chart');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.hn-chart img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await page.screenshot({ path: join(SHOTS, 'frothly-hunt.png'), fullPage: true });
    await page.screenshot({ path: join(SHOTS, 'frothly-hunt-top.png') });
    for (const n of [2, 3, 4]) await page.locator(`.hn-step[data-step="${n}"]`).screenshot({ path: join(SHOTS, `frothly-hunt-step${n}.png`) });

    // the saved report opens (a new tab) under a policy that allows its one style block only
    const href = await page.getAttribute('.hn-run-head .hn-report', 'href');
    assert.equal(href, '/api/hunts/dns-exfiltration/report');
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('.hn-run-head .hn-report')]);
    const violations: string[] = [];
    report.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await report.waitForLoadState();
    assert.match((await report.title()) ?? '', /DNS exfiltration/);
    assert.ok(((await report.textContent('body')) ?? '').includes(tunnel));
    const h2 = await report.evaluate(() => getComputedStyle(document.querySelector('h2')!).borderBottomStyle);
    assert.equal(h2, 'solid', 'the report is styled: its style block is allowed');
    await report.screenshot({ path: join(SHOTS, 'frothly-report.png') });
    assert.deepEqual(violations, []);
    await report.close();
    const res = await fetch(wb.url + href);
    assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);

    // a step's SPL opens in the search page with that search and the hunt's range and zone
    const spl = steps[2]!.spl;
    const runs = await page.evaluate(() => window.__quarry.runs);
    await page.locator('.hn-step[data-step="3"] .hn-open').click();
    await waitRun(page, runs + 1);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/search');
    assert.equal(url.searchParams.get('q'), spl);
    assert.equal(url.searchParams.get('tz'), 'UTC');
    assert.equal(await page.textContent('.cm-content'), spl);
    await page.waitForSelector('.st-table tbody tr');
    assert.equal(await page.textContent('.tp-label'), 'All time');
    await page.goBack();
    await page.waitForSelector('.hn-item');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
