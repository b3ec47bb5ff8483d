import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SAMPLES, readText, runFile, runText } from './helpers.js';
import { suricata } from '../../src/ingest/formats/suricata.js';

const FILE = join(SAMPLES, 'suricata/test6-malicious.suricata.json');

test('suricata sample: 5000 events, no quarantine, alert fields match line 1', async () => {
  const r = await runFile(FILE);
  assert.equal(r.format?.id, 'suricata');
  assert.equal(r.events.length, 5000);
  assert.equal(r.quarantined.length, 0);
  const e = r.events[0];
  const src = JSON.parse(readText(FILE).split('\n')[0]);
  assert.equal(e.sourcetype, 'suricata');
  assert.equal(e.host, 'stratosphere.org');
  assert.equal(e.time, Date.parse('2021-06-06T13:59:46.457Z') * 1000 + 984);
  assert.equal(e.fields.event_type, 'alert');
  assert.equal(e.fields['alert.signature'], src.alert.signature);
  assert.equal(e.fields['alert.signature_id'], 2403388);
  assert.equal(e.fields['alert.metadata.tag{}'], 'CINS');
  assert.equal(e.fields['flow.bytes_toserver'], 60);
  assert.equal(e.fields.flow_id, 1374195536821504);
  // CIM
  assert.equal(e.fields.src, '78.36.196.213');
  assert.equal(e.fields.dest, '192.168.1.129');
  assert.equal(e.fields.dest_port, 445);
  assert.equal(e.fields.transport, 'tcp');
  assert.equal(e.fields.action, 'allowed');
  assert.equal(e.fields.bytes_in, 60);
  assert.equal(e.fields.bytes_out, 0);
  assert.equal(e.fields.bytes, 60);
  const types = new Map<string, number>();
  for (const x of r.events) types.set(String(x.fields.event_type), (types.get(String(x.fields.event_type)) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(types), { alert: 745, flow: 3512, dns: 680, http: 56, fileinfo: 3, anomaly: 3, tls: 1 });
});

test('suricata dns v2 answer (sample line 151): answers as multivalues and CIM names', async () => {
  const r = await runFile(FILE);
  const e = r.events[150];
  assert.equal(e.fields['dns.version'], 2);
  assert.equal(e.fields['dns.rrname'], 'www.myedimax.com');
  assert.deepEqual(e.fields['dns.answers{}.rdata'], ['ddns.myedimax.com', 'ns.myedimax.com', '122.248.252.67']);
  assert.deepEqual(e.fields['dns.answers{}.ttl'], [458, 158, 458]);
  assert.equal(e.fields['dns.grouped.A{}'], '122.248.252.67');
  assert.equal(e.fields.query, 'www.myedimax.com');
  assert.equal(e.fields.query_type, 'A');
  assert.equal(e.fields.reply_code, 'NoError');
  assert.equal(e.fields.message_type, 'RESPONSE');
  assert.deepEqual(e.fields.answer, ['ddns.myedimax.com', 'ns.myedimax.com', '122.248.252.67']);
  const q = r.events[250];
  assert.equal(q.fields['dns.type'], 'query');
  assert.equal(q.fields.message_type, 'QUERY');
  assert.equal(q.fields.query, 'www.myedimax.com');
});

test('suricata dns v1, v3, ftp, ftp_data, smb, anomaly, tls, fileinfo, http records', () => {
  const lines = [
    // dns v1: one record per answer
    '{"timestamp":"2017-08-25T22:42:05.123456-0700","flow_id":1,"event_type":"dns","src_ip":"10.0.0.2","src_port":5353,"dest_ip":"8.8.8.8","dest_port":53,"proto":"UDP","dns":{"type":"answer","id":16000,"rcode":"NOERROR","rrname":"hildegardsfarm.com","rrtype":"A","ttl":600,"rdata":"160.153.91.7"}}',
    // dns v3 (Suricata 8): queries[]
    '{"timestamp":"2024-05-01T10:00:00.000001+0000","flow_id":2,"event_type":"dns","src_ip":"10.0.0.2","src_port":5000,"dest_ip":"10.0.0.1","dest_port":53,"proto":"UDP","dns":{"version":3,"type":"response","id":7,"rcode":"NXDOMAIN","queries":[{"rrname":"x.example","rrtype":"TXT"}]}}',
    '{"timestamp":"2022-05-10T09:03:37.123456+0000","flow_id":3,"event_type":"ftp","src_ip":"10.0.2.107","src_port":49871,"dest_ip":"160.153.91.7","dest_port":21,"proto":"TCP","tx_id":3,"ftp":{"command":"STOR","command_data":"Nottingham Yeast.pdf","reply":["Ok to send data."],"completion_code":["150"],"dynamic_port":53487,"reply_received":"yes"}}',
    '{"timestamp":"2022-05-10T09:03:38.000000+0000","flow_id":4,"event_type":"ftp_data","src_ip":"160.153.91.7","src_port":20,"dest_ip":"10.0.2.107","dest_port":53487,"proto":"TCP","ftp_data":{"filename":"Nottingham Yeast.pdf","command":"STOR"}}',
    '{"timestamp":"2022-05-10T09:03:39.000000+0000","flow_id":18446744073709551615,"event_type":"smb","src_ip":"10.0.2.107","src_port":49322,"dest_ip":"10.0.1.101","dest_port":445,"proto":"TCP","smb":{"id":12,"dialect":"3.11","command":"SMB2_COMMAND_CREATE","status":"STATUS_SUCCESS","status_code":"0x0","session_id":1,"tree_id":5,"filename":"docs\\\\31564-pdf.pdf","disposition":"FILE_OPEN","access":"normal","share":"\\\\\\\\venus\\\\share","size":1573126}}',
    '{"timestamp":"2022-05-10T09:03:40.000000+0000","event_type":"anomaly","src_ip":"1.2.3.4","dest_ip":"5.6.7.8","proto":"TCP","anomaly":{"type":"stream","event":"stream.pkt_invalid_timestamp"}}',
    '{"timestamp":"2022-05-10T09:03:41.000000+0000","event_type":"tls","src_ip":"10.0.2.107","dest_ip":"45.77.65.211","proto":"TCP","tls":{"subject":"C=US","issuerdn":"C=US","fingerprint":"aa:bb","sni":"c2.example","version":"TLS 1.2"}}',
    '{"timestamp":"2022-05-10T09:03:42.000000+0000","event_type":"http","src_ip":"10.0.2.107","dest_ip":"45.77.65.211","proto":"TCP","http":{"hostname":"c2.example","url":"/login/process.php","http_user_agent":"Mozilla","http_method":"POST","status":200,"length":42}}',
    '{"timestamp":"2022-05-10T09:03:43.000000+0000","event_type":"fileinfo","src_ip":"10.0.2.107","dest_ip":"45.77.65.211","proto":"TCP","fileinfo":{"filename":"/admin/get.php","size":42,"state":"CLOSED","stored":false}}',
    'not json',
    '{"event_type":"alert","src_ip":"1.1.1.1"}',
  ];
  const r = runText(suricata, lines.join('\n'), { fileName: 'eve.json' });
  assert.equal(r.events.length, 9);
  const [v1, v3, ftp, ftpData, smb, anomaly, tls, http, fileinfo] = r.events;
  assert.equal(v1.time, Date.parse('2017-08-26T05:42:05Z') * 1000 + 123456);
  assert.equal(v1.fields.query, 'hildegardsfarm.com');
  assert.equal(v1.fields.answer, '160.153.91.7');
  assert.equal(v1.fields.message_type, 'RESPONSE');
  assert.equal(v3.fields.query, 'x.example');
  assert.equal(v3.fields.query_type, 'TXT');
  assert.equal(v3.fields.reply_code, 'NXDomain');
  assert.equal(v3.fields.message_type, 'RESPONSE');
  assert.equal(ftp.fields['ftp.command'], 'STOR');
  assert.equal(ftp.fields.method, 'STOR');
  assert.equal(ftp.fields.command, 'STOR');
  assert.equal(ftp.fields.filename, 'Nottingham Yeast.pdf');
  assert.equal(ftp.fields['ftp.completion_code{}'], '150');
  assert.equal(ftp.fields.reply_code, '150');
  assert.equal(ftp.fields.app, undefined);
  assert.equal(ftpData.fields.filename, 'Nottingham Yeast.pdf');
  assert.equal(ftpData.fields.command, 'STOR');
  assert.equal(smb.fields.flow_id, '18446744073709551615');
  assert.equal(smb.fields['smb.command'], 'SMB2_COMMAND_CREATE');
  assert.equal(smb.fields.command, 'SMB2_COMMAND_CREATE');
  assert.equal(smb.fields.filename, 'docs\\31564-pdf.pdf');
  assert.equal(smb.fields.file_path, '\\\\venus\\share');
  assert.equal(anomaly.fields['anomaly.event'], 'stream.pkt_invalid_timestamp');
  assert.equal(tls.fields['tls.sni'], 'c2.example');
  assert.equal(http.fields.method, 'POST');
  assert.equal(http.fields['http.url'], '/login/process.php');
  assert.equal(fileinfo.fields.filename, '/admin/get.php');
  assert.equal(r.quarantined.length, 2);
  assert.match(r.quarantined[0].reason, /^suricata: invalid JSON/);
  assert.equal(r.quarantined[0].line, 10);
  assert.equal(r.quarantined[1].reason, 'suricata: no timestamp field');
});

test('nested names stay right past the bound of the name cache (keys come from the data)', () => {
  // 25,000 distinct nested keys (more than the cache holds), then the usual ones again
  const lines = [];
  for (let i = 0; i < 25; i++) {
    const extra: Record<string, number> = {};
    for (let j = 0; j < 1000; j++) extra[`k${i}_${j}`] = j;
    lines.push(JSON.stringify({ timestamp: '2021-06-06T13:59:46.457000+0000', event_type: 'stats', stats: extra }));
  }
  lines.push(JSON.stringify({ timestamp: '2021-06-06T13:59:47.000000+0000', event_type: 'dns', dns: { rrname: 'a.example', answers: [{ rdata: '1.2.3.4' }, { rdata: '5.6.7.8' }] } }));
  const r = runText(suricata, lines.join('\n') + '\n', { fileName: 'eve.json' });
  assert.equal(r.events.length, 26);
  assert.equal(r.events[24]!.fields['stats.k24_999'], 999);
  assert.equal(Object.keys(r.events[24]!.fields).filter((k) => k.startsWith('stats.')).length, 1000);
  const dns = r.events[25]!.fields;
  assert.equal(dns['dns.rrname'], 'a.example');
  assert.deepEqual(dns['dns.answers{}.rdata'], ['1.2.3.4', '5.6.7.8']);
});
