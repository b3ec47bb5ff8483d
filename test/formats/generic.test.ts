import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLES, runFile, runText } from './helpers.js';
import { csv, extractKv, json, parseSyslogLine, stream, streamSourcetype, text } from '../../src/ingest/formats/generic.js';
import { detectFormat, formatForSourcetype } from '../../src/ingest/formats/index.js';
import type { FieldValue } from '../../src/ingest/event.js';

const DNS = '{"endtime":"2017-08-26T07:00:55.031174Z","timestamp":"2017-08-26T07:00:55.002711Z","bytes":170,"bytes_in":81,"bytes_out":89,"dest_ip":"208.109.255.42","dest_mac":"00:1B:17:00:01:10","dest_port":53,"flow_id":"a","message_type":["QUERY","RESPONSE"],"name":["0DsAAHNIclYsFcDN.hildegardsfarm.com"],"protocol_stack":"ip:udp:dns","query":["0DsAAHNIclYsFcDN.hildegardsfarm.com","0DsAAHNIclYsFcDN.hildegardsfarm.com"],"query_type":["A","A"],"reply_code":"NXDomain","reply_code_id":3,"response_time":28456,"src_ip":"10.0.1.101","src_mac":"00:0C:29:5E:2A:11","src_port":61012,"time_taken":28463,"transaction_id":17231,"transport":"udp"}';
const SMB = '{"endtime":"2017-08-26T05:31:07.553410Z","timestamp":"2017-08-26T05:31:07.545138Z","bytes":1573126,"bytes_in":1450,"bytes_out":1571676,"command":"smb2 read","dest_ip":"10.0.1.101","dest_port":445,"filename":"31564-pdf.pdf","flow_id":"d7370639","nt_status":0,"protocol_stack":"ip:tcp:smb","src_ip":"10.0.2.107","src_port":49322,"transport":"tcp"}';
const FTP = '{"endtime":"2017-08-26T05:42:41.270851Z","timestamp":"2017-08-26T05:42:40.998716Z","bytes_in":71,"bytes_out":1239,"dest_ip":"160.153.91.7","dest_port":21,"filename":"Nottingham Yeast.pdf","loadway":"Upload","method":"STOR","method_parameter":"Nottingham Yeast.pdf","reply_code":226,"src_ip":"10.0.2.107","src_port":49871,"transport":"tcp"}';

test('Splunk Stream JSON: sourcetype from protocol_stack or fields, arrays keep their plain name', () => {
  assert.equal(detectFormat(DNS, 'x.json')?.id, 'stream');
  const r = runText(stream, [DNS, SMB, FTP, '{"oops"'].join('\n'));
  assert.equal(r.events.length, 3);
  const [d, s, f] = r.events;
  assert.equal(d.sourcetype, 'stream:dns');
  assert.equal(d.time, Date.parse('2017-08-26T07:00:55.031Z') * 1000 + 174); // endtime
  assert.deepEqual(d.fields.query, ['0DsAAHNIclYsFcDN.hildegardsfarm.com', '0DsAAHNIclYsFcDN.hildegardsfarm.com']);
  assert.deepEqual(d.fields.message_type, ['QUERY', 'RESPONSE']);
  assert.equal(d.fields.name, '0DsAAHNIclYsFcDN.hildegardsfarm.com');
  assert.equal(d.fields.reply_code, 'NXDomain');
  assert.equal(d.fields.src, '10.0.1.101');
  assert.equal(d.fields.dest, '208.109.255.42');
  assert.equal(s.sourcetype, 'stream:smb');
  assert.equal(s.fields.command, 'smb2 read');
  assert.equal(s.fields.app, 'smb');
  assert.equal(f.sourcetype, 'stream:ftp');
  assert.equal(f.fields.method, 'STOR');
  assert.equal(f.fields.command, 'STOR');
  assert.match(r.quarantined[0].reason, /^stream: invalid JSON/);
  const forced = runText(stream, SMB, { sourcetype: 'stream:smb2' });
  assert.equal(forced.events[0].sourcetype, 'stream:smb2');
  assert.equal(streamSourcetype({ transport: 'udp' }), 'stream:udp');
  // names of Object.prototype in protocol_stack are no app (the log text is the attacker's)
  assert.equal(streamSourcetype({ protocol_stack: 'ip:tcp:constructor' }), 'stream:tcp');
  assert.equal(streamSourcetype({ protocol_stack: 'ip:toString', transport: 'udp' }), 'stream:udp');
  assert.equal(streamSourcetype({ protocol_stack: '__proto__:dns' }), 'stream:dns');
  assert.equal(formatForSourcetype('stream:dns')?.id, 'stream');
});

test('generic JSON lines: time from time/timestamp/@timestamp/ts/_time, nested flattening', () => {
  const lines = [
    '{"time":1503727326.5,"user":{"name":"bob","roles":["a","b"]},"items":[{"id":1},{"id":2}],"ok":true,"n":null}',
    '{"@timestamp":"2017-08-26T06:02:06.25+02:00","msg":"x","host":"web1"}',
    '{"ts":"1503727326123"}',
    '{"_time":"08/25/2017 11:42:06 PM"}',
    '{"nothing":"here"}',
    '{"time":"not a time"}',
  ];
  const r = runText(json, lines.join('\n'), { tz: 'America/Los_Angeles' });
  assert.equal(r.events.length, 5);
  assert.equal(r.events[0].time, 1503727326_500000);
  assert.equal(r.events[0].sourcetype, '_json');
  assert.equal(r.events[0].fields['user.name'], 'bob');
  assert.deepEqual(r.events[0].fields['user.roles{}'], ['a', 'b']);
  assert.deepEqual(r.events[0].fields['items{}.id'], [1, 2]);
  assert.equal(r.events[0].fields.ok, true);
  assert.equal(r.events[0].fields.n, undefined);
  assert.equal(r.events[1].time, Date.parse('2017-08-26T04:02:06.25Z') * 1000);
  assert.equal(r.events[1].host, 'web1');
  assert.equal(r.events[2].time, 1503727326123000);
  assert.equal(r.events[3].time, Date.parse('2017-08-26T06:42:06Z') * 1000);
  assert.equal(r.events[4].time, undefined);
  assert.equal(r.quarantined[0].reason, 'json: unreadable time in "time": "not a time"');
});

test('CSV with header: quoting, embedded newlines, column mismatch, time column, TSV', () => {
  const t = 'time,src_ip,dest_ip,"bytes out",note\n2017-08-26T05:00:00Z,10.0.0.1,10.0.0.2,42,"a, ""quoted"" note"\n2017-08-26T05:00:01Z,10.0.0.1,10.0.0.3,7,"two\nlines"\n1,2\n';
  assert.equal(detectFormat(t, 'flows.csv')?.id, 'csv');
  const r = runText(csv, t, { fileName: 'flows.csv' });
  assert.equal(r.events.length, 2);
  assert.equal(r.events[0].sourcetype, 'csv');
  assert.equal(r.events[0].time, Date.parse('2017-08-26T05:00:00Z') * 1000);
  assert.equal(r.events[0].fields.bytes_out, 42);
  assert.equal(r.events[0].fields.note, 'a, "quoted" note');
  assert.equal(r.events[0].fields.src, '10.0.0.1');
  assert.equal(r.events[1].fields.note, 'two\nlines');
  assert.equal(r.quarantined[0].reason, 'csv: 2 columns, header has 5');
  assert.equal(r.quarantined[0].line, 5);
});

test('zeek-cut style TSV baselines (comment line, header, no #fields) read as TSV', async () => {
  const r = await runFile(join(SAMPLES, 'zeek-edge-cases/baselines/scripts.base.protocols.dns.max-compression-depth/conn.log'));
  assert.equal(r.format?.id, 'csv');
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0].sourcetype, 'tsv');
  assert.deepEqual(r.events[0].fields, { uid: 'CHhAvVGS1DHFjwGM9', service: 'dns', history: 'D^X' });
});

test('syslog RFC 3164 / 5424 headers and KV_MODE=auto extraction', () => {
  const a = parseSyslogLine('<34>Oct 11 22:14:15 mymachine su[230]: \'su root\' failed for lonvick on /dev/pts/8', 'UTC');
  assert.equal(a.host, 'mymachine');
  assert.equal(a.fields.program, 'su');
  assert.equal(a.fields.pid, 230);
  assert.equal(a.fields.facility, 'auth');
  assert.equal(a.fields.severity, 'crit');
  const b = parseSyslogLine('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event', 'UTC');
  assert.equal(b.time, Date.parse('2003-10-11T22:14:15.003Z') * 1000);
  assert.equal(b.host, 'mymachine.example.com');
  assert.equal(b.fields.program, 'evntslog');
  assert.equal(b.fields.msgid, 'ID47');
  assert.equal(b.fields['exampleSDID@32473.eventSource'], 'Application');
  assert.equal(b.message, 'An application event');
  const f: Record<string, FieldValue> = {};
  extractKv('action=blocked src=10.0.0.1 dst=10.0.0.2 user="CORP\\\\bob smith" port=445 tag=a tag=b', f);
  assert.deepEqual(f, { action: 'blocked', src: '10.0.0.1', dst: '10.0.0.2', user: 'CORP\\bob smith', port: 445, tag: ['a', 'b'] });
  const r = runText(text, '<13>Aug 24 03:36:14 fw1 kernel: DROP src=10.0.2.107 dest=160.153.91.7 dest_port=21\nplain words only\n2017-08-26T05:42:06Z app started pid=7', { tz: 'UTC' });
  assert.equal(r.events.length, 3);
  assert.equal(r.events[0].sourcetype, 'syslog');
  assert.equal(r.events[0].host, 'fw1');
  assert.equal(r.events[0].fields.dest_port, 21);
  assert.equal(r.events[0].fields.message, 'DROP src=10.0.2.107 dest=160.153.91.7 dest_port=21');
  assert.equal(r.events[1].sourcetype, 'text');
  assert.equal(r.events[1].time, undefined);
  assert.equal(r.events[2].time, Date.parse('2017-08-26T05:42:06Z') * 1000);
  assert.equal(r.events[2].fields.pid, 7);
});
