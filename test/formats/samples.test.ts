/**
 * Every sample in shared/samples ingests with zero unexpected quarantines. The expected ones are
 * listed here with their reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readText, runFile, sampleFiles, SAMPLES } from './helpers.js';

/** Expected quarantines: file (relative to samples/) → reason → count. */
const EXPECTED: Record<string, Record<string, number>> = {
  // a notice line whose tabs were turned into spaces in the dataset itself
  'zeek/slips/test10-mixed-zeek-dir/notice.log': { 'zeek: 23 columns, #fields declares 26': 1 },
};
/** Zeek's btest baselines mask every timestamp: each data line is quarantined with this reason. */
const MASKED_DIR = 'zeek-edge-cases/baselines/';
const MASKED_REASON = 'zeek: masked timestamp in ts (field 1)';

test('all samples: only the expected quarantines, and no line lost', async () => {
  const files = sampleFiles();
  assert.ok(files.length > 200, `found ${files.length} sample files under ${SAMPLES}`);
  let events = 0, masked = 0;
  for (const f of files) {
    const rel = f.slice(SAMPLES.length).replace(/^\/+/, '');
    const r = await runFile(f);
    assert.ok(r.format, `${rel}: no format detected`);
    const got: Record<string, number> = {};
    for (const q of r.quarantined) got[q.reason] = (got[q.reason] ?? 0) + 1;
    let want = EXPECTED[rel] ?? {};
    if (rel.startsWith(MASKED_DIR) && !f.endsWith('.evtx')) {
      const n = readText(f).split('\n').filter((l) => l.startsWith('XXXXXXXXXX.XXXXXX')).length;
      want = n ? { [MASKED_REASON]: n } : {};
      masked += n;
    }
    assert.deepEqual(got, want, `${rel}: quarantines`);
    for (const q of r.quarantined) assert.ok(q.text.length > 0 && q.offset > 0, `${rel}: quarantine keeps text and offset`);
    if (r.format!.id === 'zeek-tsv' || r.format!.id === 'zeek-json' || r.format!.id === 'suricata' || r.format!.id === 'pan-os') {
      // one event or one quarantine per data line
      const lines = readText(f).split('\n').filter((l) => l.trim() && !/^\s*#/.test(l)).length;
      assert.equal(r.events.length + r.quarantined.length, lines, `${rel}: lines accounted for`);
    }
    for (const e of r.events) {
      assert.ok(e.sourcetype, rel);
      if (r.format!.id !== 'csv' && r.format!.id !== 'text') assert.ok(Number.isInteger(e.time), `${rel}: event time`);
    }
    events += r.events.length;
  }
  assert.equal(masked, 1650);
  assert.ok(events > 250_000, `events ${events}`);
});
