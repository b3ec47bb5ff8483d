import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attribute, dnsTunnels } from '../../src/hunts/pickers/dns.js';
import { stagingOutliers } from '../../src/hunts/pickers/staging.js';
import { robustZ, shannon, median } from '../../src/hunts/math.js';
import { fill } from '../../src/hunts/params.js';
import { parseCsv } from '../../src/hunts/assets.js';
import { renderReport } from '../../src/hunts/report.js';
import type { Assets } from '../../src/hunts/assets.js';
import type { HuntResult } from '../../src/hunts/types.js';
import type { Row } from '../../src/search/index.js';

const noAssets: Assets = { byIp: new Map(), people: new Map() };
const ctx = (rows: Row[], args: Record<string, unknown> = {}) => ({ rows, fields: [], params: {}, args, assets: noAssets, search: '', state: new Map() });

/** deterministic pseudo-random labels */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
function label(r: () => number, n: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(r() * alphabet.length)];
  return out;
}
const HEX = '0123456789abcdef';
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

test('math: shannon, median, robust z', () => {
  assert.equal(shannon('aaaa'), 0);
  assert.equal(shannon('abcd'), 2);
  assert.equal(median([5, 1, 3]), 3);
  assert.ok(robustZ(100, [1, 2, 3, 2, 1, 2, 3]) > 10);
  assert.ok(Math.abs(robustZ(2, [1, 2, 3, 2, 1, 2, 3])) < 1);
});

test('attribute: registered domain via the PSL, search-list suffixes, own names', () => {
  assert.deepEqual(attribute('abc.def.example.co.uk'), { domain: 'example.co.uk', sub: 'abc.def' });
  assert.deepEqual(attribute('x1y2.example.com.corp.local'), { domain: 'example.com', sub: 'x1y2', suffix: 'corp.local' });
  assert.deepEqual(attribute('Q.Example.COM.'), { domain: 'example.com', sub: 'Q' });
  assert.deepEqual(attribute('aB+/c=.x_y.tun.example.org'), { domain: 'example.org', sub: 'aB+/c=.x_y.tun' });
  assert.equal(attribute('wrk-btun.frothly.local'), undefined);
  assert.equal(attribute('7.1.0.10.in-addr.arpa'), undefined);
});

test('params: quoting and list expansion', () => {
  assert.equal(fill('src="$a$" $b|or:dest$ $c|raw$', { a: 'x"y\\z', b: ['1.2.3.4', '5.6.7.8'], c: '(flow_id="f")' }), 'src="x\\"y\\\\z" (dest="1.2.3.4" OR dest="5.6.7.8") (flow_id="f")');
  assert.throws(() => fill('$nope$', {}));
});

test('csv: quoted cells', () => {
  assert.deepEqual(parseCsv('ip,role\n10.0.0.1,"a, ""b"""\n'), [{ ip: '10.0.0.1', role: 'a, "b"' }]);
});

/** A network of 40 clients behind an internal resolver; CDN and AV services with random labels everyone uses. */
function dnsRows(extra: (r: () => number) => Row[]): Row[] {
  const r = rng(7);
  const rows: Row[] = [];
  const clients = Array.from({ length: 40 }, (_, i) => `10.0.2.${100 + i}`);
  const t0 = 1_500_000_000;
  for (const c of clients) {
    for (let i = 0; i < 60; i++) rows.push({ src: c, dest: '10.0.1.100', q: `${label(r, 20, B32)}.avqs.mcafee.com`, count: 1, rcodes: 'NoError', rtypes: 'A', first: t0 + i * 600, last: t0 + i * 600 });
    for (let i = 0; i < 40; i++) rows.push({ src: c, dest: '10.0.1.100', q: `${label(r, 16, HEX)}.safeframe.googlesyndication.com`, count: 1, rcodes: 'NoError', rtypes: 'A', first: t0 + i * 900, last: t0 + i * 900 });
    for (const w of ['www.google.com', 'outlook.office365.com', 'www.cnn.com']) rows.push({ src: c, dest: '10.0.1.100', q: w, count: 30, rcodes: 'NoError', rtypes: 'A', first: t0, last: t0 + 86400 });
  }
  // the resolver forwards what it is asked
  for (const row of [...rows]) rows.push({ ...row, src: '10.0.1.100', dest: '8.8.8.8' });
  rows.push(...extra(r));
  return rows;
}

test('dns: a short-lived dnscat2-like tunnel (60 hex names in minutes) ranks above CDN and AV look-alikes', () => {
  const rows = dnsRows((r) => Array.from({ length: 60 }, (_, i) => ({ src: '10.0.2.105', dest: '8.8.8.8', q: `${label(r, 62, HEX)}.${label(r, 30, HEX)}.badcat.net`, count: 1, rcodes: 'NoError', rtypes: i % 2 ? 'TXT' : 'CNAME', first: 1_500_000_000 + i * 3, last: 1_500_000_000 + i * 3 })));
  const out = dnsTunnels(ctx(rows, { threshold: 0.6, min_names: 10 }));
  assert.equal(out.ranking!.rows[0]!.domain, 'badcat.net');
  const doms = (out.findings ?? []).filter((f) => f.role === 'tunnel_domain').map((f) => f.value);
  assert.deepEqual(doms, ['badcat.net']);
  assert.deepEqual((out.findings ?? []).filter((f) => f.role === 'tunnel_client').map((f) => f.value), ['10.0.2.105']);
  const score = (d: string) => Number(out.ranking!.rows.find((x) => x.domain === d)!.score);
  assert.ok(score('mcafee.com') < score('badcat.net') && score('googlesyndication.com') < score('badcat.net'));
});

test('dns: iodine-like base32 names through the search list count for the domain meant', () => {
  const rows = dnsRows((r) => Array.from({ length: 40 }, (_, i) => ({ src: '10.0.2.111', dest: '10.0.1.100', q: `${label(r, 50, B32)}.t.tun-example.org.corp.local`, count: 1, rcodes: 'NXDomain', rtypes: 'NULL', first: 1_500_000_000 + i, last: 1_500_000_000 + i })));
  const out = dnsTunnels(ctx(rows));
  assert.equal(out.ranking!.rows[0]!.domain, 'tun-example.org');
  assert.equal(out.ranking!.rows[0]!.search_list_hits, 40);
  assert.deepEqual((out.findings ?? []).filter((f) => f.role === 'tunnel_client').map((f) => f.value), ['10.0.2.111']);
});

test('dns: DNSExfiltrator-like (25 TXT queries, numbered base32 chunks of varying length) and dns2tcp-like sessions rank first', () => {
  const exfil = (r: () => number) => Array.from({ length: 25 }, (_, i) => ({ src: '10.0.2.120', dest: '8.8.8.8', q: `${i}.${label(r, i === 24 ? 17 : 63, B32)}.${label(r, i === 24 ? 0 : 40, B32)}.exf-example.net`.replace('..', '.'), count: 1, rcodes: 'NoError', rtypes: 'TXT', first: 1_500_000_000 + i, last: 1_500_000_000 + i }));
  const out = dnsTunnels(ctx(dnsRows(exfil)));
  assert.equal(out.ranking!.rows[0]!.domain, 'exf-example.net');
  assert.deepEqual((out.findings ?? []).filter((f) => f.role === 'tunnel_domain').map((f) => f.value), ['exf-example.net']);
  const d2t = (r: () => number) => Array.from({ length: 30 }, (_, i) => ({ src: '10.0.2.121', dest: '8.8.8.8', q: `${label(r, 44, B32 + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ+/')}.=auth.d2t-example.org`, count: 1, rcodes: 'NoError', rtypes: 'TXT', first: 1_500_000_000 + i * 2, last: 1_500_000_000 + i * 2 }));
  const out2 = dnsTunnels(ctx(dnsRows(d2t)));
  assert.equal(out2.ranking!.rows[0]!.domain, 'd2t-example.org');
  assert.equal((out2.findings ?? []).filter((f) => f.role === 'tunnel_domain').length, 1);
});

test('dns: no tunnel, no finding', () => {
  const out = dnsTunnels(ctx(dnsRows(() => [])));
  assert.equal((out.findings ?? []).length, 0);
});

test('staging: the nightly backup that reads more than the attacker is not the outlier; the first-ever bulk read is', () => {
  const rows: Row[] = [];
  const r = rng(3);
  let n = 0;
  for (let day = 0; day < 20; day++) {
    rows.push({ src: '10.0.1.102', dest: '10.0.1.101', flow: `b${day}`, read_bytes: 2.5e9 * (0.8 + 0.4 * r()), count: 300, files: 4, first: day * 86400 });
    for (let c = 0; c < 15; c++) rows.push({ src: `10.0.2.${100 + c}`, dest: '10.0.1.101', flow: `u${n++}`, read_bytes: 1e6 * (1 + 20 * r()), count: 50, files: 8, first: day * 86400 });
  }
  rows.push({ src: '10.0.2.107', dest: '10.0.1.101', flow: 'stage', read_bytes: 7e8, count: 2400, files: 540, first: 19 * 86400 });
  const out = stagingOutliers(ctx(rows, { z: 3.5 }));
  assert.deepEqual(out.params?.staging_flows, ['stage']);
  assert.deepEqual(out.params?.staging_hosts, ['10.0.2.107']);
});

test('html report: data is escaped, never markup', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const r: HuntResult = {
    hunt: 'x', title: evil, techniques: [{ id: 'T1', name: evil }], hypothesis: evil, questions: [evil], index: evil, started: '', ms: 1, params: {},
    steps: [{ id: 's', title: evil, why: evil, search: evil, status: 'ok', fields: ['a', evil], rows: [{ a: evil, [evil]: evil }], total_rows: 1, ms: 1, picked: { p: evil }, notes: [evil] }],
    findings: [{ role: 'exfil_file', value: evil, score: 1, why: evil, evidence: { search: evil, rows: [] } }], sourcetypes: [evil],
    diamond: { adversary: evil, capability: evil, infrastructure: [evil], victim: [evil] },
    detections: [{ name: evil, description: evil, spl: evil, schedule: evil, threshold: { field: evil, op: '>', value: 0 }, entities: [] }], iocs: [{ role: 'exfil_file', value: evil }],
  };
  const html = renderReport(r, 'html', { tz: 'UTC' });
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(!html.includes('<img'), 'no injected element');
  assert.ok(html.includes('&#60;script&#62;'));
  const md = renderReport(r, 'md', { tz: 'UTC' });
  assert.ok(md.includes('exfil_file'));
  assert.equal(JSON.parse(renderReport(r, 'json', { tz: 'UTC' })).hunt, 'x');
});

test('staging: in a network whose sessions vary widely, a session reading 10× its busiest 5% and its own history still stands out', () => {
  const rows: Row[] = [];
  const r = rng(7);
  let n = 0;
  // 30 workstations × 30 days, sessions log-uniform between 0.3 MB and 150 MB: a wide MAD
  for (let day = 0; day < 30; day++) {
    for (let c = 0; c < 30; c++) rows.push({ src: `10.0.2.${100 + c}`, dest: '10.0.1.101', flow: `u${n++}`, read_bytes: 3e5 * Math.pow(500, r()), count: 50, files: 8, first: day * 86400 });
  }
  rows.push({ src: '10.0.2.107', dest: '10.0.1.101', flow: 'stage', read_bytes: 1.5e9, count: 7000, files: 700, first: 29 * 86400 });
  const logs = rows.map((x) => Math.log10(Number(x.read_bytes)));
  assert.ok(robustZ(Math.log10(1.5e9), logs) < 3.5, 'the median/MAD z alone misses it (the case this rule is for)');
  const out = stagingOutliers(ctx(rows, { z: 3.5 }));
  assert.deepEqual(out.params?.staging_flows, ['stage']);
  // and no ordinary session is picked with it
  assert.deepEqual(out.params?.staging_hosts, ['10.0.2.107']);
});
