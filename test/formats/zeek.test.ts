import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLES, readText, runFile, runText } from './helpers.js';
import { zeekJson, zeekTsv } from '../../src/ingest/formats/zeek.js';
import { detectFormat } from '../../src/ingest/formats/index.js';

const W = join(SAMPLES, 'zeek/wrccdc2018');
const EDGE = join(SAMPLES, 'zeek-edge-cases/baselines');

test('zeek TSV dns.log: first record matches the source line', async () => {
  const r = await runFile(join(W, 'zeek-default/dns.log.gz'));
  assert.equal(r.format?.id, 'zeek-tsv');
  assert.equal(r.quarantined.length, 0);
  assert.equal(r.events.length, 53615);
  const e = r.events[0];
  assert.equal(e.sourcetype, 'zeek:dns');
  assert.equal(e.time, 1521911720865716);
  assert.equal(e.raw.split('\t')[1], 'CqKst53mF3det3eDV9');
  const f = e.fields;
  assert.equal(f.uid, 'CqKst53mF3det3eDV9');
  assert.equal(f['id.orig_h'], '10.47.1.100');
  assert.equal(f['id.orig_p'], 41772);
  assert.equal(f['id.resp_p'], 53);
  assert.equal(f.trans_id, 36329);
  assert.equal(f.rtt, 0.00087);
  assert.equal(f.query, 'ise.wrccdc.org');
  assert.equal(f.AA, false);
  assert.equal(f.RD, true);
  assert.deepEqual(f.answers, ['ise.wrccdc.cpp.edu', '134.71.3.16']);
  assert.deepEqual(f.TTLs, [2230, 41830]);
  // CIM
  assert.equal(f.src, '10.47.1.100');
  assert.equal(f.dest_ip, '10.0.0.100');
  assert.equal(f.dest_port, 53);
  assert.equal(f.transport, 'udp');
  assert.equal(f.query_type, 'A');
  assert.equal(f.reply_code, 'NoError');
  assert.deepEqual(f.answer, ['ise.wrccdc.cpp.edu', '134.71.3.16']);
  assert.deepEqual(f.message_type, ['QUERY', 'RESPONSE']);
  // unset fields ("-") are absent
  const last = r.events[r.events.length - 1];
  assert.equal(last.fields.query, 'talk.google.com');
  assert.equal(last.fields.rtt, undefined);
  assert.equal(last.fields.rcode_name, undefined);
  assert.equal(last.fields.answers, undefined);
  assert.equal(last.fields.message_type, 'QUERY');
});

test('zeek JSON gives the same records as zeek TSV for the same logs', async () => {
  for (const log of ['dns', 'smb_mapping', 'ftp', 'notice']) {
    const tsv = await runFile(join(W, `zeek-default/${log}.log.gz`));
    const json = await runFile(join(W, `zeek-json/${log}.json.gz`));
    assert.equal(json.format?.id, 'zeek-json');
    assert.equal(json.quarantined.length, 0);
    assert.equal(json.events.length, tsv.events.length, log);
    for (let i = 0; i < Math.min(50, tsv.events.length); i++) {
      const a = tsv.events[i], b = json.events[i];
      assert.equal(b.sourcetype, a.sourcetype);
      assert.equal(b.time, a.time, `${log} #${i} time`);
      for (const k of ['uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'query', 'path', 'command', 'arg', 'src', 'dest', 'query_type', 'answer', 'filename', 'note']) {
        assert.deepEqual(b.fields[k], a.fields[k], `${log} #${i} ${k}`);
      }
    }
  }
});

test('zeek: set/vector fields become multivalues, (empty) sets are absent, escapes undone', () => {
  // Zeek's btest baselines mask their timestamps; replace the mask to read the rest of the record.
  const text = readText(join(EDGE, 'scripts.base.protocols.smb.smb2/smb_mapping.log')).replace(/XXXXXXXXXX\.XXXXXX/g, '1323202604.512058');
  const r = runText(zeekTsv, text, { fileName: 'smb_mapping.log' });
  assert.equal(r.quarantined.length, 0);
  assert.equal(r.events[0].sourcetype, 'zeek:smb_mapping');
  assert.equal(r.events[0].fields.path, '\\\\10.0.0.12\\smb2');
  assert.equal(r.events[0].fields.share_type, 'DISK');
  assert.equal(r.events[1].fields.path, '\\\\10.0.0.12\\IPC$');

  const files = readText(join(EDGE, 'scripts.base.protocols.smb.smb2/files.log')).replace(/XXXXXXXXXX\.XXXXXX/g, '1323202695.427034');
  const fr = runText(zeekTsv, files, { fileName: 'files.log' });
  assert.equal(fr.events.length, 1);
  assert.equal(fr.events[0].fields.filename, 'WP_SMBPlugin.pdf');
  assert.equal(fr.events[0].fields.seen_bytes, 1508939);
  assert.equal(fr.events[0].fields.local_orig, true);

  const txt = readText(join(EDGE, 'scripts.base.protocols.dns.multiple-txt-strings/dns.log')).replace(/XXXXXXXXXX\.XXXXXX/g, '1.5');
  const tr = runText(zeekTsv, txt, { fileName: 'dns.log' });
  const answers = tr.events[0].fields.answers as string[];
  assert.equal(answers.length, 3);
  assert.equal(answers[0], 'fa14._domainkey.flickr.com');
  assert.ok(String(answers[2]).startsWith('TXT 127 k=rsa; p=MIGf'));
  assert.deepEqual(tr.events[0].fields.TTLs, [900, 900, 7200]);
  assert.equal(tr.events[0].time, 1_500_000);
});

test('zeek: masked timestamps are quarantined with a clear reason', () => {
  const text = readText(join(EDGE, 'scripts.base.protocols.dns.rrsig/dns.log'));
  const r = runText(zeekTsv, text, { fileName: 'dns.log' });
  assert.equal(r.events.length, 0);
  assert.equal(r.quarantined.length, 4);
  for (const q of r.quarantined) {
    assert.equal(q.reason, 'zeek: masked timestamp in ts (field 1)');
    assert.ok(q.text.startsWith('XXXXXXXXXX.XXXXXX\t'));
    assert.ok(q.line! > 9);
  }
});

test('zeek: column count mismatch and data before #fields are quarantined', () => {
  const text = '#separator \\x09\n#fields\tts\tuid\n#types\ttime\tstring\n1.0\ta\tb\n2.0\tc\n';
  const r = runText(zeekTsv, text, { fileName: 'conn.log' });
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0].sourcetype, 'zeek:conn');
  assert.equal(r.quarantined[0].reason, 'zeek: 3 columns, #fields declares 2');
  assert.equal(r.quarantined[0].line, 4);
  const r2 = runText(zeekTsv, '1.0\ta\n', { fileName: 'conn.log' });
  assert.equal(r2.quarantined[0].reason, 'zeek: data line before any #fields header');
});

test('zeek: custom #separator and #set_separator, headers repeated mid-file (rotation / cat of logs)', () => {
  const text = [
    '#separator |', '#set_separator|;', '#empty_field|EMPTY', '#unset_field|NONE', '#path|weird',
    '#fields|ts|name|tags', '#types|time|string|set[string]', '10.25|bad_TCP|a;b', '11|NONE|EMPTY',
    '#separator \\x09', '#set_separator\t,', '#path\tdns', '#fields\tts\tquery', '#types\ttime\tstring', '12.5\tx.org',
  ].join('\n');
  const r = runText(zeekTsv, text, { fileName: 'x.log' });
  assert.equal(r.quarantined.length, 0);
  assert.equal(r.events.length, 3);
  assert.deepEqual(r.events[0].fields.tags, ['a', 'b']);
  assert.equal(r.events[0].time, 10_250_000);
  assert.equal(r.events[1].fields.name, undefined);
  assert.equal(r.events[1].fields.tags, undefined);
  assert.equal(r.events[2].sourcetype, 'zeek:dns');
  assert.equal(r.events[2].fields.query, 'x.org');
});

test('zeek JSON without _path takes the log name from the file name', async () => {
  const r = await runFile(join(SAMPLES, 'zeek/slips/test9-mixed-zeek-dir/dhcp.log'));
  assert.equal(r.format?.id, 'zeek-json');
  assert.equal(r.events[0].sourcetype, 'zeek:dhcp');
  assert.equal(r.events[0].fields.host_name, 'John-PC');
  assert.deepEqual(r.events[0].fields.msg_types, ['REQUEST', 'ACK', 'REQUEST', 'ACK']);
  assert.equal(r.events[0].time, 22_333_203);
  const bad = runText(zeekJson, '{"ts":"yesterday","uid":"C1"}\n{"ts":1.5,\n', { fileName: 'conn.log' });
  assert.equal(bad.quarantined.length, 2);
  assert.match(bad.quarantined[0].reason, /^zeek-json: unreadable timestamp in ts/);
  assert.match(bad.quarantined[1].reason, /^zeek-json: invalid JSON/);
});

test('zeek detection', () => {
  assert.equal(detectFormat('#separator \\x09\n#set_separator\t,\n', 'conn.log')?.id, 'zeek-tsv');
  assert.equal(detectFormat('{"_path":"conn","ts":"2018-03-24T17:15:20.865716Z","uid":"C1"}\n', 'x.json')?.id, 'zeek-json');
});
