/**
 * Hunt benchmark: times each hunt on a Frothly network at a given scale (default 10).
 *
 *   node dist/bench/hunts.js [--scale 10] [--data DIR] [--variant default] [--seed frothly]
 *
 * With --data pointing at an existing data directory (index botsv2) it only runs the hunts;
 * otherwise it generates the network (src/gen), ingests it, then runs them. Prints one line per
 * hunt: milliseconds, findings, and the slowest step.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestPaths } from '../src/ingest/index.js';
import { listHunts, runHunt } from '../src/hunts/index.js';
import { Store } from '../src/store/index.js';

const { values } = parseArgs({ options: { scale: { type: 'string' }, data: { type: 'string' }, variant: { type: 'string' }, seed: { type: 'string' }, index: { type: 'string' } } });
const scale = Number(values.scale ?? 10);
const index = values.index ?? 'botsv2';
let dataDir = values.data;
let lookups: string | undefined;
if (!dataDir || !existsSync(join(dataDir, 'quarry.duckdb'))) {
  const genPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'gen', 'index.js');
  if (!existsSync(genPath)) {
    process.stderr.write('bench/hunts: no --data and no generator (src/gen) in this build\n');
    process.exit(2);
  }
  const { generateFrothly } = (await import(genPath)) as { generateFrothly: (o: Record<string, unknown>) => Promise<{ events: number }> };
  const root = dataDir ?? mkdtempSync(join(tmpdir(), 'quarry-bench-hunts-'));
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
  lookups = out;
}
const store = await Store.open(dataDir);
const total = (await store.catalog()).filter((c) => c.index === index).reduce((a, c) => a + c.eventCount, 0);
process.stdout.write(`hunts over ${total} events in index=${index} (scale ${values.data ? 'as stored' : scale})\n`);
for (const h of listHunts()) {
  const t = Date.now();
  const r = await runHunt(store, h.id, { index, lookupsDir: lookups });
  const ms = Date.now() - t;
  const slow = [...r.steps].sort((a, b) => b.ms - a.ms)[0];
  process.stdout.write(`${h.id.padEnd(18)} ${String(ms).padStart(7)} ms  ${String(r.findings.length).padStart(5)} findings  slowest step: ${slow?.id} ${slow?.ms} ms\n`);
}
store.close();
