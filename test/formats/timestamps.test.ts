import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyTimeToMicros, epochSecondsToMicros, isoToMicros, syslogTimeToMicros, usDateTimeToMicros, ymdHmsToMicros } from '../../src/ingest/timestamps.js';

test('ISO 8601 in its many spellings', () => {
  const base = Date.parse('2021-06-06T13:59:46Z') * 1000;
  assert.equal(isoToMicros('2021-06-06T15:59:46.457984+0200'), base + 457984);
  assert.equal(isoToMicros('2021-06-06T15:59:46.457984+02:00'), base + 457984);
  assert.equal(isoToMicros('2021-06-06T13:59:46.4579849Z'), base + 457984);
  assert.equal(isoToMicros('2021-06-06T13:59:46Z'), base);
  assert.equal(isoToMicros('2021-06-06 13:59:46.5'), base + 500000);
  assert.equal(isoToMicros('2021-06-06T06:59:46', 'America/Los_Angeles'), base);
  assert.equal(isoToMicros('2021-06-06T13:59:46.1-0000'), base + 100000);
  assert.equal(isoToMicros('2021-13-06T13:59:46Z'), undefined);
  assert.equal(isoToMicros('yesterday'), undefined);
});

test('epoch seconds, local wall clock with DST, syslog, Windows and PAN-OS text', () => {
  assert.equal(epochSecondsToMicros('1521911720.865716'), 1521911720865716);
  assert.equal(epochSecondsToMicros('19.38'), 19380000);
  assert.equal(epochSecondsToMicros('XXXXXXXXXX.XXXXXX'), undefined);
  assert.equal(ymdHmsToMicros('2017/08/23 21:16:40', 'America/Los_Angeles'), Date.parse('2017-08-24T04:16:40Z') * 1000);
  assert.equal(ymdHmsToMicros('2017/01/23 21:16:40', 'America/Los_Angeles'), Date.parse('2017-01-24T05:16:40Z') * 1000);
  assert.equal(usDateTimeToMicros('08/23/2017 08:33:29 PM', 'America/Los_Angeles'), Date.parse('2017-08-24T03:33:29Z') * 1000);
  assert.equal(usDateTimeToMicros('08/23/2017 12:03:29 AM', 'UTC'), Date.parse('2017-08-23T00:03:29Z') * 1000);
  assert.equal(syslogTimeToMicros('Aug 23 21:16:41', 'UTC', 2017), Date.parse('2017-08-23T21:16:41Z') * 1000);
  assert.equal(syslogTimeToMicros('Mar 23 2017 07:27:36', 'UTC'), Date.parse('2017-03-23T07:27:36Z') * 1000);
  assert.equal(anyTimeToMicros(1503727326.25), 1503727326250000);
  assert.equal(anyTimeToMicros('1503727326250'), 1503727326250000);
  assert.equal(anyTimeToMicros('2017-08-26 05:42:06', 'UTC'), Date.parse('2017-08-26T05:42:06Z') * 1000);
});
