/**
 * The hunts API behind the hunts page, with a stand-in hunts module whose second step waits for
 * the test: a run's steps show up one by one while it runs, then its findings, its chart as an
 * SVG image and its saved HTML report, served under a policy that allows only its style block.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildApp, type QuarryApp } from '../../src/server/app.js';
import type { HuntsModule } from '../../src/server/optional.js';
import type { HuntInfo, HuntRun } from '../../src/shared/api-types.js';
import { dnsEvents, fakeEngine, tempStore, type TempData } from './helpers.js';

const STYLE = 'body{color:#222}';

function fakeHunts(gate: Promise<void>): HuntsModule & { calls: Record<string, unknown>[] } {
  const calls: Record<string, unknown>[] = [];
  const step = (id: string, title: string, extra: Record<string, unknown> = {}) => ({
    id, title, why: `why ${id}`, search: `index=botsv2 ${id}`, status: 'ok', fields: ['src', 'count'], rows: [{ src: '10.0.2.107', count: 3 }], total_rows: 1, ms: 5, picked: {}, notes: [], ...extra,
  });
  return {
    calls,
    listHunts: () => [{ id: 'dns', title: 'DNS tunnel', techniques: [{ id: 'T1071.004', name: 'DNS' }], hypothesis: 'h', questions: [], steps: [{ id: 'one', title: 'One' }, { id: 'two', title: 'Two' }] }],
    async runHunt(_store, id, opts) {
      calls.push(opts);
      const onStep = opts.onStep as (s: unknown, i: number) => void;
      onStep(step('one', 'One', { chart: { svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;b&gt;</text></svg>', title: 'per hour' } }), 0);
      await gate;
      onStep(step('two', 'Two'), 1);
      return { hunt: id, findings: [{ role: 'tunnel_domain', value: 'evil.example', score: 1, why: 'many names', evidence: { search: 'index=botsv2 two', rows: [] } }] };
    },
    saveReport(store, result, o) {
      const p = `${o.outDir}/${(result as { hunt: string }).hunt}.html`;
      mkdirSync(o.outDir, { recursive: true });
      // a report like src/hunts/report.ts writes: one inline style block, no scripts
      writeFileSync(p, `<!doctype html><html><head><title>r</title><style>${STYLE}</style></head><body><h1>evil.example</h1></body></html>`);
      return p;
    },
  };
}

describe('hunts API', () => {
  let data: TempData;
  let app: QuarryApp;
  let release!: () => void;
  let hunts: ReturnType<typeof fakeHunts>;
  before(async () => {
    data = await tempStore(dnsEvents(10), { index: 'botsv2' });
    hunts = fakeHunts(new Promise<void>((r) => (release = r)));
    app = await buildApp({ store: data.store, engine: fakeEngine, auth: false, loadOptional: false, hunts });
  });
  after(async () => {
    await app.close();
    data.cleanup();
  });

  const run = async (rid: string) => (await app.inject({ url: `/api/hunts/runs/${rid}` })).json() as HuntRun;

  it('shows each step as it completes, then the findings and the saved report', async () => {
    const list = (await app.inject({ url: '/api/hunts' })).json() as { hunts: HuntInfo[] };
    assert.equal(list.hunts[0]!.report, null, 'no report before the first run');
    const r = await app.inject({ method: 'POST', url: '/api/hunts/dns/runs', payload: { earliest: '-30d@d', latest: 'now', tz: 'America/Los_Angeles' } });
    assert.equal(r.statusCode, 201);
    const { rid } = r.json() as { rid: string };
    assert.deepEqual(hunts.calls[0] && { e: hunts.calls[0].earliest, l: hunts.calls[0].latest, tz: hunts.calls[0].tz }, { e: '-30d@d', l: 'now', tz: 'America/Los_Angeles' });

    // the second step waits: the run shows the first one, running
    const mid = await run(rid);
    assert.equal(mid.state, 'running');
    assert.deepEqual(mid.plan.map((p) => p.id), ['one', 'two']);
    assert.deepEqual(mid.steps.map((s) => s.id), ['one']);
    assert.deepEqual([mid.earliest, mid.latest, mid.tz], ['-30d@d', 'now', 'America/Los_Angeles']);
    assert.deepEqual(mid.findings, []);
    const chart = mid.steps[0]!.chart!;
    assert.equal(chart.title, 'per hour');
    assert.equal('svg' in chart, false, 'the SVG is not in the JSON');
    const img = await app.inject({ url: chart.url });
    assert.equal(img.statusCode, 200);
    assert.match(String(img.headers['content-type']), /^image\/svg\+xml/);
    assert.match(String(img.headers['content-security-policy']), /^default-src 'none'/);

    release();
    let end = await run(rid);
    for (let i = 0; end.state === 'running' && i < 100; i++) {
      await new Promise((res) => setTimeout(res, 10));
      end = await run(rid);
    }
    assert.equal(end.state, 'done');
    assert.deepEqual(end.steps.map((s) => s.id), ['one', 'two']);
    assert.deepEqual(end.findings.map((f) => [f.role, f.value]), [['tunnel_domain', 'evil.example']]);
    assert.equal(end.report, '/api/hunts/dns/report');

    const rep = await app.inject({ url: end.report! });
    assert.equal(rep.statusCode, 200);
    assert.match(rep.body, /evil\.example/);
    const hash = createHash('sha256').update(STYLE).digest('base64');
    const csp = String(rep.headers['content-security-policy']);
    assert.ok(csp.startsWith(`default-src 'none'; style-src 'sha256-${hash}'`), csp);
    assert.doesNotMatch(csp, /script-src|unsafe/);
    const after = (await app.inject({ url: '/api/hunts' })).json() as { hunts: HuntInfo[] };
    assert.equal(after.hunts[0]!.report?.url, '/api/hunts/dns/report');
  });

  it('404s an unknown hunt, run, chart or report', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/api/hunts/nope/runs', payload: {} })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/hunts/runs/0123456789abcdef' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/hunts/runs/0123456789abcdef/steps/0/chart.svg' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/hunts/nope/report' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/hunts/..%2Fusers/report' })).statusCode, 404);
  });
});
