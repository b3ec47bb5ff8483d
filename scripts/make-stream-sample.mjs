// Writes samples/stream/*.json: a few hundred Splunk Stream events (stream:smb, stream:ftp,
// stream:dns) in Stream's field layout, telling the seed write-ups' story in miniature.
// Deterministic: run it again and the files are byte-identical.
import { mkdirSync, writeFileSync } from 'node:fs';

let seed = 20170823;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
const iso = (ms) => new Date(ms).toISOString().replace('Z', '') + String(Math.floor(rnd() * 1000)).padStart(3, '0') + 'Z';
// Stream writes endtime and timestamp first, then the other fields alphabetically.
const line = (start, end, fields) => {
  const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  return JSON.stringify({ endtime: iso(end), timestamp: iso(start), ...sorted });
};
const T = (s) => Date.parse(s);
const MACS = { '10.0.2.107': '00:0C:29:1B:7C:40', '10.0.4.4': '8C:85:90:1A:2B:3C', '172.16.0.1': '00:50:56:C0:00:08', '10.0.1.101': '00:0C:29:C4:5A:11', '10.0.1.100': '00:0C:29:A1:02:33' };

const smb = [];
const STAGING_FLOW = 'd7370639-8ca9-40d3-a5f8-dd6547d4ff99';
// The staging flow: wrk-btun reads PDFs from venus with create/read/close.
let t = T('2017-08-24T17:05:00Z');
const pdfs = ['31564-pdf.pdf', '2322-pdf.pdf', ...Array.from({ length: 38 }, () => `${1000 + Math.floor(rnd() * 40000)}-pdf.pdf`)];
for (const f of pdfs) {
  const size = 20_000_000 + Math.floor(rnd() * 20_000_000);
  // Stream: bytes_in is client→server, bytes_out server→client (the file read comes back as bytes_out).
  for (const [command, bin, bout] of [['smb2 create', 290, 410], ['smb2 read', 120, size], ['smb2 close', 104, 124]]) {
    t += 200 + Math.floor(rnd() * 3000);
    smb.push(line(t, t + 40, { app: 'smb', bytes: bin + bout, bytes_in: bin, bytes_out: bout, command, dest_ip: '10.0.1.101', dest_mac: MACS['10.0.1.101'], dest_port: 445, filename: `Shares\\Research\\${f}`, flow_id: STAGING_FLOW, protocol_stack: 'ip:tcp:smb', src_ip: '10.0.2.107', src_mac: MACS['10.0.2.107'], src_port: 49720, status: 'STATUS_SUCCESS', transport: 'tcp' }));
  }
}
// Background: office files from venus by other workstations.
const docs = ['Q3-budget.xls', 'brewing-schedule.doc', 'yeast-strains.pdf', 'hr-handbook.pdf', 'release-notes.tgz', 'vendor-list.xls'];
for (let i = 0; i < 60; i++) {
  const src = pick(['10.0.4.4', '172.16.0.1', '10.0.4.4']);
  t = T('2017-08-01T16:00:00Z') + Math.floor(rnd() * 24 * 86400000);
  const command = pick(['smb2 create', 'smb2 read', 'smb2 close', 'smb2 query directory']);
  const bout = command === 'smb2 read' ? 5000 + Math.floor(rnd() * 900000) : 100 + Math.floor(rnd() * 400);
  smb.push(line(t, t + 30, { app: 'smb', bytes: bout + 200, bytes_in: 200, bytes_out: bout, command, dest_ip: '10.0.1.101', dest_mac: MACS['10.0.1.101'], dest_port: 445, filename: `Shares\\Common\\${pick(docs)}`, flow_id: uuid(), protocol_stack: 'ip:tcp:smb', src_ip: src, src_mac: MACS[src], src_port: 49152 + Math.floor(rnd() * 10000), status: 'STATUS_SUCCESS', transport: 'tcp' }));
}

const ftp = [];
// 25 August: the PDFs leave wrk-btun for 160.153.91.7.
t = T('2017-08-26T03:36:00Z');
const ftpFlow = uuid();
const ftpCmd = (method, param, reply, content, extra = {}) => {
  t += 400 + Math.floor(rnd() * 2000);
  ftp.push(line(t, t + 60, { app: 'ftp', bytes: 120, bytes_in: 60, bytes_out: 60, dest_ip: '160.153.91.7', dest_port: 21, flow_id: ftpFlow, method, method_parameter: param, protocol_stack: 'ip:tcp:ftp', reply_code: reply, reply_content: content, src_ip: '10.0.2.107', src_port: 49811, transport: 'tcp', ...extra }));
};
ftpCmd('USER', 'admin@hildegardsfarm.com', 331, 'User admin@hildegardsfarm.com OK. Password required');
ftpCmd('PASS', '********', 230, 'OK. Current restricted directory is /');
ftpCmd('TYPE', 'I', 200, 'TYPE is now 8-bit binary');
for (const f of pdfs.slice(0, 30)) {
  ftpCmd('PORT', '10,0,2,107,194,' + Math.floor(rnd() * 255), 200, 'PORT command successful');
  ftpCmd('STOR', f, 226, 'File successfully transferred', { filename: f });
}
ftpCmd('NLST', '', 226, 'Options: -a -l');
ftpCmd('QUIT', '', 221, 'Goodbye. You uploaded 1,000,000 and downloaded 0 kbytes.');

const dns = [];
const popular = ['www.google.com', 'outlook.office365.com', 'www.bing.com', 'update.microsoft.com', 'cdn.jsdelivr.net', 'd3e4f5a6b7c8d9.cloudfront.net', 'www.frothly.com', 'github.com'];
for (let i = 0; i < 120; i++) {
  const q = pick(popular);
  const src = pick(['10.0.2.107', '10.0.4.4', '10.0.1.100']);
  t = T('2017-08-02T15:00:00Z') + Math.floor(rnd() * 24 * 86400000);
  dns.push(line(t, t + 20, { answer: ['93.184.216.34'], bytes: 150, bytes_in: 60, bytes_out: 90, dest_ip: '8.8.8.8', dest_port: 53, flow_id: uuid(), message_type: ['QUERY', 'RESPONSE'], protocol_stack: 'ip:udp:dns', query: [q, q], query_type: ['A', 'A'], reply_code: 'NoError', reply_code_id: 0, src_ip: src, src_port: 50000 + Math.floor(rnd() * 10000), transaction_id: Math.floor(rnd() * 65535), transport: 'udp' }));
}
// The tunnel: dns.py on venus, 16-character high-entropy labels under hildegardsfarm.com.
t = T('2017-08-26T06:50:00Z');
for (let i = 0; i < 40; i++) {
  t += 600_000;
  const q = `${hex(16)}.hildegardsfarm.com`;
  dns.push(line(t, t + 28, { bytes: 170, bytes_in: 81, bytes_out: 89, dest_ip: '8.8.8.8', dest_port: 53, flow_id: uuid(), message_type: ['QUERY'], protocol_stack: 'ip:udp:dns', query: [q], query_type: ['A'], src_ip: '10.0.1.101', src_port: 40000 + i, transaction_id: Math.floor(rnd() * 65535), transport: 'udp' }));
}
dns.push(line(T('2017-08-23T20:55:00Z'), T('2017-08-23T20:55:00Z') + 30, { answer: ['160.153.91.7'], bytes: 150, bytes_in: 70, bytes_out: 80, dest_ip: '10.0.1.100', dest_port: 53, flow_id: uuid(), message_type: ['QUERY', 'RESPONSE'], protocol_stack: 'ip:udp:dns', query: ['hildegardsfarm.com', 'hildegardsfarm.com'], query_type: ['A', 'A'], reply_code: 'NoError', reply_code_id: 0, src_ip: '10.0.2.107', src_port: 53211, transaction_id: 4242, transport: 'udp' }));

mkdirSync('samples/stream', { recursive: true });
for (const [name, lines] of [['smb', smb], ['ftp', ftp], ['dns', dns]]) writeFileSync(`samples/stream/stream-${name}.json`, lines.join('\n') + '\n');
console.log(`smb ${smb.length}, ftp ${ftp.length}, dns ${dns.length}`);
