/**
 * The same activity written as Splunk Stream JSON, as Zeek TSV and as Zeek JSON: one SPL search over
 * the CIM names gives the same answer for each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import { ingestPaths } from '../../src/ingest/index.js';
import { runSearch } from '../../src/search/index.js';
import { tempDir } from '../util.js';

interface Lookup { t: number; src: string; sport: number; dest: string; query: string; qtype: string; rcode: string; answers: string[] }
interface FtpCmd { t: number; src: string; sport: number; dest: string; cmd: string; arg: string; code: number }

const T0 = Date.parse('2017-08-26T06:50:54Z') / 1000;
const lookups: Lookup[] = [];
for (let i = 0; i < 30; i++) {
  const sub = Buffer.from(`chunk-${i}-xx`).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  lookups.push({ t: T0 + i * 10, src: '10.0.1.101', sport: 50000 + i, dest: i % 2 ? '208.109.255.42' : '216.69.185.42', query: `${sub}.hildegardsfarm.com`, qtype: 'A', rcode: 'NXDOMAIN', answers: [] });
}
lookups.push({ t: T0 + 400, src: '10.0.2.107', sport: 61000, dest: '10.0.1.100', query: 'hildegardsfarm.com', qtype: 'A', rcode: 'NOERROR', answers: ['160.153.91.7'] });
const ftp: FtpCmd[] = [
  { t: T0 - 600, src: '10.0.2.107', sport: 49871, dest: '160.153.91.7', cmd: 'USER', arg: 'admin@hildegardsfarm.com', code: 331 },
  { t: T0 - 599, src: '10.0.2.107', sport: 49871, dest: '160.153.91.7', cmd: 'STOR', arg: 'Nottingham Yeast.pdf', code: 226 },
  { t: T0 - 598, src: '10.0.2.107', sport: 49871, dest: '160.153.91.7', cmd: 'STOR', arg: 'Old Bavarian Lager.pdf', code: 226 },
  { t: T0 - 597, src: '10.0.2.107', sport: 49871, dest: '160.153.91.7', cmd: 'STOR', arg: '31564-pdf.pdf', code: 226 },
  { t: T0 - 590, src: '10.0.2.109', sport: 50001, dest: '160.153.91.7', cmd: 'STOR', arg: 'frothly_passwords.kdbx', code: 226 },
  { t: T0 - 580, src: '10.0.2.109', sport: 50001, dest: '160.153.91.7', cmd: 'QUIT', arg: '', code: 221 },
];

const iso = (t: number) => new Date(t * 1000).toISOString().replace('Z', '000Z');
const RCODE_STREAM: Record<string, string> = { NOERROR: 'NoError', NXDOMAIN: 'NXDomain' };

function streamFiles(dir: string): void {
  writeFileSync(join(dir, 'stream-dns.json'), lookups.map((l) => JSON.stringify({
    endtime: iso(l.t), timestamp: iso(l.t), bytes: 170, bytes_in: 81, bytes_out: 89, dest_ip: l.dest, dest_port: 53,
    flow_id: `f-${l.sport}`, host_addr: l.answers, message_type: ['QUERY', 'RESPONSE'], name: [l.query], protocol_stack: 'ip:udp:dns',
    query: [l.query], query_type: [l.qtype], reply_code: RCODE_STREAM[l.rcode], src_ip: l.src, src_port: l.sport, transport: 'udp',
  })).join('\n') + '\n');
  writeFileSync(join(dir, 'stream-ftp.json'), ftp.map((c) => JSON.stringify({
    endtime: iso(c.t), timestamp: iso(c.t), dest_ip: c.dest, dest_port: 21, flow_id: `f-${c.sport}`, method: c.cmd,
    ...(c.arg ? { method_parameter: c.arg } : {}), ...(c.cmd === 'STOR' ? { filename: c.arg, loadway: 'Upload' } : {}),
    protocol_stack: 'ip:tcp:ftp', reply_code: c.code, src_ip: c.src, src_port: c.sport, transport: 'tcp',
  })).join('\n') + '\n');
}

function zeekTsv(dir: string): void {
  const head = (path: string, fields: string[], types: string[]) => ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, '#open\t2017-08-26-06-00-00', `#fields\t${fields.join('\t')}`, `#types\t${types.join('\t')}`];
  const dns = head('dns', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'query', 'qtype_name', 'rcode_name', 'answers'], ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'count', 'string', 'string', 'string', 'vector[string]']);
  for (const l of lookups) dns.push([l.t.toFixed(6), `C${l.sport}`, l.src, l.sport, l.dest, 53, 'udp', 1, l.query, l.qtype, l.rcode, l.answers.length ? l.answers.join(',') : '-'].join('\t'));
  dns.push('#close\t2017-08-26-07-00-00');
  writeFileSync(join(dir, 'dns.log'), dns.join('\n') + '\n');
  const f = head('ftp', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'user', 'command', 'arg', 'reply_code'], ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'count']);
  for (const c of ftp) f.push([c.t.toFixed(6), `C${c.sport}`, c.src, c.sport, c.dest, 21, 'admin@hildegardsfarm.com', c.cmd, c.cmd === 'STOR' ? `ftp://${c.dest}/./${c.arg}` : c.arg || '-', c.code].join('\t'));
  writeFileSync(join(dir, 'ftp.log'), f.join('\n') + '\n');
}

function zeekJson(dir: string): void {
  writeFileSync(join(dir, 'dns.json'), lookups.map((l) => JSON.stringify({ _path: 'dns', ts: iso(l.t), uid: `C${l.sport}`, 'id.orig_h': l.src, 'id.orig_p': l.sport, 'id.resp_h': l.dest, 'id.resp_p': 53, proto: 'udp', trans_id: 1, query: l.query, qtype_name: l.qtype, rcode_name: l.rcode, ...(l.answers.length ? { answers: l.answers } : {}) })).join('\n') + '\n');
  writeFileSync(join(dir, 'ftp.json'), ftp.map((c) => JSON.stringify({ _path: 'ftp', ts: c.t, uid: `C${c.sport}`, 'id.orig_h': c.src, 'id.orig_p': c.sport, 'id.resp_h': c.dest, 'id.resp_p': 21, user: 'admin@hildegardsfarm.com', command: c.cmd, ...(c.arg ? { arg: c.cmd === 'STOR' ? `ftp://${c.dest}/./${c.arg}` : c.arg } : {}), reply_code: c.code })).join('\n') + '\n');
}

test('one SPL search over CIM names answers the same for Stream JSON, Zeek TSV and Zeek JSON', async () => {
  const root = tempDir('quarry-cross-');
  try {
    const dirs = { stream: join(root, 'stream'), zeek: join(root, 'zeek'), zeekjson: join(root, 'zeekjson') };
    for (const d of Object.values(dirs)) mkdirSync(d);
    streamFiles(dirs.stream);
    zeekTsv(dirs.zeek);
    zeekJson(dirs.zeekjson);
    const store = await Store.open(join(root, 'data'));
    try {
      for (const [index, dir] of Object.entries(dirs)) {
        const r = await ingestPaths(store, [dir], { index, tz: 'UTC' });
        assert.equal(r.quarantined, 0, index);
        assert.equal(r.ingested, lookups.length + ftp.length, index);
      }
      const searches = [
        // DNS exfiltration: many distinct subdomains of one domain, per source and resolver
        'index=IDX query=*.hildegardsfarm.com | stats count dc(query) AS queries by src dest | sort src dest',
        'index=IDX query=hildegardsfarm.com | table _time src dest query query_type answer',
        'index=IDX message_type=RESPONSE query=*hildegardsfarm.com | stats count by src reply_code | sort src reply_code',
        // FTP exfiltration: uploads per client
        'index=IDX method=STOR | stats count dc(filename) AS files by src dest | sort src',
        'index=IDX command=STOR filename=*.kdbx | table _time src dest filename',
        'index=IDX dest=160.153.91.7 | stats count by src | sort src',
        'index=IDX src=10.0.1.101 dest_port=53 transport=udp | stats count',
      ];
      for (const spl of searches) {
        const results: Record<string, unknown> = {};
        for (const index of Object.keys(dirs)) {
          const r = await runSearch(store, spl.replace('IDX', index), { tz: 'UTC', earliest: '0' });
          results[index] = r.rows;
          assert.ok(r.rows.length > 0, `${index}: ${spl} returned nothing`);
        }
        assert.deepEqual(results.zeek, results.stream, spl);
        assert.deepEqual(results.zeekjson, results.stream, spl);
      }
    } finally {
      store.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
