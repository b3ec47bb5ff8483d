/**
 * Suricata EVE JSON (4.1-era field layout: flow, dns v1 query/answer records, http, tls, fileinfo,
 * ftp, alert). The sensor sits between the core switch and the firewall's inside interface, so it
 * sees inside (pre-NAT) addresses of traffic that leaves or enters Frothly, and its clock is UTC.
 */
import { suricataTs } from '../time.js';

export interface EveBase {
  t: number; flow_id: number; src_ip: string; src_port: number; dest_ip: string; dest_port: number; proto: 'TCP' | 'UDP';
}

function head(e: EveBase, type: string): string {
  return `{"timestamp":"${suricataTs(e.t)}","flow_id":${e.flow_id},"in_iface":"eth1","event_type":"${type}","src_ip":"${e.src_ip}","src_port":${e.src_port},"dest_ip":"${e.dest_ip}","dest_port":${e.dest_port},"proto":"${e.proto}"`;
}

export function eveFlow(e: EveBase, app: string | undefined, f: { pktsToServer: number; pktsToClient: number; bytesToServer: number; bytesToClient: number; start: number; end: number; state: string; reason: string; alerted: boolean; tcpFlags?: string }): string {
  const age = Math.max(0, Math.round((f.end - f.start) / 1e6));
  let s = head(e, 'flow');
  if (app) s += `,"app_proto":"${app}"`;
  s += `,"flow":{"pkts_toserver":${f.pktsToServer},"pkts_toclient":${f.pktsToClient},"bytes_toserver":${f.bytesToServer},"bytes_toclient":${f.bytesToClient},"start":"${suricataTs(f.start)}","end":"${suricataTs(f.end)}","age":${age},"state":"${f.state}","reason":"${f.reason}","alerted":${f.alerted}}`;
  if (e.proto === 'TCP') {
    const fl = f.tcpFlags ?? '1b';
    s += `,"tcp":{"tcp_flags":"${fl}","tcp_flags_ts":"${fl}","tcp_flags_tc":"${fl === '02' ? '00' : '1b'}","syn":true${fl === '02' ? '' : ',"fin":true,"psh":true,"ack":true'},"state":"${f.state === 'closed' ? 'closed' : 'new'}"}`;
  }
  return s + '}';
}

export function eveDnsQuery(e: EveBase, id: number, rrname: string, rrtype: string): string {
  return head(e, 'dns') + `,"dns":{"type":"query","id":${id},"rrname":${JSON.stringify(rrname)},"rrtype":"${rrtype}","tx_id":0}}`;
}
export function eveDnsAnswer(e: EveBase, id: number, rrname: string, rrtype: string, rcode: string, answer?: { ttl: number; rdata: string }): string {
  let d = `{"type":"answer","id":${id},"rcode":"${rcode}","rrname":${JSON.stringify(rrname)}`;
  if (answer) d += `,"rrtype":"${rrtype}","ttl":${answer.ttl},"rdata":"${answer.rdata}"`;
  return head(e, 'dns') + `,"dns":${d}}}`;
}

export function eveHttp(e: EveBase, h: { hostname: string; url: string; ua: string; method: string; status: number; length: number; contentType: string; referer?: string }): string {
  const o: Record<string, unknown> = { hostname: h.hostname, url: h.url, http_user_agent: h.ua, http_content_type: h.contentType };
  if (h.referer) o.http_refer = h.referer;
  o.http_method = h.method; o.protocol = 'HTTP/1.1'; o.status = h.status; o.length = h.length;
  return head(e, 'http') + `,"tx_id":0,"http":${JSON.stringify(o)}}`;
}

export function eveTls(e: EveBase, tls: { subject: string; issuerdn: string; serial: string; fingerprint: string; sni: string; version: string; notbefore: string; notafter: string }): string {
  return head(e, 'tls') + `,"tls":${JSON.stringify(tls)}}`;
}

export function eveFileinfo(e: EveBase, app: string, fi: { filename: string; size: number; state: string; txId: number }, extra?: Record<string, unknown>): string {
  let s = head(e, 'fileinfo');
  if (extra) for (const [k, v] of Object.entries(extra)) s += `,"${k}":${JSON.stringify(v)}`;
  s += `,"app_proto":"${app}","fileinfo":{"filename":${JSON.stringify(fi.filename)},"gaps":false,"state":"${fi.state}","stored":false,"size":${fi.size},"tx_id":${fi.txId}}}`;
  return s;
}

export function eveFtp(e: EveBase, f: { command: string; data: string; reply: string[]; code: string[]; dynamicPort?: number }): string {
  const o: Record<string, unknown> = { command: f.command, command_data: f.data, reply: f.reply, completion_code: f.code };
  if (f.dynamicPort) o.dynamic_port = f.dynamicPort;
  o.reply_received = 'yes';
  return head(e, 'ftp') + `,"ftp":${JSON.stringify(o)}}`;
}

export function eveAlert(e: EveBase, a: { signature_id: number; rev: number; signature: string; category: string; severity: number; action?: string }, app?: string): string {
  let s = head(e, 'alert');
  s += `,"alert":{"action":"${a.action ?? 'allowed'}","gid":1,"signature_id":${a.signature_id},"rev":${a.rev},"signature":${JSON.stringify(a.signature)},"category":${JSON.stringify(a.category)},"severity":${a.severity}}`;
  if (app) s += `,"app_proto":"${app}"`;
  return s + '}';
}
