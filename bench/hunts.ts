/**
 * Hunt benchmark: each hunt's median time over N runs on a Frothly network (default scale 10),
 * against a baseline measured in the same run on the same store: a plain full scan,
 * `index=botsv2 | stats count by sourcetype`.
 *
 *   node dist/bench/hunts.js [--scale 10] [--runs 3] [--seed-runs N] [--data DIR] [--lookups DIR] [--variant default] [--seed frothly]
 *
 * With --data pointing at an existing data directory (index botsv2) it only runs the hunts
 * (--lookups: the generator's output, for assets.csv/identities.csv); otherwise it generates the
 * network (src/gen), ingests it, then runs them. For scale it also times the write-ups' first
 * search, a term scan of every event's raw text (--seed-runs, default --runs; 0 skips it).
 * Issue 6's budget: each hunt under 10 s at scale 1.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestPaths } from '../src/ingest/index.js';
import { listHunts, runHunt, type HuntResult } from '../src/hunts/index.js';
import { runSearch } from '../src/search/index.js';
import { Store } from '../src/store/index.js';
import { medianMs, printTable } from './lib.js';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, runs: { type: 'string' }, 'seed-runs': { type: 'string' }, data: { type: 'string' }, lookups: { type: 'string' }, variant: { type: 'string' }, seed: { type: 'string' }, index: { type: 'string' } },
});
const scale = Number(values.scale ?? 10);
const runs = Number(values.runs ?? 3);
const index = values.index ?? 'botsv2';
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
let dataDir = values.data;
let lookups = values.lookups;
let cleanup: string | undefined;
if (!dataDir || !existsSync(join(dataDir, 'quarry.duckdb'))) {
  const genPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'gen', 'index.js');
  if (!existsSync(genPath)) {
    process.stderr.write('bench/hunts: no --data and no generator (src/gen) in this build\n');
    process.exit(2);
  }
  const { generateFrothly } = (await import(genPath)) as { generateFrothly: (o: Record<string, unknown>) => Promise<{ events: number }> };
  const root = dataDir ?? mkdtempSync(join(tmpdir(), 'quarry-bench-hunts-'));
  if (!dataDir) cleanup = root;
  const out = join(root, 'gen');
  dataDir = join(root, 'data');
  let t = Date.now();
  const m = await generateFrothly({ out, scale, seed: values.seed ?? 'frothly', variant: values.variant ?? 'default' });
  process.stdout.write(`generated scale ${scale}: ${m.events} events in ${Date.now() - t} ms (${out})\n`);
  const store = await Store.open(dataDir);
  t = Date.now();
  const rep = await ingestPaths(store, [out], { index, tz: 'America/Los_Angeles' });
  process.stdout.write(`ingested ${rep.ingested} events in ${Date.now() - t} ms (${dataDir})\n`);
  store.close();
  lookups ??= out;
}

const store = await Store.open(dataDir);
try {
  const total = (await store.catalog()).filter((c) => c.index === index).reduce((a, c) => a + c.eventCount, 0);
  const scan = `index=${index} | stats count by sourcetype`;
  await runSearch(store, scan, { tz: 'UTC' }); // warm the file cache once, for every measure alike
  const base = await medianMs(runs, () => runSearch(store, scan, { tz: 'UTC' }));
  const rows: Record<string, string | number>[] = [
    { measure: `baseline: ${scan}`, 'median ms': Math.round(base.median), runs: base.all.map(Math.round).join(' '), ratio: 1, findings: '', 'slowest step (last run)': '' },
  ];
  // for scale: the write-ups' first search, a term scan of every event's _raw
  const seed = `index=${index} (.pdf OR .tgz OR .doc OR .xls) | stats count by sourcetype | sort - count`;
  const seedRuns = Number(values['seed-runs'] ?? runs);
  const s = await medianMs(seedRuns, () => runSearch(store, seed, { tz: 'UTC' }));
  if (seedRuns > 0) rows.push({ measure: `seed search: ${seed}`, 'median ms': Math.round(s.median), runs: s.all.map(Math.round).join(' '), ratio: s.median / base.median, findings: '', 'slowest step (last run)': '' });
  for (const h of listHunts()) {
    let last: HuntResult | undefined;
    const m = await medianMs(runs, async () => (last = await runHunt(store, h.id, { index, lookupsDir: lookups })));
    const slow = [...last!.steps].sort((a, b) => b.ms - a.ms)[0];
    rows.push({
      measure: `hunt ${h.id}`,
      'median ms': Math.round(m.median),
      runs: m.all.map(Math.round).join(' '),
      ratio: m.median / base.median,
      findings: last!.findings.length,
      'slowest step (last run)': slow ? `${slow.id} ${Math.round(slow.ms)} ms` : '',
    });
  }
  printTable(`hunts: ${total.toLocaleString('en-US')} events in index=${index} (${values.data ? 'data as stored' : `scale ${scale}`}), median of ${runs}, load average ${load()}`, rows);
} finally {
  store.close();
  if (cleanup) rmSync(cleanup, { recursive: true, force: true });
}
