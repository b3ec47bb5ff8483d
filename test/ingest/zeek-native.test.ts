/**
 * The native Zeek TSV path (DuckDB's read_csv, src/ingest/native/zeek-tsv.ts) against the
 * JavaScript path, which is the oracle: the same files ingested both ways into two stores must
 * leave identical tables (columns, order, types, rows), catalog, field list, progress and
 * quarantine. Files the native path cannot store exactly must fall back, with a reason.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestPaths } from '../../src/ingest/index.js';
import { runSearch } from '../../src/search/index.js';
import { Store } from '../../src/store/index.js';
import { SAMPLES } from '../formats/helpers.js';
import { tempDir } from '../util.js';
import { OPTS, assertCrashLeavesNothing, assertSame, assertSameAsJavaScript, both } from './native-helpers.js';
import { appendUnordered, insertUnordered } from '../../src/ingest/native/common.js';
import { EventBatch } from '../../src/store/batch.js';

// ------------------------------------------------------------------------------ generated logs

const HEADER = (path: string, fields: string[], types: string[]) =>
  ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, '#open\t2017-08-24-00-00-00', `#fields\t${fields.join('\t')}`, `#types\t${types.join('\t')}`].join('\n') + '\n';

const CONN_FIELDS = 'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents'.split(' ');
const CONN_TYPES = 'time string addr port addr port enum string interval count count string bool bool count string count count count count set[string]'.split(' ');

/** A conn log whose later lines differ from its first ones (types widen, fields appear late). */
function connLog(n: number): string {
  let seed = 7;
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % k);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const late = i > n * 0.7;
    const svc = i < 6000 ? '-' : ['dns', 'http', '-', 'ssl'][rnd(4)]!; // `service`/`app` appear after the first 5,000 lines
    const dur = late ? `${rnd(100)}.${String(rnd(1e6)).padStart(6, '0')}` : `${rnd(100)}.000000`; // integral at first: BIGINT, then DOUBLE
    const orig = rnd(10) === 0 ? '-' : String(rnd(5000));
    lines.push([`${1503532800 + i}.${String(rnd(1e6)).padStart(6, '0')}`, `C${i.toString(36)}`, `10.0.${rnd(3)}.${rnd(250)}`, 1024 + rnd(60000), `192.168.${rnd(3)}.${rnd(250)}`, [53, 80, 443][rnd(3)],
      ['tcp', 'udp', 'TCP'][rnd(3)], svc, dur, orig, rnd(7) === 0 ? '-' : rnd(500000), ['SF', 'S0', 'REJ'][rnd(3)], ['T', 'F', '-'][rnd(3)], 'F', 0, 'ShADadfF', rnd(50), rnd(5000), rnd(50), rnd(5000),
      late && rnd(5) === 0 ? 'Cx1,Cx2' : rnd(4) === 0 ? 'Cy9' : '(empty)'].join('\t'));
  }
  return HEADER('conn', CONN_FIELDS, CONN_TYPES) + lines.join('\n') + '\n#close\t2017-08-24-01-00-00\n';
}

/** Logs that exercise the value rules and the CIM aliases of several Zeek logs. */
function oddLogs(dir: string): string[] {
  const files: Record<string, string> = {
    'dns.log': HEADER('dns', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'query', 'qtype_name', 'rcode', 'rcode_name', 'AA', 'answers', 'TTLs', 'rejected'],
      ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'string', 'count', 'string', 'bool', 'vector[string]', 'vector[interval]', 'bool']) + [
      '1503532800.000001\tCa\t10.0.0.1\t5353\t10.0.0.2\t53\tudp\twww.example.com\tA\t0\tNOERROR\tF\t1.2.3.4,5.6.7.8\t300.000000,60.000000\tF',
      '1503532801.5\tCb\t10.0.0.1\t5353\t10.0.0.2\t53\tudp\tcaf\\xc3\\xa9.example\tAAAA\t3\tNXDOMAIN\tT\t-\t-\tT',
      '1503532802\tCc\t10.0.0.1\t5353\t10.0.0.2\t53\tUDP\ta\\\\b\\x2dc\\xZZ\\\tTXT\t-\t-\t-\t(empty)\t(empty)\t-',
      '',
      '1503532803.123456789\tCd\t10.0.0.3\t1\t10.0.0.2\t53\ttcp\t(empty)\t-\t2\tservfail\tF\tone.example\t5.000000\tF',
      '1503532804.1\tCe\t-\t-\t-\t-\t-\t\\x2d\t-\t5\tweird_code\t-\tx,,y\t1.000000,2.000000,3.000000\t-',
    ].join('\n') + '\n',
    'ftp.log': HEADER('ftp', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'user', 'password', 'command', 'arg', 'mime_type', 'file_size', 'reply_code', 'reply_msg', 'data_channel.passive', 'fuid'],
      ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'string', 'string', 'count', 'count', 'string', 'bool', 'string']) + [
      '1503532800.1\tCa\t10.0.0.1\t40000\t10.0.0.9\t21\tanonymous\t-\tRETR\tftp://10.0.0.9/pub/dir/file.txt\t-\t12\t226\tok\tT\tFa',
      '1503532800.2\tCb\t10.0.0.1\t40000\t10.0.0.9\t21\tanonymous\t-\tstor\tC:\\\\Users\\\\x\\\\up.exe\t-\t-\t150\tok\tF\t-',
      '1503532800.3\tCc\t10.0.0.1\t40000\t10.0.0.9\t21\tbob\t-\tUSER\tbob\t-\t-\t331\tpw\t-\t-',
      '1503532800.4\tCd\t10.0.0.1\t40000\t10.0.0.9\t21\tbob\t-\tDELE\tdir/\t-\t-\t250\tok\t-\t-',
      '1503532800.5\tCe\t10.0.0.1\t40000\t10.0.0.9\t21\t-\t-\tRETR\t-\t-\t-\t550\tno\t-\t-',
    ].join('\n') + '\n',
    'http.log': HEADER('http', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'method', 'host', 'uri', 'request_body_len', 'response_body_len', 'username', 'orig_filenames', 'resp_filenames', 'tags'],
      ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'count', 'count', 'string', 'vector[string]', 'vector[string]', 'set[enum]']) + [
      '1503532800.1\tCa\t10.0.0.1\t40000\t10.0.0.9\t80\tGET\twww.example.com\t/a?b=c#frag "quoted"\t0\t1024\t-\t-\tr.pdf\t(empty)',
      '1503532800.2\tCb\t10.0.0.1\t40000\t10.0.0.9\t80\tPOST\texample.org\t/up\t2048\t0\talice\ta.doc,b.doc\t-\tHTTP::URI_SQLI,HTTP::X',
      '1503532800.3\tCc\t10.0.0.1\t40000\t10.0.0.9\t80\tGET\texample.org\t/\t0\t0\t-\t\tc.txt\t-',
    ].join('\n') + '\n',
    // the same header again mid-file (a concatenated log), then a blank line
    'software.log': HEADER('software', ['ts', 'host', 'host_p', 'software_type', 'name', 'version.major', 'unparsed_version'], ['time', 'addr', 'port', 'enum', 'string', 'count', 'string']) + [
      '1503532800.1\t10.0.0.1\t-\tHTTP::BROWSER\tFirefox\t55\tMozilla/5.0 (X11; Linux x86_64)',
    ].join('\n') + '\n' + HEADER('software', ['ts', 'host', 'host_p', 'software_type', 'name', 'version.major', 'unparsed_version'], ['time', 'addr', 'port', 'enum', 'string', 'count', 'string']) + [
      '1503532801.1\t10.0.0.2\t80\tHTTP::SERVER\tnginx\t1\tnginx/1.10.3 (Ubuntu) — ünïcode',
      '',
    ].join('\n') + '\n',
    'dhcp.log': HEADER('dhcp', ['ts', 'uids', 'client_addr', 'server_addr', 'mac', 'host_name', 'assigned_addr', 'msg_types', 'duration'], ['time', 'set[string]', 'addr', 'addr', 'string', 'string', 'addr', 'vector[string]', 'interval']) + [
      '1503532800.1\tCa,Cb\t-\t10.0.0.254\t00:11:22:33:44:55\twks1\t10.0.0.50\tDISCOVER,OFFER,REQUEST,ACK\t0.5',
      '1503532800.2\tCc\t10.0.0.50\t10.0.0.254\t00:11:22:33:44:55\twks1\t10.0.0.50\tREQUEST\t1',
    ].join('\n'),  // no newline at the end
    'files.log': HEADER('files', ['ts', 'fuid', 'tx_hosts', 'rx_hosts', 'conn_uids', 'source', 'depth', 'filename', 'total_bytes', 'is_orig'], ['time', 'string', 'set[addr]', 'set[addr]', 'set[string]', 'string', 'count', 'string', 'count', 'bool']) + [
      '1503532800.1\tFa\t10.0.0.9\t10.0.0.1,10.0.0.2\tCa\tHTTP\t0\tr.pdf\t100\tF',
      '1503532800.2\tFb\t(empty)\t-\tCb\tSMB\t1\t-\t-\tT',
    ].join('\n') + '\n',
  };
  return Object.entries(files).map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  });
}

function zeekTsvFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.gz') && readFileSync(p).subarray(0, 64).toString('latin1').startsWith('#separator')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

// ------------------------------------------------------------------------------ tests

test('zeek native: the real Zeek TSV samples store exactly what the JavaScript path stores', async () => {
  const dir = tempDir();
  const files = [...zeekTsvFiles(join(SAMPLES, 'zeek')), ...zeekTsvFiles(join(SAMPLES, 'zeek-edge-cases'))];
  assert.ok(files.length > 60, `found ${files.length} Zeek TSV samples`);
  const { native } = await both(dir, [files]);
  const rep = native[0]!;
  const took = rep.files.filter((f) => f.native);
  const fell = rep.files.filter((f) => f.native === false);
  assert.ok(took.length >= 50, `${took.length} files took the native path`);
  // Zeek's btest baselines mask their timestamps: the JavaScript path quarantines those lines
  assert.ok(fell.some((f) => /quarantine/.test(f.native_fallback ?? '')), 'masked timestamps fall back');
  assert.ok(rep.quarantined > 0);
  const rows = await assertSame(dir);
  assert.ok(rows > 50_000, `${rows} rows compared`);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: a generated conn log (types widen and fields appear after the first lines) equals the JavaScript path in small batches', async () => {
  const dir = tempDir();
  const file = join(dir, 'conn.log');
  writeFileSync(file, connLog(12_000));
  // small JavaScript batches: its tables widen BIGINT → DOUBLE and VARCHAR → VARCHAR[] between commits
  const { native } = await both(dir, [[file]], { batchSize: 1000 });
  assert.equal(native[0]!.files[0]!.native, true, native[0]!.files[0]!.native_fallback ?? "");
  assert.equal(native[0]!.ingested, 12_000);
  assert.equal(await assertSame(dir), 12_000);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: escapes, sets, booleans, unset/empty values, a host field and the CIM aliases of dns/ftp/http/software/dhcp/files', async () => {
  const dir = tempDir();
  const files = oddLogs(dir);
  const { native } = await both(dir, [files]);
  for (const f of native[0]!.files) assert.equal(f.native, true, `${f.path}: ${f.native_fallback}`);
  await assertSame(dir);
  // a few values spelled out, so the oracle itself is not all that is checked
  const store = await Store.open(join(dir, 'native'));
  try {
    const q = async (sql: string) => (await store.conn.runAndReadAll(sql)).getRowObjectsJS();
    const dns = await q(`SELECT uid, query, reply_code, message_type, answer, "TTLs" FROM "ev_zeek:dns" ORDER BY uid`);
    assert.equal(dns[1]!.query, 'caf\u00c3\u00a9.example'); // \xHH is one character each, as zeekUnescape does
    assert.equal(dns[1]!.reply_code, 'NXDomain');
    assert.equal(dns[2]!.query, 'a\\b-c\\xZZ\\');
    assert.deepEqual(dns[0]!.message_type, ['QUERY', 'RESPONSE']);
    assert.deepEqual(dns[2]!.message_type, ['QUERY']);
    assert.deepEqual(dns[0]!.TTLs, ['300', '60']);
    const ftp = await q(`SELECT uid, filename, file_path, app FROM "ev_zeek:ftp" ORDER BY uid`);
    assert.deepEqual(ftp.map((r) => r.filename), ['file.txt', 'up.exe', null, null, null]);
    const sw = await q(`SELECT extracted_host, host FROM "ev_zeek:software" ORDER BY _time`);
    assert.deepEqual(sw.map((r) => r.extracted_host), ['10.0.0.1', '10.0.0.2']);
  } finally {
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: a second file into an existing table widens its columns as the JavaScript path does; a re-run stores nothing twice', async () => {
  const dir = tempDir();
  const a = join(dir, 'a-conn.log'), b = join(dir, 'b-conn.log');
  const text = connLog(9000);
  const lines = text.split('\n');
  const header = lines.slice(0, 8).join('\n') + '\n';
  // file a: only integral durations and single tunnel parents; file b: the rest
  writeFileSync(a, header + lines.slice(8, 4008).join('\n') + '\n');
  writeFileSync(b, header + lines.slice(8).join('\n'));
  const { js, native } = await both(dir, [[a], [b], [a, b]]);
  assert.deepEqual(native.map((r) => r.ingested), js.map((r) => r.ingested));
  assert.equal(native[2]!.ingested, 0, 'the re-run finds everything stored');
  assert.equal(native[1]!.files[0]!.native, true, native[1]!.files[0]!.native_fallback ?? "");
  await assertSame(dir);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: aliases that copy a native are left NULL and derived at search time; a later type change writes them out', async () => {
  const dir = tempDir();
  const a = join(dir, 'a-conn.log'), b = join(dir, 'b-conn.log');
  // lines 6,000 on (where `service`, and so `app`, appears)
  const lines = connLog(12000).split('\n');
  const header = lines.slice(0, 8).join('\n') + '\n';
  const data = lines.slice(8 + 6000, 8 + 12000);
  writeFileSync(a, header + data.join('\n') + '\n');
  // file b: one port that is not a number, so id.orig_p (and src_port with it) becomes text
  const odd = data[0]!.split('\t');
  odd[3] = 'n/a';
  writeFileSync(b, header + [odd.join('\t'), ...data.slice(1, 12)].join('\n') + '\n');
  const searches = [
    'sourcetype=zeek:conn | stats count by src_port | sort - count, src_port | head 5',
    'sourcetype=zeek:conn src=10.0.1.* dest_port=443 | stats count sum(bytes_in) sum(bytes_out) sum(bytes) dc(dest) values(app) by transport',
    'sourcetype=zeek:conn transport=tcp | stats count by proto',
    'index=main | search sourcetype=zeek* | stats count by sourcetype, index',
    'sourcetype=zeek:conn | where isnull(app) | stats count',
  ];
  const answers = async (store: Store) => {
    const out: unknown[] = [];
    for (const spl of searches) out.push((await runSearch(store, spl, { tz: 'UTC', earliest: '0' })).rows);
    return out;
  };
  const col = async (store: Store, sql: string) => (await store.conn.runAndReadAll(sql)).getRowObjectsJS()[0]!;
  const stores = { js: await Store.open(join(dir, 'js')), native: await Store.open(join(dir, 'native')) };
  try {
    await ingestPaths(stores.js, [a], { ...OPTS, native: false });
    const r = await ingestPaths(stores.native, [a], OPTS);
    assert.equal(r.files[0]!.native, true, r.files[0]!.native_fallback ?? '');
    // the aliases are not written: no column, an expression in its place
    for (const alias of ['src', 'src_ip', 'src_port', 'dest', 'dest_ip', 'dest_port', 'bytes_in', 'bytes_out', 'app', 'transport', 'bytes']) {
      assert.ok(stores.native.derivedOf('zeek:conn', alias), alias);
      assert.equal(stores.native.columnOf('zeek:conn', alias), undefined, alias);
      assert.equal(stores.js.derivedOf('zeek:conn', alias), undefined);
    }
    assert.match(stores.native.derivedOf('zeek:conn', 'transport')!.expr, /lower\("proto"\)/);
    assert.equal(stores.native.derivedOf('zeek:conn', 'src_port')!.type, 'BIGINT');
    // and the sourcetype, which the table holds one of: NULL in its column
    assert.equal(stores.native.derivedOf('zeek:conn', 'sourcetype')!.expr, "'zeek:conn'");
    const nulls = await col(stores.native, `SELECT count(sourcetype) AS st, count(proto) AS proto FROM "ev_zeek:conn"`);
    assert.deepEqual([Number(nulls.st), Number(nulls.proto)], [0, 6000]);
    // the field list names them as before
    const fields = (entries: Awaited<ReturnType<Store['catalog']>>) => entries.flatMap((e) => e.fields.map((f) => `${f.name}:${f.type}`)).sort();
    assert.deepEqual(fields(await stores.native.catalog()), fields(await stores.js.catalog()));
    // every search answers as over the JavaScript store
    assert.deepEqual(await answers(stores.native), await answers(stores.js));
    // file b, the JavaScript way into both: id.orig_p and src_port become text, so src_port, whose
    // expression reads id.orig_p, is written out first (an expression over the old column types
    // would read otherwise); src_ip just gets a column for b's rows and stays derived for a's
    for (const store of Object.values(stores)) await ingestPaths(store, [b], { ...OPTS, native: false });
    assert.equal(stores.native.derivedOf('zeek:conn', 'src_port'), undefined);
    assert.equal(stores.native.columnOf('zeek:conn', 'src_port')!.type, 'VARCHAR');
    assert.ok(stores.native.derivedOf('zeek:conn', 'src_ip'));
    const written = await col(stores.native, `SELECT count(src_ip) AS n, count(src_port) AS p FROM "ev_zeek:conn"`);
    assert.deepEqual([Number(written.n), Number(written.p)], [12, 6012]);
    assert.deepEqual(await answers(stores.native), await answers(stores.js));
  } finally {
    stores.js.close();
    stores.native.close();
  }
  await assertSame(dir);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: a sum alias past 2^53 (a double to JavaScript) is not left to the search', async () => {
  const dir = tempDir();
  const file = join(dir, 'conn.log');
  // lines 6,000-13,000 of a longer log: alike all through (no field or type appears late) but
  // for the one sum past 2^53, after the first 5,000 lines
  const lines = connLog(20000).split('\n');
  const data = lines.slice(8 + 6000, 8 + 13000);
  const big = data[6500]!.split('\t');
  big[9] = '9007199254740990';
  big[10] = '5';
  data[6500] = big.join('\t');
  writeFileSync(file, lines.slice(0, 8).join('\n') + '\n' + data.join('\n') + '\n');
  const { native } = await both(dir, [[file]]);
  assert.equal(native[0]!.files[0]!.native, true, native[0]!.files[0]!.native_fallback ?? '');
  await assertSame(dir);
  const store = await Store.open(join(dir, 'native'));
  try {
    assert.equal(store.columnOf('zeek:conn', 'bytes')!.type, 'DOUBLE');
    assert.equal(store.derivedOf('zeek:conn', 'bytes'), undefined, 'a DOUBLE sum of BIGINT columns is written');
    const r = await runSearch(store, 'sourcetype=zeek:conn bytes>9007199254740000 | table bytes', { tz: 'UTC', earliest: '0' });
    assert.deepEqual(r.rows.map((x) => x.bytes), [9007199254740996]);
  } finally {
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: a file that grew is continued by the JavaScript path from the native path\'s offset', async () => {
  const dir = tempDir();
  const file = join(dir, 'conn.log');
  const text = connLog(3000);
  const cut = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
  const runs: string[][] = [];
  // each store sees the file at half length, then whole: write it before each run
  for (const name of ['js', 'native'] as const) {
    const store = await Store.open(join(dir, name));
    try {
      writeFileSync(file, text.slice(0, cut));
      const first = await ingestPaths(store, [file], { ...OPTS, native: name === 'native' });
      writeFileSync(file, text);
      const second = await ingestPaths(store, [file], { ...OPTS, native: name === 'native' });
      assert.equal(first.ingested + second.ingested, 3000, name);
      if (name === 'native') {
        assert.equal(first.files[0]!.native, true);
        assert.ok(second.files[0]!.resumed_at > 0, 'the second run resumes');
      }
    } finally {
      store.close();
    }
  }
  void runs;
  await assertSame(dir);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: what it cannot store exactly falls back to the JavaScript path, with the reason', async () => {
  const dir = tempDir();
  const base = connLog(50).split('\n');
  const head = base.slice(0, 8), rows = base.slice(8, 58);
  const cases: [string, string, RegExp][] = [
    ['columns.log', [...head, ...rows.slice(0, 10), 'too\tfew\tcolumns', ...rows.slice(10)].join('\n'), /quarantine/],
    ['masked.log', [...head, ...rows.slice(0, 3), rows[3]!.replace(/^[0-9.]+/, 'XXXXXXXXXX.XXXXXX'), ...rows.slice(4)].join('\n'), /quarantine/],
    ['crlf.log', [...head, ...rows].join('\r\n'), /carriage/],
    ['newheader.log', [...head, ...rows.slice(0, 5), '#fields\tts\tuid', '#types\ttime\tstring', '1503532900.5\tCz'].join('\n'), /header/],
    ['sep.log', [...head.map((l) => l.replace('#set_separator\t,', '#set_separator\t;')), ...rows].join('\n'), /separator/],
    // DuckDB reads "1_000" as 1000 and "+-5" as -5; JavaScript keeps both as text
    ['numbers.log', [...head, ...rows.slice(0, 5), rows[5]!.split('\t').map((v, i) => (i === 9 ? '1_000' : v)).join('\t'), ...rows.slice(6)].join('\n'), /quarantine or type/],
    ['signs.log', [...head, ...rows.slice(0, 5), rows[5]!.split('\t').map((v, i) => (i === 9 ? '+-5' : v)).join('\t'), ...rows.slice(6)].join('\n'), /quarantine or type/],
    ['bad[1].log', [...head, ...rows].join('\n'), /pattern/],
  ];
  const files = cases.map(([name, text]) => {
    const p = join(dir, name);
    writeFileSync(p, text + '\n');
    return p;
  });
  const gz = join(dir, 'gz-conn.log.gz');
  writeFileSync(gz, gzipSync(Buffer.from([...head, ...rows].join('\n') + '\n')));
  const quote = join(dir, "it's-conn.log"); // a quote in the path reaches SQL as a literal
  writeFileSync(quote, [...head, ...rows].join('\n') + '\n');
  // numbers both read alike, if not written plainly: stored natively, as JavaScript stores them
  const plain = join(dir, 'exp-conn.log');
  writeFileSync(plain, [...head, ...rows.slice(0, 5), rows[5]!.split('\t').map((v, i) => (i === 9 ? '1e5' : i === 10 ? '007' : i === 8 ? '.5' : v)).join('\t'), ...rows.slice(6)].join('\n') + '\n');
  const { native } = await both(dir, [[...files, gz, quote, plain]]);
  const rep = native[0]!.files;
  cases.forEach(([name, , why], i) => {
    assert.equal(rep[i]!.native, false, name);
    assert.match(rep[i]!.native_fallback ?? '', why, name);
  });
  assert.equal(rep[cases.length]!.native, undefined, 'gzip: not tried');
  assert.equal(rep[cases.length + 1]!.native, true, rep[cases.length + 1]!.native_fallback ?? "");
  assert.equal(rep[cases.length + 2]!.native, true, rep[cases.length + 2]!.native_fallback ?? "");
  assert.ok(native[0]!.quarantined >= 2);
  await assertSame(dir);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: a failed commit leaves nothing stored and the error is the ingest\'s; the re-run stores each event once', async () => {
  const dir = tempDir();
  const file = join(dir, 'conn.log');
  writeFileSync(file, connLog(6000));
  await assertCrashLeavesNothing(dir, file, 6000, 'zeek:conn');
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: a file that grows while it is read is not stored half-counted: the JavaScript path reads it', async () => {
  const dir = tempDir();
  const file = join(dir, 'conn.log');
  const text = connLog(2000);
  const cut = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
  writeFileSync(file, text.slice(0, cut));
  const store = await Store.open(join(dir, 'native'));
  const appendSql = store.appendSql.bind(store);
  // the rest arrives once DuckDB has read the file and the byte scan (meanwhile) is done
  store.appendSql = (shape, insert, progress) => appendSql(shape, (conn) => insert(new Proxy(conn, {
    get(target, prop) {
      if (prop === 'run') {
        return async (sql: string, ...rest: unknown[]) => {
          const r = await (target.run as (s: string, ...x: unknown[]) => Promise<unknown>)(sql, ...rest);
          if (sql.startsWith('INSERT INTO "ev_')) writeFileSync(file, text);
          return r;
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  })), progress);
  try {
    const rep = await ingestPaths(store, [file], OPTS);
    assert.equal(rep.files[0]!.native, false);
    assert.match(rep.files[0]!.native_fallback ?? '', /changed while it was read/);
    assert.equal(rep.ingested, 2000);
  } finally {
    store.close();
  }
  await assertSameAsJavaScript(dir, [file]);
  rmSync(dir, { recursive: true, force: true });
});

test('zeek native: where DuckDB casts a text without _ or + to a finite number, JavaScript\'s Number() reads the same number', async () => {
  // the quick line check (zeek-tsv.ts) rests on this: every printable ASCII text of one or two
  // characters, and of three and four from the characters numbers are written with
  const chars: string[] = ['\v', '\f'];
  for (let i = 32; i < 127; i++) chars.push(String.fromCharCode(i));
  const numeric = ['0', '1', '5', '9', '.', '-', 'e', 'E', ' ', 'x', 'X', 'b', 'o', 'n', 'i', 'f', 'a', 'N', 'I', ',', 'd', 'D'];
  const texts: string[] = [];
  for (const a of chars) for (const b of ['', ...chars]) texts.push(a + b);
  for (const a of numeric) for (const b of numeric) for (const c of numeric) for (const d of ['', ...numeric]) texts.push(a + b + c + d);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run('CREATE TABLE t (x VARCHAR)');
    const app = await c.createAppender('t');
    for (const x of texts) { app.appendVarchar(x); app.endRow(); }
    app.closeSync();
    const rows = (await c.runAndReadAll(`SELECT x, TRY_CAST(x AS DOUBLE) AS d FROM t WHERE NOT contains(x, '_') AND NOT contains(x, '+') AND isfinite(TRY_CAST(x AS DOUBLE))`)).getRows();
    assert.ok(rows.length > 1500, `${rows.length} numbers among ${texts.length} texts`);
    const differ = rows.filter(([x, d]) => Number(x) !== d || String(x).trim() === '').map(([x, d]) => `${JSON.stringify(x)}: DuckDB ${d}, JavaScript ${Number(x)}`);
    assert.deepEqual(differ, []);
    // and the two it must exclude, for which the check looks at _ and +
    const odd = (await c.runAndReadAll(`SELECT TRY_CAST('1_000' AS DOUBLE) AS a, TRY_CAST('+-5' AS DOUBLE) AS b`)).getRowObjectsJS()[0]!;
    assert.deepEqual([odd.a, odd.b, Number('1_000'), Number('+-5')], [1000, -5, NaN, NaN]);
  } finally {
    c.closeSync();
    db.closeSync();
  }
});

test('native inserts: DuckDB\'s preserve_insertion_order is back on after an insert that failed and after one that stored', async () => {
  const dir = tempDir();
  const store = await Store.open(join(dir, 'data'));
  const setting = async () => String((await store.conn.runAndReadAll(`SELECT current_setting('preserve_insertion_order')`)).getRows()[0]![0]);
  try {
    assert.equal(await setting(), 'true');
    // a statement that fails while the setting is off: the transaction is rolled back, then it is reset
    await assert.rejects(appendUnordered(store, new EventBatch(), async (conn) => {
      await insertUnordered(conn, `CREATE TABLE t AS SELECT error('a guard') AS x`);
    }), /a guard/);
    assert.equal(await setting(), 'true');
    // a Zeek log whose later lines widen a type: the first insert fails a guard, the second stores
    const file = join(dir, 'conn.log');
    writeFileSync(file, connLog(9000));
    const r = await ingestPaths(store, [file], OPTS);
    assert.equal(r.files[0]!.native, true, r.files[0]!.native_fallback ?? '');
    assert.equal(r.ingested, 9000);
    assert.equal(await setting(), 'true');
  } finally {
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});
