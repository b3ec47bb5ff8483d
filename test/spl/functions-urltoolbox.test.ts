/**
 * URL Toolbox: the algorithm against the outputs verified on utbox 1.9.x (docs/spl.md), and the
 * macros end to end, with and without backticks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shannon, utCountset, utLevenshtein, utParse, type UtParsed } from '../../src/functions/urltoolbox.js';
import { runSearch } from '../../src/search/index.js';
import { builtinMacros } from '../../src/search/macros.js';
import { NOW, T0, withStore, type TestEvent } from './harness.js';

const SRC = 'https://github.com/splunk/utbox/blob/master/utbox/bin/ut_parse_lib.py';

type Row = Partial<Omit<UtParsed, 'levels'>> & { levels?: string[] };
const verified: [string, string, Row][] = [
  ['abc123.hildegardsfarm.com', 'mozilla', { ut_scheme: 'None', ut_netloc: 'abc123.hildegardsfarm.com', ut_path: 'None', ut_query: 'None', ut_fragment: 'None', ut_domain: 'hildegardsfarm.com', ut_tld: 'com', ut_domain_without_tld: 'hildegardsfarm', ut_subdomain: 'abc123', ut_subdomain_count: '1', ut_port: '80', levels: ['abc123'] }],
  ['hildegardsfarm.com', 'mozilla', { ut_domain: 'hildegardsfarm.com', ut_tld: 'com', ut_domain_without_tld: 'hildegardsfarm', ut_subdomain: 'None', ut_subdomain_count: '0', levels: [] }],
  ['https://www.splunk.com/en_us/blog.html?a=1#frag', 'mozilla', { ut_scheme: 'https', ut_netloc: 'www.splunk.com', ut_path: '/en_us/blog.html', ut_query: 'a=1', ut_fragment: 'frag', ut_domain: 'splunk.com', ut_tld: 'com', ut_domain_without_tld: 'splunk', ut_subdomain: 'www', ut_subdomain_count: '1', ut_port: '80', levels: ['www'] }],
  ['www.google.bl.uk', 'mozilla', { ut_domain: 'bl.uk', ut_tld: 'uk', ut_domain_without_tld: 'bl', ut_subdomain: 'www.google', ut_subdomain_count: '2', levels: ['google', 'www'] }],
  ['Sub.Example.CO.UK', 'mozilla', { ut_domain: 'Example.co.uk', ut_tld: 'co.uk', ut_domain_without_tld: 'Example', ut_subdomain: 'Sub', ut_subdomain_count: '1', levels: ['Sub'] }],
  ['Sub.Example.CO.UK', 'iana', { ut_domain: 'CO.uk', ut_tld: 'uk', ut_domain_without_tld: 'CO', ut_subdomain: 'Sub.Example', ut_subdomain_count: '2', levels: ['Example', 'Sub'] }],
  ['10.0.2.107', 'mozilla', { ut_netloc: '10.0.2.107', ut_domain: '10.0.2.107', ut_tld: 'None', ut_domain_without_tld: '10.0.2.107', ut_subdomain: 'None', ut_subdomain_count: '0' }],
  ['abc.def.example.com.', 'mozilla', { ut_domain: '.com', ut_tld: 'com', ut_domain_without_tld: '', ut_subdomain: 'abc.def.example', ut_subdomain_count: '3', levels: ['example', 'def', 'abc'] }],
  ['localhost', 'mozilla', { ut_netloc: 'localhost', ut_domain: 'None', ut_tld: 'None', ut_subdomain: 'None', ut_subdomain_count: '0', ut_port: '80' }],
  ['', 'mozilla', { ut_netloc: 'None', ut_domain: 'None', ut_tld: 'None' }],
  ['http://user:pw@Sub.Example.CO.UK:8080/p;x?q=1', 'mozilla', { ut_scheme: 'http', ut_netloc: 'user:pw@Sub.Example.CO.UK:8080', ut_path: '/p', ut_params: 'x', ut_query: 'q=1', ut_fragment: 'None', ut_domain: 'None', ut_tld: 'None', ut_port: '8080' }],
];

for (const [url, list, want] of verified) {
  test(`ut_parse_extended(${JSON.stringify(url)}, ${list}) [${SRC}]`, () => {
    const got = utParse(url, list);
    for (const [k, v] of Object.entries(want)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
  });
}

const entropies: [string, number][] = [
  ['abc123', 2.584962500721156],
  ['buttercup', 2.725480556997868],
  ['hildegardsfarm', 3.3787834934861767],
  ['aaaa', 0],
  ['None', 2],
  ['', 0],
];
for (const [w, h] of entropies) {
  test(`ut_shannon(${JSON.stringify(w)}) = ${h} [https://github.com/splunk/utbox/blob/master/utbox/bin/ut_shannon.py]`, () => {
    assert.ok(Math.abs(shannon(w) - h) < 1e-12, `${shannon(w)}`);
  });
}

test('ut_levenshtein is case-insensitive', () => {
  assert.equal(utLevenshtein('Kitten', 'sitting'), 3);
  assert.equal(utLevenshtein('', 'abc'), 3);
  assert.equal(utLevenshtein('ABC', 'abc'), 0);
});

test('ut_countset README example', () => {
  assert.deepEqual(JSON.parse(utCountset('buttercup', 'tu')), { ut_countset: { sum: 4, '74': 2, '75': 2 } });
  assert.equal(JSON.parse(utCountset('a1b2', '@digits@')).ut_countset.sum, 2);
});

const dns: TestEvent[] = [
  { _time: T0 + 1, sourcetype: 'stream:dns', src: '10.0.1.101', query: ['abc123.hildegardsfarm.com', 'abc123.hildegardsfarm.com'] },
  { _time: T0 + 2, sourcetype: 'stream:dns', src: '10.0.1.101', query: ['x.y.hildegardsfarm.com'] },
  { _time: T0 + 3, sourcetype: 'stream:dns', src: '10.0.1.102', host_name: 'www.splunk.com' },
];

async function search(events: TestEvent[], spl: string) {
  return withStore(events, (store) => runSearch(store, spl, { tz: 'UTC', now: NOW, macros: builtinMacros }));
}

test('seed DNS hunt: ut_parse_extended + ut_shannon without backticks, on a multivalue field', async () => {
  const r = await search(dns, 'search query=*.hildegardsfarm.com | eval query=mvdedup(query) | eval list="mozilla" | ut_parse_extended(query,list) | ut_shannon(ut_subdomain) | table query ut_domain ut_subdomain ut_shannon ut_subdomain_level_1 ut_subdomain_level_2');
  assert.deepEqual(r.fields, ['query', 'ut_domain', 'ut_subdomain', 'ut_shannon', 'ut_subdomain_level_1', 'ut_subdomain_level_2']);
  // a multivalue of one value is shown as that value
  const one = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  const [a, b] = r.rows;
  assert.equal(one(a!.ut_subdomain), 'x.y');
  assert.equal(one(a!.ut_subdomain_level_1), 'y');
  assert.equal(one(a!.ut_subdomain_level_2), 'x');
  assert.equal(one(b!.ut_domain), 'hildegardsfarm.com');
  assert.equal(String(one(b!.ut_shannon)), '2.584962500721156');
});

test('backticked macros on a single-value field; ut_parse is ut_parse_extended', async () => {
  const r = await search(dns, 'search host_name=* | eval list="mozilla" | `ut_parse(host_name, list)` | `ut_shannon(ut_subdomain)` | table ut_domain ut_subdomain ut_tld ut_port ut_shannon');
  assert.deepEqual(r.rows, [{ ut_domain: 'splunk.com', ut_subdomain: 'www', ut_tld: 'com', ut_port: '80', ut_shannon: 0 }]);
});

test('stats over ut_shannon (the seed\'s second search)', async () => {
  const r = await search(dns, 'search query=* | eval query=mvdedup(query) | eval list="mozilla" | `ut_parse_extended(query,list)` | `ut_shannon(ut_subdomain)` | eval sublen=length(ut_subdomain) | stats count avg(sublen) as avg_sublen by ut_domain src');
  assert.deepEqual(r.rows, [{ ut_domain: 'hildegardsfarm.com', src: '10.0.1.101', count: 2, avg_sublen: 4.5 }]);
});

test('ut_parse_simple, ut_levenshtein, ut_countset', async () => {
  const r = await search(dns, 'search host_name=* | ut_parse_simple(host_name) | eval other="www.splunk.org" | ut_levenshtein(host_name, other) | eval set="w" | ut_countset(host_name, set) | table ut_netloc ut_scheme ut_levenshtein ut_countset');
  assert.deepEqual(r.rows, [{ ut_netloc: 'www.splunk.com', ut_scheme: 'None', ut_levenshtein: 3, ut_countset: '{"ut_countset": {"sum": 3, "77": 3}}' }]);
});

test('a missing input field adds nothing', async () => {
  const r = await search(dns, 'search * | ut_shannon(nofield) | ut_parse_extended(nofield, "mozilla") | stats count');
  assert.deepEqual(r.rows, [{ count: 3 }]);
  assert.ok(!r.fields.includes('ut_shannon'));
});
