/**
 * End-to-end harness: a workbench server over a temp data dir (ingested with the real ingest
 * path) and Debian's Chromium driven by playwright-core. No browser download: when
 * /usr/bin/chromium is missing (scripts/ensure-chromium.sh installs it), the tests skip.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, type QuarryApp } from '../../src/server/app.js';
import { UserStore } from '../../src/server/auth.js';
import { loadEngine } from '../../src/server/engine.js';
import type { HuntsModule } from '../../src/server/optional.js';
import type { SearchEngine } from '../../src/search/job.js';
import { fakeEngine, tempStore, type TempData } from '../server/helpers.js';

export const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** screenshots of each step, to look at: $QUARRY_SHOTS or a folder in the temp dir */
export const SHOTS = process.env.QUARRY_SHOTS ?? join(tmpdir(), 'quarry-screenshots');

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}: run scripts/ensure-chromium.sh (apt-get install -y chromium)`;
}

export async function realEngine(): Promise<SearchEngine | null> {
  try {
    return await loadEngine();
  } catch {
    return null;
  }
}

export interface Workbench {
  data: TempData;
  app: QuarryApp;
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startWorkbench(
  lines: Record<string, unknown>[],
  opts: { index: string; sourcetype?: string; engine?: SearchEngine; users?: { name: string; password: string }[] },
): Promise<Workbench> {
  return startWorkbenchOn(await tempStore(lines, { index: opts.index, sourcetype: opts.sourcetype }), opts);
}

/** The workbench over a data dir made by the caller (closed and removed by `close()`). */
export async function startWorkbenchOn(
  data: TempData,
  opts: { engine?: SearchEngine; users?: { name: string; password: string }[]; hunts?: HuntsModule | null } = {},
): Promise<Workbench> {
  const engine = opts.engine ?? (await realEngine()) ?? fakeEngine;
  const users = new UserStore(data.store.dir);
  for (const u of opts.users ?? []) await users.setPassword(u.name, u.password);
  const app = await buildApp({ store: data.store, engine, auth: (opts.users ?? []).length > 0, users, loadOptional: false, hunts: opts.hunts ?? null });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  mkdirSync(SHOTS, { recursive: true });
  return {
    data,
    app,
    url,
    browser,
    async close() {
      await browser.close();
      await app.close();
      data.cleanup();
    },
  };
}

export interface PageWatch {
  page: Page;
  errors: string[];
  dialogs: string[];
}

export async function openPage(wb: Workbench, path = '/'): Promise<PageWatch> {
  const page = await wb.browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 501/.test(m.text())) errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(wb.url + path);
  await page.waitForSelector('.cm-content, form.login', { state: 'attached' });
  return { page, errors, dialogs };
}

/** Type a search in the bar, press Enter, wait until the job is done. */
export async function search(page: Page, spl: string): Promise<void> {
  const runs = await page.evaluate(() => window.__quarry?.runs ?? 0);
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(spl);
  await page.keyboard.press('Enter');
  await waitRun(page, runs + 1);
}

/** Wait until the page has started `n` searches and the last one is done (or failed). */
export async function waitRun(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => (window.__quarry?.runs ?? 0) >= k, n, { timeout: 15000 });
  await page.waitForFunction(() => {
    const s = document.querySelector('#status')?.getAttribute('data-state');
    const m = window.__quarry?.marks ?? {};
    return (s === 'done' && m.done !== undefined) || s === 'failed';
  }, undefined, { timeout: 20000 });
}

declare global {
  interface Window {
    __quarry: { marks: Record<string, number>; sid: string | null; runs: number };
    __pwned?: number;
  }
}
