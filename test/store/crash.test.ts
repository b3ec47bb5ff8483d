/** An ingest killed with SIGKILL at any point, then re-run, stores every event exactly once. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestPaths } from '../../src/ingest/index.js';
import { Store, type Batch } from '../../src/store/index.js';
import { BIN, cli, tempDir } from '../util.js';

// Large enough that ingest, not process start-up, fills most of a run: the kills must land mid-ingest.
const N = 150_000;

/** These tests are about the JavaScript path's batches (the native paths store a file in one transaction). */
const JS = { QUARRY_NATIVE: '0' };

test('SIGKILL mid-ingest, then re-run: each event stored exactly once', async () => {
  const dir = tempDir();
  const file = join(dir, 'dns.json');
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(JSON.stringify({ endtime: new Date(Date.UTC(2017, 7, 25) + i * 1000).toISOString(), timestamp: new Date(Date.UTC(2017, 7, 25) + i * 1000).toISOString(), flow_id: `f-${i}`, seq: i, src_ip: '10.0.0.1', dest_ip: '8.8.8.8', query: [`q${i}.example.com`], message_type: ['QUERY'], protocol_stack: 'ip:udp:dns', transport: 'udp' }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  // Time one uninterrupted run, then kill others at fractions of it.
  const t0 = Date.now();
  const full = cli(['ingest', '--data', join(dir, 'data-full'), '--index', 'main', '--batch-size', '2000', '--json', file], { env: JS });
  assert.equal(full.status, 0, full.stderr);
  const total = Date.now() - t0;
  // Kill others part-way. On a loaded machine a run's length varies, so the kill time adapts: later
  // when a kill came before the first commit, earlier when the run had already finished.
  let killedMidway = 0;
  let f = 0.5;
  for (let attempt = 0; attempt < 8 && !(attempt >= 4 && killedMidway >= 2); attempt++) {
    const delay = Math.round(total * f);
    const data = join(dir, `data-${attempt}`);
    const child = spawn(process.execPath, [BIN, 'ingest', '--data', data, '--index', 'main', '--batch-size', '2000', '--json', file], { stdio: 'ignore', env: { ...process.env, ...JS } });
    const exited = new Promise((r) => child.once('exit', r));
    await sleep(delay);
    const killed = child.exitCode === null && child.kill('SIGKILL');
    await exited;
    const rerun = cli(['ingest', '--data', data, '--index', 'main', '--batch-size', '2000', '--json', file], { env: JS });
    assert.equal(rerun.status, 0, rerun.stderr);
    const rep = JSON.parse(rerun.stdout);
    const midway = killed && rep.files[0].resumed_at > 0 && rep.ingested > 0;
    if (midway) killedMidway++;
    f = !killed ? f * 0.7 : midway ? f : f + (1 - f) / 2;
    const r = cli(['search', '--data', data, '--format', 'json', 'index=main | stats count dc(seq) AS distinct min(seq) AS lo max(seq) AS hi']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).results, [{ count: N, distinct: N, lo: 0, hi: N - 1 }], `kill after ${delay} ms`);
  }
  assert.ok(killedMidway >= 1, 'at least one kill landed between committed batches');
  rmSync(dir, { recursive: true, force: true });
});

test('SIGKILL during a native Stream ingest (one transaction per file), then re-run: each event stored exactly once', async () => {
  const dir = tempDir();
  const file = join(dir, 'dns.json');
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(JSON.stringify({ endtime: new Date(Date.UTC(2017, 7, 25) + i * 1000).toISOString(), flow_id: `f-${i}`, seq: i, src_ip: '10.0.0.1', query: [`q${i}.example.com`], protocol_stack: i % 3 ? 'ip:udp:dns' : 'ip:tcp:smb' }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  const t0 = Date.now();
  const full = cli(['ingest', '--data', join(dir, 'data-full'), '--index', 'main', '--json', file]);
  assert.equal(full.status, 0, full.stderr);
  assert.equal(JSON.parse(full.stdout).files[0].native, true, full.stdout);
  const total = Date.now() - t0;
  let killed = 0;
  for (const [attempt, f] of [0.4, 0.6, 0.8].entries()) {
    const data = join(dir, `data-${attempt}`);
    const child = spawn(process.execPath, [BIN, 'ingest', '--data', data, '--index', 'main', '--json', file], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await sleep(Math.round(total * f));
    if (child.exitCode === null && child.kill('SIGKILL')) killed++;
    await exited;
    const rerun = cli(['ingest', '--data', data, '--index', 'main', '--json', file]);
    assert.equal(rerun.status, 0, rerun.stderr);
    const r = cli(['search', '--data', data, '--format', 'json', 'index=main | stats count dc(seq) AS distinct min(seq) AS lo max(seq) AS hi']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).results, [{ count: N, distinct: N, lo: 0, hi: N - 1 }], `kill at ${f} of the run`);
  }
  assert.ok(killed >= 1, 'at least one kill landed during the ingest');
  rmSync(dir, { recursive: true, force: true });
});

test('a file that grows is re-ingested from where it stopped', () => {
  const dir = tempDir();
  const file = join(dir, 'live.json');
  const data = join(dir, 'data');
  const ev = (i: number) => JSON.stringify({ time: 1503600000 + i, n: i }) + '\n';
  writeFileSync(file, ev(0) + ev(1));
  assert.equal(JSON.parse(cli(['ingest', '--data', data, '--index', 'live', '--json', file]).stdout).ingested, 2);
  writeFileSync(file, ev(0) + ev(1) + ev(2), { flag: 'w' });
  const second = JSON.parse(cli(['ingest', '--data', data, '--index', 'live', '--json', file]).stdout);
  assert.equal(second.ingested, 1, 'only the new line is read');
  const r = JSON.parse(cli(['search', '--data', data, '--format', 'json', 'index=live | stats count']).stdout);
  assert.equal(r.results[0].count, 3);
  rmSync(dir, { recursive: true, force: true });
});

test('a mixed file (tables commit on their own) failing at any commit, then re-run: each event stored once', async () => {
  // Two sourcetypes in one file, 2:1, and malformed lines: the smb table fills its batches twice
  // as fast as the dns one, so commits hold one table (or the quarantine) and the file's
  // safe offset lags behind; a re-run must skip what each table already has.
  const dir = tempDir();
  const file = join(dir, 'mixed.json');
  const n = 6000;
  const lines: string[] = [];
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if (i % 997 === 500) { lines.push(`{"broken ${i}`); bad++; continue; }
    const dns = i % 3 === 0;
    lines.push(JSON.stringify({ timestamp: new Date(Date.UTC(2017, 7, 25) + i * 1000).toISOString(), seq: i, src_ip: '10.0.0.1', dest_ip: '10.0.0.2', protocol_stack: dns ? 'ip:udp:dns' : 'ip:tcp:smb', ...(dns ? { query: [`q${i}.example.com`] } : { filename: `f${i}.pdf` }) }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
  const want = { dns: lines.filter((l) => l.includes('ip:udp:dns')).length, smb: lines.filter((l) => l.includes('ip:tcp:smb')).length };
  const count = async (store: Store, st: string) =>
    (await store.conn.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT seq) AS d FROM "ev_${st}"`)).getRowObjectsJS().map((r) => [Number(r.n), Number(r.d)])[0];
  let resumedPastZero = 0;
  for (const failAt of [1, 2, 3, 5, 7, 8]) {
    const data = join(dir, `data-${failAt}`);
    const store = await Store.open(data);
    const append = store.append.bind(store);
    let calls = 0;
    store.append = (b: Batch) => (++calls === failAt ? Promise.reject(new Error('simulated crash')) : append(b));
    await assert.rejects(ingestPaths(store, [file], { index: 'main', tz: 'UTC', batchSize: 700 }), /simulated crash/);
    store.close();
    const again = await Store.open(data);
    try {
      const rep = await ingestPaths(again, [file], { index: 'main', tz: 'UTC', batchSize: 700 });
      if (rep.files[0]!.resumed_at > 0) resumedPastZero++;
      assert.deepEqual(await count(again, 'stream:dns'), [want.dns, want.dns], `dns, failing at commit ${failAt}`);
      assert.deepEqual(await count(again, 'stream:smb'), [want.smb, want.smb], `smb, failing at commit ${failAt}`);
      assert.equal(await again.quarantineCount(), bad, `quarantine, failing at commit ${failAt}`);
      // and a third run finds nothing new
      const third = await ingestPaths(again, [file], { index: 'main', tz: 'UTC', batchSize: 700 });
      assert.equal(third.ingested + third.quarantined, 0);
    } finally {
      again.close();
    }
  }
  assert.ok(resumedPastZero >= 3, `re-runs resumed past the start: ${resumedPastZero}`);
  rmSync(dir, { recursive: true, force: true });
});

test('a full batch of one table commits alone, with exactly the batch size of rows', async () => {
  const dir = tempDir();
  const file = join(dir, 'mixed.json');
  const lines = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ timestamp: new Date(Date.UTC(2017, 7, 25) + i * 1000).toISOString(), seq: i, protocol_stack: i % 4 === 0 ? 'ip:udp:dns' : 'ip:tcp:smb' }),
  );
  writeFileSync(file, lines.join('\n') + '\n');
  const store = await Store.open(join(dir, 'data'));
  try {
    const append = store.append.bind(store);
    const commits: string[] = [];
    store.append = (b: Batch) => {
      const ev = b.events as unknown as { tables: Map<string, { rows: number }> };
      commits.push([...ev.tables].map(([st, t]) => `${st}:${t.rows}`).sort().join(','));
      return append(b);
    };
    await ingestPaths(store, [file], { index: 'main', tz: 'UTC', batchSize: 1000, native: false });
    // smb has 2,250 events: two full batches alone, then the rest of both tables at the end
    assert.deepEqual(commits, ['stream:smb:1000', 'stream:smb:1000', 'stream:dns:750,stream:smb:250']);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
