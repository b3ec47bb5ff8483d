/**
 * Every line of every sourcetype, read back with an independent reader: JSON.parse for Stream and
 * Suricata, fast-xml-parser for Sysmon, the CSV column count for PAN-OS, key=value lines for the
 * WinEventLog text, the #fields header for Zeek.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { generated, splitCsv, splitWinEvents } from './helpers.js';

const ISO_Z = /^2017-0[89]-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const IP = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function lines(dir: string, path: string): string[] {
  return readFileSync(join(dir, path), 'utf8').split('\n').filter((l) => l.length > 0);
}

function checkStream(o: Record<string, unknown>, where: string): void {
  assert.match(String(o.timestamp), ISO_Z, where);
  assert.match(String(o.endtime), ISO_Z, where);
  assert.ok(String(o.endtime) >= String(o.timestamp), where + ' endtime before timestamp');
  assert.deepEqual(Object.keys(o).slice(0, 2), ['endtime', 'timestamp'], where);
  for (const k of ['src_ip', 'dest_ip']) assert.match(String(o[k]), IP, `${where} ${k}`);
  for (const k of ['src_port', 'dest_port', 'bytes', 'bytes_in', 'bytes_out', 'time_taken']) assert.equal(typeof o[k], 'number', `${where} ${k}`);
  assert.equal(o.bytes, (o.bytes_in as number) + (o.bytes_out as number), where);
  assert.match(String(o.flow_id), UUID, where);
  assert.ok(['tcp', 'udp'].includes(String(o.transport)), where);
  assert.equal(o.src, undefined, where + ' must not carry the CIM alias src');
  assert.equal(o.dest, undefined, where);
}

test('Splunk Stream JSON: every line parses, with Stream field names and types', async () => {
  const { dir, manifest } = await generated({ zeek: true });
  for (const f of manifest.files.filter((x) => x.sourcetype.startsWith('stream:'))) {
    let n = 0;
    for (const line of lines(dir, f.path)) {
      const o = JSON.parse(line) as Record<string, unknown>;
      const where = `${f.path}:${++n}`;
      checkStream(o, where);
      switch (f.sourcetype) {
        case 'stream:smb':
          assert.match(String(o.command), /^smb2 [a-z ]+$/, where); assert.equal(o.protocol_stack, 'ip:tcp:smb', where); assert.equal(o.dest_port, 445, where);
          break;
        case 'stream:ftp':
          assert.equal(typeof o.method, 'string', where); assert.equal(typeof o.reply_code, 'number', where); assert.equal(typeof o.reply_content, 'string', where);
          assert.equal(typeof o.method_parameter, 'string', where); assert.equal(o.protocol_stack, 'ip:tcp:ftp', where);
          if (o.loadway !== undefined) assert.ok(['Upload', 'Download'].includes(String(o.loadway)), where);
          break;
        case 'stream:dns':
          assert.ok(Array.isArray(o.query) && Array.isArray(o.message_type) && Array.isArray(o.query_type) && Array.isArray(o.name), where);
          assert.deepEqual(o.message_type, ['QUERY', 'RESPONSE'], where);
          assert.equal(typeof o.reply_code, 'string', where); assert.equal(typeof o.transaction_id, 'number', where);
          if (o.host_addr !== undefined) { assert.ok(Array.isArray(o.host_addr) && Array.isArray(o.ttl), where); }
          break;
        case 'stream:http':
          assert.equal(typeof o.site, 'string', where); assert.equal(typeof o.http_method, 'string', where); assert.equal(typeof o.status, 'number', where); assert.equal(typeof o.uri_path, 'string', where);
          break;
        case 'stream:tcp':
          assert.equal(typeof o.packets_in, 'number', where);
          break;
      }
    }
    assert.equal(n, f.events, f.path);
  }
});

test('Suricata EVE JSON: every line parses, event types and nested records are well formed', async () => {
  const { dir } = await generated({ zeek: true });
  const types = new Map<string, number>();
  for (const line of lines(dir, 'suricata/eve.json')) {
    const o = JSON.parse(line) as Record<string, any>;
    assert.match(o.timestamp, /^2017-0[89]-\d\dT\d\d:\d\d:\d\d\.\d{6}\+0000$/);
    assert.equal(typeof o.flow_id, 'number'); assert.ok(Number.isSafeInteger(o.flow_id));
    assert.match(o.src_ip, IP); assert.match(o.dest_ip, IP);
    assert.equal(typeof o.src_port, 'number'); assert.ok(['TCP', 'UDP'].includes(o.proto));
    types.set(o.event_type, (types.get(o.event_type) ?? 0) + 1);
    if (o.event_type === 'dns') { assert.ok(['query', 'answer'].includes(o.dns.type)); assert.equal(typeof o.dns.rrname, 'string'); }
    if (o.event_type === 'flow') { assert.equal(typeof o.flow.bytes_toserver, 'number'); assert.equal(typeof o.flow.start, 'string'); }
    if (o.event_type === 'fileinfo') { assert.equal(typeof o.fileinfo.filename, 'string'); assert.equal(typeof o.fileinfo.size, 'number'); }
    if (o.event_type === 'ftp') { assert.equal(typeof o.ftp.command, 'string'); assert.ok(Array.isArray(o.ftp.completion_code)); }
    if (o.event_type === 'http') { assert.equal(typeof o.http.hostname, 'string'); assert.equal(typeof o.http.status, 'number'); }
  }
  for (const t of ['dns', 'flow', 'fileinfo', 'ftp', 'http', 'tls']) assert.ok((types.get(t) ?? 0) > 0, `no suricata ${t} events`);
});

test('PAN-OS syslog CSV: syslog header, 65 TRAFFIC / 72 THREAT columns, PAN-OS field positions', async () => {
  const { dir } = await generated({ zeek: true });
  const head = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d 10\.0\.1\.1 /;
  for (const [path, type, cols] of [['pan/traffic.log', 'TRAFFIC', 65], ['pan/threat.log', 'THREAT', 72]] as const) {
    let n = 0;
    for (const line of lines(dir, path)) {
      n++;
      assert.match(line, head, `${path}:${n}`);
      const f = splitCsv(line.replace(head, ''));
      assert.equal(f.length, cols, `${path}:${n} has ${f.length} columns`);
      assert.equal(f[3], type);
      assert.match(f[1]!, /^2017\/0[89]\/\d\d \d\d:\d\d:\d\d$/);
      assert.match(f[7]!, IP); assert.match(f[8]!, IP);
      assert.ok(/^\d+$/.test(f[24]!) && /^\d+$/.test(f[25]!), `${path}:${n} ports`);
      assert.ok(['tcp', 'udp'].includes(f[29]!));
      if (type === 'TRAFFIC') {
        assert.equal(Number(f[31]), Number(f[32]) + Number(f[33]), `${path}:${n} bytes = sent + received`);
        assert.equal(Number(f[34]), Number(f[44]) + Number(f[45]), `${path}:${n} packets`);
      } else {
        assert.match(f[32]!, /\(\d+\)$/, 'threat id');
      }
    }
    assert.ok(n > 0, path);
  }
  assert.equal(lines(dir, 'pan/threat.log').length, 2);
});

test('Sysmon XML: one <Event> per line, parsed by fast-xml-parser, with the v6 data fields', async () => {
  const { dir } = await generated({ zeek: true });
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
  const ids = new Map<string, number>();
  for (const line of lines(dir, 'windows/sysmon.xml')) {
    assert.ok(line.startsWith("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>") && line.endsWith('</Event>'));
    const doc = parser.parse(line);
    const sys = doc.Event.System;
    assert.equal(sys.Provider['@_Name'], 'Microsoft-Windows-Sysmon');
    assert.equal(sys.Channel, 'Microsoft-Windows-Sysmon/Operational');
    assert.match(sys.Computer, /\.frothly\.local$/);
    assert.match(sys.TimeCreated['@_SystemTime'], /^2017-0[89]-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const data = new Map<string, string>((Array.isArray(doc.Event.EventData.Data) ? doc.Event.EventData.Data : [doc.Event.EventData.Data]).map((d: any) => [d['@_Name'], String(d['#text'] ?? '')]));
    assert.match(data.get('UtcTime')!, /^2017-0[89]-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    const id = String(sys.EventID);
    ids.set(id, (ids.get(id) ?? 0) + 1);
    if (id === '1') for (const k of ['ProcessGuid', 'ProcessId', 'Image', 'CommandLine', 'User', 'ParentImage', 'ParentCommandLine', 'Hashes']) assert.ok(data.has(k), `EventID 1 lacks ${k}`);
    if (id === '3') for (const k of ['SourceIp', 'DestinationIp', 'DestinationPort', 'Protocol']) assert.ok(data.has(k), `EventID 3 lacks ${k}`);
  }
  for (const id of ['1', '3', '5']) assert.ok((ids.get(id) ?? 0) > 0, `no Sysmon EventID ${id}`);
});

test('WinEventLog:Security text: header time, key=value lines, Message body', async () => {
  const { dir } = await generated({ zeek: true });
  const events = splitWinEvents(readFileSync(join(dir, 'windows/security.log'), 'utf8'));
  const codes = new Map<string, number>();
  for (const ev of events) {
    const ls = ev.split('\n');
    assert.match(ls[0]!, /^\d\d\/\d\d\/2017 \d\d:\d\d:\d\d [AP]M$/);
    const kv = new Map<string, string>();
    for (const l of ls.slice(1, 11)) { const m = /^([A-Za-z]+)=(.*)$/.exec(l); assert.ok(m, `not key=value: ${l}`); kv.set(m[1]!, m[2]!); }
    assert.equal(kv.get('LogName'), 'Security');
    assert.match(kv.get('ComputerName')!, /\.frothly\.local$/);
    assert.match(kv.get('RecordNumber')!, /^\d+$/);
    assert.ok(ls[11]!.startsWith('Message='));
    const code = kv.get('EventCode')!;
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (code === '4688') { assert.match(ev, /\n\tNew Process Name:\t.+\n/); assert.match(ev, /\n\tProcess Command Line:\t.*\n/); assert.match(ev, /\n\tNew Process ID:\t\t0x[0-9a-f]+\n/); }
  }
  for (const c of ['4688', '4624', '4634', '4648']) assert.ok((codes.get(c) ?? 0) > 0, `no EventCode ${c}`);
});

test('Zeek TSV (--zeek): real header lines, every row has one value per #fields column', async () => {
  const { dir, manifest } = await generated({ zeek: true });
  const zeekFiles = manifest.files.filter((f) => f.sourcetype.startsWith('zeek:'));
  assert.deepEqual(zeekFiles.map((f) => f.sourcetype).sort(), ['zeek:conn', 'zeek:dns', 'zeek:ftp', 'zeek:http', 'zeek:smb_files', 'zeek:smb_mapping']);
  for (const f of zeekFiles) {
    const ls = readFileSync(join(dir, f.path), 'utf8').split('\n').filter(Boolean);
    assert.equal(ls[0], '#separator \\x09');
    assert.equal(ls[4], `#path\t${f.sourcetype.slice(5)}`);
    const fields = ls.find((l) => l.startsWith('#fields\t'))!.split('\t').slice(1);
    const types = ls.find((l) => l.startsWith('#types\t'))!.split('\t').slice(1);
    assert.equal(fields.length, types.length);
    assert.ok(ls[ls.length - 1]!.startsWith('#close\t'));
    let n = 0;
    for (const l of ls) {
      if (l.startsWith('#')) continue;
      n++;
      const v = l.split('\t');
      assert.equal(v.length, fields.length, `${f.path}: ${l}`);
      assert.match(v[0]!, /^15\d{8}\.\d{6}$/);
      assert.match(v[1]!, /^C[A-Za-z0-9]{17}$/);
      types.forEach((t, i) => { if (t === 'port' || t === 'count') assert.ok(v[i] === '-' || /^\d+$/.test(v[i]!), `${f.path} ${fields[i]}=${v[i]}`); });
    }
    assert.equal(n, f.events, f.path);
  }
});
