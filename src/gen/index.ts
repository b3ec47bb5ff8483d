/**
 * The Frothly generator: a BOTS v2-like month of network and endpoint logs in the sensors' raw
 * formats, the attack of the write-ups buried in it, and the ground truth to score hunts with.
 *
 *   generateFrothly({ out: 'data/frothly', scale: 1, seed: 'frothly', variant: 'default', zeek: false })
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './prng.js';
import { buildNetwork, type Network } from './network.js';
import { makeVariant, type Variant } from './variants.js';
import { Output } from './output.js';
import { zeekHeaders } from './formats/zeek.js';
import type { Ctx } from './ctx.js';
import { buildAttack } from './attack.js';
import { Background } from './background.js';
import { isoMicro, pdt, TZ, US_PER_HOUR } from './time.js';

export { VARIANTS } from './variants.js';

export interface GenerateOptions {
  out: string; scale?: number; seed?: string | number; variant?: string; zeek?: boolean; onProgress?: (msg: string) => void;
}

export interface ManifestFile { path: string; sourcetype: string; source?: string; events: number; bytes: number; format: string }
export interface Manifest {
  generator: 'frothly'; version: number; seed: string | number; scale: number; variant: string; zeek: boolean; tz: string;
  time_range: { earliest: string; latest: string };
  files: ManifestFile[]; sourcetypes: Record<string, number>; events: number; bytes: number;
  truth: string; assets: string; identities: string;
}

const FORMAT: Record<string, string> = {
  'stream:dns': 'splunk-stream-json', 'stream:smb': 'splunk-stream-json', 'stream:ftp': 'splunk-stream-json', 'stream:http': 'splunk-stream-json', 'stream:tcp': 'splunk-stream-json',
  suricata: 'suricata-eve-json', 'pan:traffic': 'pan-os-syslog-csv', 'pan:threat': 'pan-os-syslog-csv', sysmon: 'xmlwineventlog', wineventlog: 'wineventlog-text',
};

export async function generateFrothly(opts: GenerateOptions): Promise<Manifest> {
  const seedIn = opts.seed ?? 'frothly';
  const seed = String(seedIn);
  const scale = opts.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale must be a positive number, got ${opts.scale}`);
  const variantName = opts.variant ?? 'default';
  const v = makeVariant(variantName, seed);
  const zeek = !!opts.zeek;
  const progress = opts.onProgress ?? (() => {});
  const net = buildNetwork();
  mkdirSync(opts.out, { recursive: true });

  const start = pdt(1, 0, 0, 0);
  const hours = 31 * 24;
  const out = new Output(opts.out, zeek ? zeekHeaders('2017-08-01-07-00-00', '2017-09-01-07-00-00') : {});
  const rng = new Rng(seed + '|' + variantName);
  const ctx: Ctx = {
    net, v, out, zeek, scale, seed, rng,
    ids: { panSession: 2_100_000, panSeq: 5_800_000, zeekUid: 0, fuid: 0, winRecord: new Map(), pid: new Map() },
    watchedFlows: new Map([[v.stagingFlowId, new Map()]]), watchedFiles: new Map([[v.stagingFlowId, new Set()]]), flowTimes: new Map(), pinnedSmb: new Map(),
  };
  const attack = buildAttack(ctx, rng.fork('attack'));
  const bg = new Background(ctx, rng.fork('background'));
  const steps = attack.steps;
  let si = 0;
  for (let hour = 0; hour < hours; hour++) {
    const hStart = start + hour * US_PER_HOUR;
    const hEnd = hStart + US_PER_HOUR;
    const day = 1 + Math.floor(hour / 24), h = hour % 24;
    while (si < steps.length && steps[si]!.t < hEnd) steps[si++]!.run();
    bg.hour(hStart, day, h);
    // events may start a few seconds before the hour that generated them (a lookup before a connection);
    // everything older than five minutes before the next hour is final
    await out.flushUntil(hEnd - 5 * 60_000_000);
    if (h === 23) progress(`generated 2017-08-${String(day).padStart(2, '0')} (Pacific)`);
  }
  while (si < steps.length) steps[si++]!.run();
  const closed = await out.close();

  const files: ManifestFile[] = closed.map((c) => ({ path: c.spec.path, sourcetype: c.spec.sourcetype, ...(c.spec.source ? { source: c.spec.source } : {}), events: c.events, bytes: c.bytes, format: FORMAT[c.key] ?? 'zeek-tsv' }));
  const sourcetypes: Record<string, number> = {};
  for (const f of files) sourcetypes[f.sourcetype] = (sourcetypes[f.sourcetype] ?? 0) + f.events;

  const attackTruth = attack.finish();
  const truth = buildTruth(ctx, v, net, attackTruth, bg, seedIn, scale);
  writeFileSync(join(opts.out, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  writeFileSync(join(opts.out, 'assets.csv'), assetsCsv(net));
  writeFileSync(join(opts.out, 'identities.csv'), identitiesCsv(net, v));

  const manifest: Manifest = {
    generator: 'frothly', version: 1, seed: seedIn, scale, variant: variantName, zeek, tz: TZ,
    time_range: { earliest: isoMicro(out.earliest), latest: isoMicro(out.latest) },
    files, sourcetypes, events: files.reduce((a, f) => a + f.events, 0), bytes: files.reduce((a, f) => a + f.bytes, 0),
    truth: 'truth.json', assets: 'assets.csv', identities: 'identities.csv',
  };
  writeFileSync(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  progress(`wrote ${manifest.events} events in ${files.length} files to ${opts.out}`);
  return manifest;
}

function csv(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function assetsCsv(net: Network): string {
  const rows = ['ip,mac,nt_host,dns,owner,priority,bunit,category,os,role'];
  for (const h of net.hosts) {
    const owner = h.owner ? net.users.find((u) => u.user === h.owner)?.email || h.owner : '';
    const bunit = h.owner ? net.users.find((u) => u.user === h.owner)?.dept ?? '' : 'IT';
    rows.push([h.ip, h.mac, h.name, h.fqdn, owner, h.priority, bunit, h.category, h.os, h.role].map(csv).join(','));
  }
  return rows.join('\n') + '\n';
}

function identitiesCsv(net: Network, v: Variant): string {
  const rows = ['identity,prefix,nick,first,last,suffix,email,phone,managedBy,priority,bunit,category,watchlist,startDate,endDate,work_host,title,sid'];
  const users = [...net.users];
  if (!users.some((u) => u.user === v.serviceAccount)) users.push({ user: v.serviceAccount, name: 'Service Account', email: '', host: 'mercury', dept: 'IT', title: 'service account', sid: 'S-1-5-21-2915380141-3133548025-2733813154-1115', start: 0, end: 0, web: 0, files: 0, weekend: 0 });
  for (const u of users) {
    const [first, ...rest] = u.name.split(' ');
    const svc = u.title === 'service account';
    rows.push([`${u.user}|FROTHLY\\${u.user}|${u.email}`.replace(/\|$/, ''), '', u.user, first, rest.join(' '), '', u.email, '', svc ? 'kevin.lagerfield' : '', svc || u.dept === 'Executive' || u.dept === 'IT' ? 'high' : 'medium', u.dept, svc ? 'service_account' : 'employee', 'false', '', '', u.host, u.title, u.sid].map(csv).join(','));
  }
  return rows.join('\n') + '\n';
}

function buildTruth(ctx: Ctx, v: Variant, net: Network, at: Record<string, unknown>, bg: Background, seed: string | number, scale: number): Record<string, unknown> {
  const staging = at.staging as { client: string; client_host: string; server: string; server_host: string; flow_id: string; staged_files: { name: string; size: number }[]; totals: unknown; read: unknown; by_command: unknown };
  const ftp = at.ftp as { server: string; domain: string; account: string; transmissions: { n: number; client: string; client_host: string; files: string[]; failed: string[] }[] };
  const dns = at.dns_tunnel as { domain: string; client: string; client_host: string; resolvers: { ip: string; count: number }[]; query_count: number };
  const host = (ip: string) => net.byIp.get(ip);
  const aliases = (ip: string): string[] => { const h = host(ip); return h ? [ip, h.name, h.fqdn] : [ip]; };
  const findings: Record<string, unknown>[] = [];
  findings.push({ role: 'staging_host', value: staging.client, host: staging.client_host, aliases: aliases(staging.client), note: 'collects the files from the file server over SMB' });
  findings.push({ role: 'staging_source', value: staging.server, host: staging.server_host, aliases: aliases(staging.server), share: v.stagingShare });
  findings.push({ role: 'staging_flow', value: staging.flow_id, src_ip: staging.client, dest_ip: staging.server, totals: staging.totals, read: staging.read, by_command: staging.by_command });
  for (const f of staging.staged_files) findings.push({ role: 'staged_file', value: f.name, size: f.size });
  const sources = new Map<string, number[]>();
  for (const t of ftp.transmissions) sources.set(t.client, [...(sources.get(t.client) ?? []), t.n]);
  for (const [ip, txs] of [...sources.entries()].sort()) findings.push({ role: 'exfil_source', value: ip, host: host(ip)?.name, aliases: aliases(ip), transmissions: txs });
  findings.push({ role: 'exfil_destination', value: ftp.server, aliases: [ftp.server, ftp.domain], domain: ftp.domain, protocol: 'ftp' });
  findings.push({ role: 'exfil_account', value: ftp.account });
  const exfilFiles = new Map<string, { transmissions: number[]; failed: boolean; sent: number }>();
  for (const t of ftp.transmissions) for (const f of t.files) {
    const e = exfilFiles.get(f) ?? { transmissions: [], failed: false, sent: 0 };
    if (!e.transmissions.includes(t.n)) e.transmissions.push(t.n);
    e.sent++;
    exfilFiles.set(f, e);
  }
  for (const t of ftp.transmissions) for (const f of t.failed) { const e = exfilFiles.get(f)!; e.failed = e.failed || t.failed.includes(f); }
  for (const [f, e] of exfilFiles) findings.push({ role: 'exfil_file', value: f, transmissions: e.transmissions, times_sent: e.sent, failed_attempt: e.failed });
  findings.push({ role: 'tunnel_domain', value: dns.domain, query_count: dns.query_count });
  findings.push({ role: 'tunnel_client', value: dns.client, host: dns.client_host, aliases: aliases(dns.client) });
  for (const r of dns.resolvers) findings.push({ role: 'tunnel_resolver', value: r.ip, count: r.count, primary: r.ip === dns.resolvers[0]!.ip });

  const lookalikes: Record<string, unknown>[] = [];
  if (v.lookalikes.heavyBackup) {
    const flows = bg.backupFlows.map((b) => {
      const w = ctx.watchedFlows.get(b.flow_id)!;
      const read = w.get('smb2 read') ?? { count: 0, bytes_in: 0, bytes_out: 0 };
      let bi = 0, bo = 0; for (const c of w.values()) { bi += c.bytes_in; bo += c.bytes_out; }
      return { flow_id: b.flow_id, start: isoMicro(b.start), read_bytes_out: read.bytes_out, bytes_in: bi, bytes_out: bo };
    });
    lookalikes.push({ kind: 'backup', looks_like: 'staging_flow', src_ip: net.pluto.ip, src_host: net.pluto.name, dest_ip: net.venus.ip, user: 'svc_backup', schedule: 'nightly 01:00 Pacific', flows, max_flow_bytes_out: Math.max(0, ...flows.map((f) => f.bytes_out)) });
  } else {
    lookalikes.push({ kind: 'backup', looks_like: 'staging_flow', src_ip: net.pluto.ip, src_host: net.pluto.name, dest_ip: net.venus.ip, schedule: 'nightly 01:00 Pacific (incremental, small)' });
  }
  if (v.lookalikes.cdn16) lookalikes.push({ kind: 'cdn', looks_like: 'tunnel_domain', domain: 'googlesyndication.com', pattern: `<${v.tunnelLabelLen} random chars>.safeframe.googlesyndication.com`, clients: 'all user hosts', resolver: 'mercury, then 8.8.8.8', reply_code: 'NoError' });
  if (v.lookalikes.avService) lookalikes.push({ kind: 'av', looks_like: 'tunnel_domain', domain: 'mcafee.com', pattern: `<${v.tunnelLabelLen} random chars>.avqs.mcafee.com`, clients: 'every Windows host; servers ask 8.8.8.8 directly', reply_code: 'NoError' });
  lookalikes.push({ kind: 'cdn_background', looks_like: 'tunnel_domain', domains: ['cloudfront.net', 'akamaiedge.net', 'akamaized.net', 'googlevideo.com', 'llnwd.net'], note: 'long random-looking first labels of varying length' });
  const ftpB = bg.ftpBenignSessions;
  const internal = ftpB.filter((s) => s.kind === 'internal scan drop');
  const supplier = ftpB.filter((s) => s.kind !== 'internal scan drop');
  if (internal.length) lookalikes.push({ kind: 'internal_ftp', looks_like: 'exfil_destination', server: net.neptune.ip, server_host: net.neptune.name, sessions: internal.length, files: internal.reduce((a, s) => a + s.files.length, 0), loadway: 'Upload', clients: [...new Set(internal.map((s) => s.client))].sort() });
  if (supplier.length) lookalikes.push({ kind: 'supplier_ftp', looks_like: 'exfil_destination', server: '66.155.38.210', domain: 'files.bsgcraft.com', sessions: supplier.length, loadway: 'Download', clients: [...new Set(supplier.map((s) => s.client))].sort(), starts: supplier.map((s) => isoMicro(s.start)) });

  return {
    generator: 'frothly', seed, scale, variant: v.name, tz: TZ,
    findings,
    adversary: { ftp_server: v.ftpServer, domain: v.ftpDomain, account: v.ftpAccount, name_servers: v.nameServers, c2: v.c2 },
    ...at,
    lookalikes,
  };
}
