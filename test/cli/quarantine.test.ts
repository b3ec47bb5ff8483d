/** Unreadable input is kept with its place and reason, can be shown, and retried once readable. */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, tempDir } from '../util.js';

test('quarantine list, show and retry', () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  const file = join(dir, 'mixed.json');
  // line 2 is not JSON; line 3 is empty
  writeFileSync(file, '{"time":1503600000,"a":1}\n{"time":1503600001,"a":\n\n{"time":1503600002,"a":3}\n');
  const rep = JSON.parse(cli(['ingest', '--data', data, '--index', 'q', '--sourcetype', '_json', '--json', file]).stdout);
  assert.deepEqual([rep.ingested, rep.quarantined], [2, 2]);
  const list = JSON.parse(cli(['quarantine', 'list', '--data', data, '--json']).stdout) as { id: number; line: number; reason: string }[];
  assert.deepEqual(list.map((r) => r.line), [2, 3]);
  assert.match(list[0]!.reason, /invalid JSON/);
  assert.match(list[1]!.reason, /empty line/);
  const show = cli(['quarantine', 'show', String(list[0]!.id), '--data', data]);
  assert.match(show.stdout, /line 2/);
  assert.match(show.stdout, /\{"time":1503600001,"a":$/m);
  // nothing in quarantine reads yet: retry keeps it all there
  assert.match(cli(['quarantine', 'retry', '--data', data]).stdout, /^0 of 2/);
  assert.equal(JSON.parse(cli(['quarantine', 'list', '--data', data, '--json']).stdout).length, 2);
  rmSync(dir, { recursive: true, force: true });
});
