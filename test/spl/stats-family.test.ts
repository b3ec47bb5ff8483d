import { cases, T0 } from './harness.js';
import { doc, web, sparse } from './data.js';

cases('eventstats', [
  {
    doc: doc('Eventstats'),
    events: web,
    spl: 'search * | eventstats count | table host count | head 2',
    expected: { fields: ['host', 'count'], rows: [{ host: 'www2', count: 6 }, { host: 'www1', count: 6 }] },
  },
  {
    doc: doc('Eventstats'),
    name: 'avg by host added to every event, order kept',
    events: web,
    spl: 'search * | eventstats avg(bytes) as avgb by host | table _time host avgb',
    expected: {
      fields: ['_time', 'host', 'avgb'],
      rows: [
        { _time: T0 + 300, host: 'www2', avgb: 275 },
        { _time: T0 + 240, host: 'www1', avgb: 140 },
        { _time: T0 + 180, host: 'www3', avgb: 10 },
        { _time: T0 + 120, host: 'www1', avgb: 140 },
        { _time: T0 + 60, host: 'www2', avgb: 275 },
        { _time: T0, host: 'www1', avgb: 140 },
      ],
    },
  },
  {
    doc: doc('Eventstats'),
    name: 'rows lacking the by-field get no value',
    events: sparse,
    spl: 'search * | eventstats sum(b) as s by a | table a b s',
    expected: { rows: [{ b: 3 }, { a: 'y' }, { a: 'x', b: 1, s: 1 }] },
  },
  {
    doc: doc('Eventstats'),
    name: 'the seed: eventstats after stats for a percentage',
    events: web,
    spl: 'search * | stats count by host | eventstats sum(count) as perc | eval percentage=round(count*100/perc,2) | fields - perc | sort - count',
    expected: {
      fields: ['host', 'count', 'percentage'],
      rows: [
        { host: 'www1', count: 3, percentage: 50 },
        { host: 'www2', count: 2, percentage: 33.33 },
        { host: 'www3', count: 1, percentage: 16.67 },
      ],
    },
  },
  {
    doc: doc('Eventstats'),
    name: 'existing field is overwritten',
    events: web,
    spl: 'search * | stats count by host | eventstats max(count) as count | table host count',
    expected: { rows: [{ host: 'www1', count: 3 }, { host: 'www2', count: 3 }, { host: 'www3', count: 3 }] },
  },
  {
    doc: doc('Eventstats'),
    name: 'several aggregates and dc',
    events: web,
    spl: 'search * | eventstats dc(clientip) as ips, count by status | dedup status | table status ips count | sort status',
    expected: { rows: [{ status: '200', ips: 1, count: 3 }, { status: '404', ips: 1, count: 2 }, { status: '500', ips: 1, count: 1 }] },
  },
]);

cases('streamstats', [
  {
    doc: doc('Streamstats'),
    name: 'running count',
    events: web,
    spl: 'search * | reverse | streamstats count | table host count',
    expected: { rows: [{ host: 'www1', count: 1 }, { host: 'www2', count: 2 }, { host: 'www1', count: 3 }, { host: 'www3', count: 4 }, { host: 'www1', count: 5 }, { host: 'www2', count: 6 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'running sum by host',
    events: web,
    spl: 'search * | reverse | streamstats sum(bytes) as total by host | table host total',
    expected: { rows: [{ host: 'www1', total: 100 }, { host: 'www2', total: 50 }, { host: 'www1', total: 400 }, { host: 'www3', total: 10 }, { host: 'www1', total: 420 }, { host: 'www2', total: 550 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'window=2 moving average',
    events: web,
    spl: 'search * | reverse | streamstats window=2 avg(bytes) as mavg | table bytes mavg',
    expected: { rows: [{ bytes: 100, mavg: 100 }, { bytes: 50, mavg: 75 }, { bytes: 300, mavg: 175 }, { bytes: 10, mavg: 155 }, { bytes: 20, mavg: 15 }, { bytes: 500, mavg: 260 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'current=f window=1 global=f last(bytes): the previous event of the group (beacon idiom)',
    events: web,
    spl: 'search * | reverse | streamstats current=f window=1 global=f last(bytes) as prev by host | table host bytes prev',
    expected: { rows: [{ host: 'www1', bytes: 100 }, { host: 'www2', bytes: 50 }, { host: 'www1', bytes: 300, prev: 100 }, { host: 'www3', bytes: 10 }, { host: 'www1', bytes: 20, prev: 300 }, { host: 'www2', bytes: 500, prev: 50 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'window with by and global=t: one window over all rows, counted per group',
    events: web,
    spl: 'search * | reverse | streamstats window=3 count as n by host | table host n',
    expected: { rows: [{ host: 'www1', n: 1 }, { host: 'www2', n: 1 }, { host: 'www1', n: 2 }, { host: 'www3', n: 1 }, { host: 'www1', n: 2 }, { host: 'www2', n: 1 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'current=f count',
    events: web.slice(0, 3),
    spl: 'search * | reverse | streamstats current=f count as before | table host before',
    expected: { rows: [{ host: 'www1', before: 0 }, { host: 'www2', before: 1 }, { host: 'www1', before: 2 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'reset_on_change',
    events: web,
    spl: 'search * | reverse | streamstats reset_on_change=true count as run by method | table method run',
    expected: { rows: [{ method: 'GET', run: 1 }, { method: 'GET', run: 2 }, { method: 'POST', run: 1 }, { method: 'GET', run: 1 }, { method: 'GET', run: 2 }, { method: 'GET', run: 3 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'dc running',
    events: web,
    spl: 'search * | reverse | streamstats dc(host) as hosts | table hosts',
    expected: { rows: [{ hosts: 1 }, { hosts: 2 }, { hosts: 2 }, { hosts: 3 }, { hosts: 3 }, { hosts: 3 }] },
  },
  {
    doc: doc('Streamstats'),
    name: 'time_window is not supported yet',
    events: web,
    spl: 'search * | streamstats time_window=1h count',
    error: /time_window.*not supported/,
  },
]);

cases('top', [
  {
    doc: doc('Top'),
    events: web,
    spl: 'search * | top host',
    expected: { fields: ['host', 'count', 'percent'], rows: [{ host: 'www1', count: 3, percent: 50 }, { host: 'www2', count: 2, percent: 33.333333 }, { host: 'www3', count: 1, percent: 16.666667 }] },
  },
  {
    doc: doc('Top'),
    events: web,
    spl: 'search * | top limit=1 status',
    expected: { rows: [{ status: '200', count: 3, percent: 50 }] },
  },
  {
    doc: doc('Top'),
    events: web,
    spl: 'search * | top 2 clientip showperc=f',
    expected: { fields: ['clientip', 'count'], rows: [{ clientip: '10.0.0.1', count: 3 }, { clientip: '10.0.0.2', count: 2 }] },
  },
  {
    doc: doc('Top'),
    name: 'countfield and percentfield',
    events: web,
    spl: 'search * | top limit=1 host countfield=n percentfield=p',
    expected: { fields: ['host', 'n', 'p'], rows: [{ host: 'www1', n: 3, p: 50 }] },
  },
  {
    doc: doc('Top'),
    name: 'by clause: limit per group',
    events: web,
    spl: 'search * | top limit=1 status by host',
    expected: {
      fields: ['host', 'status', 'count', 'percent'],
      rows: [
        { host: 'www1', status: '200', count: 2, percent: 66.666667 },
        { host: 'www2', status: '200', count: 1, percent: 50 },
        { host: 'www3', status: '500', count: 1, percent: 100 },
      ],
    },
  },
  {
    doc: doc('Top'),
    name: 'useother adds OTHER',
    events: web,
    spl: 'search * | top limit=1 useother=t host',
    expected: { rows: [{ host: 'www1', count: 3, percent: 50 }, { host: 'OTHER', count: 3, percent: 50 }] },
  },
  {
    doc: doc('Top'),
    name: 'otherstr',
    events: web,
    spl: 'search * | top limit=2 useother=t otherstr=rest host showcount=f',
    expected: { fields: ['host', 'percent'], rows: [{ host: 'www1', percent: 50 }, { host: 'www2', percent: 33.333333 }, { host: 'rest', percent: 16.666667 }] },
  },
  {
    doc: doc('Top'),
    name: 'two fields',
    events: web,
    spl: 'search * | top limit=2 host status',
    expected: { fields: ['host', 'status', 'count', 'percent'], rows: [{ host: 'www1', status: '200', count: 2, percent: 33.333333 }, { host: 'www2', status: '200', count: 1, percent: 16.666667 }] },
  },
  {
    doc: doc('Top'),
    name: 'unknown option',
    events: web,
    spl: 'search * | top limt=2 host',
    error: /unknown option limt/,
  },
]);

cases('rare', [
  {
    doc: doc('Rare'),
    events: web,
    spl: 'search * | rare host',
    expected: { rows: [{ host: 'www3', count: 1, percent: 16.666667 }, { host: 'www2', count: 2, percent: 33.333333 }, { host: 'www1', count: 3, percent: 50 }] },
  },
  {
    doc: doc('Rare'),
    events: web,
    spl: 'search * | rare limit=1 method',
    expected: { rows: [{ method: 'POST', count: 1, percent: 16.666667 }] },
  },
]);

// A computed by-field's nulls are dropped after grouping (HAVING), a stored one's in the scan
// (src/compile/commands/stats.ts); both must drop exactly the rows Splunk drops.
cases('stats by a computed field', [
  {
    doc: doc('Stats'),
    name: 'rows whose computed by-field is null are dropped',
    events: sparse,
    spl: 'search * | eval k=if(b>2, "big", null()) | stats count by k',
    expected: { fields: ['k', 'count'], rows: [{ k: 'big', count: 1 }] },
  },
  {
    doc: doc('Stats'),
    name: 'a computed and a stored by-field, either null drops the row',
    events: sparse,
    spl: 'search * | eval k=upper(a) | stats count by k b',
    expected: { fields: ['k', 'b', 'count'], rows: [{ k: 'X', b: 1, count: 1 }] },
  },
  {
    doc: doc('Stats'),
    name: 'a computed by-field null in every row gives no rows',
    events: sparse,
    spl: 'search * | eval k=if(b>5, "x", null()) | stats count by k',
    expected: { rows: [] },
  },
  {
    doc: doc('Stats'),
    name: 'aggregates of a computed group count only its own rows',
    events: sparse,
    spl: 'search * | eval k=if(isnull(a), null(), "has") | stats count sum(b) as s by k',
    expected: { fields: ['k', 'count', 's'], rows: [{ k: 'has', count: 2, s: 1 }] },
  },
  {
    doc: doc('Stats'),
    name: 'a stored field assigned by eval is a computed one',
    events: sparse,
    spl: 'search * | eval a=if(a="x", null(), a) | stats count by a',
    expected: { fields: ['a', 'count'], rows: [{ a: 'y', count: 1 }] },
  },
]);
