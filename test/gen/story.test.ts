/** The seed stories, checked on the raw files against truth.json (no literals from the write-ups beyond the default variant's). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generated, splitCsv } from './helpers.js';

type J = Record<string, any>;
function jsonl(dir: string, path: string): J[] {
  return readFileSync(join(dir, path), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
const OFFICE = /\.(pdf|tgz|doc|xls)(?![A-Za-z0-9])/i;

async function story(variant: string, scale?: number): Promise<void> {
  const { dir, manifest } = await generated({ variant, scale });
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as J;
  const roles = new Set((truth.findings as J[]).map((f) => f.role));
  for (const r of ['staging_host', 'staging_source', 'staging_flow', 'staged_file', 'exfil_source', 'exfil_destination', 'exfil_account', 'exfil_file', 'tunnel_domain', 'tunnel_client', 'tunnel_resolver']) assert.ok(roles.has(r), `truth lacks role ${r}`);
  const find = (role: string): J[] => (truth.findings as J[]).filter((f) => f.role === role);

  // --- staging: the flow's per-command totals are exactly the sums of the Stream events written
  const smb = jsonl(dir, 'stream/smb.json');
  const flowId = find('staging_flow')[0]!.value;
  const by: Record<string, { count: number; bytes_in: number; bytes_out: number }> = {};
  const flowBytes = new Map<string, number>();
  for (const e of smb) {
    flowBytes.set(e.flow_id, (flowBytes.get(e.flow_id) ?? 0) + e.bytes_out);
    if (e.flow_id !== flowId) continue;
    const c = (by[e.command] ??= { count: 0, bytes_in: 0, bytes_out: 0 });
    c.count++; c.bytes_in += e.bytes_in; c.bytes_out += e.bytes_out;
    assert.equal(e.src_ip, find('staging_host')[0]!.value); assert.equal(e.dest_ip, find('staging_source')[0]!.value);
  }
  assert.deepEqual(by, truth.staging.by_command);
  const top = Object.entries(by).sort((a, b) => b[1].count - a[1].count)[0]![0];
  assert.equal(top, 'smb2 read');
  const readMb = by['smb2 read']!.bytes_out / 1024 / 1024;
  assert.ok(readMb > 600 && readMb < 1600, `staging read ${readMb} MB`);
  const biggest = [...flowBytes.entries()].sort((a, b) => b[1] - a[1])[0]!;
  if (variant === 'default') assert.equal(biggest[0], flowId, 'the staging flow moves the most bytes');
  else {
    const backup = (truth.lookalikes as J[]).find((l) => l.kind === 'backup')!;
    assert.ok(backup.max_flow_bytes_out > by['smb2 read']!.bytes_out, 'the look-alike backup reads more than the attacker');
    assert.notEqual(biggest[0], flowId);
  }
  for (const f of find('staged_file').slice(0, 50)) assert.ok(smb.some((e) => e.flow_id === flowId && e.command === 'smb2 read' && e.filename === f.value), f.value);

  // --- office-file mentions: stream:smb leads every other sourcetype
  const mentions = new Map<string, number>();
  for (const f of manifest.files) {
    const text = readFileSync(join(dir, f.path), 'utf8');
    const evs = f.sourcetype === 'wineventlog' ? text.split(/\n\n(?=\d\d\/\d\d\/\d{4} )/) : text.split('\n');
    mentions.set(f.sourcetype, evs.filter((l) => OFFICE.test(l)).length);
  }
  const ranked = [...mentions.entries()].sort((a, b) => b[1] - a[1]);
  if (variant === 'default') assert.equal(ranked[0]![0], 'stream:smb', JSON.stringify(ranked));
  else assert.ok(mentions.get('stream:smb')! > 1000, JSON.stringify(ranked));

  // --- FTP: transmissions as the truth lists them
  const ftp = jsonl(dir, 'stream/ftp.json');
  const server = find('exfil_destination')[0]!.value;
  const account = find('exfil_account')[0]!.value;
  assert.ok(ftp.some((e) => e.dest_ip === server && e.method === 'USER' && e.method_parameter === account && String(e.reply_content).includes(account)));
  for (const tx of truth.ftp.transmissions as J[]) {
    const stors = ftp.filter((e) => e.flow_id === tx.flow_id && e.method === 'STOR');
    assert.equal(stors.length, tx.file_count, `transmission ${tx.n}`);
    assert.deepEqual(stors.map((e) => e.filename), tx.files);
    assert.ok(stors.every((e) => e.loadway === 'Upload' && e.src_ip === tx.client && e.dest_ip === server));
    const ok = stors.filter((e) => String(e.reply_content).includes('successfully transferred'));
    assert.equal(ok.length, tx.succeeded);
    assert.equal(ok.reduce((a, e) => a + e.filesize, 0), tx.bytes_transferred);
  }
  const txs = truth.ftp.transmissions as J[];
  assert.equal(txs.length, 4);
  assert.equal(txs[3]!.succeeded, 0, 'the last transmission fails');
  const quit = ftp.filter((e) => e.flow_id === txs[3]!.flow_id && e.method === 'QUIT')[0]!;
  assert.match(quit.reply_content, /uploaded 0 and downloaded 0 kbytes/);
  assert.ok(txs[2]!.repeated_files.length > 0, 'transmission 3 repeats files of transmission 2');
  const uploadsPdf = ftp.filter((e) => e.loadway === 'Upload' && e.dest_ip === server && /\.pdf$/i.test(e.filename)).length;
  assert.equal(uploadsPdf, truth.ftp.uploaded_pdf_events);
  const downloads = ftp.filter((e) => e.loadway === 'Download' && e.dest_ip === server);
  assert.equal(downloads.length, truth.ftp.downloads.files.length * 2);
  assert.equal(new Set(ftp.filter((e) => e.dest_ip === server).map((e) => e.src_ip)).size, 2);
  const threats = readFileSync(join(dir, 'pan/threat.log'), 'utf8').trim().split('\n').map((l) => splitCsv(l.slice(l.indexOf(' 1,') + 1)));
  assert.deepEqual(threats.map((t) => t[31]), (truth.ftp.threats as J[]).map((t) => t.file));
  const denied = readFileSync(join(dir, 'pan/traffic.log'), 'utf8').split('\n').filter((l) => l.includes(',deny,') && l.includes(server));
  assert.equal(denied.length, 6);

  // --- DNS tunnel: query count, label lengths, resolvers
  const dns = jsonl(dir, 'stream/dns.json');
  const domain = find('tunnel_domain')[0]!.value;
  const tun = dns.filter((e) => e.query[0].endsWith('.' + domain));
  assert.equal(tun.length, truth.dns_tunnel.query_count);
  assert.ok(tun.every((e) => e.src_ip === find('tunnel_client')[0]!.value));
  assert.ok(tun.every((e) => e.query[0].split('.')[0].length === truth.dns_tunnel.label_length));
  // base64 labels are letters and digits only (a `/` or `+` would make URL Toolbox read the name as a path)
  const odd = tun.map((e) => e.query[0].split('.')[0]).filter((l: string) => /[^A-Za-z0-9_-]/.test(l));
  assert.deepEqual(odd, [], 'tunnel labels outside [A-Za-z0-9_-]');
  const byRes = new Map<string, number>();
  for (const e of tun) byRes.set(e.dest_ip, (byRes.get(e.dest_ip) ?? 0) + 1);
  for (const r of find('tunnel_resolver')) assert.equal(byRes.get(r.value), r.count);
  const resolvedServer = dns.filter((e) => (e.host_addr ?? []).includes(server));
  assert.equal(new Set(resolvedServer.map((e) => e.src_ip)).size, 4, 'four internal systems resolve the FTP server');
}

test('default variant tells the write-ups\' stories', async () => {
  await story('default');
  const { dir } = await generated();
  const smb = jsonl(dir, 'stream/smb.json').filter((e) => e.filename === '31564-pdf.pdf');
  assert.equal(smb.length, 3);
  assert.equal(new Set(smb.map((e) => e.flow_id)).size, 1);
  assert.equal(smb[0]!.flow_id, 'd7370639-8ca9-40d3-a5f8-dd6547d4ff99');
  assert.deepEqual(smb.map((e) => e.command), ['smb2 create', 'smb2 read', 'smb2 close']);
  const ftp = jsonl(dir, 'stream/ftp.json');
  assert.ok(ftp.some((e) => e.filename === '31564-pdf.pdf' && e.src_ip === '10.0.2.107' && e.dest_ip === '160.153.91.7'));
  assert.equal(ftp.filter((e) => e.loadway === 'Upload' && /\.pdf$/.test(e.filename) && e.dest_ip === '160.153.91.7').length, 710);
});

test('lookalikes variant moves the adversary and plants benign look-alikes', async () => {
  await story('lookalikes');
  const { dir } = await generated({ variant: 'lookalikes' });
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as J;
  assert.notEqual(truth.adversary.ftp_server, '160.153.91.7');
  assert.notEqual(truth.staging.flow_id, 'd7370639-8ca9-40d3-a5f8-dd6547d4ff99');
  assert.deepEqual((truth.lookalikes as J[]).map((l) => l.kind).sort(), ['av', 'backup', 'cdn', 'cdn_background', 'internal_ftp', 'supplier_ftp'].filter((k) => (truth.lookalikes as J[]).some((l) => l.kind === k)).sort());
  for (const k of ['av', 'backup', 'cdn', 'internal_ftp']) assert.ok((truth.lookalikes as J[]).some((l) => l.kind === k), k);
  const raw = readFileSync(join(dir, 'stream/dns.json'), 'utf8');
  assert.ok(!raw.includes('hildegardsfarm'));
});

// The full-size check (scale 1, ~half a million events): QUARRY_GEN_FULL=1 node --test dist/test/gen/story.test.js
test('scale 1 tells the same stories', { skip: process.env.QUARRY_GEN_FULL !== '1' }, async () => {
  await story('default', 1);
  await story('lookalikes', 1);
});
