/**
 * Network activities, each rendered once per sensor that would see it:
 * Splunk Stream sees everything on the core switch; Suricata and the firewall see traffic that
 * crosses the perimeter (Suricata inside the NAT, PAN-OS both sides); Zeek (optional) sees what
 * Stream sees.
 */
import type { Ctx } from './ctx.js';
import { isInternal, macOf, observeFlow } from './ctx.js';
import type { Rng } from './prng.js';
import { flowFields, streamLine, type StreamFlow } from './formats/stream.js';
import { eveDnsAnswer, eveDnsQuery, eveFileinfo, eveFlow, eveFtp, eveHttp, eveTls, type EveBase } from './formats/suricata.js';
import { panLocation, panLogTime, trafficLine, type PanSession } from './formats/pan.js';
import { zeekRow, zeekUid } from './formats/zeek.js';
import { zeekInterval, zeekTs } from './time.js';
import { FIREWALL_NAT } from './network.js';

export function ephemeral(rng: Rng): number { return rng.int(49152, 65535); }

function uid(ctx: Ctx): string { return zeekUid(++ctx.ids.zeekUid); }
function fuid(ctx: Ctx): string { return zeekUid(++ctx.ids.fuid + 7_000_000, 'F'); }
function suriFlowId(rng: Rng): number { return rng.int(1, 2 ** 21 - 1) * 2 ** 30 + rng.int(0, 2 ** 30 - 1); }

export interface PanOpts { sessionId?: number; rule?: string; app: string; user?: string; action?: string; subtype?: PanSession['subtype']; category?: string; endReason?: string; natTo?: string; inbound?: boolean; flags?: string }

/** The firewall's log of one session (outbound sessions are source-NATed to the outside address). */
export function panSession(ctx: Ctx, rng: Rng, s: { t: number; dur: number; src: string; sport: number; dst: string; dport: number; proto: 'tcp' | 'udp'; bytesSent: number; bytesRecv: number; pktsSent: number; pktsRecv: number }, o: PanOpts): void {
  const inbound = !!o.inbound;
  const deny = o.action === 'deny' || o.action === 'drop';
  const natsport = deny ? 0 : rng.int(1024, 65000);
  const sess: PanSession = {
    t: s.t, dur: s.dur, subtype: o.subtype ?? (deny ? 'deny' : 'end'),
    src: s.src, dst: s.dst,
    natsrc: inbound ? '0.0.0.0' : (deny ? '0.0.0.0' : FIREWALL_NAT), natdst: inbound ? (o.natTo ?? '0.0.0.0') : '0.0.0.0',
    rule: o.rule ?? (inbound ? 'FTP data return' : 'Inside to Outside'), srcuser: o.user ?? '', app: o.app,
    fromZone: inbound ? 'Outside' : 'Inside', toZone: inbound ? 'Inside' : 'Outside',
    inIf: inbound ? 'ethernet1/1' : 'ethernet1/2', outIf: inbound ? 'ethernet1/2' : 'ethernet1/1',
    sessionId: o.sessionId ?? ++ctx.ids.panSession, sport: s.sport, dport: s.dport,
    natsport: inbound ? 0 : natsport, natdport: inbound ? s.dport : (deny ? 0 : s.dport),
    flags: o.flags ?? (deny ? '0x0' : inbound ? '0x400053' : '0x400053'), proto: s.proto, action: o.action ?? 'allow',
    bytesSent: s.bytesSent, bytesRecv: s.bytesRecv, pktsSent: s.pktsSent, pktsRecv: s.pktsRecv,
    category: o.category ?? 'any', seq: ++ctx.ids.panSeq, srcloc: panLocation(s.src), dstloc: panLocation(s.dst),
    endReason: o.endReason ?? (deny ? 'policy-deny' : s.proto === 'udp' ? 'aged-out' : 'tcp-fin'),
  };
  ctx.out.emit('pan:traffic', panLogTime(sess), trafficLine(sess));
}

function zeekConn(ctx: Ctx, u: string, c: { t: number; dur: number; src: string; sport: number; dst: string; dport: number; proto: 'tcp' | 'udp'; service: string; ob: number; rb: number; op: number; rp: number; state?: string }): void {
  if (!ctx.zeek) return;
  const state = c.state ?? (c.proto === 'udp' ? 'SF' : 'SF');
  const hist = c.proto === 'udp' ? 'Dd' : state === 'S0' ? 'S' : state === 'REJ' ? 'Sr' : 'ShADadFf';
  ctx.out.emit('zeek:conn', c.t, zeekRow([zeekTs(c.t), u, c.src, c.sport, c.dst, c.dport, c.proto, c.service || undefined, state === 'S0' ? undefined : zeekInterval(c.dur),
    state === 'S0' ? undefined : c.ob, state === 'S0' ? undefined : c.rb, state, isInternal(c.src), isInternal(c.dst), 0, hist, c.op, c.ob + c.op * 40, c.rp, c.rb + c.rp * 40, undefined]));
}

// ---------------------------------------------------------------------------------------------- DNS

export interface DnsQ {
  t: number; client: string; resolver: string; qname: string; qtype?: string;
  answers: string[]; ttl: number; rcode?: 'NoError' | 'NXDomain' | 'ServFail'; sport?: number; user?: string;
}

const RCODE_ID: Record<string, number> = { NoError: 0, ServFail: 2, NXDomain: 3 };

export function dnsLookup(ctx: Ctx, rng: Rng, q: DnsQ): void {
  const qtype = q.qtype ?? 'A';
  const rcode = q.rcode ?? (q.answers.length ? 'NoError' : 'NXDomain');
  const external = !isInternal(q.resolver);
  const rtt = external ? rng.int(7_000, 45_000) : rng.int(150, 1_800);
  const sport = q.sport ?? ephemeral(rng);
  const txid = rng.int(1, 65535);
  const qlen = q.qname.length + 2 + 4 + 12 + 42;
  const rlen = qlen + q.answers.length * 16 + (rcode === 'NXDomain' ? 60 : 0);
  const flow: StreamFlow = { src_ip: q.client, src_mac: macOf(ctx, q.client), src_port: sport, dest_ip: q.resolver, dest_mac: macOf(ctx, q.resolver), dest_port: 53, flow_id: rng.uuid(), transport: 'udp', protocol_stack: 'ip:udp:dns' };
  const f = flowFields(flow, qlen, rlen, rtt);
  f.message_type = ['QUERY', 'RESPONSE'];
  f.query = [q.qname, q.qname];
  f.query_type = [qtype, qtype];
  f.name = [q.qname];
  if (q.answers.length) {
    f.host_addr = q.answers;
    f.hostname = q.answers.map(() => q.qname);
    f.ttl = q.answers.map(() => q.ttl);
  }
  f.reply_code = rcode; f.reply_code_id = RCODE_ID[rcode] ?? 0;
  f.response_time = rtt; f.transaction_id = txid;
  ctx.out.emit('stream:dns', q.t, streamLine(q.t, q.t + rtt, f));

  if (external && isInternal(q.client)) {
    const e: EveBase = { t: q.t, flow_id: suriFlowId(rng), src_ip: q.client, src_port: sport, dest_ip: q.resolver, dest_port: 53, proto: 'UDP' };
    ctx.out.emit('suricata', q.t, eveDnsQuery(e, txid, q.qname, qtype));
    const ea = { ...e, t: q.t + rtt };
    if (q.answers.length) for (const a of q.answers) ctx.out.emit('suricata', ea.t, eveDnsAnswer(ea, txid, q.qname, qtype, 'NOERROR', { ttl: q.ttl, rdata: a }));
    else ctx.out.emit('suricata', ea.t, eveDnsAnswer(ea, txid, q.qname, qtype, rcode.toUpperCase()));
    panSession(ctx, rng, { t: q.t, dur: rtt, src: q.client, sport, dst: q.resolver, dport: 53, proto: 'udp', bytesSent: qlen, bytesRecv: rlen, pktsSent: 1, pktsRecv: 1 }, { app: 'dns', user: q.user, rule: 'Allow DNS' });
  }
  if (ctx.zeek) {
    const u = uid(ctx);
    const qtypeNum = qtype === 'A' ? 1 : qtype === 'AAAA' ? 28 : qtype === 'PTR' ? 12 : qtype === 'TXT' ? 16 : qtype === 'SRV' ? 33 : 1;
    ctx.out.emit('zeek:dns', q.t, zeekRow([zeekTs(q.t), u, q.client, sport, q.resolver, 53, 'udp', txid, zeekInterval(rtt), q.qname, 1, 'C_INTERNET', qtypeNum, qtype,
      RCODE_ID[rcode] ?? 0, rcode.toUpperCase(), false, false, true, true, 0, q.answers.length ? q.answers.join(',') : undefined,
      q.answers.length ? q.answers.map(() => q.ttl.toFixed(6)).join(',') : undefined, false]));
    zeekConn(ctx, u, { t: q.t, dur: rtt, src: q.client, sport, dst: q.resolver, dport: 53, proto: 'udp', service: 'dns', ob: qlen - 42, rb: rlen - 42, op: 1, rp: 1 });
  }
}

// ---------------------------------------------------------------------------------------------- TCP / TLS

export interface TcpConn {
  t: number; dur: number; src: string; sport?: number; dst: string; dport: number;
  bytesToServer: number; bytesToClient: number; app: string; panApp?: string; user?: string;
  tls?: { sni: string; issuer: string; subject: string; version?: string };
  state?: 'SF' | 'S0' | 'REJ';
}

export function tcpSession(ctx: Ctx, rng: Rng, c: TcpConn): void {
  const sport = c.sport ?? ephemeral(rng);
  const pOut = Math.max(3, Math.ceil(c.bytesToServer / 1200) + 2);
  const pIn = Math.max(2, Math.ceil(c.bytesToClient / 1400) + 2);
  const flow: StreamFlow = { src_ip: c.src, src_mac: macOf(ctx, c.src), src_port: sport, dest_ip: c.dst, dest_mac: macOf(ctx, c.dst), dest_port: c.dport, flow_id: rng.uuid(), transport: 'tcp', protocol_stack: c.tls ? 'ip:tcp:ssl' : 'ip:tcp:unknown' };
  const f = flowFields(flow, c.bytesToServer, c.bytesToClient, c.dur);
  f.app = c.tls ? 'ssl' : c.app;
  f.packets_in = pOut; f.packets_out = pIn; f.ack_packets_in = pOut - 1; f.ack_packets_out = pIn - 1;
  f.client_rtt = rng.int(100, 900); f.server_rtt = isInternal(c.dst) ? rng.int(100, 900) : rng.int(8_000, 70_000);
  f.initial_rtt = f.server_rtt;
  f.tcp_status = c.state === 'S0' ? 1 : 0;
  if (c.tls) {
    f.ssl_version = c.tls.version ?? 'TLSv1.2'; f.ssl_server_name = c.tls.sni; f.ssl_issuer = c.tls.issuer; f.ssl_subject = c.tls.subject;
  }
  ctx.out.emit('stream:tcp', c.t, streamLine(c.t, c.t + c.dur, f));
  if (!isInternal(c.dst) && isInternal(c.src)) {
    const e: EveBase = { t: c.t, flow_id: suriFlowId(rng), src_ip: c.src, src_port: sport, dest_ip: c.dst, dest_port: c.dport, proto: 'TCP' };
    if (c.tls && rng.chance(0.5)) ctx.out.emit('suricata', c.t + 60_000, eveTls({ ...e, t: c.t + 60_000 }, { subject: c.tls.subject, issuerdn: c.tls.issuer, serial: rng.hex(16).toUpperCase().replace(/(..)(?!$)/g, '$1:'), fingerprint: rng.hex(40).replace(/(..)(?!$)/g, '$1:'), sni: c.tls.sni, version: c.tls.version?.replace('TLSv', 'TLS ') ?? 'TLS 1.2', notbefore: '2017-06-14T00:00:00', notafter: '2018-06-14T12:00:00' }));
    ctx.out.emit('suricata', c.t + c.dur + 30_000_000, eveFlow({ ...e, t: c.t + c.dur + 30_000_000 }, c.tls ? 'tls' : undefined, { pktsToServer: pOut, pktsToClient: pIn, bytesToServer: c.bytesToServer + pOut * 54, bytesToClient: c.bytesToClient + pIn * 54, start: c.t, end: c.t + c.dur, state: 'closed', reason: 'timeout', alerted: false }));
    panSession(ctx, rng, { t: c.t, dur: c.dur, src: c.src, sport, dst: c.dst, dport: c.dport, proto: 'tcp', bytesSent: c.bytesToServer + pOut * 54, bytesRecv: c.bytesToClient + pIn * 54, pktsSent: pOut, pktsRecv: pIn }, { app: c.panApp ?? (c.tls ? 'ssl' : c.app), user: c.user, category: c.tls ? 'computer-and-internet-info' : 'any' });
  }
  if (ctx.zeek) zeekConn(ctx, uid(ctx), { t: c.t, dur: c.dur, src: c.src, sport, dst: c.dst, dport: c.dport, proto: 'tcp', service: c.tls ? 'ssl' : '', ob: c.bytesToServer, rb: c.bytesToClient, op: pOut, rp: pIn, state: c.state });
}

// ---------------------------------------------------------------------------------------------- HTTP

export interface HttpReq {
  t: number; src: string; dst: string; site: string; uri: string; method?: string; status?: number; ua: string;
  contentType: string; respBytes: number; reqBytes?: number; referer?: string; server?: string; user?: string; dport?: number;
}

export function httpRequest(ctx: Ctx, rng: Rng, h: HttpReq): void {
  const sport = ephemeral(rng);
  const dport = h.dport ?? 80;
  const method = h.method ?? 'GET';
  const status = h.status ?? 200;
  const reqB = h.reqBytes ?? 380 + h.uri.length + h.ua.length + (h.referer?.length ?? 0);
  const respB = h.respBytes + 300;
  const dur = (isInternal(h.dst) ? rng.int(2_000, 40_000) : rng.int(40_000, 400_000)) + Math.floor(h.respBytes / 3);
  const [path, query] = h.uri.split('?');
  const flow: StreamFlow = { src_ip: h.src, src_mac: macOf(ctx, h.src), src_port: sport, dest_ip: h.dst, dest_mac: macOf(ctx, h.dst), dest_port: dport, flow_id: rng.uuid(), transport: 'tcp', protocol_stack: 'ip:tcp:http' };
  const f = flowFields(flow, reqB, respB, dur);
  f.accept = 'text/html, application/xhtml+xml, image/jxr, */*'; f.accept_language = 'en-US';
  f.c_ip = h.src; f.cached = 0; f.http_content_length = h.respBytes; f.http_content_type = h.contentType; f.http_method = method;
  if (h.referer) f.http_referrer = h.referer;
  f.http_user_agent = h.ua; f.request_time = rng.int(20, 400); f.response_time = Math.floor(dur * 0.6); f.reply_time = Math.floor(dur * 0.3);
  f.server = h.server ?? 'nginx'; f.site = h.site; f.status = status; f.uri = h.uri; f.uri_path = path;
  if (query) f.uri_query = query;
  ctx.out.emit('stream:http', h.t, streamLine(h.t, h.t + dur, f));
  if (!isInternal(h.dst) && isInternal(h.src)) {
    const e: EveBase = { t: h.t + 1000, flow_id: suriFlowId(rng), src_ip: h.src, src_port: sport, dest_ip: h.dst, dest_port: dport, proto: 'TCP' };
    ctx.out.emit('suricata', e.t, eveHttp(e, { hostname: h.site, url: h.uri, ua: h.ua, method, status, length: h.respBytes, contentType: h.contentType, referer: h.referer }));
    const name = path!.split('/').pop() ?? '';
    if (/\.(pdf|exe|msi|zip|docx?|xlsx?|js|png|jpg|gif|css)$/i.test(name)) ctx.out.emit('suricata', h.t + dur, eveFileinfo({ ...e, t: h.t + dur }, 'http', { filename: path!, size: h.respBytes, state: 'CLOSED', txId: 0 }, { http: { hostname: h.site, url: h.uri, http_user_agent: h.ua, http_content_type: h.contentType, http_method: method, protocol: 'HTTP/1.1', status, length: h.respBytes } }));
    panSession(ctx, rng, { t: h.t, dur, src: h.src, sport, dst: h.dst, dport, proto: 'tcp', bytesSent: reqB + 400, bytesRecv: respB + Math.ceil(respB / 1400) * 54, pktsSent: 5 + Math.ceil(respB / 2800), pktsRecv: 4 + Math.ceil(respB / 1400) }, { app: 'web-browsing', user: h.user, category: 'business-and-economy' });
  }
  if (ctx.zeek) {
    const u = uid(ctx);
    ctx.out.emit('zeek:http', h.t, zeekRow([zeekTs(h.t), u, h.src, sport, h.dst, dport, 1, method, h.site, h.uri, h.referer, '1.1', h.ua, 0, h.respBytes, status, status === 200 ? 'OK' : status === 304 ? 'Not Modified' : status === 404 ? 'Not Found' : 'OK', undefined, undefined, '(empty)', undefined, undefined, undefined, undefined, undefined, undefined, fuid(ctx), undefined, h.contentType.split(';')[0]]));
    zeekConn(ctx, u, { t: h.t, dur, src: h.src, sport, dst: h.dst, dport, proto: 'tcp', service: 'http', ob: reqB, rb: respB, op: 5, rp: 4 + Math.ceil(respB / 1400) });
  }
}

// ---------------------------------------------------------------------------------------------- SMB

export interface SmbSession {
  flowId: string; client: string; server: string; sport: number; uid: string; share: string; start: number; last: number;
  bytesIn: number; bytesOut: number; ops: number; dialect: string; user: string;
}

export function smbOpen(ctx: Ctx, rng: Rng, s: { flowId: string; client: string; server: string; share: string; start: number; user: string; dialect?: string }): SmbSession {
  const sess: SmbSession = { flowId: s.flowId, client: s.client, server: s.server, sport: ephemeral(rng), uid: uid(ctx), share: s.share, start: s.start, last: s.start, bytesIn: 0, bytesOut: 0, ops: 0, dialect: s.dialect ?? 'SMB 3.0.2', user: s.user };
  smbOp(ctx, rng, sess, s.start, 'smb2 negotiate', undefined, 260, 310);
  smbOp(ctx, rng, sess, s.start + 2_000, 'smb2 session setup', undefined, 1_650, 320);
  smbOp(ctx, rng, sess, s.start + 9_000, 'smb2 tree connect', undefined, 180, 150);
  if (ctx.zeek) ctx.out.emit('zeek:smb_mapping', s.start + 9_000, zeekRow([zeekTs(s.start + 9_000), sess.uid, s.client, sess.sport, s.server, 445, s.share, 'DISK', 'NTFS', 'DISK']));
  return sess;
}

export function smbOp(ctx: Ctx, rng: Rng, s: SmbSession, t: number, command: string, filename: string | undefined, bytesIn: number, bytesOut: number, extra?: Record<string, unknown>): void {
  const tt = command === 'smb2 read' || command === 'smb2 write' ? 300 + Math.floor((bytesIn + bytesOut) / 110) + rng.int(0, 2000) : rng.int(150, 1500);
  const flow: StreamFlow = { src_ip: s.client, src_mac: macOf(ctx, s.client), src_port: s.sport, dest_ip: s.server, dest_mac: macOf(ctx, s.server), dest_port: 445, flow_id: s.flowId, transport: 'tcp', protocol_stack: 'ip:tcp:smb' };
  const f = flowFields(flow, bytesIn, bytesOut, tt);
  f.command = command;
  f.dialect = s.dialect;
  if (filename !== undefined) f.filename = filename;
  f.nt_status = extra?.nt_status ?? 0;
  if (command === 'smb2 session setup') { f.domain = 'FROTHLY'; f.login = s.user; }
  if (command === 'smb2 tree connect' || filename !== undefined) f.path = s.share;
  f.reply_time = Math.floor(tt * 0.4); f.request_time = rng.int(0, 60); f.response_time = Math.floor(tt * 0.9);
  if (extra) for (const [k, v] of Object.entries(extra)) if (k !== 'nt_status') f[k] = v;
  ctx.out.emit('stream:smb', t, streamLine(t, t + tt, f));
  s.bytesIn += bytesIn; s.bytesOut += bytesOut; s.ops++; s.last = t + tt;
  observeFlow(ctx, s.flowId, command, bytesIn, bytesOut, t, filename);
}

/** Open, read (in chunks of up to 1 MiB) and close one file; returns the time after the close. */
export function smbReadFile(ctx: Ctx, rng: Rng, s: SmbSession, t: number, filename: string, size: number, chunk = 1 << 20, queryInfo = 0.5): number {
  smbOp(ctx, rng, s, t, 'smb2 create', filename, 420 + filename.length * 2, 410, { filesize: size });
  let tt = t + rng.int(1_000, 6_000);
  if (rng.chance(queryInfo)) { smbOp(ctx, rng, s, tt, 'smb2 query info', filename, 180, 260); tt += rng.int(500, 3_000); }
  let left = size;
  while (left > 0) {
    const n = Math.min(chunk, left);
    smbOp(ctx, rng, s, tt, 'smb2 read', filename, 130 + Math.ceil(n / 2920) * 4 + rng.int(0, 40), n + 80 + Math.ceil(n / 1460) * 6);
    left -= n;
    tt += 2_000 + Math.floor(n / 100) + rng.int(0, 5_000);
  }
  smbOp(ctx, rng, s, tt, 'smb2 close', filename, 110, 134);
  if (ctx.zeek) ctx.out.emit('zeek:smb_files', t, zeekRow([zeekTs(t), s.uid, s.client, s.sport, s.server, 445, fuid(ctx), 'SMB::FILE_OPEN', s.share, filename, size, undefined, zeekTs(t - 86_400_000_000 * 30), zeekTs(t), zeekTs(t - 86_400_000_000 * 60), zeekTs(t - 86_400_000_000 * 30)]));
  return tt + rng.int(500, 3_000);
}

export function smbWriteFile(ctx: Ctx, rng: Rng, s: SmbSession, t: number, filename: string, size: number): number {
  smbOp(ctx, rng, s, t, 'smb2 create', filename, 430 + filename.length * 2, 410, { filesize: size });
  let tt = t + rng.int(1_000, 4_000);
  let left = size;
  while (left > 0) {
    const n = Math.min(1 << 20, left);
    smbOp(ctx, rng, s, tt, 'smb2 write', filename, n + 120 + Math.ceil(n / 1460) * 6, 100);
    left -= n; tt += 2_000 + Math.floor(n / 90);
  }
  smbOp(ctx, rng, s, tt, 'smb2 close', filename, 110, 134);
  if (ctx.zeek) ctx.out.emit('zeek:smb_files', t, zeekRow([zeekTs(t), s.uid, s.client, s.sport, s.server, 445, fuid(ctx), 'SMB::FILE_WRITE', s.share, filename, size, undefined, zeekTs(tt), zeekTs(tt), zeekTs(t), zeekTs(tt)]));
  return tt + rng.int(500, 3_000);
}

export function smbClose(ctx: Ctx, rng: Rng, s: SmbSession, t: number): void {
  smbOp(ctx, rng, s, t, 'smb2 tree disconnect', undefined, 110, 80);
  smbOp(ctx, rng, s, t + 1_500, 'smb2 logoff', undefined, 110, 80);
  if (ctx.zeek) zeekConn(ctx, s.uid, { t: s.start, dur: t + 2_000 - s.start, src: s.client, sport: s.sport, dst: s.server, dport: 445, proto: 'tcp', service: 'smb', ob: s.bytesIn, rb: s.bytesOut, op: s.ops * 2 + Math.ceil(s.bytesIn / 1460), rp: s.ops * 2 + Math.ceil(s.bytesOut / 1460) });
}

// ---------------------------------------------------------------------------------------------- FTP

export interface FtpCmd {
  t: number; method: string; param: string; code: number; reply: string; dur?: number;
  filename?: string; loadway?: 'Upload' | 'Download'; filesize?: number; dataPort?: number; transferUs?: number;
  /** data connection bytes (file content) for RETR/STOR/NLST */
  dataBytes?: number;
  /** the data connection was reset by the firewall */
  dataReset?: boolean;
}

export interface FtpSessionSpec {
  client: string; server: string; user: string; start: number; greeting: string; cmds: FtpCmd[];
  /** NAT: outbound sessions cross the firewall */
  panUser?: string;
  /** firewall denies the control connection (no Stream FTP content, just SYNs) */
  denied?: boolean;
  flowId?: string;
}

export interface FtpSessionResult { flowId: string; sport: number; events: number; streamEvents: { method: string; t: number }[]; bytesIn: number; bytesOut: number }

export function ftpSession(ctx: Ctx, rng: Rng, s: FtpSessionSpec): FtpSessionResult {
  const sport = ephemeral(rng);
  const external = !isInternal(s.server);
  const flowId = s.flowId ?? rng.uuid();
  const res: FtpSessionResult = { flowId, sport, events: 0, streamEvents: [], bytesIn: 0, bytesOut: 0 };
  const flow: StreamFlow = { src_ip: s.client, src_mac: macOf(ctx, s.client), src_port: sport, dest_ip: s.server, dest_mac: macOf(ctx, s.server), dest_port: 21, flow_id: flowId, transport: 'tcp', protocol_stack: 'ip:tcp:ftp' };
  const sfid = suriFlowId(rng);
  const u = uid(ctx);
  let idx = 0;
  let ctlIn = 0, ctlOut = 0;
  for (const c of s.cmds) {
    const reqB = c.method.length + (c.param ? c.param.length + 1 : 0) + 2 + 66;
    const repB = Buffer.byteLength(c.reply) + 2 + 66;
    const dur = c.dur ?? rng.int(20_000, 90_000);
    ctlIn += reqB; ctlOut += repB;
    const f = flowFields(flow, reqB, repB, dur);
    f.ftp_index = idx++;
    f.method = c.method;
    f.method_parameter = c.param;
    f.reply_code = c.code;
    f.reply_content = c.reply;
    if (c.method === 'USER') f.login = c.param;
    if (idx === 1) f.greeting = s.greeting;
    if (c.filename !== undefined) { f.filename = c.filename; f.loadway = c.loadway; }
    if (c.filesize !== undefined) f.filesize = c.filesize;
    if (c.dataPort !== undefined) f.data_port = c.dataPort;
    if (c.transferUs !== undefined) f.transfer_duration = c.transferUs;
    f.reply_time = Math.floor(dur * 0.5); f.request_time = rng.int(10, 200); f.response_time = Math.floor(dur * 0.8);
    ctx.out.emit('stream:ftp', c.t, streamLine(c.t, c.t + dur, f));
    res.streamEvents.push({ method: c.method, t: c.t });
    res.bytesIn += reqB; res.bytesOut += repB;
    res.events++;

    if (external) {
      const e: EveBase = { t: c.t + 500, flow_id: sfid, src_ip: s.client, src_port: sport, dest_ip: s.server, dest_port: 21, proto: 'TCP' };
      const lines = c.reply.split('\r\n');
      ctx.out.emit('suricata', e.t, eveFtp(e, { command: c.method, data: c.method === 'PASS' ? 'xxxxxxxx' : c.param, reply: lines.map((l) => l.replace(/^\d{3}[- ]/, '')), code: lines.map((l) => l.slice(0, 3)), dynamicPort: c.method === 'PORT' ? c.dataPort : undefined }));
    }
    if (ctx.zeek && c.method !== 'USER' && c.method !== 'PASS') {
      const isData = c.method === 'RETR' || c.method === 'STOR' || c.method === 'NLST';
      ctx.out.emit('zeek:ftp', c.t, zeekRow([zeekTs(c.t), u, s.client, sport, s.server, 21, s.user, s.user.startsWith('anonymous') ? 'chrome@example.com' : '<hidden>', c.method, c.param || undefined, c.filename && /\.pdf$/i.test(c.filename) ? 'application/pdf' : undefined,
        c.filesize, c.code, c.reply.split('\r\n').pop()!.replace(/^\d{3}[- ]/, ''), isData ? false : undefined, isData ? s.server : undefined, isData ? s.client : undefined, isData ? c.dataPort : undefined, isData && c.filename ? fuid(ctx) : undefined]));
    }
    // active-mode data connection: server:20 -> client:dataPort (seen at the firewall as inbound to the NAT address)
    if (c.dataBytes !== undefined && c.dataPort !== undefined) {
      const dStart = c.t + 20_000;
      const dDur = Math.max(2_000, c.transferUs ?? 50_000);
      const upload = c.loadway === 'Upload';
      const pkts = Math.max(2, Math.ceil(c.dataBytes / 1448)) + 2;
      if (external) {
        const e: EveBase = { t: dStart, flow_id: suriFlowId(rng), src_ip: s.server, src_port: 20, dest_ip: s.client, dest_port: c.dataPort, proto: 'TCP' };
        if (c.filename) ctx.out.emit('suricata', dStart + dDur, eveFileinfo({ ...e, t: dStart + dDur }, 'ftp-data', { filename: c.filename, size: c.dataReset ? Math.floor(c.dataBytes / 3) : c.dataBytes, state: c.dataReset ? 'TRUNCATED' : 'CLOSED', txId: 0 }));
        ctx.out.emit('suricata', dStart + dDur + 30_000_000, eveFlow({ ...e, t: dStart + dDur + 30_000_000 }, 'ftp-data', { pktsToServer: upload ? 3 : pkts, pktsToClient: upload ? pkts : 3, bytesToServer: upload ? 180 : c.dataBytes + pkts * 66, bytesToClient: upload ? c.dataBytes + pkts * 66 : 180, start: dStart, end: dStart + dDur, state: 'closed', reason: 'timeout', alerted: !!c.dataReset }));
        const ps = { t: dStart, dur: dDur, src: s.server, sport: 20, dst: FIREWALL_NAT, dport: c.dataPort, proto: 'tcp' as const, bytesSent: upload ? 180 : c.dataBytes + pkts * 66, bytesRecv: upload ? c.dataBytes + pkts * 66 : 180, pktsSent: upload ? 3 : pkts, pktsRecv: upload ? pkts : 3 };
        const sid = ++ctx.ids.panSession;
        panSession(ctx, rng, { ...ps, dur: 0, bytesSent: 66, bytesRecv: 0, pktsSent: 1, pktsRecv: 0 }, { sessionId: sid, app: 'ftp', inbound: true, natTo: s.client, subtype: 'start', user: s.panUser, endReason: 'n/a', rule: 'FTP data return' });
        panSession(ctx, rng, ps, { sessionId: sid, app: 'ftp', inbound: true, natTo: s.client, user: s.panUser, rule: 'FTP data return', endReason: c.dataReset ? 'threat' : 'tcp-fin', action: c.dataReset ? 'reset-both' : 'allow' });
      }
      if (ctx.zeek) zeekConn(ctx, uid(ctx), { t: dStart, dur: dDur, src: s.server, sport: 20, dst: s.client, dport: c.dataPort, proto: 'tcp', service: 'ftp-data', ob: upload ? 0 : c.dataBytes, rb: upload ? c.dataBytes : 0, op: upload ? 3 : pkts, rp: upload ? pkts : 3 });
    }
  }
  const last = s.cmds[s.cmds.length - 1];
  const end = last ? last.t + 100_000 : s.start + 1_000_000;
  if (external) {
    const e: EveBase = { t: end + 30_000_000, flow_id: sfid, src_ip: s.client, src_port: sport, dest_ip: s.server, dest_port: 21, proto: 'TCP' };
    ctx.out.emit('suricata', e.t, eveFlow(e, 'ftp', { pktsToServer: s.cmds.length * 2 + 3, pktsToClient: s.cmds.length * 2 + 2, bytesToServer: ctlIn, bytesToClient: ctlOut, start: s.start, end, state: 'closed', reason: 'timeout', alerted: false }));
    panSession(ctx, rng, { t: s.start, dur: end - s.start, src: s.client, sport, dst: s.server, dport: 21, proto: 'tcp', bytesSent: ctlIn, bytesRecv: ctlOut, pktsSent: s.cmds.length * 2 + 3, pktsRecv: s.cmds.length * 2 + 2 }, { app: 'ftp', user: s.panUser, rule: 'Inside to Outside', category: 'any' });
  }
  if (ctx.zeek) zeekConn(ctx, u, { t: s.start, dur: end - s.start, src: s.client, sport, dst: s.server, dport: 21, proto: 'tcp', service: 'ftp', ob: ctlIn, rb: ctlOut, op: s.cmds.length * 2 + 3, rp: s.cmds.length * 2 + 2 });
  return res;
}

/** A denied outbound FTP attempt: the firewall drops the SYNs; Stream sees no FTP content. */
export function ftpDenied(ctx: Ctx, rng: Rng, t: number, client: string, server: string, user: string, tries: number): number[] {
  const sport = ephemeral(rng);
  const times: number[] = [];
  for (let i = 0; i < tries; i++) {
    const tt = t + i * (3_000_000 * 2 ** i) + rng.int(0, 3_000);
    panSession(ctx, rng, { t: tt, dur: 0, src: client, sport, dst: server, dport: 21, proto: 'tcp', bytesSent: 66, bytesRecv: 0, pktsSent: 1, pktsRecv: 0 }, { app: 'ftp', action: 'deny', rule: 'block outbound FTP', user, flags: '0x400000', endReason: 'policy-deny' });
    times.push(tt);
  }
  if (ctx.zeek) zeekConn(ctx, uid(ctx), { t, dur: 0, src: client, sport, dst: server, dport: 21, proto: 'tcp', service: '', ob: 0, rb: 0, op: tries, rp: 0, state: 'S0' });
  return times;
}
