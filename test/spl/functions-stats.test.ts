/**
 * Conformance cases for stats functions: each runs `stats <fn> ...` over a small event set and
 * compares with what the "Statistical and charting functions" pages say (docs/spl.md where silent).
 */
import { cases, T0, type Case, type TestEvent } from './harness.js';

const DOCS = 'https://docs.splunk.com/Documentation/Splunk/9.4.0/SearchReference/';
const agg = DOCS + 'Aggregatefunctions';
const ev = DOCS + 'Eventorderfunctions';
const mvf = DOCS + 'Multivaluestatsandchartfunctions';
const tf = DOCS + 'Timefunctions';

/** 1..10 in field v, with a category and a text field; newest event is v=10. */
const ten: TestEvent[] = Array.from({ length: 10 }, (_, i) => ({
  _time: T0 + i * 10,
  v: String(i + 1),
  cat: i % 2 ? 'odd' : 'even',
  word: ['b', 'a', 'c', 'a', 'b', 'a', 'd', 'e', 'f', 'g'][i]!,
}));

const mixed: TestEvent[] = [
  { _time: T0 + 1, x: '5' },
  { _time: T0 + 2, x: 'apple' },
  { _time: T0 + 3, x: '40' },
  { _time: T0 + 4, x: 'banana' },
  { _time: T0 + 5 },
];

function st(doc: string, fn: string, want: unknown, events: TestEvent[] = ten, name?: string): Case {
  return {
    doc,
    name: name ?? `stats ${fn} → ${JSON.stringify(want)}`,
    events,
    spl: `search * | stats ${fn} as r`,
    expected: { rows: [want === undefined ? {} : { r: want }] },
  };
}

cases('stats functions', [
  st(agg, 'count', 10),
  st(agg, 'count(v)', 10),
  st(agg, 'count(x)', 4, mixed),
  st(agg, 'count(nofield)', 0),
  st(agg, 'c(v)', 10),
  st(agg, 'count(eval(v>5))', 5),
  st(agg, 'count(eval(cat="odd"))', 5),
  st(agg, 'dc(word)', 7),
  st(agg, 'distinct_count(cat)', 2),
  st(agg, 'estdc(word)', 7),
  st(agg, 'sum(v)', 55),
  st(agg, 'sum(x)', 45, mixed),
  st(agg, 'sumsq(v)', 385),
  st(agg, 'avg(v)', 5.5),
  st(agg, 'mean(v)', 5.5),
  st(agg, 'avg(x)', 22.5, mixed),
  st(agg, 'sum(eval(v*2))', 110),
  st(agg, 'min(v)', 1),
  st(agg, 'max(v)', 10),
  st(agg, 'min(x)', 5, mixed),
  st(agg, 'max(x)', 40, mixed),
  st(agg, 'max(word)', 'g'),
  st(agg, 'min(word)', 'a'),
  st(agg, 'range(v)', 9),
  { doc: agg, name: 'round() is an eval function, not a stats function', events: ten, spl: 'search * | stats round(stdev(v), 6)', error: /unknown stats function "round"/ },
  st(agg, 'stdev(v)', 3.0276503540974917),
  st(agg, 'stdevp(v)', 2.8722813232690143),
  st(agg, 'var(v)', 9.166666666666666),
  st(agg, 'varp(v)', 8.25),
  st(agg, 'stdev(v)', 0, ten.slice(0, 1), 'stdev of one value is 0'),
  st(agg, 'median(v)', 6),
  st(agg, 'median(v)', 2, ten.slice(0, 3), 'median of an odd count'),
  st(agg, 'mode(word)', 'a'),
  st(agg, 'mode(cat)', 'odd', ten, 'mode tie: the first seen (newest first)'),
  st(agg, 'perc50(v)', 5.5),
  st(agg, 'p90(v)', 9.1),
  st(agg, 'perc95(v)', 9.55),
  st(agg, 'p99.5(v)', 9.955),
  st(agg, 'exactperc90(v)', 10),
  st(agg, 'exactperc50(v)', 6),
  st(agg, 'exactperc10(v)', 2),
  st(agg, 'upperperc90(v)', 10),
  st(agg, 'upperperc50(v)', 6),
  st(mvf, 'values(word)', ['a', 'b', 'c', 'd', 'e', 'f', 'g']),
  st(mvf, 'values(v)', ['1', '10', '2', '3', '4', '5', '6', '7', '8', '9'], ten, 'values sort as text'),
  st(mvf, 'list(word)', ['g', 'f', 'e', 'd', 'a', 'b', 'a', 'c', 'a', 'b'], ten, 'list in arrival order (newest first)'),
  st(mvf, 'values(x)', ['40', '5', 'apple', 'banana'], mixed),
  st(ev, 'first(v)', 10),
  st(ev, 'last(v)', 1),
  st(ev, 'first(x)', 'banana', mixed),
  st(tf, 'earliest(v)', 1),
  st(tf, 'latest(v)', 10),
  st(tf, 'earliest(x)', 5, mixed),
  st(tf, 'latest_time(v)', T0 + 90),
  st(tf, 'earliest_time(v)', T0),
  st(tf, 'rate(v)', 0.1),
  {
    doc: agg,
    name: 'list keeps at most 100 values',
    events: Array.from({ length: 150 }, (_, i) => ({ _time: T0 + i, n: String(i) })),
    spl: 'search * | stats list(n) as l | eval c=mvcount(l) | table c',
    expected: { rows: [{ c: 100 }] },
  },
  {
    doc: agg,
    name: 'multivalue field: every value counts',
    events: [
      { _time: T0 + 1, m: ['a', 'b'] },
      { _time: T0 + 2, m: ['b', 'c'] },
    ],
    spl: 'search * | stats count(m) as n dc(m) as d values(m) as v',
    expected: { rows: [{ n: 4, d: 3, v: ['a', 'b', 'c'] }] },
  },
  {
    doc: agg,
    name: 'default column names are the calls as written',
    events: ten,
    spl: 'search * | stats count avg(v) p95(v) distinct_count(word) | table *',
    expected: { fields: ['count', 'avg(v)', 'p95(v)', 'distinct_count(word)'], rows: [{ count: 10, 'avg(v)': 5.5, 'p95(v)': 9.55, 'distinct_count(word)': 7 }] },
  },
  {
    doc: agg,
    name: 'by field: one row per value, sorted',
    events: ten,
    spl: 'search * | stats sum(v) as s median(v) as m by cat',
    expected: { rows: [{ cat: 'even', s: 25, m: 5 }, { cat: 'odd', s: 30, m: 6 }] },
  },
  {
    doc: agg,
    name: 'no events: count 0, others null',
    events: [],
    spl: '| makeresults | where 1==2 | stats count sum(v) as s',
    expected: { rows: [{ count: 0 }] },
  },
  {
    doc: agg,
    name: 'unknown stats function',
    events: ten,
    spl: 'search * | stats avgg(v)',
    error: /unknown stats function "avgg"/,
  },
]);
