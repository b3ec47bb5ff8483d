/** An ingest killed with SIGKILL at any point, then re-run, stores every event exactly once. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, cli, tempDir } from '../util.js';

// Large enough that ingest, not process start-up, fills most of a run: the kills must land mid-ingest.
const N = 150_000;

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
  const full = cli(['ingest', '--data', join(dir, 'data-full'), '--index', 'main', '--batch-size', '2000', '--json', file]);
  assert.equal(full.status, 0, full.stderr);
  const total = Date.now() - t0;
  let killedMidway = 0;
  for (const delay of [0.45, 0.6, 0.75, 0.9].map((f) => Math.round(total * f))) {
    const data = join(dir, `data-${delay}`);
    const child = spawn(process.execPath, [BIN, 'ingest', '--data', data, '--index', 'main', '--batch-size', '2000', '--json', file], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await sleep(delay);
    const killed = child.exitCode === null && child.kill('SIGKILL');
    await exited;
    const rerun = cli(['ingest', '--data', data, '--index', 'main', '--batch-size', '2000', '--json', file]);
    assert.equal(rerun.status, 0, rerun.stderr);
    const rep = JSON.parse(rerun.stdout);
    if (killed && rep.files[0].resumed_at > 0 && rep.ingested > 0) killedMidway++;
    const r = cli(['search', '--data', data, '--format', 'json', 'index=main | stats count dc(seq) AS distinct min(seq) AS lo max(seq) AS hi']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).results, [{ count: N, distinct: N, lo: 0, hi: N - 1 }], `kill after ${delay} ms`);
  }
  assert.ok(killedMidway >= 1, 'at least one kill landed between committed batches');
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
