/**
 * Issue 4: every search of the seed write-ups (test/fixtures/seed-queries.md, a verbatim copy of
 * shared/seeds/queries.md) runs verbatim through runSearch on a generated Frothly network (default
 * variant, seed `frothly`: its staging flow_id is the one the seeds name) and tells the write-up's
 * story. Expected values come from truth.json or are computed here from the generator's raw files
 * (JSON.parse, our own token matching, Shannon entropy and sample stdev), never from literals.
 * Every fenced search line is run; a search with no story assertions below fails.
 *
 * Scale: QUARRY_SEED_SCALE, default 0.1 (the attack at full size, a tenth of the background, as
 * the hunts test does: 92 k events). Scale 1 is the issue's size, but generating and ingesting
 * its 473 k events took 112 s (load average 3.5) to 231 s (load 5–9) on the shared 2-core
 * machine, and the searches another 37 s: too long for CI's ~5 min for the whole suite, and the
 * story does not depend on the background's size. Run it at full size (it passes) with
 *   QUARRY_SEED_SCALE=1 node --test dist/test/seeds/seeds.test.js
 * The network is shared with test/hunts/frothly.test.ts through test/frothly.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSearch, type Row } from '../../src/search/index.js';
import { frothlyNetwork, type FrothlyNet } from '../frothly.js';
import { splitWinEvents } from '../gen/helpers.js';
import { ROOT } from '../util.js';

const SCALE = Number(process.env.QUARRY_SEED_SCALE ?? 0.1);
const FIXTURE = join(ROOT, 'test', 'fixtures', 'seed-queries.md');

type J = Record<string, any>;
type Result = Awaited<ReturnType<typeof runSearch>>;

/** Every non-empty line inside a ``` fence: one search each. */
function fencedSearches(md: string): string[] {
  const out: string[] = [];
  let inFence = false;
  for (const line of md.split('\n')) {
    if (line.trimStart().startsWith('```')) inFence = !inFence;
    else if (inFence && line.trim()) out.push(line);
  }
  return out;
}

const md = readFileSync(FIXTURE, 'utf8');
const SEARCHES = fencedSearches(md);

// ---------------------------------------------------------------- independent helpers

/** Splunk's default major and minor breakers: a bare term matches a run bounded by them. */
const BREAK = `\\s\\[\\]<>(){}|!;,'"*&?+/:=@.\\-$#%\\\\_`;
function termRe(term: string): RegExp {
  const body = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const isBreak = (c: string) => new RegExp(`[${BREAK}]`).test(c);
  const left = isBreak(term[0]!) ? '' : `(?:^|[${BREAK}])`;
  const right = isBreak(term[term.length - 1]!) ? '' : `(?=$|[${BREAK}])`;
  return new RegExp(left + body + right, 'i');
}

/** The bare terms of a search's first command (not field=value, not index=, not OR/AND/NOT, no parentheses). */
function bareTerms(spl: string): string[] {
  return spl.split('|')[0]!.replace(/[()]/g, ' ').split(/\s+/).filter((w) => w && !w.includes('=') && !/^(OR|AND|NOT)$/.test(w));
}

/** `field=value` of a search's first command (quotes removed). */
function fieldValue(spl: string, field: string): string {
  const m = new RegExp(`(?:^|\\s)${field}=(?:"([^"]*)"|(\\S+))`).exec(spl.split('|')[0]!);
  assert.ok(m, `no ${field}= in ${spl}`);
  return m[1] ?? m[2]!;
}

function shannon(s: string): number {
  const n = new Map<string, number>();
  for (const c of s) n.set(c, (n.get(c) ?? 0) + 1);
  let h = 0;
  for (const k of n.values()) h -= (k / s.length) * Math.log2(k / s.length);
  return h;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStdev = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
/** round(x, 2) as SPL's eval does it (half away from zero). */
const round2 = (x: number) => Math.sign(x) * Math.round(Math.abs(x) * 100) / 100;
const near = (a: unknown, b: number, what: string) => assert.ok(Math.abs(Number(a) - b) <= 1e-9, `${what}: SPL ${a}, computed ${b}`);

/** An ISO time with microseconds (Stream's endtime, which Quarry takes as _time) as epoch µs. */
function isoUs(s: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s)!;
  return Date.parse(m[1] + 'Z') * 1000 + Number(((m[2] ?? '') + '000000').slice(0, 6));
}
function localParts(us: number, tz: string): { date: string; hms: string } {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Math.floor(us / 1000))).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hms: `${p.hour}:${p.minute}:${p.second}` };
}

function countBy<T>(xs: T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}
function assertSortedDesc(rows: Row[], field = 'count'): void {
  for (let i = 1; i < rows.length; i++) assert.ok(Number(rows[i - 1]![field]) >= Number(rows[i]![field]), `rows not sorted by - ${field} at ${i}`);
}
const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

// ---------------------------------------------------------------- the network and its raw files

let net: FrothlyNet;
let tz: string;
const cache = new Map<string, unknown>();
function memo<T>(key: string, f: () => T): T {
  if (!cache.has(key)) cache.set(key, f());
  return cache.get(key) as T;
}
/** Raw events of a sourcetype, as the ingest splits them. */
function rawEvents(sourcetype: string): string[] {
  return memo(`raw:${sourcetype}`, () =>
    net.manifest.files.filter((f) => f.sourcetype === sourcetype).flatMap((f) => {
      const text = readFileSync(join(net.gen, f.path), 'utf8');
      return sourcetype === 'wineventlog' ? splitWinEvents(text) : text.split('\n').filter((l) => l && !l.startsWith('#'));
    }),
  );
}
const stream = (kind: string): J[] => memo(`json:${kind}`, () => rawEvents(`stream:${kind}`).map((l) => JSON.parse(l) as J));
const sourcetypes = (): string[] => [...new Set(net.manifest.files.map((f) => f.sourcetype))];
const finding = (role: string): J[] => (net.truth.findings as J[]).filter((f) => f.role === role);
const one = (role: string): string => finding(role)[0]!.value;
function assetHost(ip: string): string {
  const lines = memo('assets', () => readFileSync(join(net.gen, 'assets.csv'), 'utf8').trim().split('\n').map((l) => l.split(',')));
  return lines.find((c) => c[0] === ip)?.[2] ?? ip;
}

// ---------------------------------------------------------------- the story, search by search

interface Story {
  name: string;
  match: (spl: string) => boolean;
  check: (r: Result, spl: string) => void;
}

const has = (...parts: (string | RegExp)[]) => (spl: string) => parts.every((p) => (typeof p === 'string' ? spl.includes(p) : p.test(spl)));
const OFFICE = ['.pdf', '.tgz', '.doc', '.xls'];
const isOffice = (raw: string) => OFFICE.some((t) => termRe(t).test(raw));

/** The index of the timechart row (bin) that contains a time in epoch µs. */
function binOf(rows: Row[], us: number): number {
  let i = rows.findIndex((r) => Number(r._time) > us);
  if (i === -1) i = rows.length;
  return i - 1;
}
/** A `timechart count by uniq` has the staging pair's column, with all its events, busiest on the staging nights. */
function pairTimechart(r: Result, expectedTotal: number): void {
  const pair = `${one('staging_host')} ${one('staging_source')}`;
  assert.ok(r.fields.includes(pair), `timechart has the pair's column ${pair}: ${r.fields.join(', ')}`);
  const col = r.rows.map((row) => Number(row[pair] ?? 0));
  assert.equal(col.reduce((a, b) => a + b, 0), expectedTotal, 'the column total is every event of the pair');
  // the pair's busiest bins are the two staging nights (the write-up: 23 and 25 August)
  const nights = (net.truth.staging.nights as J[]).map((n) => binOf(r.rows, isoUs(n.start)));
  const top = col.map((c, i) => [c, i] as const).sort((a, b) => b[0] - a[0]).slice(0, nights.length).map(([, i]) => i);
  assert.deepEqual([...top].sort((a, b) => a - b), [...nights].sort((a, b) => a - b), `busiest bins ${top.map((i) => localParts(Number(r.rows[i]!._time), tz).date)}`);
}

function smbCommandStats(r: Result, spl: string): void {
  const command = fieldValue(spl, 'command');
  assert.equal(fieldValue(spl, 'flow_id'), net.truth.staging.flow_id, 'the seeds name the staging flow');
  const want = net.truth.staging.by_command[command] as J;
  assert.ok(want, `truth has no ${command}`);
  assert.deepEqual(r.fields, ['src_ip', 'dest_ip', 'count', 'mb_in', 'mb_out']);
  assert.deepEqual(r.rows, [{
    src_ip: one('staging_host'), dest_ip: one('staging_source'), count: want.count,
    mb_in: round2(want.bytes_in / 1024 / 1024), mb_out: round2(want.bytes_out / 1024 / 1024),
  }]);
}

/** The seed's FTP table of one client, from stream/ftp.json. */
function ftpConversation(src: string, dest: string): J[] {
  return stream('ftp')
    .filter((e) => e.src_ip === src && e.dest_ip === dest && !['PORT', 'TYPE', 'NLST'].includes(e.method))
    .map((e) => ({ _time: isoUs(e.endtime), src: e.src_ip, filename: e.filename, method: e.method, method_parameter: e.method_parameter, flow_id: e.flow_id }))
    .sort((a, b) => a._time - b._time);
}

/** The tunnel's QUERY events (query=*.domain) with their subdomain, from stream/dns.json. */
function tunnelQueries(): { src: string; dest: string; query: string; sub: string }[] {
  const domain = one('tunnel_domain');
  return memo('tunnel', () =>
    stream('dns')
      .filter((e) => (e.message_type as string[]).includes('QUERY') && (e.query as string[]).some((q) => q.toLowerCase().endsWith('.' + domain)))
      .map((e) => {
        const qs = [...new Set(e.query as string[])];
        assert.equal(qs.length, 1, 'one distinct query per event');
        return { src: e.src_ip, dest: e.dest_ip, query: qs[0]!, sub: qs[0]!.slice(0, -(domain.length + 1)) };
      }),
  );
}

const STORIES: Story[] = [
  {
    name: 'office files: stream:smb leads the sourcetypes',
    match: (s) => /\(\.pdf OR \.tgz OR \.doc OR \.xls\) \| stats count by sourcetype/.test(s),
    check(r) {
      const want = new Map(sourcetypes().map((st) => [st, rawEvents(st).filter(isOffice).length] as const).filter(([, n]) => n > 0));
      assert.deepEqual(new Map(r.rows.map((x) => [x.sourcetype as string, x.count])), want);
      assertSortedDesc(r.rows);
      assert.equal(r.rows[0]!.sourcetype, 'stream:smb');
      assert.ok(Number(r.rows[0]!.count) > Number(r.rows[1]!.count), 'stream:smb leads alone');
    },
  },
  {
    name: 'office files over SMB: the staging pair ranks first',
    match: has('sourcetype="stream:smb" | stats count by src_ip dest_ip'),
    check(r) {
      const want = countBy(stream('smb').filter((e, i) => isOffice(rawEvents('stream:smb')[i]!)), (e) => `${e.src_ip} ${e.dest_ip}`);
      assert.deepEqual(new Map(r.rows.map((x) => [`${x.src_ip} ${x.dest_ip}`, x.count])), want);
      assertSortedDesc(r.rows);
      assert.deepEqual([r.rows[0]!.src_ip, r.rows[0]!.dest_ip], [one('staging_host'), one('staging_source')]);
      assert.ok(Number(r.rows[0]!.count) > Number(r.rows[1]!.count));
    },
  },
  {
    name: 'office files over SMB by pair in time: the pair peaks on the staging nights',
    match: has('(.pdf OR .tgz OR .doc OR .xls) sourcetype="stream:smb" | eval uniq=src_ip." ".dest_ip | timechart count by uniq'),
    check(r) {
      const pair = (e: J) => e.src_ip === one('staging_host') && e.dest_ip === one('staging_source');
      pairTimechart(r, stream('smb').filter((e, i) => pair(e) && isOffice(rawEvents('stream:smb')[i]!)).length);
    },
  },
  {
    name: 'all SMB by pair in time: the pair peaks on the staging nights',
    match: (s) => s === 'index="botsv2" sourcetype="stream:smb" | eval uniq=src_ip." ".dest_ip | timechart count by uniq',
    check(r) {
      pairTimechart(r, stream('smb').filter((e) => e.src_ip === one('staging_host') && e.dest_ip === one('staging_source')).length);
    },
  },
  {
    name: 'files by pair: every staged file, read by the staging host from the file server',
    match: has('sourcetype="stream:smb" | stats count by filename, src_ip, dest_ip'),
    check(r) {
      assertSortedDesc(r.rows);
      const [host, server] = [one('staging_host'), one('staging_source')];
      const got = new Map(r.rows.filter((x) => x.src_ip === host && x.dest_ip === server).map((x) => [x.filename as string, x.count]));
      const raw = countBy(stream('smb').filter((e) => e.src_ip === host && e.dest_ip === server && e.filename), (e) => e.filename);
      const staged = finding('staged_file').map((f) => f.value as string);
      assert.equal(staged.length, net.truth.staging.staged_file_count);
      for (const f of staged) assert.equal(got.get(f), raw.get(f), f);
    },
  },
  {
    name: 'one staged file over SMB: three events of the one staging flow',
    match: (s) => /^index="botsv2" \S+ sourcetype="stream:smb"$/.test(s),
    check(r, spl) {
      const [term] = bareTerms(spl).filter((t) => !t.startsWith('index'));
      assert.ok(finding('staged_file').some((f) => termRe(term!).test(f.value)), `${term} is a staged file`);
      assert.equal(r.rows.length, rawEvents('stream:smb').filter((l) => termRe(term!).test(l)).length);
      assert.deepEqual(new Set(r.rows.map((x) => x.flow_id)), new Set([net.truth.staging.flow_id]));
      assert.deepEqual(new Set(r.rows.map((x) => x.command)), new Set(['smb2 create', 'smb2 read', 'smb2 close']));
      for (const x of r.rows) assert.deepEqual([x.src_ip, x.dest_ip], [one('staging_host'), one('staging_source')]);
    },
  },
  {
    name: 'one staged file everywhere: staged over SMB, then sent by FTP',
    match: (s) => /^index="botsv2" [^\s=]+$/.test(s),
    check(r, spl) {
      const re = termRe(bareTerms(spl).filter((t) => !t.startsWith('index'))[0]!);
      assert.ok(finding('staged_file').some((f) => re.test(f.value)) && finding('exfil_file').some((f) => re.test(f.value)), 'a staged file that left');
      const want = new Map(sourcetypes().map((st) => [st, rawEvents(st).filter((l) => re.test(l)).length] as const).filter(([, n]) => n > 0));
      assert.deepEqual(countBy(r.rows, (x) => x.sourcetype as string), want);
      for (const x of r.rows.filter((y) => y.sourcetype === 'stream:smb')) assert.equal(x.flow_id, net.truth.staging.flow_id);
      const ftp = r.rows.filter((y) => y.sourcetype === 'stream:ftp');
      assert.ok(ftp.length > 0);
      for (const x of ftp) assert.deepEqual([x.method, x.src, x.dest], ['STOR', one('staging_host'), one('exfil_destination')]);
    },
  },
  {
    name: "the staging flow's commands: the truth's breakdown, smb2 read first",
    match: has('| stats count by command | sort - count'),
    check(r, spl) {
      assert.equal(fieldValue(spl, 'flow_id'), net.truth.staging.flow_id);
      const want = Object.fromEntries(Object.entries(net.truth.staging.by_command as Record<string, J>).map(([c, v]) => [c, v.count]));
      assert.deepEqual(Object.fromEntries(r.rows.map((x) => [x.command, x.count])), want);
      assertSortedDesc(r.rows);
      assert.equal(r.rows[0]!.command, 'smb2 read');
    },
  },
  { name: 'smb2 read/create/close: count and MB each way', match: has(/command="smb2 (read|create|close)"/, 'eval mb_out=round'), check: smbCommandStats },
  {
    name: 'one staged file over FTP: uploaded by the staging host to the FTP server',
    match: (s) => /^index="botsv2" \S+ source="stream:ftp"$/.test(s),
    check(r, spl) {
      const file = bareTerms(spl).filter((t) => !t.startsWith('index'))[0]!;
      const times = (net.truth.ftp.transmissions as J[]).filter((t) => (t.files as string[]).includes(file)).length;
      assert.ok(times > 0, `${file} left by FTP`);
      assert.equal(r.rows.length, times);
      assert.equal(r.rows.length, rawEvents('stream:ftp').filter((l) => termRe(file).test(l)).length);
      for (const x of r.rows) assert.deepEqual([x.sourcetype, x.method, x.src, x.dest, x.filename], ['stream:ftp', 'STOR', one('staging_host'), one('exfil_destination'), file]);
    },
  },
  {
    name: 'FTP side by side: both clients ran the same download, times as %H:%M:%S',
    match: has('appendcols [search', 'foreach *'),
    check(r, spl) {
      const [main, sub] = spl.split('appendcols');
      const [srcA, srcB] = [fieldValue(main!, 'src'), fieldValue(sub!.replace(/^\s*\[search /, ''), 'src')];
      const dest = fieldValue(main!, 'dest');
      assert.deepEqual(new Set([srcA, srcB]), new Set(finding('exfil_source').map((f) => f.value)), 'the two clients are the exfil sources');
      assert.equal(dest, one('exfil_destination'));
      assert.deepEqual(r.fields, ['_time', 'src', 'filename', 'method', 'method_parameter', 'time_s', 'src_s', 'filename_s', 'method_s', 'method_parameter_s']);
      const a = ftpConversation(srcA, dest), b = ftpConversation(srcB, dest);
      assert.equal(r.rows.length, Math.max(a.length, b.length));
      r.rows.forEach((row, i) => {
        const want: Row = {};
        const x = a[i], y = b[i];
        if (x) Object.assign(want, { _time: x._time, src: x.src, filename: x.filename, method: x.method, method_parameter: x.method_parameter });
        if (y) Object.assign(want, { time_s: localParts(y._time, tz).hms, src_s: y.src, filename_s: y.filename, method_s: y.method, method_parameter_s: y.method_parameter });
        for (const k of Object.keys(want)) if (want[k] === undefined) delete want[k];
        assert.deepEqual(row, want, `row ${i}`);
      });
      // the first session of each client is the same download: same commands, same files in the same order
      const first = (c: J[]) => c.filter((e) => e.flow_id === c[0]!.flow_id);
      const [da, db] = [first(a), first(b)];
      assert.deepEqual(da.map((e) => [e.method, e.method_parameter]), db.map((e) => [e.method, e.method_parameter]));
      assert.deepEqual(da.filter((e) => e.method === 'RETR').map((e) => e.filename), net.truth.ftp.downloads.files);
    },
  },
  {
    name: 'ftp.exe scripts in the Security log: hosts, counts, percentages',
    match: has('sourcetype=wineventlog (singlefile.dll OR winsys32.dll)'),
    check(r, spl) {
      const terms = bareTerms(spl).filter((t) => !t.startsWith('index') && !t.startsWith('sourcetype'));
      assert.deepEqual(new Set(terms), new Set([net.truth.ftp.scripts.download, net.truth.ftp.scripts.single]), 'the seed names the download and single-file scripts');
      const events = rawEvents('wineventlog').filter((e) => terms.some((t) => termRe(t).test(e)));
      const by = new Map<string, { count: number; codes: Set<string> }>();
      for (const e of events) {
        const h = /^ComputerName=(.+)$/m.exec(e)![1]!.trim();
        const g = by.get(h) ?? by.set(h, { count: 0, codes: new Set() }).get(h)!;
        g.count++;
        g.codes.add(/^EventCode=(\d+)$/m.exec(e)![1]!);
      }
      const total = events.length;
      const want = [...by.entries()].map(([host, g]) => ({ host, count: g.count, EventCode: [...g.codes].sort(), percentage: round2((g.count * 100) / total) }));
      assert.deepEqual(
        r.rows.map((x): J => ({ ...x, EventCode: asList(x.EventCode) })).sort((p, q) => String(p.host).localeCompare(String(q.host))),
        want.sort((p, q) => p.host.localeCompare(q.host)),
      );
      assertSortedDesc(r.rows);
      // the truth's ftp.exe runs with those scripts, per host (mercury has no Sysmon: only here)
      const runs = countBy((net.truth.processes as J[]).filter((p) => terms.some((t) => String(p.command_line ?? '').includes(t))), (p) => p.host);
      assert.deepEqual(new Map(r.rows.map((x) => [String(x.host).split('.')[0], x.count])), runs);
    },
  },
  {
    name: 'DNS mentioning the FTP server: the four compromised systems resolve it',
    match: (s) => /^index=botsv2 sourcetype=stream:dns \S+$/.test(s),
    check(r, spl) {
      const ip = bareTerms(spl).filter((t) => !t.startsWith('index') && !t.startsWith('sourcetype'))[0]!;
      assert.equal(ip, one('exfil_destination'));
      assert.equal(r.rows.length, rawEvents('stream:dns').filter((l) => termRe(ip).test(l)).length);
      const clients = new Set(r.rows.map((x) => x.src as string));
      assert.deepEqual(clients, new Set((net.truth.ftp.dns_lookups as J[]).map((l) => l.client)));
      assert.deepEqual(new Set([...clients].map(assetHost)), new Set(net.truth.hosts.compromised));
    },
  },
  {
    name: "DNS mentioning the domain: most go to the tunnel's primary resolver",
    match: (s) => /^index="botsv2" sourcetype="stream:dns" \S+$/.test(s),
    check(r, spl) {
      const domain = bareTerms(spl).filter((t) => !t.startsWith('index') && !t.startsWith('sourcetype'))[0]!;
      assert.equal(domain, one('tunnel_domain'));
      assert.equal(r.rows.length, rawEvents('stream:dns').filter((l) => termRe(domain).test(l)).length);
      const byDest = [...countBy(r.rows, (x) => x.dest as string).entries()].sort((a, b) => b[1] - a[1]);
      assert.equal(byDest[0]![0], finding('tunnel_resolver').find((f) => f.primary)!.value);
      assert.deepEqual(new Set(r.rows.flatMap((x) => asList(x.message_type))), new Set(['QUERY', 'RESPONSE']));
    },
  },
  {
    name: "the domain's QUERY rows: the tunnel's queries from its client to its resolvers",
    match: has('message_type=QUERY |table _time query src dest'),
    check(r) {
      assert.deepEqual(r.fields, ['_time', 'query', 'src', 'dest']);
      const domain = one('tunnel_domain');
      const raw = stream('dns').filter((e, i) => termRe(domain).test(rawEvents('stream:dns')[i]!) && (e.message_type as string[]).includes('QUERY'));
      assert.equal(r.rows.length, raw.length);
      const tunnel = r.rows.filter((x) => asList(x.query).some((q) => q.endsWith('.' + domain)));
      assert.equal(tunnel.length, net.truth.dns_tunnel.query_count);
      assert.deepEqual(new Set(tunnel.map((x) => x.src)), new Set([one('tunnel_client')]));
      assert.deepEqual(countBy(tunnel, (x) => x.dest as string), new Map(finding('tunnel_resolver').map((f) => [f.value, f.count])));
    },
  },
  {
    name: 'URL Toolbox: every tunnel subdomain and its Shannon entropy',
    match: has('ut_shannon(ut_subdomain) |table src dest query ut_subdomain ut_shannon'),
    check(r) {
      const want = tunnelQueries();
      assert.equal(want.length, net.truth.dns_tunnel.query_count);
      assert.equal(r.rows.length, want.length);
      const got = [...r.rows].sort((p, q) => String(p.query).localeCompare(String(q.query)));
      [...want].sort((p, q) => p.query.localeCompare(q.query)).forEach((w, i) => {
        const g = got[i]!;
        assert.deepEqual([g.src, g.dest, g.query, g.ut_subdomain], [w.src, w.dest, w.query, w.sub]);
        near(g.ut_shannon, shannon(w.sub), `ut_shannon(${w.sub})`);
      });
    },
  },
  {
    name: 'URL Toolbox stats: the tunnel pairs rank first with their entropy and length',
    match: has('stats count avg(ut_shannon) as avg_entropy avg(sublen) as avg_sublen stdev(sublen) as stdev_sublen by ut_domain src dest'),
    check(r) {
      const domain = one('tunnel_domain');
      const groups = new Map<string, string[]>();
      for (const q of tunnelQueries()) (groups.get(`${q.src} ${q.dest}`) ?? groups.set(`${q.src} ${q.dest}`, []).get(`${q.src} ${q.dest}`)!).push(q.sub);
      assert.equal(r.rows.length, groups.size);
      assertSortedDesc(r.rows);
      for (const row of r.rows) {
        assert.equal(row.ut_domain, domain);
        const subs = groups.get(`${row.src} ${row.dest}`)!;
        assert.ok(subs, `${row.src} ${row.dest}`);
        assert.equal(row.count, subs.length);
        near(row.avg_entropy, mean(subs.map(shannon)), 'avg_entropy');
        near(row.avg_sublen, mean(subs.map((s) => s.length)), 'avg_sublen');
        near(row.stdev_sublen, sampleStdev(subs.map((s) => s.length)), 'stdev_sublen');
      }
      // the tunnel: its client, to each of its resolvers, the truth's counts
      assert.deepEqual(new Set(r.rows.map((x) => x.src)), new Set([one('tunnel_client')]));
      assert.deepEqual(new Map(r.rows.map((x) => [x.dest, x.count])), new Map(finding('tunnel_resolver').map((f) => [f.value, f.count])));
    },
  },
];

function storyOf(spl: string): Story[] {
  return STORIES.filter((s) => s.match(spl));
}

describe('the seed searches tell the write-ups\' story on the Frothly network', () => {
  before(async () => {
    net = await frothlyNetwork({ scale: SCALE, seed: 'frothly', variant: 'default' });
    tz = net.manifest.tz;
    process.stderr.write(`# seeds: scale ${SCALE}, ${net.manifest.events} events${net.buildMs ? `, built in ${net.buildMs} ms` : ' (cached)'}\n`);
  }, { timeout: 1_800_000 });
  after(() => net?.close());

  test('every fenced search of the file is found (the count the file declares)', () => {
    const declared = Number(/searches: (\d+)/.exec(md)?.[1]);
    assert.equal(SEARCHES.length, declared);
    assert.equal(SEARCHES.length, md.split('\n').filter((l) => /^index=/.test(l.trim())).length, 'every search line is inside a fence');
  });

  test('every search has story assertions, and every story a search', () => {
    for (const s of SEARCHES) assert.equal(storyOf(s).length, 1, `stories for: ${s}`);
    for (const st of STORIES) assert.ok(SEARCHES.some((s) => st.match(s)), `no search for story "${st.name}"`);
  });

  SEARCHES.forEach((spl, i) => {
    test(`#${i + 1} ${spl.length > 100 ? spl.slice(0, 97) + '...' : spl}`, async () => {
      const [story] = storyOf(spl);
      assert.ok(story, 'no story assertions for this search');
      const r = await runSearch(net.store, spl, { tz });
      story.check(r, spl);
    });
  });
});
