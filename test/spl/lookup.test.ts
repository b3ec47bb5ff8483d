import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runSearch } from '../../src/search/index.js';
import { MacroTable } from '../../src/spl/macros.js';
import { addLookup, listLookups } from '../../src/lookup/index.js';
import { cases, NOW, withStore } from './harness.js';
import { doc, web } from './data.js';

const hosts = 'host,owner,dept\nwww1,alice,web\nwww2,bob,web\nwww3,carol,ops\n';
const multi = 'dept,member\nweb,alice\nweb,bob\nops,carol\n';
const setup = (dir: string) => {
  mkdirSync(join(dir, 'lookups'), { recursive: true });
  writeFileSync(join(dir, 'lookups', 'hosts.csv'), hosts);
  writeFileSync(join(dir, 'lookups', 'members.csv'), multi);
  writeFileSync(join(dir, 'lookups', 'ips.csv'), 'ip,zone\n10.0.0.1,dmz\n10.0.0.2,lan\n');
};

cases('lookup', [
  { doc: doc('Lookup'), setup, events: web, spl: 'search * | stats count by host | lookup hosts host', expected: { fields: ['host', 'count', 'owner', 'dept'], rows: [{ host: 'www1', count: 3, owner: 'alice', dept: 'web' }, { host: 'www2', count: 2, owner: 'bob', dept: 'web' }, { host: 'www3', count: 1, owner: 'carol', dept: 'ops' }] } },
  { doc: doc('Lookup'), name: 'OUTPUT one field', setup, events: web, spl: 'search * | stats count by host | lookup hosts host OUTPUT owner', expected: { fields: ['host', 'count', 'owner'], rows: [{ host: 'www1', count: 3, owner: 'alice' }, { host: 'www2', count: 2, owner: 'bob' }, { host: 'www3', count: 1, owner: 'carol' }] } },
  { doc: doc('Lookup'), name: 'AS on both sides', setup, events: web, spl: 'search * | stats count by host | rename host as h | lookup hosts host AS h OUTPUT owner AS who | table h who', expected: { rows: [{ h: 'www1', who: 'alice' }, { h: 'www2', who: 'bob' }, { h: 'www3', who: 'carol' }] } },
  { doc: doc('Lookup'), name: 'file name with .csv', setup, events: web, spl: 'search * | stats count by host | lookup hosts.csv host OUTPUT dept | table host dept', expected: { rows: [{ host: 'www1', dept: 'web' }, { host: 'www2', dept: 'web' }, { host: 'www3', dept: 'ops' }] } },
  { doc: doc('Lookup'), name: 'no match leaves the row unchanged', setup, events: web, spl: 'search * | stats count by clientip | lookup ips ip AS clientip OUTPUT zone | table clientip zone', expected: { rows: [{ clientip: '10.0.0.1', zone: 'dmz' }, { clientip: '10.0.0.2', zone: 'lan' }, { clientip: '10.0.0.3' }] } },
  { doc: doc('Lookup'), name: 'OUTPUT overwrites an existing field', setup, spl: '| makeresults | eval host="www1", owner="old" | lookup hosts host OUTPUT owner | table owner', expected: { rows: [{ owner: 'alice' }] } },
  { doc: doc('Lookup'), name: 'OUTPUTNEW keeps an existing field', setup, spl: '| makeresults | eval host="www1", owner="old" | lookup hosts host OUTPUTNEW owner dept | table owner dept', expected: { rows: [{ owner: 'old', dept: 'web' }] } },
  { doc: doc('Lookup'), name: 'matching is case-sensitive', setup, spl: '| makeresults | eval host="WWW1" | lookup hosts host OUTPUT owner | table host owner', expected: { rows: [{ host: 'WWW1' }] } },
  { doc: doc('Lookup'), name: 'several matching rows give a multivalue', setup, spl: '| makeresults | eval dept="web" | lookup members dept OUTPUT member | table member', expected: { rows: [{ member: ['alice', 'bob'] }] } },
  { doc: doc('Lookup'), name: 'multivalue input: each value looked up', setup, spl: '| makeresults | eval host=split("www1,www3", ",") | lookup hosts host OUTPUT owner | table owner', expected: { rows: [{ owner: ['alice', 'carol'] }] } },
  { doc: doc('Lookup'), name: 'numeric input matched as text', setup: (d) => { setup(d); writeFileSync(join(d, 'lookups', 'codes.csv'), 'code,meaning\n200,OK\n404,Not Found\n'); }, spl: '| makeresults | eval code=404 | lookup codes code OUTPUT meaning | table meaning', expected: { rows: [{ meaning: 'Not Found' }] } },
  { doc: doc('Lookup'), name: 'unknown table', setup, spl: '| makeresults | lookup nosuch x', error: /lookup table "nosuch" not found/ },
  { doc: doc('Lookup'), name: 'unknown lookup field', setup, spl: '| makeresults | eval host="a" | lookup hosts hostname', error: /no field "hostname"/ },
]);

cases('inputlookup', [
  { doc: doc('Inputlookup'), setup, spl: '| inputlookup hosts', expected: { fields: ['host', 'owner', 'dept'], rows: [{ host: 'www1', owner: 'alice', dept: 'web' }, { host: 'www2', owner: 'bob', dept: 'web' }, { host: 'www3', owner: 'carol', dept: 'ops' }] } },
  { doc: doc('Inputlookup'), name: 'where', setup, spl: '| inputlookup hosts.csv where dept=web | table owner', expected: { rows: [{ owner: 'alice' }, { owner: 'bob' }] } },
  { doc: doc('Inputlookup'), name: 'where with wildcard and OR', setup, spl: '| inputlookup hosts where owner=c* OR owner=bob | table owner', expected: { rows: [{ owner: 'bob' }, { owner: 'carol' }] } },
  { doc: doc('Inputlookup'), name: 'max and start', setup, spl: '| inputlookup start=1 max=1 hosts | table host', expected: { rows: [{ host: 'www2' }] } },
  { doc: doc('Inputlookup'), name: 'append=t adds rows after the results', setup, spl: '| makeresults | eval host="x" | table host | inputlookup append=t ips', expected: { fields: ['host', 'ip', 'zone'], rows: [{ host: 'x' }, { ip: '10.0.0.1', zone: 'dmz' }, { ip: '10.0.0.2', zone: 'lan' }] } },
  // options after the name: splunk/security_content (searches Splunk ships) writes them there
  { doc: doc('Inputlookup'), name: 'options after the table name', setup, spl: '| makeresults | eval host="x" | table host | inputlookup ips append=t max=1', expected: { fields: ['host', 'ip', 'zone'], rows: [{ host: 'x' }, { ip: '10.0.0.1', zone: 'dmz' }] } },
  { doc: doc('Inputlookup'), name: 'options on both sides, then WHERE', setup, spl: '| inputlookup start=1 hosts max=1 where dept=* | table host', expected: { rows: [{ host: 'www2' }] } },
  { doc: doc('Inputlookup'), name: 'an unknown option after the name is an error', setup, spl: '| inputlookup hosts apend=t', error: /unknown option apend=/ },
  { doc: doc('Inputlookup'), name: 'then stats', setup, spl: '| inputlookup hosts | stats count by dept', expected: { rows: [{ dept: 'ops', count: 1 }, { dept: 'web', count: 2 }] } },
  { doc: doc('Inputlookup'), name: 'mid-search without append is an error', setup, spl: '| makeresults | inputlookup hosts', error: /must start the search/ },
  { doc: doc('Inputlookup'), name: 'subsearch of inputlookup as a filter', setup, events: web, spl: 'search [| inputlookup ips | rename ip as clientip | fields clientip] | stats count by clientip', expected: { rows: [{ clientip: '10.0.0.1', count: 3 }, { clientip: '10.0.0.2', count: 2 }] } },
]);

test('outputlookup: writes CSV, passes rows through, reads back with inputlookup', async () => {
  await withStore([], async (store, dir) => {
    const opts = { tz: 'UTC', now: NOW, macros: new MacroTable() };
    const r1 = await runSearch(store, '| makeresults count=2 | streamstats count as n | eval name="a".n | table n name | outputlookup out', opts);
    assert.equal(r1.rows.length, 2);
    assert.equal(readFileSync(join(dir, 'lookups', 'out.csv'), 'utf8'), 'n,name\n1,a1\n2,a2\n');
    await runSearch(store, '| makeresults | eval n=3, name="b" | table n name | outputlookup append=t out', opts);
    const r3 = await runSearch(store, '| inputlookup out | stats count', opts);
    assert.deepEqual(r3.rows, [{ count: 3 }]);
    // create_empty=false: no file for no rows
    await runSearch(store, '| makeresults | where 1=2 | outputlookup create_empty=false empty', opts);
    assert.equal(listLookups(dir).some((l) => l.name === 'empty'), false);
    // override_if_empty=false keeps the old file
    await runSearch(store, '| makeresults | where 1=2 | outputlookup override_if_empty=false out', opts);
    assert.match(readFileSync(join(dir, 'lookups', 'out.csv'), 'utf8'), /a1/);
  });
});

test('quarry lookup add / list', async () => {
  await withStore([], async (_store, dir) => {
    const src = join(dir, 'src.csv');
    writeFileSync(src, hosts);
    addLookup(dir, 'hosts', src);
    const l = listLookups(dir);
    assert.deepEqual(l.map((x) => [x.name, x.fields]), [['hosts', ['host', 'owner', 'dept']]]);
  });
});
