/**
 * Ingest throughput per format, end to end (read → parse → CIM aliases → DuckDB store, committed),
 * against the floor of reading the same file in Node and JSON-parsing each line (JSON formats) or
 * splitting it (Zeek TSV: split on tabs; Sysmon XML: find the end of each event), in the same run.
 *
 *   node dist/bench/formats.js [events=1000000] [dir=bench/out] [only=format name part]
 *
 * Generates N synthetic but realistic events of Stream JSON, Zeek TSV (conn), Suricata EVE and
 * Sysmon XML (one <Event> per line, as Splunk's XmlWinEventLog). For each file it measures the
 * floor, the parsers alone (no store) and a full `ingestPaths` into a fresh store opened as
 * `quarry ingest` opens it (1 GB buffer pool; QUARRY_MEMORY_LIMIT overrides), each ingest in a
 * child process so its peak RSS is its own. BENCH_RUNS=n takes the median of n runs of each.
 * The same child then times DuckDB writing those very rows itself (copy from memory to a new table,
 * committed): the ceiling for any ingest into DuckDB's storage on this machine.
 * BENCH_NATIVE=0 ingests Zeek TSV and Stream JSON the JavaScript way (src/ingest/native/ otherwise).
 *
 * Stream JSON, 1M events (557 MB), BENCH_RUNS=3, back to back at load 0.9-2.1 (docs/formats.md,
 * "Stream JSON read by DuckDB"): native 63,731 / 74,439 / 61,667 ev/s (0.28 / 0.25 / 0.22 of the
 * read+JSON.parse floor), JavaScript 47,333 / 57,389 / 60,558 ev/s (0.16 / 0.19 / 0.20); DuckDB's own
 * write of the rows 176-226k rows/s. With the ingest command's 1 GB cap: native 80k, JavaScript 51.5k
 * ev/s. Neither meets 100,000 ev/s or a third of the floor. End of session 5, back to back at load
 * 1.0-1.5: Stream native 76,894 / 76,653 ev/s (0.23), JavaScript 55,331 / 64,472 (0.18 / 0.19);
 * Zeek TSV (conn) native 223,803 ev/s (0.26 of read+split); Suricata EVE 26,478, Sysmon XML 15,634.
 * Session 6 (one JSON read per line for the sourcetype, `_raw` with ZSTD), on a slower host (floor
 * 194-251k lines/s): Stream native 61,829-69,994 ev/s, 0.28-0.32 of the floor, ~20 % less CPU than
 * the session's start back to back; Zeek 156,826 (0.19), where DuckDB's own write of the same rows
 * is under a third of the floor (docs/formats.md §Session 6). All formats later, one run, load 1.5-1.7:
 * Stream two sourcetypes 86,902 ev/s (0.29), one sourcetype 103,240 (0.38), Zeek 180,199 (0.35 of a
 * 518k floor), Suricata 27,305 (0.11), Sysmon 16,160 (0.06). With the store opened as `quarry
 * ingest` opens it (1 GB pool, since) and the Zeek insert on every thread, load 1.3-1.5: Stream two
 * sourcetypes 113,940 (0.36), one sourcetype 177,308 (0.48), Zeek 244,426 (0.27; 257,9xx after the
 * scan fix), Suricata 32,575 (0.12), Sysmon 21,874 (0.07). Session 7 (aliases derived at search
 * time, docs/formats.md §Session 7), load 2.2-2.7: Stream two sourcetypes 136,871 (0.43), one
 * sourcetype 191,978 (0.51), Zeek 354,626 (0.37; BENCH_RUNS=3: 350,219, 0.37), Suricata 41,334
 * (0.16), Sysmon 21,752 (0.06).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventRecord, Quarantined } from '../src/ingest/event.js';
import { ingestPaths } from '../src/ingest/index.js';
import type { Format } from '../src/ingest/formats/types.js';
import { stream } from '../src/ingest/formats/generic.js';
import { zeekTsv } from '../src/ingest/formats/zeek.js';
import { suricata } from '../src/ingest/formats/suricata.js';
import { windowsXml } from '../src/ingest/formats/windows.js';
import { INGEST_MEMORY_LIMIT, Store, quoteIdent } from '../src/store/index.js';
import { printTable } from './lib.js';

const N = Number(process.argv[2] ?? 1_000_000);
const DIR = process.argv[3] ?? 'bench/out';
/** Optional: only the formats whose name contains this text (e.g. "Sysmon"). */
const ONLY = process.argv[4];
const RUNS = Number(process.env.BENCH_RUNS ?? 1);

// ------------------------------------------------------------------------------ generators
let seed = 42;
function rnd(n: number): number { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; }
const ip = (a: number) => `10.0.${a}.${1 + rnd(250)}`;
const ext = () => `${20 + rnd(200)}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (t: number) => new Date(t).toISOString().replace('Z', '') + pad(rnd(1000), 3) + 'Z';
const T0 = Date.parse('2017-08-24T00:00:00Z');
const DOMAINS = ['hildegardsfarm.com', 'frothly.local', 'google.com', 'microsoft.com', 'windowsupdate.com', 'akamai.net'];

/** Stream JSON as one file of two sourcetypes (a third dns, the rest smb): the native path reads it once per sourcetype. */
function streamLine(i: number): string {
  return i % 3 === 0 ? streamDnsLine(i) : streamSmbLine(i);
}

function streamDnsLine(i: number): string {
  const t = T0 + i * 7;
  const q = `${['www', 'mail', 'cdn', 'api'][rnd(4)]}${rnd(100)}.${DOMAINS[rnd(6)]}`;
  return JSON.stringify({ endtime: iso(t + 3), timestamp: iso(t), bytes: 170 + rnd(50), bytes_in: 81, bytes_out: 89 + rnd(50), dest_ip: '10.0.1.100', dest_mac: '00:1B:17:00:01:10', dest_port: 53, flow_id: `d7370639-8ca9-40d3-a5f8-${pad(i, 12)}`, host_addr: [ext()], message_type: ['QUERY', 'RESPONSE'], name: [q], protocol_stack: 'ip:udp:dns', query: [q, q], query_type: ['A', 'A'], reply_code: 'NoError', reply_code_id: 0, response_time: rnd(30000), src_ip: ip(2), src_mac: '00:0C:29:5E:2A:11', src_port: 1024 + rnd(60000), time_taken: rnd(30000), transaction_id: rnd(65536), transport: 'udp', ttl: [300] });
}

/** stream:smb; alone, the file a Stream capture of one protocol writes. */
function streamSmbLine(i: number): string {
  const t = T0 + i * 7;
  return JSON.stringify({ endtime: iso(t + 9), timestamp: iso(t), bytes: 1573126, bytes_in: 1450 + rnd(100), bytes_out: 1571676, command: ['smb2 read', 'smb2 create', 'smb2 close'][rnd(3)], dest_ip: '10.0.1.101', dest_mac: '00:0C:29:5E:2A:11', dest_port: 445, filename: `${10000 + rnd(90000)}-pdf.pdf`, flow_id: 'd7370639-8ca9-40d3-a5f8-dd6547d4ff99', nt_status: 0, protocol_stack: 'ip:tcp:smb', reply_time: 412, request_time: 0, response_time: 7900, src_ip: ip(2), src_mac: '00:0C:29:1B:7C:40', src_port: 49322, time_taken: 8312, transport: 'tcp' });
}

const ZEEK_HEADER = [
  '#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#open\t2017-08-24-00-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
].join('\n');
function zeekLine(i: number): string {
  const t = (T0 + i * 7) / 1000;
  const svc = ['dns', 'http', 'ssl', '-', 'smb'][rnd(5)];
  return [t.toFixed(6), 'C' + (1e15 + i * 7919).toString(36), ip(2), 1024 + rnd(60000), rnd(2) ? ext() : ip(1), [53, 80, 443, 445, 21][rnd(5)],
    svc === 'dns' ? 'udp' : 'tcp', svc, (rnd(100000) / 1000).toFixed(6), rnd(5000), rnd(500000), ['SF', 'S0', 'REJ', 'RSTO'][rnd(4)], 'T', 'F', 0,
    'ShADadfF', 5 + rnd(50), 400 + rnd(5000), 4 + rnd(50), 300 + rnd(500000), '(empty)'].join('\t');
}

function suricataLine(i: number): string {
  const t = new Date(T0 + i * 7).toISOString().replace('Z', '') + pad(rnd(1000), 3) + '+0000';
  const base = { timestamp: t, flow_id: 1e15 + i, in_iface: 'eth0', src_ip: ip(2), src_port: 1024 + rnd(60000), dest_ip: ext(), dest_port: 443, proto: 'TCP' };
  switch (i % 4) {
    case 0: return JSON.stringify({ ...base, event_type: 'alert', alert: { action: 'allowed', gid: 1, signature_id: 2400000 + rnd(1000), rev: 2, signature: 'ET DROP Dshield Block Listed Source group 1', category: 'Misc Attack', severity: 2, metadata: { tag: ['Dshield'], updated_at: ['2021_06_07'] } }, flow: { pkts_toserver: 1, pkts_toclient: 0, bytes_toserver: 60, bytes_toclient: 0, start: t } });
    case 1: return JSON.stringify({ ...base, event_type: 'dns', proto: 'UDP', dest_port: 53, dns: { version: 2, type: 'answer', id: rnd(65536), flags: '8180', qr: true, rd: true, ra: true, rrname: `www${rnd(100)}.${DOMAINS[rnd(6)]}`, rrtype: 'A', rcode: 'NOERROR', answers: [{ rrname: 'x', rrtype: 'CNAME', ttl: 300, rdata: 'y.example' }, { rrname: 'y.example', rrtype: 'A', ttl: 300, rdata: ext() }], grouped: { A: [ext()], CNAME: ['y.example'] } } });
    case 2: return JSON.stringify({ ...base, event_type: 'flow', app_proto: 'tls', flow: { pkts_toserver: 10 + rnd(100), pkts_toclient: 10 + rnd(100), bytes_toserver: rnd(100000), bytes_toclient: rnd(1000000), start: t, end: t, age: rnd(100), state: 'closed', reason: 'timeout', alerted: false }, tcp: { tcp_flags: '1b', syn: true, fin: true, psh: true, ack: true, state: 'closed' } });
    default: return JSON.stringify({ ...base, event_type: 'http', tx_id: 0, http: { hostname: `cdn${rnd(50)}.${DOMAINS[rnd(6)]}`, url: `/static/${rnd(100000)}.js`, http_user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', http_content_type: 'application/javascript', http_method: 'GET', protocol: 'HTTP/1.1', status: 200, length: rnd(100000) } });
  }
}

function sysmonLine(i: number): string {
  const t = new Date(T0 + i * 7).toISOString().replace('Z', '') + '1234Z';
  const host = ['wrk-btun', 'wrk-klagerf', 'venus', 'mercury'][rnd(4)];
  const head = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/><EventID>${i % 2 ? 1 : 3}</EventID><Version>5</Version><Level>4</Level><Task>${i % 2 ? 1 : 3}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='${t}'/><EventRecordID>${100000 + i}</EventRecordID><Correlation/><Execution ProcessID='1964' ThreadID='${1000 + rnd(3000)}'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}.frothly.local</Computer><Security UserID='S-1-5-18'/></System><EventData>`;
  const guid = `{365abb72-${pad(rnd(9999), 4)}-5cc9-0000-0010${pad(rnd(99999999), 8)}}`;
  if (i % 2) {
    return head + `<Data Name='UtcTime'>${t.slice(0, 23).replace('T', ' ')}</Data><Data Name='ProcessGuid'>${guid}</Data><Data Name='ProcessId'>${rnd(9000)}</Data><Data Name='Image'>C:\\Windows\\System32\\ftp.exe</Data><Data Name='CommandLine'>"C:\\Windows\\system32\\ftp.exe"  -i -s:winsys${rnd(100)}.dll</Data><Data Name='CurrentDirectory'>C:\\Users\\billy.tun\\</Data><Data Name='User'>FROTHLY\\billy.tun</Data><Data Name='LogonGuid'>${guid}</Data><Data Name='LogonId'>0x25276</Data><Data Name='TerminalSessionId'>1</Data><Data Name='IntegrityLevel'>High</Data><Data Name='Hashes'>SHA1=${'ab12'.repeat(10)}</Data><Data Name='ParentProcessGuid'>${guid}</Data><Data Name='ParentProcessId'>3712</Data><Data Name='ParentImage'>C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe</Data><Data Name='ParentCommandLine'>"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoP -NonI -W Hidden -enc WwBSAGUAZgBdAC4A</Data></EventData></Event>`;
  }
  return head + `<Data Name='UtcTime'>${t.slice(0, 23).replace('T', ' ')}</Data><Data Name='ProcessGuid'>${guid}</Data><Data Name='ProcessId'>${rnd(9000)}</Data><Data Name='Image'>C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe</Data><Data Name='User'>FROTHLY\\billy.tun</Data><Data Name='Protocol'>tcp</Data><Data Name='Initiated'>true</Data><Data Name='SourceIsIpv6'>false</Data><Data Name='SourceIp'>${ip(2)}</Data><Data Name='SourceHostname'>${host}.frothly.local</Data><Data Name='SourcePort'>${1024 + rnd(60000)}</Data><Data Name='SourcePortName'></Data><Data Name='DestinationIsIpv6'>false</Data><Data Name='DestinationIp'>45.77.65.211</Data><Data Name='DestinationHostname'></Data><Data Name='DestinationPort'>443</Data><Data Name='DestinationPortName'>https</Data></EventData></Event>`;
}

function generate(path: string, header: string | undefined, gen: (i: number) => string): void {
  if (existsSync(path)) return;
  const fd = openSync(path + '.tmp', 'w');
  let buf: string[] = header ? [header] : [];
  let size = 0;
  for (let i = 0; i < N; i++) {
    const l = gen(i);
    buf.push(l);
    size += l.length;
    if (size > 4_000_000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; size = 0; }
  }
  if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
  // atomic: a half-written file from an interrupted run is never reused
  renameSync(path + '.tmp', path);
}

// ------------------------------------------------------------------------------- measuring

/** Read a file in 8 MiB chunks and call fn for each line (no newline), with its end byte offset. */
function eachLine(path: string, fn: (line: string, lineNo: number, end: number) => void): void {
  const fd = openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(8 << 20);
  let carry = Buffer.alloc(0);
  let pos = 0, lineNo = 0, offset = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n <= 0) break;
    pos += n;
    let data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    const last = data.lastIndexOf(10);
    if (last < 0) { carry = Buffer.from(data); continue; }
    const text = data.toString('utf8', 0, last);
    carry = Buffer.from(data.subarray(last + 1));
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const line = nl < 0 ? text.slice(start) : text.slice(start, nl);
      offset += line.length + 1; // ASCII files: chars = bytes
      fn(line, ++lineNo, offset);
      if (nl < 0) break;
      start = nl + 1;
    }
    data = Buffer.alloc(0);
  }
  if (carry.length) fn(carry.toString('utf8'), ++lineNo, offset + carry.length);
  closeSync(fd);
}

type FloorKind = 'JSON.parse' | 'split(\\t)' | 'indexOf(</Event>)';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The floor: read + split lines + the cheapest honest parse of the same text. */
function floorSeconds(path: string, kind: FloorKind): number {
  let sink = 0;
  const t = process.hrtime.bigint();
  eachLine(path, (l) => {
    if (kind === 'JSON.parse') { if (l) sink += Object.keys(JSON.parse(l)).length; }
    else if (kind === 'split(\\t)') { if (l && l[0] !== '#') sink += l.split('\t').length; }
    else sink += l.indexOf('</Event>');
  });
  if (sink === -1) console.log('');
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** The parsers alone (no CIM aliases, no store): where the time goes, next to the full ingest. */
function parseSeconds(path: string, format: Format): { seconds: number; events: number } {
  let events = 0;
  const out = { event(_e: EventRecord, _o: number) { events++; }, quarantine(_q: Quarantined) {} };
  const t = process.hrtime.bigint();
  const p = format.open({ fileName: path, tz: 'UTC' });
  eachLine(path, (l, n, o) => p.line(l, n, o, out));
  p.end(out);
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, events };
}

/** Child process: ingest one file into a fresh store; prints seconds, counts and peak RSS as JSON. */
async function ingestChild(path: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-formats-'));
  let peak = 0;
  const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 100);
  try {
    // as `quarry ingest` opens it (DuckDB's buffer pool capped, so memory stays flat on any file):
    // the ingest users run. Uncapped, the native inserts order differently (docs/formats.md §Session 6).
    const store = await Store.open(join(dir, 'data'), { memoryLimit: process.env.QUARRY_MEMORY_LIMIT ?? INGEST_MEMORY_LIMIT });
    const t = process.hrtime.bigint();
    const rep = await ingestPaths(store, [path], { index: 'main', tz: 'UTC', native: process.env.BENCH_NATIVE !== '0' });
    const formatId = rep.files[0]?.format;
    const native = rep.files[0]?.native === true;
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const writeSeconds = await duckdbWriteSeconds(store);
    store.close();
    clearInterval(sample);
    peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    console.log(JSON.stringify({ seconds, writeSeconds, ingested: rep.ingested, quarantined: rep.quarantined, peakRss: peak, formatId, native }));
  } finally {
    clearInterval(sample);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * DuckDB's own write speed for the rows just ingested, with no JavaScript in the way: each table is
 * copied into memory, then written to a new table of the same database file and committed (the
 * compression and block writes every ingest must pay). No ingest into this store can beat it.
 */
async function duckdbWriteSeconds(store: Store): Promise<number> {
  const tables = (await store.catalog()).map((c) => c.table);
  let total = 0;
  for (const [i, table] of tables.entries()) {
    await store.conn.run(`CREATE TEMP TABLE bench_mem_${i} AS SELECT * FROM ${quoteIdent(table)}`);
    const t = process.hrtime.bigint();
    await store.conn.run('BEGIN TRANSACTION');
    await store.conn.run(`CREATE TABLE bench_copy_${i} AS SELECT * FROM bench_mem_${i}`);
    await store.conn.run('COMMIT');
    total += Number(process.hrtime.bigint() - t) / 1e9;
    await store.conn.run(`DROP TABLE bench_mem_${i}`);
  }
  return total;
}

function ingestOnce(path: string): { seconds: number; writeSeconds: number; ingested: number; quarantined: number; peakRss: number; formatId: string; native: boolean } {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--ingest-child', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ingest of ${path} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function main(): void {
  mkdirSync(DIR, { recursive: true });
  const specs: [string, string, string | undefined, (i: number) => string, Format, FloorKind][] = [
    ['Stream JSON', 'stream.json', undefined, streamLine, stream, 'JSON.parse'],
    ['Stream JSON, one sourcetype', 'stream-smb.json', undefined, streamSmbLine, stream, 'JSON.parse'],
    ['Zeek TSV (conn)', 'conn.log', ZEEK_HEADER, zeekLine, zeekTsv, 'split(\\t)'],
    ['Suricata EVE', 'eve.json', undefined, suricataLine, suricata, 'JSON.parse'],
    ['Sysmon XML', 'sysmon.xml', undefined, sysmonLine, windowsXml, 'indexOf(</Event>)'],
  ];
  const rows: Record<string, string | number>[] = [];
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  for (const [name, file, header, gen, fmt, floorKind] of specs) {
    if (ONLY && !name.toLowerCase().includes(ONLY.toLowerCase())) continue;
    const path = join(DIR, `${N}-${file}`);
    process.stderr.write(`generating ${path}...\n`);
    generate(path, header, gen);
    const mb = statSync(path).size / 1e6;
    process.stderr.write(`measuring ${name}...\n`);
    const floor: number[] = [], parse: number[] = [], ingest: number[] = [], write: number[] = [], rss: number[] = [];
    let ingested = 0, quarantined = 0, native = false;
    for (let r = 0; r < RUNS; r++) {
      floor.push(floorSeconds(path, floorKind));
      parse.push(parseSeconds(path, fmt).seconds);
      const run = ingestOnce(path);
      if (run.formatId !== fmt.id) throw new Error(`${path} was read as ${run.formatId}, not ${fmt.id}`);
      ingest.push(run.seconds);
      write.push(run.writeSeconds);
      rss.push(run.peakRss);
      ingested = run.ingested;
      quarantined = run.quarantined;
      native = run.native;
    }
    const fl = median(floor), ps = median(parse), is = median(ingest);
    rows.push({
      format: name + (native ? ' [native]' : ''),
      events: ingested + (quarantined ? ` (+${quarantined} quarantined!)` : ''),
      MB: Math.round(mb),
      'ingest ev/s': f(ingested / is),
      'ingest MB/s': f(mb / is, 1),
      'parse-only ev/s': f(N / ps),
      floor: `read+${floorKind}`,
      'floor ev/s': f(N / fl),
      'floor MB/s': f(mb / fl, 1),
      'ingest/floor': (fl / is).toFixed(2),
      'DuckDB write ev/s': f(ingested / median(write)),
      'ingest/write': (median(write) / is).toFixed(2),
      'peak RSS MB': Math.round(median(rss) / 1e6),
    });
    if (process.env.BENCH_KEEP !== '1') unlinkSync(path);
  }
  printTable(`Quarry ingest end to end, ${f(N)} events per format (median of ${RUNS}), node ${process.version}`, rows);
}

if (process.argv[2] === '--ingest-child') await ingestChild(process.argv[3]!);
else main();
