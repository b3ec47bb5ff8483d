/**
 * A sourcetype named by the user (or a generator's manifest) that several formats read picks the
 * one the file's head fits: an XML rendering named XmlWinEventLog:* streams line by line in
 * batches. (It used to go to the .evtx reader, which reads a file whole and hands every event to
 * one batch: a scale-10 Frothly sysmon.xml, 620 k events, ran out of memory.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatForSourcetype } from '../../src/ingest/formats/index.js';
import { ingestPaths } from '../../src/ingest/index.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../util.js';

const ST = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
const xmlEvent = (i: number) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID><TimeCreated SystemTime='2017-08-01T07:${String(10 + (i % 50))}:${String(10 + (i % 40))}.000000000Z'/><EventRecordID>${i}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>wrk-${i}.frothly.local</Computer></System><EventData><Data Name='Image'>C:\\Windows\\System32\\ftp.exe</Data><Data Name='CommandLine'>ftp.exe -s:run${i}.dll</Data></EventData></Event>`;

test('XmlWinEventLog:* picks evtx for a binary head and windows-xml for an XML rendering', () => {
  assert.equal(formatForSourcetype(ST, 'ElfFile\0\0\0', 'x.evtx')?.id, 'evtx');
  assert.equal(formatForSourcetype(ST, xmlEvent(1), 'sysmon.xml')?.id, 'windows-xml');
  assert.equal(formatForSourcetype(ST)?.id, 'evtx', 'without a head: the first format that reads it, as before');
});

test('an XML rendering ingested as XmlWinEventLog:* commits in batches', async () => {
  const dir = tempDir();
  const file = join(dir, 'sysmon.xml');
  const n = 6000; // ~3 MB: the driver reads 1 MiB chunks and ends a batch between chunks
  writeFileSync(file, Array.from({ length: n }, (_, i) => xmlEvent(i + 1)).join('\n') + '\n');
  const store = await Store.open(join(dir, 'data'));
  try {
    const commits: number[] = [];
    const r = await ingestPaths(store, [file], { index: 'main', sourcetype: ST, tz: 'UTC', batchSize: 1000, onProgress: (p) => commits.push(p.events) });
    assert.equal(r.ingested, n);
    assert.equal(r.files[0]!.format, 'windows-xml');
    assert.ok(commits.length > 1, `several batches, not one for the file: ${commits.join(', ')}`);
    assert.equal(commits.at(-1), n);
    assert.deepEqual((await store.catalog()).map((c) => [c.sourcetype, c.eventCount]), [[ST, n]]);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
