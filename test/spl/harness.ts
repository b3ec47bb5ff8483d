/**
 * Conformance harness: each case is data — the Splunk doc page it follows, input events, the SPL
 * and the rows (and field order) Splunk's documentation says come out.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store, type StoredEvent } from '../../src/store/index.js';
import { runSearch, SplError } from '../../src/search/index.js';
import { MacroTable } from '../../src/spl/macros.js';
import { tempDir } from '../util.js';

export interface TestEvent {
  /** epoch seconds */
  _time: number;
  _raw?: string;
  sourcetype?: string;
  index?: string;
  host?: string;
  source?: string;
  [field: string]: unknown;
}

export interface Case {
  /** the Splunk documentation page the case follows */
  doc: string;
  name?: string;
  events?: TestEvent[];
  spl: string;
  expected?: { fields?: string[]; rows: Record<string, unknown>[] };
  /** the search must fail with an error whose message matches */
  error?: RegExp;
  /** a function to prepare the data dir (lookups) */
  setup?: (dir: string) => void;
  /** fieldformat display expected (field → display text per row) */
  formatted?: Record<string, string[]>;
  earliest?: string;
  latest?: string;
  only?: boolean;
}

/** 2017-08-25T00:00:00Z, the "now" of every case */
export const NOW = Date.UTC(2017, 7, 25, 0, 0, 0);
export const T0 = NOW / 1000 - 3600; // an hour before now, epoch seconds

function toStored(e: TestEvent): StoredEvent {
  const fields: Record<string, any> = {};
  for (const [k, v] of Object.entries(e)) {
    if (['_time', '_raw', 'sourcetype', 'index', 'host', 'source'].includes(k)) continue;
    if (v === null || v === undefined) continue;
    fields[k] = v;
  }
  const raw = e._raw ?? Object.entries(fields).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(' ');
  return {
    time: Math.round(e._time * 1e6),
    sourcetype: e.sourcetype ?? 'test',
    index: e.index ?? 'main',
    host: e.host ?? 'host1',
    source: e.source ?? 'test.log',
    raw,
    fields,
  };
}

/** Normalize a value for comparison: numbers and text alike as text; multivalue as arrays. */
function norm(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return undefined;
  // a multivalue of one value is that value in Splunk
  if (Array.isArray(v)) return v.length === 1 ? norm(v[0]) : v.map((x) => norm(x) ?? '');
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : Number(v.toPrecision(12)));
  if (typeof v === 'string' && /^-?\d+\.\d+$/.test(v)) return String(Number(Number(v).toPrecision(12)));
  return String(v);
}

function normRow(r: Record<string, unknown>, timeIsMicros: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    let x = v;
    if (k === '_time' && typeof v === 'number' && timeIsMicros) x = v / 1e6;
    const n = norm(x);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

export async function withStore<T>(events: TestEvent[], fn: (store: Store, dir: string) => Promise<T>, setup?: (dir: string) => void): Promise<T> {
  const dir = tempDir('quarry-spl-');
  if (setup) setup(dir);
  const store = await Store.open(dir);
  try {
    if (events.length) await store.append({ events: events.map(toStored), quarantined: [] });
    return await fn(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runCase(c: Case): Promise<void> {
  await withStore(
    c.events ?? [],
    async (store) => {
      let res;
      try {
        res = await runSearch(store, c.spl, { tz: 'UTC', now: NOW, macros: new MacroTable(), earliest: c.earliest, latest: c.latest });
      } catch (e) {
        if (c.error) {
          assert.ok(e instanceof SplError, `expected an SplError, got ${(e as Error).stack}`);
          assert.match((e as Error).message, c.error);
          return;
        }
        throw e;
      }
      if (c.error) assert.fail(`expected an error matching ${c.error}, got ${res.rows.length} rows`);
      const exp = c.expected!;
      if (exp.fields) assert.deepEqual(res.fields, exp.fields, 'fields');
      const actual = res.rows.map((r) => normRow(r, true));
      const want = exp.rows.map((r) => normRow(r, false));
      assert.deepEqual(actual, want);
      if (c.formatted) assert.deepEqual(res.formatted, c.formatted, 'fieldformat display');
    },
    c.setup,
  );
}

/** Register the cases of one command as node:test tests. */
export function cases(command: string, list: Case[]): void {
  list.forEach((c, i) => {
    test(`${command} #${i + 1}: ${c.name ?? c.spl}`, { only: c.only }, () => runCase(c));
  });
}
