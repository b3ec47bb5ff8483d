/**
 * The spine benchmark: ingest 1 million Splunk Stream DNS lines, then `stats count by src_ip,
 * dest_ip` through Quarry against the same query hand-written in SQL on the same DuckDB file,
 * in the same run. Prints events/s and the ratio (medians of 5 runs).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from '../src/ingest/index.js';
import { prepareConnection, runSearch } from '../src/search/index.js';
import { Store } from '../src/store/index.js';
import { medianMs, printTable } from './lib.js';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);

async function writeDns(file: string): Promise<void> {
  const out = createWriteStream(file);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t0 = Date.UTC(2017, 7, 1);
  for (let i = 0; i < N; i++) {
    const src = `10.0.${Math.floor(rnd() * 8)}.${Math.floor(rnd() * 60) + 2}`;
    const dest = rnd() < 0.6 ? '8.8.8.8' : '10.0.1.100';
    const q = `host${Math.floor(rnd() * 5000)}.example${Math.floor(rnd() * 50)}.com`;
    const t = new Date(t0 + i * 2600).toISOString();
    const line = `{"endtime":"${t}","timestamp":"${t}","bytes":150,"bytes_in":60,"bytes_out":90,"dest_ip":"${dest}","dest_port":53,"flow_id":"${i.toString(16)}","message_type":["QUERY"],"protocol_stack":"ip:udp:dns","query":["${q}"],"query_type":["A"],"src_ip":"${src}","src_port":${50000 + (i % 10000)},"transaction_id":${i % 65535},"transport":"udp"}\n`;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-'));
  try {
    const file = join(dir, 'dns.json');
    await writeDns(file);
    const mb = statSync(file).size / 1e6;
    const store = await Store.open(join(dir, 'data'));
    const t = performance.now();
    const rep = await ingestPaths(store, [file], { index: 'main', tz: 'UTC' });
    const ingestS = (performance.now() - t) / 1000;
    const conn = await store.connect();
    await prepareConnection(conn);
    const spl = 'index=main sourcetype=stream:dns | stats count by src_ip, dest_ip';
    const hand = `SELECT src_ip, dest_ip, count(*) AS count FROM "ev_stream:dns" WHERE src_ip IS NOT NULL AND dest_ip IS NOT NULL GROUP BY ALL ORDER BY src_ip, dest_ip`;
    await runSearch(store, spl, { tz: 'UTC' }); // warm
    const q = await medianMs(5, () => runSearch(store, spl, { tz: 'UTC' }));
    const h = await medianMs(5, async () => (await conn.runAndReadAll(hand)).getRowsJS());
    printTable(`spine: ${rep.ingested.toLocaleString()} Stream DNS events (${mb.toFixed(0)} MB)`, [
      { measure: 'ingest', value: `${Math.round(rep.ingested / ingestS).toLocaleString()} events/s`, seconds: ingestS, ratio: '' },
      { measure: 'stats count by src_ip, dest_ip: quarry (median of 5)', value: `${q.median.toFixed(1)} ms`, seconds: q.median / 1000, ratio: (q.median / h.median).toFixed(2) },
      { measure: 'same, hand-written SQL (baseline)', value: `${h.median.toFixed(1)} ms`, seconds: h.median / 1000, ratio: '1.00' },
    ]);
    conn.closeSync();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
