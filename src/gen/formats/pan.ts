/**
 * PAN-OS syslog CSV, PAN-OS 8.1 field positions (TRAFFIC: 65 fields, THREAT: 72 fields), behind an
 * RFC 3164 syslog header written by the firewall (10.0.1.1, host "growler"). Times are the
 * firewall's local clock (America/Los_Angeles), as in the real BOTS v2 lines.
 */
import { panTime, syslogTime } from '../time.js';
import { FIREWALL_IP, FIREWALL_SERIAL } from '../network.js';

export interface PanSession {
  t: number; /** session start */
  dur: number; /** µs */
  subtype: 'end' | 'start' | 'deny' | 'drop';
  src: string; dst: string; natsrc: string; natdst: string;
  rule: string; srcuser: string; app: string;
  fromZone: string; toZone: string; inIf: string; outIf: string;
  sessionId: number; sport: number; dport: number; natsport: number; natdport: number;
  flags: string; proto: string; action: string;
  bytesSent: number; bytesRecv: number; pktsSent: number; pktsRecv: number;
  category: string; seq: number; srcloc: string; dstloc: string; endReason: string;
}

function csvField(s: string): string { return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; }

/** The time the firewall logs a session: its end (or its start for start/deny logs). */
export function panLogTime(s: PanSession): number {
  return s.subtype === 'end' ? s.t + s.dur + 400_000 : s.t + 300_000;
}

export function trafficLine(s: PanSession): string {
  const logT = panLogTime(s);
  const gen = panTime(logT);
  const f: (string | number)[] = [
    1, gen, FIREWALL_SERIAL, 'TRAFFIC', s.subtype, 1, gen, s.src, s.dst, s.natsrc, s.natdst, csvField(s.rule), csvField(s.srcuser), '',
    s.app, 'vsys1', s.fromZone, s.toZone, s.inIf, s.outIf, 'Jupiter', gen, s.sessionId, 1, s.sport, s.dport, s.natsport, s.natdport,
    s.flags, s.proto, s.action, s.bytesSent + s.bytesRecv, s.bytesSent, s.bytesRecv, s.pktsSent + s.pktsRecv, panTime(s.t),
    Math.round(s.dur / 1e6), s.category, 0, s.seq, '0x0', s.srcloc, s.dstloc, 0, s.pktsSent, s.pktsRecv, s.endReason,
    0, 0, 0, 0, '', 'growler', 'from-policy', '', '', 0, '', 0, '', 'N/A', 0, 0, 0, 0,
  ];
  return `${syslogTime(logT + 1_000_000)} ${FIREWALL_IP} ${f.join(',')}`;
}

export interface PanThreat extends Omit<PanSession, 'subtype' | 'dur' | 'bytesSent' | 'bytesRecv' | 'pktsSent' | 'pktsRecv' | 'endReason' | 'category'> {
  subtype: 'vulnerability' | 'file' | 'virus' | 'spyware' | 'url' | 'wildfire';
  misc: string; threat: string; category: string; severity: string; direction: string; contentType: string;
  fileType: string; thrCategory: string; contentVer: string;
}

export function threatLine(s: PanThreat): string {
  const gen = panTime(s.t);
  const f: (string | number)[] = [
    1, gen, FIREWALL_SERIAL, 'THREAT', s.subtype, 1, gen, s.src, s.dst, s.natsrc, s.natdst, csvField(s.rule), csvField(s.srcuser), '',
    s.app, 'vsys1', s.fromZone, s.toZone, s.inIf, s.outIf, 'Jupiter', gen, s.sessionId, 1, s.sport, s.dport, s.natsport, s.natdport,
    s.flags, s.proto, s.action, `"${s.misc.replace(/"/g, '""')}"`, csvField(s.threat), s.category, s.severity, s.direction, s.seq, '0x8000000000000000',
    s.srcloc, s.dstloc, 0, s.contentType, 0, '', '', 0, '', s.fileType, '', '', '', '', '', 0,
    0, 0, 0, 0, '', 'growler', '', '', '', '', 0, '', 0, '', 'N/A', s.thrCategory, s.contentVer, '0x0',
  ];
  return `${syslogTime(s.t + 1_000_000)} ${FIREWALL_IP} ${f.join(',')}`;
}

/** Location field as PAN-OS writes it: the private range for RFC 1918 addresses, else a country. */
export function panLocation(ip: string): string {
  if (ip.startsWith('10.')) return '10.0.0.0-10.255.255.255';
  if (ip.startsWith('172.16.')) return '172.16.0.0-172.31.255.255';
  if (ip.startsWith('192.168.')) return '192.168.0.0-192.168.255.255';
  return 'US';
}
