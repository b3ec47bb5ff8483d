/**
 * Flat memory on a big file (opt-in, not in `npm run bench`: it writes gigabytes).
 *
 *   node dist/bench/bigfile.js [GB=5] [dir=os tmpdir]
 *
 * Streams a Splunk Stream JSON file of the given size to a temp dir, ingests it into a fresh
 * store, samples RSS every second and prints peak RSS and RSS at 10/50/90% of the bytes read,
 * against the RSS after opening the store (the baseline). Everything is deleted afterwards.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from '../src/ingest/index.js';
import { INGEST_MEMORY_LIMIT, Store } from '../src/store/index.js';
import { printTable } from './lib.js';

const GB = Number(process.argv[2] ?? 5);
const ROOT = process.argv[3] ?? tmpdir();

async function writeStream(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const t0 = Date.UTC(2017, 7, 1);
  let written = 0;
  let i = 0;
  while (written < bytes) {
    const parts: string[] = [];
    for (let k = 0; k < 1000; k++, i++) {
      const t = new Date(t0 + i * 13).toISOString();
      const q = `host${rnd(5000)}.example${rnd(50)}.com`;
      parts.push(`{"endtime":"${t}","timestamp":"${t}","bytes":${100 + rnd(400)},"bytes_in":60,"bytes_out":${40 + rnd(400)},"dest_ip":"10.0.1.${rnd(250)}","dest_port":53,"flow_id":"${i.toString(16)}","message_type":["QUERY","RESPONSE"],"protocol_stack":"ip:udp:dns","query":["${q}"],"query_type":["A"],"reply_code":"NoError","src_ip":"10.0.${rnd(8)}.${rnd(250)}","src_port":${1024 + rnd(60000)},"transaction_id":${rnd(65536)},"transport":"udp","ttl":[${rnd(3600)}]}\n`);
    }
    const chunk = parts.join('');
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return i;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(ROOT, 'quarry-bigfile-'));
  try {
    const file = join(dir, 'big.json');
    process.stderr.write(`writing ${GB} GB of Stream JSON to ${file}...\n`);
    const lines = await writeStream(file, GB * 1e9);
    const size = statSync(file).size;
    const store = await Store.open(join(dir, 'data'), { memoryLimit: process.env.QUARRY_MEMORY_LIMIT ?? INGEST_MEMORY_LIMIT });
    const baseline = process.memoryUsage.rss();
    const baselineHeap = process.memoryUsage().heapTotal;
    let peak = baseline;
    let peakHeap = 0;
    let progress = 0;
    const samples: { at: number; rss: number; heap: number }[] = [];
    const timer = setInterval(() => {
      const { rss, heapTotal } = process.memoryUsage();
      peak = Math.max(peak, rss);
      peakHeap = Math.max(peakHeap, heapTotal);
      samples.push({ at: progress, rss, heap: heapTotal });
      if (process.env.BENCH_TRACE) process.stderr.write(`${(progress * 100).toFixed(0)}% rss ${Math.round(rss / 1e6)} MB, JS heap ${Math.round(heapTotal / 1e6)} MB\n`);
    }, 1000);
    const t = performance.now();
    const rep = await ingestPaths(store, [file], {
      index: 'main',
      tz: 'UTC',
      onProgress: (p) => { progress = p.bytes / size; },
    });
    const secs = (performance.now() - t) / 1000;
    clearInterval(timer);
    store.close();
    const sampleAt = (f: number) => samples.find((s) => s.at >= f);
    const at = (f: number) => sampleAt(f)?.rss ?? NaN;
    const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
    const heapAt = (f: number) => mb(sampleAt(f)?.heap ?? NaN);
    printTable(`bigfile: ${(size / 1e9).toFixed(2)} GB, ${rep.ingested.toLocaleString()} of ${lines.toLocaleString()} events in ${secs.toFixed(0)} s (${Math.round(rep.ingested / secs).toLocaleString()} events/s)`, [
      { measure: 'RSS after opening the store (baseline)', rss: mb(baseline), 'of it JS heap': mb(baselineHeap), ratio: '1.00' },
      { measure: 'RSS at 10% of the file', rss: mb(at(0.1)), 'of it JS heap': heapAt(0.1), ratio: (at(0.1) / baseline).toFixed(2) },
      { measure: 'RSS at 50% of the file', rss: mb(at(0.5)), 'of it JS heap': heapAt(0.5), ratio: (at(0.5) / baseline).toFixed(2) },
      { measure: 'RSS at 90% of the file', rss: mb(at(0.9)), 'of it JS heap': heapAt(0.9), ratio: (at(0.9) / baseline).toFixed(2) },
      { measure: 'peak RSS (peak JS heap)', rss: mb(peak), 'of it JS heap': mb(peakHeap), ratio: (peak / baseline).toFixed(2) },
    ]);
    if (rep.ingested !== lines) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
