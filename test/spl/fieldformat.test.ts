import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSearch } from '../../src/search/index.js';
import { render } from '../../src/search/output.js';
import { MacroTable } from '../../src/spl/macros.js';
import { cases, NOW, withStore } from './harness.js';
import { doc, web } from './data.js';

cases('fieldformat', [
  {
    doc: doc('Fieldformat'),
    name: 'display changes, value does not',
    spl: '| makeresults | eval t=1503619200 | fieldformat t=strftime(t, "%Y-%m-%d") | table t',
    expected: { rows: [{ t: 1503619200 }] },
    formatted: { t: ['2017-08-25'] },
  },
  {
    doc: doc('Fieldformat'),
    name: 'later commands see the raw value',
    spl: '| makeresults | eval t=1503619200 | fieldformat t=strftime(t, "%Y") | eval u=t+1 | table t u',
    expected: { rows: [{ t: 1503619200, u: 1503619201 }] },
    formatted: { t: ['2017'] },
  },
  {
    doc: doc('Fieldformat'),
    name: 'sort uses the value (doc: formats applied at the end)',
    spl: '| makeresults count=2 | streamstats count as n | eval n=n*1000 | fieldformat n=tostring(n, "commas") | sort - n | table n',
    expected: { rows: [{ n: 2000 }, { n: 1000 }] },
    formatted: { n: ['2,000', '1,000'] },
  },
  {
    doc: doc('Fieldformat'),
    name: 'a format on a field dropped later is not applied',
    spl: '| makeresults | eval a=1, b=2 | fieldformat a="x".a | table b',
    expected: { rows: [{ b: 2 }] },
    formatted: {},
  },
  {
    doc: doc('Fieldformat'),
    name: 'the format follows stats output names',
    events: web,
    spl: 'search * | stats sum(bytes) as total | fieldformat total=total." bytes"',
    expected: { rows: [{ total: 980 }] },
    formatted: { total: ['980 bytes'] },
  },
  {
    doc: doc('Fieldformat'),
    name: 'bad expression is an error at compile time',
    spl: '| makeresults | fieldformat t=nosuchfn(t)',
    error: /unknown function/,
  },
]);

test('fieldformat is applied in every output format', async () => {
  await withStore([], async (store) => {
    const res = await runSearch(store, '| makeresults | eval t=1503619200 | fieldformat t=strftime(t, "%Y-%m-%d") | table t', { tz: 'UTC', now: NOW, macros: new MacroTable() });
    const input = { fields: res.fields, rows: res.rows, tz: 'UTC', transforming: true, formatted: res.formatted };
    assert.match(render('table', input), /2017-08-25/);
    assert.match(render('csv', input), /^t\n2017-08-25\n$/);
    assert.equal(JSON.parse(render('json', input)).results[0].t, '2017-08-25');
    assert.equal(JSON.parse(render('jsonl', input).trim()).t, '2017-08-25');
  });
});
