/**
 * URL Toolbox in SQL: bare host names parsed per row in SQL (the public suffix looked up once per
 * domain) and ut_shannon as a character histogram must give exactly what the TypeScript
 * functions give (utParseValues, shannon), field by field, on every path: single value,
 * multivalue of one value, multivalue of several, and the row-by-row fallback.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findTld, keySuffix, shannon, utParseValues, UT_PARSE_FIELDS } from '../../src/functions/urltoolbox.js';
import { runSearch } from '../../src/search/index.js';
import { builtinMacros } from '../../src/search/macros.js';
import { NOW, T0, withStore, type TestEvent } from './harness.js';

const DOMAINS = [
  'hildegardsfarm.com', 'Example.CO.UK', 'bbc.co.uk', 'foo.github.io', 'github.io', 'cloudfront.net', 'd3e4.cloudfront.net', 's3.amazonaws.com',
  'frothly.local', 'kawasaki.jp', 'city.kawasaki.jp', 'www.ck', 'x.ck', 'example.com', 'a.b.c.d.example.org', 'blogspot.com', 'foo.blogspot.co.uk',
  'EXAMPLE.COM', 'x-y_z.net', 'co.uk', 'uk', 'appspot.com', 'foo.bar.appspot.com', 'a1.b2.test', 'example.xn--p1ai',
];
const LABELS = ['www', 'a', 'Sub.Mixed', 'deep.er.still', '0f3a9c', 'x_y'];
const HOSTS = [...new Set(DOMAINS.flatMap((d) => [d, ...LABELS.map((l) => `${l}.${d}`)]))];

test('keySuffix: when the last two labels decide the suffix, every host ending in them gets that suffix', () => {
  let decided = 0;
  for (const list of ['mozilla', 'iana']) {
    for (const host of HOSTS) {
      const labels = host.toLowerCase().split('.');
      if (labels.length < 2) continue;
      const got = keySuffix(labels.slice(-2).join('.'), list);
      if (got === undefined) continue;
      decided++;
      assert.equal(got, findTld(host.toLowerCase(), list) ?? '', `${host} under ${list}`);
    }
  }
  assert.ok(decided > HOSTS.length, `${decided}`);
  // labels further left can change the suffix: these are not decided by two labels
  assert.equal(keySuffix('co.uk', 'mozilla'), undefined);
  assert.equal(keySuffix('hildegardsfarm.com', 'mozilla'), 'com');
  assert.equal(keySuffix('frothly.local', 'mozilla'), '');
});

const events = (rows: Record<string, unknown>[]): TestEvent[] => rows.map((r, i) => ({ _time: T0 + i, sourcetype: 'stream:dns', ...r }));
const search = (ev: TestEvent[], spl: string) => withStore(ev, (store) => runSearch(store, spl, { tz: 'UTC', now: NOW, macros: builtinMacros, limit: 100000 }));

/** The TypeScript parse of each value, as the field values of a row (levels as deep as the deepest). */
function expected(values: string[], list: string, depth: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const names = [...UT_PARSE_FIELDS, ...Array.from({ length: depth }, (_, i) => `ut_subdomain_level_${i + 1}`)];
  for (const v of values) {
    const p = utParseValues(v, list);
    names.forEach((n, i) => {
      if (p[i] !== undefined) (out[n] ??= []).push(p[i]!);
    });
  }
  return out;
}
const asList = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

for (const list of ['mozilla', 'iana']) {
  test(`ut_parse_extended in SQL equals the TypeScript parse (${list}; single, one-value list, several values)`, async () => {
    const hosts = HOSTS.filter((h) => keySuffix(h.toLowerCase().split('.').slice(-2).join('.'), list) !== undefined && h.includes('.'));
    const ev = events([
      ...hosts.map((h) => ({ kind: 'single', h })),
      ...hosts.map((h) => ({ kind: 'one', m: [h, h] })),
      ...hosts.map((h, i) => ({ kind: 'several', m: [h, hosts[(i + 7) % hosts.length]!] })),
    ]);
    const depth = Math.max(...hosts.map((h) => utParseValues(h, list).length - UT_PARSE_FIELDS.length));
    for (const [kind, field, pre] of [['single', 'h', ''], ['one', 'm', '| eval m=mvdedup(m) '], ['several', 'm', '']] as const) {
      const r = await search(ev, `search kind=${kind} ${pre}| ut_parse_extended(${field}, "${list}") | sort 0 _time`);
      assert.equal(r.rows.length, hosts.length);
      const levels = r.fields.filter((f) => f.startsWith('ut_subdomain_level_')).length;
      assert.ok(levels > 0 && levels <= depth, `${levels} levels`);
      r.rows.forEach((row) => {
        const vals = (asList(row[field]) as string[]).filter((v, i, a) => kind !== 'one' || a.indexOf(v) === i);
        const want = expected(vals, list, levels);
        for (const [n, w] of Object.entries(want)) assert.deepEqual(asList(row[n]), w, `${kind} ${vals.join(',')} ${n}`);
        for (const n of r.fields.filter((f) => f.startsWith('ut_') && !(f in want))) assert.equal(row[n], undefined, `${kind} ${n}`);
      });
    }
  });
}

test('ut_parse_extended: values SQL does not parse (URLs, trailing dots, IPs, undecided domains) fall back to the TypeScript parse', async () => {
  const hosts = ['http://www.Example.co.uk:8080/p?q#f', 'abc.def.example.com.', '10.0.2.107', 'localhost', 'a.b.co.uk', 'www.example.com'];
  const r = await search(events(hosts.map((h) => ({ h }))), 'search h=* | ut_parse_extended(h, "mozilla") | sort 0 _time');
  r.rows.forEach((row, i) => {
    const want = expected([hosts[i]!], 'mozilla', 3);
    for (const [n, w] of Object.entries(want)) assert.deepEqual(asList(row[n]), w, `${hosts[i]} ${n}`);
  });
});

test('ut_shannon in SQL equals the TypeScript entropy to 1e-9 (ASCII, Unicode, padded, empty, multivalue)', async () => {
  const words = ['abc123', 'buttercup', 'hildegardsfarm', 'aaaa', 'None', 'a', 'Zz09-_.', '0f3a9c7e1b2d4a6f', 'héllo wörld', '日本語日本', ' padded ', '\tx', 'emoji😀😀x', 'A B  C'];
  const ev = events(words.map((w, i) => ({ w, m: [w, words[(i + 3) % words.length]!] })));
  const r = await search(ev, 'search * | ut_shannon(w) | eval s1=ut_shannon | ut_shannon(m) | table w m s1 ut_shannon');
  assert.equal(r.rows.length, words.length);
  r.rows.forEach((row) => {
    const w = String(row.w);
    const i = words.indexOf(w);
    assert.ok(Math.abs(Number(row.s1) - shannon(w)) < 1e-9, `${JSON.stringify(w)}: ${row.s1} vs ${shannon(w)}`);
    const m = asList(row.ut_shannon)!.map(Number);
    const want = [w, words[(i + 3) % words.length]!].map(shannon);
    assert.equal(m.length, 2);
    m.forEach((x, j) => assert.ok(Math.abs(x - want[j]!) < 1e-9, `${JSON.stringify(w)}[${j}]: ${x} vs ${want[j]}`));
  });
});

test('ut_parse_extended before stats (only the fields stats reads are copied) equals the TypeScript parse', async () => {
  const hosts = HOSTS.filter((h) => keySuffix(h.toLowerCase().split('.').slice(-2).join('.'), 'mozilla') !== undefined && h.includes('.'));
  const ev = events(hosts.map((h, i) => ({ h, m: [h, h], n: i % 3 })));
  for (const [field, pre] of [['h', ''], ['m', '| eval m=mvdedup(m) ']] as const) {
    const r = await search(ev, `search n=* ${pre}| ut_parse_extended(${field}, "mozilla") | ut_shannon(ut_subdomain) | stats count sum(ut_shannon) as h by ut_domain ut_subdomain ut_subdomain_level_1 n`);
    const want = new Map<string, { count: number; h: number }>();
    hosts.forEach((host, i) => {
      const p = utParseValues(host, 'mozilla');
      if (p[12] === undefined) return; // stats drops rows without a by-field
      const k = [p[6], p[9], p[12], String(i % 3)].join('|');
      const w = want.get(k) ?? { count: 0, h: 0 };
      w.count++;
      w.h += shannon(p[9]!);
      want.set(k, w);
    });
    assert.equal(r.rows.length, want.size, field);
    for (const row of r.rows) {
      const w = want.get([row.ut_domain, row.ut_subdomain, row.ut_subdomain_level_1, String(row.n)].join('|'));
      assert.ok(w, `${field} ${JSON.stringify(row)}`);
      assert.equal(row.count, w.count);
      assert.ok(Math.abs(Number(row.h) - w.h) < 1e-9);
    }
    const noLevels = await search(ev, `search n=* ${pre}| ut_parse_extended(${field}, "mozilla") | stats count by ut_domain`);
    const domains = new Map<string, number>();
    for (const host of hosts) domains.set(utParseValues(host, 'mozilla')[6]!, (domains.get(utParseValues(host, 'mozilla')[6]!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(noLevels.rows.map((x) => [x.ut_domain, x.count])), Object.fromEntries(domains));
  }
});

test('ut_parse_extended before table: several values in a row (the single-value guess fails, the search runs again) and values SQL does not parse give the TypeScript answer', async () => {
  const fast = ['www.example.com', 'a.b.hildegardsfarm.com', 'x.frothly.local'];
  const slow = ['http://www.Example.co.uk:8080/p?q#f', 'abc.def.example.com.', '10.0.2.107', 'localhost', 'a.b.co.uk', 'foo.blogspot.co.uk'];
  const all = [...fast, ...slow];
  const fields = ['ut_domain', 'ut_tld', 'ut_subdomain', 'ut_subdomain_level_1', 'ut_port'];
  for (const several of [false, true]) {
    const values = all.map((h, i) => (several && i % 2 ? [h, all[(i + 1) % all.length]!] : [h]));
    // table names the fields it reads: the SQL path with the single-value guess applies
    const r = await search(events(values.map((m, n) => ({ m, n }))), `search n=* | ut_parse_extended(m, "mozilla") | table n ${fields.join(' ')} | sort 0 n`);
    assert.equal(r.rows.length, all.length);
    r.rows.forEach((row, n) => {
      const want = expected(values[n]!, 'mozilla', 1);
      for (const f of fields) assert.deepEqual(asList(row[f]), want[f], `several=${several} ${values[n]} ${f}`);
    });
  }
});

test('the seed DNS search compiles to one query: no copy of the rows, the suffix decided per distinct domain', async () => {
  const ev = events(['a1.hildegardsfarm.com', 'b2.hildegardsfarm.com', 'www.bbc.co.uk'].map((h, i) => ({ query: [h, h], message_type: ['QUERY', 'RESPONSE'], src: `10.0.0.${i}` })));
  const r = await search(ev, 'search message_type=QUERY | eval query=mvdedup(query) | eval list="mozilla" | ut_parse_extended(query,list) | ut_shannon(ut_subdomain) | stats count avg(ut_shannon) by ut_domain src');
  assert.match(r.compiled.sql, /spl_ut_key_suffix/);
  assert.doesNotMatch(r.compiled.sql, /q_tmp_/, 'no temp table: the chain runs once, in one query');
  assert.deepEqual(r.rows.map((x) => [x.ut_domain, x.src, x.count]), [['bbc.co.uk', '10.0.0.2', 1], ['hildegardsfarm.com', '10.0.0.0', 1], ['hildegardsfarm.com', '10.0.0.1', 1]]);
});

test('ut_parse_extended whose fields later commands do not read, or read one of: a pre-existing ut_ field it does not overwrite is not read either', async () => {
  const ev = events(['a1.hildegardsfarm.com', 'www.bbc.co.uk', 'x.frothly.local'].map((h, n) => ({ query: h, n, ut_tld: 'stale' })));
  const none = await search(ev, 'search n=* | ut_parse_extended(query, "mozilla") | stats count');
  assert.deepEqual(none.rows, [{ count: 3 }]);
  assert.match(none.compiled.sql, /spl_ut_key_suffix/, 'the SQL path applies');
  const one = await search(ev, 'search n=* | ut_parse_extended(query, "mozilla") | stats count by ut_tld | sort ut_tld');
  assert.deepEqual(one.rows.map((x) => [x.ut_tld, x.count]), [['None', 1], ['co.uk', 1], ['com', 1]]);
  assert.doesNotMatch(one.compiled.sql, /AS "ut_domain"/, 'only the field stats reads is computed');
});
