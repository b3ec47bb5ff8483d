/**
 * Hunts: list them, run one, run all and write reports. The web server calls listHunts() for
 * GET /api/hunts, runHunt() (with onStep) and saveReport() for the hunts page; `quarry demo` calls
 * runAllHunts().
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { hunt as dataStaging } from '../../hunts/data-staging.js';
import { hunt as dnsExfiltration } from '../../hunts/dns-exfiltration.js';
import { hunt as ftpExfiltration } from '../../hunts/ftp-exfiltration.js';
import { loadAssets, type Assets } from './assets.js';
import { renderReport, type ReportFormat } from './report.js';
import { executeHunt } from './runner.js';
import type { HuntDef, HuntResult, RunOptions } from './types.js';
import type { HuntOutline } from '../shared/api-types.js';

export type { Finding, HuntDef, HuntResult, RunOptions, Role, StepResult, DetectionDef } from './types.js';
export { ROLES } from './types.js';
export { renderReport, type ReportFormat } from './report.js';

export const HUNTS: HuntDef[] = [dataStaging, ftpExfiltration, dnsExfiltration];

export interface HuntSummary extends HuntOutline {
  params: Record<string, { default?: string; help: string }>;
}

export function listHunts(): HuntSummary[] {
  return HUNTS.map((h) => ({
    id: h.id, title: h.title, techniques: h.techniques, hypothesis: h.hypothesis, questions: h.questions,
    steps: h.steps.map((s) => ({ id: s.id, title: s.title })), params: h.params ?? {},
  }));
}

export function getHunt(id: string): HuntDef {
  const h = HUNTS.find((x) => x.id === id);
  if (!h) throw new Error(`unknown hunt "${id}" (known: ${HUNTS.map((x) => x.id).join(', ')})`);
  return h;
}

export async function runHunt(store: Store, id: string, opts: RunOptions = {}): Promise<HuntResult> {
  return executeHunt(store, getHunt(id), opts);
}

/** Write a hunt's report as OUTDIR/<hunt>.<html|md|json> (asset names from the lookups); returns its path. */
export function saveReport(store: Store, res: HuntResult, o: { outDir: string; format?: ReportFormat; tz?: string; lookupsDir?: string }, assetsIn?: Assets): string {
  const format = o.format ?? 'html';
  const assets = assetsIn ?? loadAssets([o.lookupsDir, store.dir].filter((d): d is string => !!d));
  mkdirSync(o.outDir, { recursive: true });
  const p = join(o.outDir, `${res.hunt}.${format}`);
  writeFileSync(p, renderReport(res, format, { tz: o.tz ?? 'America/Los_Angeles', assets }));
  return p;
}

/** Run every hunt and write one report per hunt; returns the paths written. */
export async function runAllHunts(store: Store, o: { outDir: string; format?: ReportFormat } & RunOptions): Promise<string[]> {
  const assets = loadAssets([o.lookupsDir, store.dir].filter((d): d is string => !!d));
  const paths: string[] = [];
  for (const h of HUNTS) paths.push(saveReport(store, await executeHunt(store, h, o, assets), o, assets));
  return paths;
}
