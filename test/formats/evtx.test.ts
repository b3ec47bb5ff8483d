import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFile, sampleFiles } from './helpers.js';
import { ingestPaths } from '../../src/ingest/index.js';
import { Store } from '../../src/store/index.js';
import { detectFormat } from '../../src/ingest/formats/index.js';
import { filetimeToIso, readEvtx } from '../../src/ingest/formats/evtx/binxml.js';
import type { FieldValue } from '../../src/ingest/event.js';
import { tempDir } from '../util.js';

/** python-evtx's rendering differs from Windows' in a few spellings; compare the values, not the spelling. */
function norm(v: FieldValue | undefined): string {
  return JSON.stringify(v ?? null)
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/\b(True|False)\b/g, (m) => m.toLowerCase())
    .replace(/(\\[nrt]|\s)+/g, ' ');
}

test('every .evtx sample reads to the same events as the XML rendering kept beside it', async () => {
  const files = sampleFiles().filter((f) => f.endsWith('.evtx'));
  assert.equal(files.length, 20);
  let total = 0;
  for (const f of files) {
    const bin = await runFile(f);
    const xml = await runFile(f.replace(/\.evtx$/, '.xml'));
    assert.equal(bin.format?.id, 'evtx');
    assert.equal(bin.quarantined.length, 0, f);
    assert.equal(bin.events.length, xml.events.length, f);
    for (let i = 0; i < bin.events.length; i++) {
      const a = bin.events[i], b = xml.events[i];
      assert.equal(a.sourcetype, b.sourcetype);
      assert.equal(a.host, b.host);
      // python-evtx goes through a float: a few µs apart
      assert.ok(Math.abs(a.time! - b.time!) <= 3, `${f} #${i} time ${a.time} vs ${b.time}`);
      const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
      keys.delete('SystemTime');
      for (const k of keys) assert.equal(norm(a.fields[k]), norm(b.fields[k]), `${f} #${i} field ${k}`);
      assert.ok(a.raw.startsWith('<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">'));
    }
    // offsets grow, within the file
    const size = readFileSync(f).length;
    for (let i = 1; i < bin.offsets.length; i++) assert.ok(bin.offsets[i] > bin.offsets[i - 1]);
    assert.ok(bin.offsets[bin.offsets.length - 1] <= size);
    total += bin.events.length;
  }
  assert.equal(total, 1528);
});

test('evtx: a Sysmon process event read from the binary has its command lines', async () => {
  const r = await runFile(sampleFiles().find((f) => f.endsWith('smbmap_upload_exec_sysmon.evtx'))!);
  const p = r.events.find((e) => e.fields.EventCode === 1)!;
  assert.equal(p.sourcetype, 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
  assert.equal(p.fields.EventDescription, 'Process Create');
  assert.ok(String(p.fields.CommandLine).length > 0);
  assert.equal(p.fields.process, p.fields.CommandLine);
  assert.match(String(p.fields.SystemTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
});

test('evtx: damaged records are quarantined, the rest still read; not-evtx files are refused clearly', async () => {
  const src = sampleFiles().find((f) => f.endsWith('LM_sysmon_psexec_smb_meterpreter.evtx'))!;
  const buf = Buffer.from(readFileSync(src));
  const recs = [...readEvtx(buf)];
  assert.equal(recs.length, 10);
  // break the BinXML of the 3rd record
  const third = recs[2];
  buf.fill(0xff, third.offset + 24, third.offset + 40);
  const dir = tempDir('quarry-evtx-');
  const damaged = join(dir, 'damaged.evtx');
  writeFileSync(damaged, buf);
  const r = await runFile(damaged);
  assert.equal(r.events.length, 9);
  assert.equal(r.quarantined.length, 1);
  assert.match(r.quarantined[0].reason, /^evtx: record 3: unexpected BinXML token 0xff at chunk offset \d+$/);
  assert.equal(r.quarantined[0].offset, third.end);
  const junk = join(dir, 'junk.evtx');
  writeFileSync(junk, Buffer.alloc(5000, 1));
  const j = await runFile(junk);
  assert.equal(j.events.length, 0);
  assert.equal(j.quarantined[0].reason, 'evtx: not an EVTX file (no "ElfFile" signature)');
  assert.equal(detectFormat('ElfFile\0\0\0', 'x.bin')?.id, 'evtx');
  assert.equal(filetimeToIso(132812861230584585n), '2021-11-13T14:08:43.0584585Z');
});

test('--sourcetype XmlWinEventLog:* reads both .evtx and XML renderings, the XML as lines in batches', async () => {
  const { formatForSourcetype } = await import('../../src/ingest/formats/index.js');
  assert.equal(formatForSourcetype('XmlWinEventLog:Microsoft-Windows-Sysmon/Operational')!.id, 'evtx', 'without a head to judge by');
  const xml = sampleFiles().find((x) => x.endsWith('smbmap_upload_exec_sysmon.xml'))!;
  const bin = sampleFiles().find((x) => x.endsWith('PSexec_remote_execution_admin_share.evtx'))!;
  const root = tempDir('quarry-evtx-');
  const store = await Store.open(join(root, 'data'));
  try {
    const sourcetype = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
    // batchSize 5: the XML is committed in several batches, not held whole (a 700 MB rendering once was)
    const r = await ingestPaths(store, [xml], { index: 'w', tz: 'UTC', sourcetype, batchSize: 5 });
    assert.equal(r.ingested, 27);
    assert.equal(r.quarantined, 0);
    assert.equal(r.files[0]!.format, 'windows-xml');
    let commits = 0;
    const b = await ingestPaths(store, [bin], { index: 'w2', tz: 'UTC', sourcetype, batchSize: 5, onProgress: () => commits++ });
    assert.equal(b.ingested, (await runFile(bin)).events.length);
    assert.ok(b.ingested > 10);
    assert.equal(commits, Math.ceil(b.ingested / 5), 'the binary reader commits every 5 records');
  } finally {
    store.close();
  }
});
