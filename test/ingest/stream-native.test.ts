/**
 * The native Stream JSON path (DuckDB's read_csv + JSON functions, src/ingest/native/stream-json.ts)
 * against the JavaScript path, which is the oracle: the same files ingested both ways into two
 * stores must leave identical tables, catalog, field list and progress. Files the native path
 * cannot store exactly must fall back, with a reason, and store what the JavaScript path stores.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { ingestPaths } from '../../src/ingest/index.js';
import { Store } from '../../src/store/index.js';
import { generated } from '../gen/helpers.js';
import { tempDir } from '../util.js';
import { OPTS, assertCrashLeavesNothing, assertSame, both } from './native-helpers.js';

const write = (dir: string, name: string, lines: (string | object)[], end = '\n'): string => {
  const p = join(dir, name);
  writeFileSync(p, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + end);
  return p;
};

/** A Stream flow record of a kind, numbered `i` (times one second apart). */
function flow(i: number, kind: 'dns' | 'smb' | 'udp', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const t = new Date(Date.UTC(2017, 7, 24) + i * 1000).toISOString().replace('Z', '123Z');
  const base = { endtime: t, timestamp: t, bytes: 100 + (i % 50), bytes_in: 40, bytes_out: 60 + (i % 50), dest_ip: '10.0.1.100', dest_port: 53, src_ip: `10.0.2.${i % 250}`, src_port: 1024 + i };
  if (kind === 'dns') return { ...base, host_addr: [`8.8.${i % 9}.8`], message_type: ['QUERY', 'RESPONSE'], name: [`h${i}.example`], protocol_stack: 'ip:udp:dns', query: [`h${i}.example`, `h${i}.example`], query_type: ['A', 'A'], reply_code: 'NoError', ttl: [300], transport: 'udp', ...extra };
  if (kind === 'smb') return { ...base, command: 'smb2 read', filename: `${i}.pdf`, login: 'alice', path: `\\\\srv\\share\\${i}.pdf`, nt_status: 0, protocol_stack: 'ip:tcp:smb', transport: 'tcp', ...extra };
  return { ...base, protocol_stack: 'ip:udp', transport: 'udp', ...extra };
}

// ------------------------------------------------------------------------------ tests

test('stream native: the generator\'s stream:dns/ftp/http/smb/tcp files store exactly what the JavaScript path stores, sourcetype from the manifest or per event', async () => {
  const { dir: gen, manifest } = await generated();
  const dir = tempDir();
  const files = manifest.files.filter((f) => f.sourcetype?.startsWith('stream:'));
  assert.deepEqual(files.map((f) => f.sourcetype).sort(), ['stream:dns', 'stream:ftp', 'stream:http', 'stream:smb', 'stream:tcp']);
  // a directory whose manifest names the sourcetypes, as the generator writes it
  const forced = join(dir, 'forced');
  mkdirSync(join(forced, 'stream'), { recursive: true });
  for (const f of files) copyFileSync(join(gen, f.path), join(forced, f.path));
  writeFileSync(join(forced, 'manifest.json'), JSON.stringify({ files }));
  const a = await both(join(dir, 'a'), [[forced]]);
  for (const f of a.native[0]!.files) assert.equal(f.native, true, `${f.path}: ${f.native_fallback}`);
  assert.ok((await assertSame(join(dir, 'a'))) > 5000);
  // the same files without the manifest (sourcetype of each event), and all of them in one file:
  // its first lines are all DNS, so the other sourcetypes appear after the first lines
  const all = join(dir, 'all.json');
  writeFileSync(all, files.map((f) => readFileSync(join(gen, f.path), 'utf8')).join(''));
  const b = await both(join(dir, 'b'), [files.map((f) => join(forced, f.path)), [all]]);
  for (const r of b.native) for (const f of r.files) assert.equal(f.native, true, `${f.path}: ${f.native_fallback}`);
  assert.deepEqual(Object.keys(b.native[1]!.by_sourcetype).sort(), ['stream:dns', 'stream:ftp', 'stream:http', 'stream:smb', 'stream:tcp']);
  assert.deepEqual(b.native.map((r) => r.by_sourcetype), b.js.map((r) => r.by_sourcetype));
  await assertSame(join(dir, 'b'));
  rmSync(dir, { recursive: true, force: true });
});

test('stream native: booleans, arrays of 0/1/n items, numbers that widen, escapes and unicode, host/index/source keys, no protocol_stack, times with offsets', async () => {
  const dir = tempDir();
  const lines: object[] = [
    flow(1, 'dns', { flag: true, tags: [], ports: [80], n: 1, s: 'caf\u00e9 "q" \\ \n\ttab', host: 'h1', index: 'i1', source: 's1' }),
    flow(2, 'dns', { flag: false, tags: ['a'], ports: [80, 443], n: 2.5, s: 'ünïcödé 日本 😀', host_addr: ['1.1.1.1', '2.2.2.2'] }),
    flow(3, 'smb', { tags: ['a', 'b'], ports: [], n: 1e2, s: '', _time: 'x' }),
    flow(4, 'udp', { n: -0, endtime: '2017-08-24T02:00:00+02:00', ports: [8080] }),
    flow(5, 'udp', { endtime: '2017-08-24T02:00:00.123456789-0130', timestamp: null }),
    flow(6, 'smb', { endtime: '2017-08-24 00:00:07Z', protocol_stack: undefined, dialect: 'SMB 3' }),
    // no protocol_stack: the sourcetype from the keys, as streamSourcetype does
    { endtime: '2017-08-24T00:00:08Z', query: ['q.example'], message_type: ['QUERY'], transport: 'udp' },
    { endtime: '2017-08-24T00:00:09Z', http_method: 'GET', uri_path: '/', dest_ip: '10.0.0.1' },
    { endtime: '2017-08-24T00:00:10Z', method: 'RETR', reply_content: 'ok', login: 'bob', protocol_stack: '' },
    { endtime: '2017-08-24T00:00:11Z', transport: 'udp', src_ip: '-' },
    { endtime: '2017-08-24T00:00:12Z', transport: 'sctp', protocol_stack: 'IP:SCTP:unknown' },
    // names of Object.prototype are no app, to either path
    { endtime: '2017-08-24T00:00:12.5Z', transport: 'tcp', protocol_stack: 'ip:tcp:constructor' },
    { timestamp: '2017-08-24T00:00:13.5Z', src_ip: '' },
    { endtime: null, timestamp: '2017-08-24T00:00:14Z', protocol_stack: 'ip:tcp:ftp', method: 'USER', login: 'carol', app: 'mine' },
  ];
  const odd = write(dir, 'odd.json', lines);
  // compact JSON is not all there is: spaces and tabs between tokens, escapes in values
  const spaced = write(dir, 'spaced.json', [
    '{ "endtime" : "2017-08-24T00:00:01Z" ,\t"protocol_stack": "ip:udp:dns", "query" : [ "a" , "b" ], "n" : 1.0, "s": "\\u00e9\\/\\b\\f" }',
    '{"endtime":"2017-08-24T00:00:02Z","protocol_stack":"ip:udp:dns","query":["c"],"n":12345678901234,"s":"x"}   ',
  ]);
  // protocol_stack as an array: no sourcetype from it, but the aliases read its one item
  const psArray = write(dir, 'ps-array.json', [
    { endtime: '2017-08-24T00:00:01Z', protocol_stack: ['ip:udp:dns'], query: 'a' },
    { endtime: '2017-08-24T00:00:02Z', protocol_stack: ['ip:tcp:http', 'x'], site: 'b' },
  ]);
  const { native } = await both(join(dir, 'a'), [[odd, spaced, psArray]]);
  for (const f of native[0]!.files) assert.equal(f.native, true, `${f.path}: ${f.native_fallback}`);
  await assertSame(join(dir, 'a'));
  // forced sourcetype: every event is of it
  const forced = await both(join(dir, 'b'), [[odd]], {}, { sourcetype: 'stream:custom' });
  assert.equal(forced.native[0]!.files[0]!.native, true, forced.native[0]!.files[0]!.native_fallback ?? "");
  assert.deepEqual(forced.native[0]!.by_sourcetype, { 'stream:custom': lines.length });
  await assertSame(join(dir, 'b'));
  // a few values spelled out, so the oracle itself is not all that is checked
  const store = await Store.open(join(dir, 'a', 'native'));
  try {
    const q = async (sql: string) => (await store.conn.runAndReadAll(sql)).getRowObjectsJS();
    const tables = (await q(`SELECT sourcetype FROM _quarry_tables ORDER BY 1`)).map((r) => r.sourcetype);
    assert.deepEqual(tables, ['stream:dns', 'stream:ftp', 'stream:http', 'stream:smb', 'stream:tcp', 'stream:udp']);
    const dns = await q(`SELECT flag, tags, ports, n, s, extracted_host, extracted_index, answer FROM "ev_stream:dns" WHERE flag IS NOT NULL ORDER BY _time`);
    assert.deepEqual(dns.map((r) => r.flag), ['true', 'false']);
    assert.deepEqual(dns.map((r) => r.tags), [null, 'a']); // [] is no field, a one-item array its item
    assert.equal(dns[0]!.extracted_host, 'h1');
    assert.deepEqual(dns[1]!.answer, ['1.1.1.1', '2.2.2.2']);
    const udp = await q(`SELECT epoch_us(_time) AS t, transport FROM "ev_stream:udp" ORDER BY _time`);
    assert.equal(Number(udp[0]!.t), Date.UTC(2017, 7, 24) * 1000); // 02:00:00+02:00
    assert.equal(udp[0]!.transport, 'udp');
  } finally {
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('stream native: a file whose later lines differ from its first ones (types widen, fields and sourcetypes appear) equals the JavaScript path in small batches', async () => {
  const dir = tempDir();
  const lines: object[] = [];
  for (let i = 0; i < 12_000; i++) {
    const late = i > 8000;
    const kind = i < 6000 ? (i % 2 ? 'dns' : 'smb') : (['dns', 'smb', 'udp'] as const)[i % 3]!;
    lines.push(flow(i, kind, late ? { response_time: i % 7 ? i : i + 0.5, extra_field: `x${i}` } : { response_time: i }));
  }
  const file = write(dir, 'late.json', lines);
  const { native } = await both(dir, [[file]], { batchSize: 1000 });
  assert.equal(native[0]!.files[0]!.native, true, native[0]!.files[0]!.native_fallback ?? "");
  assert.equal(await assertSame(dir), 12_000);
  rmSync(dir, { recursive: true, force: true });
});

test('stream native: a file of one sourcetype in its first lines and others later is read unfiltered, then again filtered, and equals the JavaScript path', async () => {
  const dir = tempDir();
  const lines: object[] = [];
  for (let i = 0; i < 9000; i++) lines.push(flow(i, i < 6000 ? 'dns' : (['dns', 'smb', 'udp'] as const)[i % 3]!));
  const file = write(dir, 'one-then-more.json', lines);
  const { native } = await both(dir, [[file]]);
  assert.equal(native[0]!.files[0]!.native, true, native[0]!.files[0]!.native_fallback ?? '');
  assert.equal(await assertSame(dir), 9000);
  const store = await Store.open(join(dir, 'native'));
  try {
    const n = await store.conn.runAndReadAll(`SELECT (SELECT count(*) FROM "ev_stream:dns"), (SELECT count(*) FROM "ev_stream:smb"), (SELECT count(*) FROM "ev_stream:udp")`);
    assert.deepEqual(n.getRows()[0]!.map(Number), [7000, 1000, 1000]);
  } finally {
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('stream native: what it cannot store exactly falls back to the JavaScript path, with the reason', async () => {
  const dir = tempDir();
  const good = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify(flow(i, i % 2 ? 'dns' : 'smb')));
  const late = (line: string) => [...good(5200), line, ...good(20)]; // after the first lines the JavaScript path reads
  const cases: [string, string[], RegExp][] = [
    ['invalid.json', [...good(10), '{"endtime":"2017-08-24T00:00:00Z", oops}', ...good(10)], /quarantine/],
    ['invalid-late.json', late('{"endtime":"2017-08-24T00:00:00Z", oops}'), /DuckDB: .*Malformed JSON/],
    ['blank.json', [...good(10), '', ...good(10)], /does not start with \{/],
    ['nested.json', [...good(10), JSON.stringify(flow(99, 'dns', { o: { x: 1, y: [1, 2] } })), ...good(10)], /nested/],
    ['nested-array.json', [...good(10), JSON.stringify(flow(99, 'dns', { a: [[1], [2]] })), ...good(10)], /nested/],
    ['mixed.json', [...good(10), JSON.stringify(flow(99, 'dns', { bytes: '12' })), ...good(10)], /two JSON kinds/],
    ['kind-late.json', late(JSON.stringify(flow(99, 'dns', { bytes: '12' }))), /two JSON kinds/],
    ['trailing-comma.json', late(JSON.stringify(flow(99, 'dns')).replace(/}$/, ',}')), /quarantine/],
    ['nan.json', late(JSON.stringify(flow(99, 'dns')).replace('"bytes":149', '"bytes":NaN')), /quarantine/],
    ['duplicate.json', late(JSON.stringify(flow(99, 'dns')).replace(/}$/, ',"bytes":7}')), /DuckDB: .*guard/],
    ['unknown-key.json', late(JSON.stringify(flow(99, 'dns', { brand_new: 1 }))), /./],
    ['surrogate.json', [...good(10), JSON.stringify(flow(99, 'dns')).replace(/}$/, ',"s":"\\ud800"}'), ...good(10)], /DuckDB: .*surrogate/],
    ['pair.json', late(JSON.stringify(flow(99, 'dns', { s: 'x' })).replace('"s":"x"', '"s":"\\ud83d\\ude00"')), /DuckDB: .*guard/],
    ['bigint.json', late(JSON.stringify(flow(99, 'dns')).replace('"bytes":149', '"bytes":9007199254740993')), /DuckDB: .*guard/],
    ['local-time.json', late(JSON.stringify(flow(99, 'dns', { endtime: '2017-08-24 10:00:00' }))), /DuckDB: .*guard/],
    ['time-number.json', [...good(10), JSON.stringify(flow(99, 'dns', { endtime: 1503532800 })), ...good(10)], /two JSON kinds/],
    ['unicode-stack.json', late(JSON.stringify(flow(99, 'dns', { protocol_stack: 'ip:udp:DNS\u0130' }))), /DuckDB: .*guard/],
    ['escaped-key.json', late(JSON.stringify(flow(99, 'dns')).replace('"bytes_in":40', '"bytes\\u005fin":40')), /DuckDB: .*guard/],
    ['truncated-last.json', [...good(5200), '{"endtime":"2017-08-24T00:00:00Z","protocol_stack":"ip:udp:dns","query":["tru'], /not JSON/],
    ['crlf.json', good(20).map((l) => l + '\r'), /carriage/],
    ['bad[1].json', good(20), /pattern/],
  ];
  const files = cases.map(([name, lines]) => write(dir, name, lines));
  const gz = join(dir, 'gz.json.gz');
  writeFileSync(gz, gzipSync(Buffer.from(good(20).join('\n') + '\n')));
  const quote = write(dir, "it's.json", good(20)); // a quote in the path reaches SQL as a literal
  const { native } = await both(dir, [[...files, gz, quote]]);
  const rep = native[0]!.files;
  if (process.env.SHOW_REASONS) console.log(rep.map((f) => `${f.path}: ${f.native} ${f.native_fallback}`).join('\n'));
  const unknownKey = cases.findIndex(([n]) => n === 'unknown-key.json');
  cases.forEach(([name, , why], i) => {
    if (i === unknownKey) return; // a new key after the first lines: learnt from the whole file, then native
    assert.equal(rep[i]!.native, false, name);
    assert.match(rep[i]!.native_fallback ?? '', why, name);
  });
  assert.equal(rep[unknownKey]!.native, true, rep[unknownKey]!.native_fallback ?? "");
  assert.equal(rep[cases.length]!.native, undefined, 'gzip: not tried');
  assert.equal(rep[cases.length + 1]!.native, true, rep[cases.length + 1]!.native_fallback ?? "");
  assert.ok(native[0]!.quarantined >= 4);
  await assertSame(dir);
  rmSync(dir, { recursive: true, force: true });
});

test('stream native: a file that grew is continued by the JavaScript path from the native path\'s offsets', async () => {
  const dir = tempDir();
  const file = join(dir, 'grow.json');
  const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify(flow(i, (['dns', 'smb', 'udp'] as const)[i % 3]!)));
  for (const name of ['js', 'native'] as const) {
    const store = await Store.open(join(dir, name));
    try {
      writeFileSync(file, lines.slice(0, 1500).join('\n') + '\n');
      const first = await ingestPaths(store, [file], { ...OPTS, native: name === 'native' });
      writeFileSync(file, lines.join('\n') + '\n');
      const second = await ingestPaths(store, [file], { ...OPTS, native: name === 'native' });
      assert.equal(first.ingested + second.ingested, 3000, name);
      if (name === 'native') {
        assert.equal(first.files[0]!.native, true, first.files[0]!.native_fallback ?? "");
        assert.ok(second.files[0]!.resumed_at > 0, 'the second run resumes');
      }
    } finally {
      store.close();
    }
  }
  await assertSame(dir);
  rmSync(dir, { recursive: true, force: true });
});

test('stream native: a failed commit leaves nothing stored and the error is the ingest\'s; the re-run stores each event once', async () => {
  const dir = tempDir();
  const file = write(dir, 'crash.json', Array.from({ length: 3000 }, (_, i) => flow(i, i % 2 ? 'dns' : 'smb')));
  await assertCrashLeavesNothing(dir, file, 3000, 'stream:dns');
  rmSync(dir, { recursive: true, force: true });
});
