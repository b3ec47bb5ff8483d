/**
 * The CLI as a user runs it, on the bundled Splunk Stream sample. Expected rows are computed here
 * straight from the sample files (JSON.parse and Splunk's token rule), not copied from Quarry.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, SAMPLES, tempDir } from '../util.js';

const data = join(tempDir(), 'data');
const streamDir = join(SAMPLES, 'stream');
interface Ev { raw: string; obj: Record<string, any>; st: string }
const events: Ev[] = [];
for (const f of readdirSync(streamDir)) {
  const st = 'stream:' + f.replace(/^stream-|\.json$/g, '');
  for (const raw of readFileSync(join(streamDir, f), 'utf8').split('\n')) if (raw) events.push({ raw, obj: JSON.parse(raw), st });
}

before(() => {
  const r = cli(['ingest', '--data', data, '--index', 'botsv2', '--json', streamDir]);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(join(data, '..'), { recursive: true, force: true }));

const search = (spl: string, ...extra: string[]) => cli(['search', '--data', data, '--tz', 'America/Los_Angeles', '--format', 'json', ...extra, spl]);
const json = (spl: string) => {
  const r = search(spl);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { fields: string[]; results: Record<string, unknown>[] };
};

test('ingest --json reports counts per sourcetype, and a re-run stores nothing twice', () => {
  const again = cli(['ingest', '--data', data, '--index', 'botsv2', '--json', streamDir]);
  const rep = JSON.parse(again.stdout);
  assert.equal(rep.ingested, 0, 'already ingested files are skipped');
  const r = json('index=botsv2 | stats count by sourcetype');
  const expected: Record<string, number> = {};
  for (const e of events) expected[e.st] = (expected[e.st] ?? 0) + 1;
  assert.deepEqual(Object.fromEntries(r.results.map((x) => [x.sourcetype, x.count])), expected);
});

test('seed: office-file mentions by sourcetype, stream:smb first', () => {
  const r = json('index="botsv2" (.pdf OR .tgz OR .doc OR .xls) | stats count by sourcetype | sort - count');
  const token = /\.(pdf|tgz|doc|xls)(?=$|[\s[\]<>(){}|!;,'"*&?+/:=@.\-$#%\\_])/i;
  const expected: Record<string, number> = {};
  for (const e of events) if (token.test(e.raw)) expected[e.st] = (expected[e.st] ?? 0) + 1;
  const want = Object.entries(expected).sort((a, b) => b[1] - a[1]).map(([sourcetype, count]) => ({ sourcetype, count }));
  assert.deepEqual(r.fields, ['sourcetype', 'count']);
  assert.deepEqual(r.results, want);
  assert.equal(r.results[0]!.sourcetype, 'stream:smb');
});

test('seed: the staging flow read volume, in MB, by src/dest', () => {
  const spl = 'index="botsv2" sourcetype="stream:smb" flow_id=d7370639-8ca9-40d3-a5f8-dd6547d4ff99  command="smb2 read" | stats count sum(bytes_in) AS b_in sum(bytes_out) AS b_out by src_ip dest_ip | eval mb_in=round((b_in/1024/1024),2) | eval mb_out=round((b_out/1024/1024),2) | fields - b_in b_out';
  const r = json(spl);
  const reads = events.filter((e) => e.st === 'stream:smb' && e.obj.flow_id === 'd7370639-8ca9-40d3-a5f8-dd6547d4ff99' && e.obj.command === 'smb2 read');
  const bin = reads.reduce((a, e) => a + e.obj.bytes_in, 0);
  const bout = reads.reduce((a, e) => a + e.obj.bytes_out, 0);
  assert.deepEqual(r.fields, ['src_ip', 'dest_ip', 'count', 'mb_in', 'mb_out']);
  assert.deepEqual(r.results, [{ src_ip: '10.0.2.107', dest_ip: '10.0.1.101', count: reads.length, mb_in: Math.round((bin / 1024 / 1024) * 100) / 100, mb_out: Math.round((bout / 1024 / 1024) * 100) / 100 }]);
  assert.ok(bout > 1e9, 'the sample flow reads over a gigabyte from the server (bytes_out: server to client)');
});

test('seed searches that use src/dest aliases and multivalue query run verbatim', () => {
  const ftp = json('index=botsv2 sourcetype=stream:ftp src=10.0.2.107 dest=160.153.91.7 method!=PORT method!=TYPE method!=NLST | table _time src filename method method_parameter | sort + _time');
  const want = events.filter((e) => e.st === 'stream:ftp' && !['PORT', 'TYPE', 'NLST'].includes(e.obj.method));
  assert.equal(ftp.results.length, want.length);
  assert.deepEqual(ftp.fields, ['_time', 'src', 'filename', 'method', 'method_parameter']);
  assert.equal(ftp.results[0]!.method, 'USER');
  assert.match(String(ftp.results[0]!._time), /^2017-08-25T20:\d\d:\d\d\.\d{3}-07:00$/, '_time in ISO 8601 with the --tz offset');
  const dns = json('index="botsv2" sourcetype="stream:dns" hildegardsfarm.com message_type=QUERY |table _time query src dest');
  const wantDns = events.filter((e) => e.st === 'stream:dns' && /hildegardsfarm\.com/.test(e.raw) && e.obj.message_type.includes('QUERY'));
  assert.equal(dns.results.length, wantDns.length);
  const two = json('index="botsv2" sourcetype="stream:dns" message_type=RESPONSE | head 1 | table query');
  assert.ok(Array.isArray(two.results[0]!.query), 'multivalue fields are JSON arrays');
  assert.equal(typeof dns.results[0]!.query, 'string', 'a multivalue field with one value reads as that value');
});

test('csv neutralises formulas; table aligns; jsonl is one object per line', () => {
  const csv = search('index=botsv2 sourcetype=stream:ftp method=USER | eval evil="=HYPERLINK(\\"x\\")", neg=-5 | table method evil neg', '--format', 'csv');
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(csv.stdout, 'method,evil,neg\nUSER,"\'=HYPERLINK(""x"")",\'-5\n');
  const t = search('index=botsv2 | stats count by sourcetype', '--format', 'table');
  assert.match(t.stdout, /^sourcetype\s+count\n-+\s+-+\nstream:dns\s+161\n/);
  const jl = search('index=botsv2 | stats count by sourcetype', '--format', 'jsonl');
  assert.equal(jl.stdout.trim().split('\n').length, 3);
});

test('a malformed search exits 2 with line:column and a caret; an unknown field is just null', () => {
  const bad = search('index=botsv2 | stats count bye src');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /error at 1:\d+:/);
  assert.match(bad.stderr, /\^/);
  const unknownCmd = search('index=botsv2 | frobnicate');
  assert.equal(unknownCmd.status, 2);
  assert.match(unknownCmd.stderr, /unknown command "frobnicate"/);
  const unknownField = json('index=botsv2 nosuchfield=* | stats count');
  assert.deepEqual(unknownField.results, [{ count: 0 }]);
});

test('quarry --help and a command\'s --help', () => {
  const h = cli(['--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /ingest/);
  assert.match(cli(['search', '--help']).stdout, /--format table\|csv\|json\|jsonl/);
  assert.equal(cli(['nope']).status, 2);
});
