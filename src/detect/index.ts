/**
 * Detections: saved searches a hunt hands over for operations (name, SPL, cron schedule,
 * threshold, entity fields), kept in the data directory as savedsearches.json; `quarry detect run`
 * runs them and writes each firing row as a notable event to the index `notable` (sourcetype
 * quarry:notable) through the store. A notable's key is a hash of rule, entities and the row's
 * time, so a re-run over the same data writes nothing new.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fill, isSet, slotsOf } from '../hunts/params.js';
import type { DetectionDef, HuntResult, Params } from '../hunts/types.js';
import { runSearch, type Row } from '../search/index.js';
import type { Store, StoredEvent } from '../store/index.js';

export interface SavedSearch {
  name: string;
  hunt: string;
  description: string;
  search: string;
  cron_schedule: string;
  threshold: DetectionDef['threshold'];
  entities: string[];
  saved_at: string;
}

export const NOTABLE_INDEX = 'notable';
export const NOTABLE_SOURCETYPE = 'quarry:notable';

export function savedSearchesPath(dataDir: string): string {
  return join(dataDir, 'savedsearches.json');
}

export function loadSavedSearches(dataDir: string): SavedSearch[] {
  const p = savedSearchesPath(dataDir);
  if (!existsSync(p)) return [];
  const v = JSON.parse(readFileSync(p, 'utf8')) as { searches?: SavedSearch[] };
  return Array.isArray(v.searches) ? v.searches : [];
}

function writeSaved(dataDir: string, searches: SavedSearch[]): void {
  const p = savedSearchesPath(dataDir);
  writeFileSync(p + '.tmp', JSON.stringify({ searches }, null, 2) + '\n');
  renameSync(p + '.tmp', p);
}

/**
 * Save a hunt's detections with the values its run found ($tunnel_patterns$, $exfil_dests$...).
 * A detection whose slots the run could not fill is not saved (returned in `skipped`).
 */
export function saveDetections(dataDir: string, result: HuntResult, defs: DetectionDef[], extra: Params = {}): { saved: SavedSearch[]; skipped: { name: string; missing: string[] }[] } {
  const params: Params = { ...collectParams(result), ...extra };
  const existing = loadSavedSearches(dataDir);
  const saved: SavedSearch[] = [];
  const skipped: { name: string; missing: string[] }[] = [];
  for (const d of defs) {
    const missing = slotsOf(d.spl).filter((s) => !isSet(params[s]));
    if (missing.length) {
      skipped.push({ name: d.name, missing });
      continue;
    }
    saved.push({ name: d.name, hunt: result.hunt, description: d.description, search: fill(d.spl, params), cron_schedule: d.schedule, threshold: d.threshold, entities: d.entities, saved_at: new Date().toISOString() });
  }
  const names = new Set(saved.map((s) => s.name));
  writeSaved(dataDir, [...existing.filter((s) => !names.has(s.name)), ...saved]);
  return { saved, skipped };
}

/** All values the run's steps handed on (full lists, not the report's shortened copy). */
function collectParams(r: HuntResult): Params {
  const p: Params = { index: r.index };
  for (const s of r.steps) Object.assign(p, s.picked);
  return p;
}

function passes(row: Row, t: DetectionDef['threshold']): boolean {
  const v = row[t.field];
  if (v === undefined || v === null) return false;
  const a = typeof t.value === 'number' ? Number(Array.isArray(v) ? v[0] : v) : String(v);
  const b = t.value;
  switch (t.op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '=': return a === b;
    case '!=': return a !== b;
  }
}

export interface NotableEvent {
  rule: string;
  hunt: string;
  time: number;
  entities: Record<string, string>;
  search: string;
  key: string;
  row: Row;
}

/** The row's own time (epoch µs) if it has one: _time, first, earliest. */
function rowTime(row: Row): number | undefined {
  for (const f of ['_time', 'first', 'earliest', 'firstTime']) {
    const v = Number(Array.isArray(row[f]) ? (row[f] as unknown[])[0] : row[f]);
    if (Number.isFinite(v) && v > 0) return v > 1e12 ? v : v * 1e6;
  }
  return undefined;
}

async function existingKeys(store: Store): Promise<Set<string>> {
  const cat = await store.catalog();
  if (!cat.some((c) => c.index === NOTABLE_INDEX && c.sourcetype === NOTABLE_SOURCETYPE)) return new Set();
  const res = await runSearch(store, `index=${NOTABLE_INDEX} sourcetype="${NOTABLE_SOURCETYPE}" | stats count by notable_key`, { tz: 'UTC', limit: 10_000_000 });
  return new Set(res.rows.map((r) => String(r.notable_key)));
}

export interface DetectRunReport {
  searches: { name: string; rows: number; fired: number; new: number; ms: number; error?: string }[];
  notables: NotableEvent[];
  written: number;
}

/** Run every saved search (earliest = since) and store new notables. */
export async function runDetections(store: Store, o: { since?: string; latest?: string; tz?: string; now?: number } = {}): Promise<DetectRunReport> {
  const searches = loadSavedSearches(store.dir);
  const seen = await existingKeys(store);
  const report: DetectRunReport = { searches: [], notables: [], written: 0 };
  const nowUs = (o.now ?? Date.now()) * 1000;
  const events: StoredEvent[] = [];
  for (const s of searches) {
    const t = Date.now();
    try {
      const res = await runSearch(store, s.search, { tz: o.tz ?? 'UTC', earliest: o.since, latest: o.latest, now: o.now, limit: 100000 });
      const fired = res.rows.filter((r) => passes(r, s.threshold));
      let fresh = 0;
      for (const row of fired) {
        const entities = Object.fromEntries(s.entities.filter((e) => row[e] !== undefined).map((e) => [e, String(row[e])]));
        // the key: rule + entities + the row's own time; a row without one is the same notable on every run
        const own = rowTime(row);
        const time = own ?? nowUs;
        const key = createHash('sha1').update(JSON.stringify([s.name, entities, own === undefined ? null : Math.trunc(own)])).digest('hex');
        const n: NotableEvent = { rule: s.name, hunt: s.hunt, time, entities, search: s.search, key, row };
        report.notables.push(n);
        if (seen.has(key)) continue;
        seen.add(key);
        fresh++;
        const raw = JSON.stringify({ rule: s.name, hunt: s.hunt, entities, search: s.search, notable_key: key, result: row });
        events.push({
          time, index: NOTABLE_INDEX, sourcetype: NOTABLE_SOURCETYPE, source: `quarry:detect:${s.name}`, host: 'quarry', raw,
          fields: { rule: s.name, hunt: s.hunt, search_name: s.name, notable_key: key, search: s.search, entities: Object.entries(entities).map(([k, v]) => `${k}=${v}`), ...Object.fromEntries(Object.entries(entities).map(([k, v]) => [`entity_${k}`, v])) },
        });
      }
      report.searches.push({ name: s.name, rows: res.rows.length, fired: fired.length, new: fresh, ms: Date.now() - t });
    } catch (e) {
      report.searches.push({ name: s.name, rows: 0, fired: 0, new: 0, ms: Date.now() - t, error: (e as Error).message });
    }
  }
  if (events.length) {
    events.sort((a, b) => a.time - b.time);
    await store.append({ events, quarantined: [] });
  }
  report.written = events.length;
  return report;
}
