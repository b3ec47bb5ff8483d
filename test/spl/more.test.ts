import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSearch, SplError } from '../../src/search/index.js';
import { MacroTable } from '../../src/spl/macros.js';
import { cases, NOW, T0, withStore } from './harness.js';
import { doc, web } from './data.js';

cases('appendpipe', [
  {
    doc: doc('Appendpipe'),
    events: web,
    spl: 'search * | stats count by host | appendpipe [stats sum(count) as count | eval host="TOTAL"]',
    expected: { fields: ['host', 'count'], rows: [{ host: 'www1', count: 3 }, { host: 'www2', count: 2 }, { host: 'www3', count: 1 }, { host: 'TOTAL', count: 6 }] },
  },
  {
    doc: doc('Appendpipe'),
    name: 'sub-pipeline of several commands',
    events: web,
    spl: 'search * | stats count by host | appendpipe [where count > 1 | eval host=host."!" | table host]',
    expected: { rows: [{ host: 'www1', count: 3 }, { host: 'www2', count: 2 }, { host: 'www3', count: 1 }, { host: 'www1!' }, { host: 'www2!' }] },
  },
  {
    doc: doc('Appendpipe'),
    name: 'an error inside points into the brackets',
    events: web,
    spl: 'search * | stats count by host | appendpipe [stats nosuch(count)]',
    error: /unknown stats function "nosuch"/,
  },
]);

cases('options', [
  { doc: doc('Head'), events: web, spl: 'search * | head keeplast=true 2', error: /keeplast.*not supported/ },
  { doc: doc('Stats'), events: web, spl: 'search * | stats allnum=true count', error: /allnum.*not supported/ },
  { doc: doc('Stats'), name: 'partitions is a hint and accepted', events: web, spl: 'search * | stats partitions=2 count', expected: { rows: [{ count: 6 }] } },
  { doc: doc('Eventstats'), events: web, spl: 'search * | eventstats allnum=true count', error: /allnum.*not supported/ },
  { doc: doc('Chart'), events: web, spl: 'search * | chart sort=true count by host', error: /sort.*not supported/ },
  { doc: doc('Timechart'), events: web, spl: 'search * | timechart span=1m format=x count', error: /format.*not supported/ },
  { doc: doc('Timechart'), events: web, spl: 'search * | timechart partial=false span=1m count', error: /partial=false/ },
  { doc: doc('Append'), events: web, spl: 'search * | append extendtimerange=true [search *]', error: /extendtimerange.*not supported/ },
  { doc: doc('Join'), events: web, spl: 'search * | join usetime=true host [search *]', error: /usetime.*not supported/ },
  { doc: doc('Mvexpand'), events: web, spl: 'search * | mvexpand bogus=1 host', error: /unknown option bogus/ },
  { doc: doc('Spath'), events: web, spl: 'search * | spath foo=bar', error: /unknown option foo/ },
  { doc: doc('Bin'), events: web, spl: 'search * | bin bytes aligntime=earliest span=10', error: /aligntime= is for time fields/ },
  { doc: doc('Convert'), events: web, spl: 'search * | convert tz=UTC ctime(_time)', error: /unknown option tz/ },
  { doc: doc('Makeresults'), spl: '| makeresults splunk_server=local', error: /splunk_server.*not supported/ },
  { doc: doc('Outputlookup'), spl: '| makeresults | outputlookup key_field=x out', error: /key_field.*not supported/ },
  { doc: doc('Streamstats'), events: web, spl: 'search * | streamstats reset_after="(x>1)" count', error: /reset_after.*not supported/ },
  { doc: doc('Dedup'), events: web, spl: 'search * | dedup host foo=1', error: /unknown option foo/ },
  { doc: doc('Rex'), events: web, spl: 'search * | rex mode=perl "(?<a>.)"', error: /mode= is sed/ },
  { doc: doc('Transaction'), events: web, spl: 'search * | transaction host maxspan=banana', error: /cannot read maxspan/ },
]);

cases('pipeline', [
  { doc: doc('Eval'), name: 'rex then stats', events: [{ _time: T0, _raw: 'u=a' }, { _time: T0 + 1, _raw: 'u=b' }, { _time: T0 + 2, _raw: 'u=a' }], spl: 'search * | rex "u=(?<u>\\w)" | stats count by u', expected: { rows: [{ u: 'a', count: 2 }, { u: 'b', count: 1 }] } },
  { doc: doc('Mvexpand'), name: 'makemv, mvexpand, top', spl: '| makeresults | eval s="a b a c a" | makemv s | mvexpand s | top s limit=1', expected: { rows: [{ s: 'a', count: 3, percent: 60 }] } },
  { doc: doc('Bin'), name: 'bin then chart over the bins', events: web, spl: 'search * | bin bytes span=250 | chart count over bytes by method', expected: { fields: ['bytes', 'GET', 'POST'], rows: [{ bytes: '0-250', GET: 4, POST: 0 }, { bytes: '250-500', GET: 0, POST: 1 }, { bytes: '500-750', GET: 1, POST: 0 }] } },
  { doc: doc('Lookup'), name: 'dedup then fillnull then table', events: web, spl: 'search * | dedup host | fillnull value=- nothing | table host nothing', expected: { rows: [{ host: 'www2', nothing: '-' }, { host: 'www1', nothing: '-' }, { host: 'www3', nothing: '-' }] } },
  { doc: doc('Streamstats'), name: 'beacon idiom: time between events per source', events: [{ _time: T0, src: 'a' }, { _time: T0 + 60, src: 'a' }, { _time: T0 + 125, src: 'a' }], spl: 'search * | sort 0 _time | streamstats current=f window=1 global=f last(_time) as prev by src | eval delta=_time-prev | stats avg(delta) as avg_delta count by src', expected: { rows: [{ src: 'a', avg_delta: 62.5, count: 3 }] } },
  { doc: doc('Eventstats'), name: 'eventstats then where: outliers', events: web, spl: 'search * | eventstats avg(bytes) as a | where bytes > a | table host bytes', expected: { rows: [{ host: 'www2', bytes: 500 }, { host: 'www1', bytes: 300 }] } },
  { doc: doc('Join'), name: 'join on a renamed field', events: web, spl: 'search * | stats dc(host) as hosts by clientip | join clientip [search * | stats max(bytes) as mx by clientip]', expected: { rows: [{ clientip: '10.0.0.1', hosts: 2, mx: 500 }, { clientip: '10.0.0.2', hosts: 2, mx: 50 }, { clientip: '10.0.0.3', hosts: 1, mx: 10 }] } },
  { doc: doc('Timechart'), name: 'timechart then fillnull-free: counts are 0 not null', events: [web[0]!], spl: 'search * | timechart span=1m count by host | fields - _time', expected: { rows: [{ www1: 1 }] } },
]);

test('errors point at the option in the search text', async () => {
  await withStore(web, async (store) => {
    const spl = 'search * | stats allnum=true count';
    try {
      await runSearch(store, spl, { tz: 'UTC', now: NOW, macros: new MacroTable() });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof SplError);
      assert.equal(spl.slice(e.span.start, e.span.end), 'allnum=true');
    }
    const spl2 = 'search * | stats count by host | appendpipe [stats nosuch(count)]';
    try {
      await runSearch(store, spl2, { tz: 'UTC', now: NOW, macros: new MacroTable() });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof SplError);
      assert.equal(spl2.slice(e.span.start, e.span.end), 'nosuch');
    }
  });
});
