/**
 * The first search's scan: wildcard values and terms (compiled to string functions rather than
 * ILIKE where the value has one literal part), multivalue comparisons, and URL Toolbox functions
 * evaluated once per distinct value. Each case is events, SPL and the rows Splunk documents.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSearch } from '../../src/search/index.js';
import { MacroTable } from '../../src/spl/macros.js';
import { cases, NOW, T0, withStore } from './harness.js';
import { doc } from './data.js';

const names = [
  { _time: T0 + 1, name: 'WWW.Example.COM', tags: ['Alpha', 'beta'] },
  { _time: T0 + 2, name: 'mail.example.org', tags: ['GAMMA'] },
  { _time: T0 + 3, name: '100%_sure.example.com', tags: ['alpha%'] },
  { _time: T0 + 4, other: 'x' },
];
const SEARCH = doc('Search'); // "Field values are not case-sensitive"; "*" matches any run of characters

cases('scan', [
  { doc: SEARCH, name: 'prefix wildcard, case-insensitive', events: names, spl: 'search name=www.* | table name', expected: { rows: [{ name: 'WWW.Example.COM' }] } },
  { doc: SEARCH, name: 'suffix wildcard, case-insensitive', events: names, spl: 'search name=*.EXAMPLE.com | table name', expected: { rows: [{ name: '100%_sure.example.com' }, { name: 'WWW.Example.COM' }] } },
  { doc: SEARCH, name: 'contains wildcard', events: names, spl: 'search name=*example.o* | table name', expected: { rows: [{ name: 'mail.example.org' }] } },
  { doc: SEARCH, name: '% and _ in a value are literal characters', events: names, spl: 'search name=100%_* | table name', expected: { rows: [{ name: '100%_sure.example.com' }] } },
  { doc: SEARCH, name: '_ is not a one-character wildcard', events: names, spl: 'search name=*l_sure* | table name', expected: { rows: [] } },
  { doc: SEARCH, name: 'two literal parts still match', events: names, spl: 'search name=w*.com | table name', expected: { rows: [{ name: 'WWW.Example.COM' }] } },
  { doc: SEARCH, name: 'a multivalue field matches when any value does', events: names, spl: 'search tags=ALPHA* | table name', expected: { rows: [{ name: '100%_sure.example.com' }, { name: 'WWW.Example.COM' }] } },
  { doc: SEARCH, name: 'f!=v on a multivalue field: no value matches, and the field exists', events: names, spl: 'search tags!=alpha* | table name', expected: { rows: [{ name: 'mail.example.org' }] } },
  { doc: SEARCH, name: 'NOT f=v on a multivalue field also keeps events without the field', events: names, spl: 'search NOT tags=*a | table _time', expected: { rows: [{ _time: T0 + 4 }, { _time: T0 + 3 }] } },
  { doc: SEARCH, name: 'a term with a wildcard inside matches raw text case-insensitively', events: names, spl: 'search mail.EXAM* | table name', expected: { rows: [{ name: 'mail.example.org' }] } },
]);

const files = [
  { _time: T0 + 1, _raw: 'copy \\venus\share\Q3.PDF done', n: 1 },
  { _time: T0 + 2, _raw: 'open plan.doc', n: 2 },
  { _time: T0 + 3, _raw: 'open budget.xlsx', n: 3 },
  { _time: T0 + 4, _raw: 'archive logs.tgz', n: 4 },
  { _time: T0 + 5, _raw: 'nothing here', n: 5 },
];

// Terms OR'ed together are matched by one regular expression; each keeps its own breaker rules.
cases('scan: OR of raw terms', [
  { doc: SEARCH, name: 'each term of an OR matches on its own, case-insensitively', events: files, spl: 'search (.pdf OR .tgz OR .doc OR .xls) | sort n | table n', expected: { rows: [{ n: 1 }, { n: 2 }, { n: 4 }] } },
  { doc: SEARCH, name: 'a term must end at a breaker: .xls does not match .xlsx', events: files, spl: 'search .xls | table n', expected: { rows: [] } },
  { doc: SEARCH, name: 'terms OR field comparisons', events: files, spl: 'search (.tgz OR n=2 OR nothing) | sort n | table n', expected: { rows: [{ n: 2 }, { n: 4 }, { n: 5 }] } },
  { doc: SEARCH, name: 'NOT over an OR of terms', events: files, spl: 'search NOT (.pdf OR .doc) | sort n | table n', expected: { rows: [{ n: 3 }, { n: 4 }, { n: 5 }] } },
  { doc: SEARCH, name: 'CASE() terms keep their case inside an OR with plain terms', events: files, spl: 'search (CASE(q3) OR CASE(DONE) OR nothing OR .doc) | sort n | table n', expected: { rows: [{ n: 2 }, { n: 5 }] } },
  { doc: SEARCH, name: 'wildcard terms in an OR', events: files, spl: 'search (bud* OR *.tg*) | sort n | table n', expected: { rows: [{ n: 3 }, { n: 4 }] } },
]);

const dns = [
  { _time: T0 + 1, sourcetype: 'stream:dns', query: ['aaaa.evil.com'] },
  { _time: T0 + 2, sourcetype: 'stream:dns', query: ['abcd.evil.com', 'abcd.evil.com'] },
  { _time: T0 + 3, sourcetype: 'stream:dns', query: ['aaaa.evil.com'] },
  { _time: T0 + 4, sourcetype: 'stream:dns', query: ['www.example.co.uk'] },
  { _time: T0 + 5, sourcetype: 'stream:dns', other: 1 },
];
const UTBOX = 'https://github.com/splunk/utbox/blob/master/utbox/bin/ut_shannon.py';

cases('url toolbox, once per distinct value', [
  {
    doc: UTBOX,
    name: 'repeated and distinct names, a multivalue input, an event without the field',
    events: dns,
    spl: 'search sourcetype=stream:dns | eval q=mvindex(query, 0) | _ut_parse extended q "mozilla" | _ut_shannon ut_subdomain | table q ut_domain ut_subdomain ut_shannon',
    expected: {
      rows: [
        {},
        { q: 'www.example.co.uk', ut_domain: 'example.co.uk', ut_subdomain: 'www', ut_shannon: 0 },
        { q: 'aaaa.evil.com', ut_domain: 'evil.com', ut_subdomain: 'aaaa', ut_shannon: 0 },
        { q: 'abcd.evil.com', ut_domain: 'evil.com', ut_subdomain: 'abcd', ut_shannon: 2 },
        { q: 'aaaa.evil.com', ut_domain: 'evil.com', ut_subdomain: 'aaaa', ut_shannon: 0 },
      ],
    },
  },
  {
    doc: UTBOX,
    name: 'ut_shannon over a multivalue field gives one entropy per value',
    spl: '| makeresults | eval w=split("ab,aaaa,abcd", ",") | _ut_shannon w | table ut_shannon',
    expected: { rows: [{ ut_shannon: ['1', '0', '2'] }] },
  },
  {
    doc: UTBOX,
    name: 'ut_shannon of a number is the entropy of its text',
    spl: '| makeresults | eval w=1122 | _ut_shannon w | table ut_shannon',
    expected: { rows: [{ ut_shannon: 1 }] },
  },
]);

// Several sourcetypes in one search: each is its own table; the search unifies their columns.
const flows = [
  { _time: T0 + 1, sourcetype: 'zeek:smb', src: 'a', bytes_in: 100, bytes_out: 7 },
  { _time: T0 + 2, sourcetype: 'zeek:smb', src: 'a', bytes_in: 50, bytes_out: 3 },
  { _time: T0 + 3, sourcetype: 'stream:smb', src: 'a', command: 'read' }, // no byte fields
  { _time: T0 + 4, sourcetype: 'stream:tcp', src: 'a', bytes_in: '25', bytes_out: 'n/a' }, // numeric text
];
const STATS = doc('Stats');

test('sum/min/max over sourcetypes where one lacks the field are numbers; min(_time)/max(_time) are epoch seconds [' + STATS + ']', async () => {
  const r = await withStore(flows, (store) =>
    runSearch(store, 'search sourcetype=zeek:smb OR sourcetype=stream:smb | stats sum(bytes_in) as bi sum(bytes_out) as bo min(bytes_in) as lo max(bytes_in) as hi min(_time) as first max(_time) as last by src', { tz: 'UTC', now: NOW, macros: new MacroTable() }),
  );
  assert.deepEqual(r.rows, [{ src: 'a', bi: 150, bo: 10, lo: 50, hi: 100, first: T0 + 1, last: T0 + 3 }]);
});

test('sum over a number in one sourcetype and numeric text in another is a number [' + STATS + ']', async () => {
  const r = await withStore(flows, (store) =>
    runSearch(store, 'search sourcetype=zeek:smb OR sourcetype=stream:tcp | stats sum(bytes_in) as bi sum(bytes_out) as bo min(_time) as first by src', { tz: 'UTC', now: NOW, macros: new MacroTable() }),
  );
  // "n/a" is not a number: sum ignores it
  assert.deepEqual(r.rows, [{ src: 'a', bi: 175, bo: 10, first: T0 + 1 }]);
});

test('eventstats and chart min(_time) are numbers too [' + doc('Eventstats') + ']', async () => {
  const r = await withStore(flows, (store) =>
    runSearch(store, 'search src=a | eventstats min(_time) as first by src | chart max(first) as f over src', { tz: 'UTC', now: NOW, macros: new MacroTable() }),
  );
  assert.deepEqual(r.rows, [{ src: 'a', f: T0 + 1 }]);
});

// index and sourcetype: decided per table at compile time (one table per sourcetype; an index is a
// constant of a table when it is the only one of that table in scope), with the search's semantics.
const spread = [
  { _time: T0 + 1, index: 'main', sourcetype: 'stream:dns', n: 1 },
  { _time: T0 + 2, index: 'botsv2', sourcetype: 'stream:dns', n: 2 },
  { _time: T0 + 3, index: 'botsv2', sourcetype: 'stream:http', n: 3 },
  { _time: T0 + 4, index: 'main', sourcetype: 'WinEventLog', n: 4 },
];
const rowsOf = (...ns: number[]) => ({ rows: ns.map((n) => ({ n })) });

cases('index and sourcetype', [
  { doc: SEARCH, name: 'sourcetype with a wildcard, any case', events: spread, spl: 'search index=* SourceType=x OR sourcetype=STREAM:* | table n', expected: rowsOf(3, 2, 1) },
  { doc: SEARCH, name: 'index and sourcetype together: the table holds two indexes', events: spread, spl: 'search index=BOTSV2 sourcetype=stream:dns | table n', expected: rowsOf(2) },
  { doc: SEARCH, name: 'OR across index and sourcetype', events: spread, spl: 'search index=main OR sourcetype=stream:http | table n', expected: rowsOf(4, 3, 1) },
  { doc: SEARCH, name: 'sourcetype!= and NOT sourcetype=', events: spread, spl: 'search index=* sourcetype!=stream:dns NOT sourcetype=win* | table n', expected: rowsOf(3) },
  { doc: SEARCH, name: 'sourcetype IN (...)', events: spread, spl: 'search index=* sourcetype IN (wineventlog, "stream:http") | table n', expected: rowsOf(4, 3) },
  { doc: SEARCH, name: 'a sourcetype condition mixed with a field condition', events: spread, spl: 'search index=* (sourcetype=stream:dns n>1) OR (sourcetype=wineventlog n<5) | table n', expected: rowsOf(4, 2) },
  { doc: SEARCH, name: 'later search commands see sourcetype as a field', events: spread, spl: 'search index=* | search sourcetype=stream* n>=2 | table n', expected: rowsOf(3, 2) },
]);

cases('single-quoted field names', [
  { doc: doc('Eval'), name: 'a field name with a double quote, through eval and table', spl: `| makeresults | eval 'a"b'=1 | table 'a"b'`, expected: { fields: ['a"b'], rows: [{ 'a"b': 1 }] } },
  { doc: doc('Eval'), name: 'a field name with a pipe, read back in an expression', spl: `| makeresults | eval 'x|y'=2, z='x|y'+1 | table z`, expected: { rows: [{ z: 3 }] } },
]);
