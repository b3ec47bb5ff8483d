/**
 * Hunt runs for the hunts page: a run starts in the background and is polled; each step shows up
 * in its status as soon as it completes (its SPL, rows or ranking, chart, notes), the findings
 * and the saved HTML report (DATA/reports/<hunt>.html, as `quarry demo` writes them) when it ends.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HuntFinding, HuntInfo, HuntRun, HuntStep, Row } from '../shared/api-types.js';
import type { Store } from '../store/index.js';
import type { HuntsModule } from './optional.js';

/** the part of a step result (src/hunts/types.ts StepResult) the page shows */
interface StepIn extends Omit<HuntStep, 'chart'> {
  chart?: { svg: string; title: string };
}

interface RunRecord {
  status: HuntRun;
  charts: Map<number, string>;
  touched: number;
}

export interface HuntRunOptions {
  index?: string;
  earliest?: string;
  latest?: string;
  tz: string;
}

export class HuntRuns {
  private runs = new Map<string, RunRecord>();

  constructor(
    private readonly store: Store,
    private readonly hunts: HuntsModule,
    private readonly ttlMs = 30 * 60_000,
    private readonly maxRuns = 20,
  ) {}

  reportDir(): string {
    return join(this.store.dir, 'reports');
  }

  /** the last saved HTML report of a hunt, or null */
  reportFile(id: string): string | null {
    if (!/^[\w.-]+$/.test(id)) return null;
    const f = join(this.reportDir(), `${id}.html`);
    return existsSync(f) ? f : null;
  }

  async list(): Promise<HuntInfo[]> {
    const list = (await this.hunts.listHunts()) as unknown as Omit<HuntInfo, 'report'>[];
    return list.map((hu) => {
      const f = this.reportFile(hu.id);
      return { ...hu, report: f ? { url: `/api/hunts/${encodeURIComponent(hu.id)}/report`, saved: statSync(f).mtime.toISOString() } : null };
    });
  }

  /** start a run; null when there is no such hunt */
  async start(id: string, o: HuntRunOptions): Promise<HuntRun | null> {
    const info = (await this.list()).find((x) => x.id === id);
    if (!info) return null;
    this.expire();
    const rid = randomBytes(8).toString('hex');
    const status: HuntRun = {
      rid, hunt: id, title: info.title, state: 'running', started: new Date().toISOString(), elapsedMs: 0,
      index: o.index ?? '*', earliest: o.earliest ?? '', latest: o.latest ?? '', tz: o.tz,
      plan: info.steps, steps: [], findings: [], report: null,
    };
    const rec: RunRecord = { status, charts: new Map(), touched: Date.now() };
    this.runs.set(rid, rec);
    const t0 = Date.now();
    const onStep = (s: StepIn, i: number) => {
      const { chart, ...rest } = s;
      const step: HuntStep = { ...rest, rows: rest.rows.slice(0, 50) };
      if (chart) {
        rec.charts.set(i, chart.svg);
        step.chart = { title: chart.title, url: `/api/hunts/runs/${rid}/steps/${i}/chart.svg` };
      }
      status.steps[i] = step;
      status.elapsedMs = Date.now() - t0;
    };
    void (async () => {
      try {
        const res = (await this.hunts.runHunt(this.store, id, { index: o.index, earliest: o.earliest || undefined, latest: o.latest || undefined, tz: o.tz, onStep })) as { findings: HuntFinding[] };
        status.findings = res.findings.map((f) => ({ ...f, evidence: { search: f.evidence.search, rows: f.evidence.rows.slice(0, 10) as Row[] } }));
        if (this.hunts.saveReport) {
          this.hunts.saveReport(this.store, res, { outDir: this.reportDir(), format: 'html', tz: o.tz });
          status.report = `/api/hunts/${encodeURIComponent(id)}/report`;
        }
        status.state = 'done';
      } catch (e) {
        status.state = 'failed';
        status.error = (e as Error).message;
      }
      status.elapsedMs = Date.now() - t0;
    })();
    return status;
  }

  get(rid: string): RunRecord | undefined {
    const r = this.runs.get(rid);
    if (r) r.touched = Date.now();
    return r;
  }

  private expire(): void {
    const now = Date.now();
    for (const [rid, r] of this.runs) if (r.status.state !== 'running' && now - r.touched > this.ttlMs) this.runs.delete(rid);
    const done = [...this.runs].filter(([, r]) => r.status.state !== 'running').sort((a, b) => a[1].touched - b[1].touched);
    while (this.runs.size >= this.maxRuns && done.length) this.runs.delete(done.shift()![0]);
  }
}

/**
 * The report is a self-contained HTML file with one inline <style> and no scripts: it is served
 * with a policy that allows exactly that style block (by its hash) and nothing else.
 */
export function reportCsp(html: string): string {
  const head = html.split('</head>')[0]!;
  const styles = [...head.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]!);
  const hashes = styles.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  return ["default-src 'none'", `style-src ${hashes.join(' ') || "'none'"}`, 'img-src data:', "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');
}

