/**
 * Generic formats: Splunk Stream JSON, generic JSON lines, CSV/TSV with a header, and plain text
 * lines with a syslog header parse (RFC 3164 / RFC 5424) and Splunk KV_MODE=auto key=value
 * extraction. The text format is the fallback: it accepts any line, so nothing is dropped.
 */
import type { FieldValue, Scalar } from '../event.js';
import type { Format, FormatContext, ParseSink, RecordParser } from './types.js';
import { anyTimeToMicros, isoToMicros, syslogTimeToMicros } from '../timestamps.js';
import { autoNumber, clip, flattenJson, flattenJsonInPlace, parseJsonObject } from './util.js';

// ------------------------------------------------------------------------------- Splunk Stream

export const STREAM_APPS: Record<string, string> = {
  dns: 'dns', http: 'http', ftp: 'ftp', smb: 'smb', smb2: 'smb', tcp: 'tcp', udp: 'udp', icmp: 'icmp', tls: 'tcp',
  ssl: 'tcp', smtp: 'smtp', pop3: 'pop3', imap: 'imap', dhcp: 'dhcp', ldap: 'ldap', mysql: 'mysql', sip: 'sip',
  rdp: 'tcp', ssh: 'tcp', krb: 'krb', kerberos: 'krb', ntlm: 'tcp', arp: 'arp', irc: 'irc', snmp: 'snmp',
};

/** stream:<app> from protocol_stack ("ip:udp:dns" → stream:dns) or the event's fields. */
export function streamSourcetype(o: Record<string, unknown>): string {
  const ps = o.protocol_stack;
  if (typeof ps === 'string' && ps) {
    const parts = ps.toLowerCase().split(':');
    for (let i = parts.length - 1; i >= 0; i--) {
      // own names only: "constructor" or "toString" in a log must not read Object.prototype
      const a = Object.hasOwn(STREAM_APPS, parts[i]!) ? STREAM_APPS[parts[i]!] : undefined;
      if (a) return 'stream:' + a;
    }
  }
  if ('query' in o && ('message_type' in o || 'reply_code' in o || 'query_type' in o)) return 'stream:dns';
  if ('http_method' in o || 'uri_path' in o || 'site' in o) return 'stream:http';
  if ('loadway' in o || 'ftp_index' in o || ('method' in o && 'reply_content' in o)) return 'stream:ftp';
  if ('dialect' in o || ('command' in o && 'nt_status' in o)) return 'stream:smb';
  const t = o.transport;
  if (t === 'udp') return 'stream:udp';
  if (t === 'tcp') return 'stream:tcp';
  return 'stream:tcp';
}

class StreamParser implements RecordParser {
  private readonly forced: string | undefined;
  constructor(private readonly ctx: FormatContext) {
    this.forced = ctx.sourcetype; // a sourcetype the user names is the event's sourcetype
  }
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    // An empty line in a JSON-lines file is kept aside, not dropped (it may be a truncated write).
    if (text.length === 0 || /^\s*$/.test(text)) { out.quarantine({ line: lineNo, offset: endOffset, text, reason: 'stream: empty line' }); return; }
    const { obj, error } = parseJsonObject(text);
    if (!obj) { out.quarantine({ line: lineNo, offset: endOffset, text, reason: `stream: invalid JSON (${error})` }); return; }
    // Stream writes endtime first; Splunk's timestamp extraction takes the first time in the event
    const ts = obj.endtime ?? obj.timestamp ?? obj._time;
    const time = typeof ts === 'string' ? (isoToMicros(ts) ?? anyTimeToMicros(ts, this.ctx.tz)) : anyTimeToMicros(ts);
    if (time === undefined) {
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: ts === undefined ? 'stream: no endtime/timestamp field' : `stream: unreadable timestamp ${clip(JSON.stringify(ts), 40)}` });
      return;
    }
    const sourcetype = this.forced ?? streamSourcetype(obj);
    const fields = flattenJsonInPlace(obj, true);
    out.event({ time, sourcetype, raw: text, fields }, endOffset);
  }
  end(): void {}
}

export const stream: Format = {
  id: 'stream',
  sourcetypes: [/^stream:/],
  resume: 'seek',
  detect(head: string): number {
    const nl = head.indexOf('\n');
    const first = (nl >= 0 ? head.slice(0, nl) : head).trimStart();
    if (!first.startsWith('{')) return 0;
    if (/"protocol_stack"\s*:/.test(first)) return 0.96;
    if (/"endtime"\s*:/.test(first) && /"timestamp"\s*:/.test(first) && /"(src_ip|flow_id|dest_ip)"\s*:/.test(first)) return 0.93;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new StreamParser(ctx); },
};

// ----------------------------------------------------------------------------- generic JSON

const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', '_time'];

class JsonParser implements RecordParser {
  constructor(private readonly ctx: FormatContext) {}
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    // An empty line in a JSON-lines file is kept aside, not dropped (it may be a truncated write).
    if (text.length === 0 || /^\s*$/.test(text)) { out.quarantine({ line: lineNo, offset: endOffset, text, reason: 'json: empty line' }); return; }
    const { obj, error } = parseJsonObject(text);
    if (!obj) { out.quarantine({ line: lineNo, offset: endOffset, text, reason: `json: invalid JSON (${error})` }); return; }
    let time: number | undefined;
    for (const k of TIME_KEYS) {
      const v = obj[k];
      if (v === undefined || v === null || v === '') continue;
      time = anyTimeToMicros(v, this.ctx.tz);
      if (time === undefined) {
        out.quarantine({ line: lineNo, offset: endOffset, text, reason: `json: unreadable time in "${k}": ${clip(JSON.stringify(v), 40)}` });
        return;
      }
      break;
    }
    let host: string | undefined;
    if (typeof obj.host === 'string') { host = obj.host; delete obj.host; }
    const fields: Record<string, FieldValue> = {};
    flattenJson(obj, fields);
    out.event({ time, sourcetype: this.ctx.sourcetype ?? '_json', host, raw: text, fields }, endOffset);
  }
  end(): void {}
}

export const json: Format = {
  id: 'json',
  sourcetypes: ['_json', 'json', 'json_no_timestamp'],
  resume: 'seek',
  detect(head: string): number {
    const nl = head.indexOf('\n');
    const first = (nl >= 0 ? head.slice(0, nl) : head).trim();
    if (first.startsWith('{') && first.endsWith('}')) return 0.5;
    if (first.startsWith('{')) return 0.3;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new JsonParser(ctx); },
};

// ------------------------------------------------------------------------------------ CSV

/** Split one delimited record; returns undefined when a quoted field is still open at line end. */
export function splitDelimited(s: string, d: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  for (;;) {
    if (s[i] === '"') {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) return undefined; // record continues on the next line
        if (s[q + 1] === '"') { v += s.slice(j, q) + '"'; j = q + 2; continue; }
        v += s.slice(j, q);
        j = q + 1;
        break;
      }
      // tolerate junk between the closing quote and the delimiter
      const c = s.indexOf(d, j);
      if (c < 0) { out.push(v + s.slice(j)); return out; }
      out.push(v + s.slice(j, c));
      i = c + d.length;
    } else {
      const c = s.indexOf(d, i);
      if (c < 0) { out.push(s.slice(i)); return out; }
      out.push(s.slice(i, c));
      i = c + d.length;
    }
    if (i > n) return out;
  }
}

const CSV_TIME = /^(_time|time|timestamp|@timestamp|ts|datetime|date_time|eventtime|event_time|utctime|date)$/i;

function countOutsideQuotes(l: string, d: string): number {
  let n = 0, q = false;
  for (let i = 0; i < l.length; i++) {
    const c = l[i];
    if (c === '"') q = !q;
    else if (!q && c === d) n++;
  }
  return n;
}

function guessDelimiter(lines: string[]): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const d of ['\t', ',', ';', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    if (counts[0] < 1) continue;
    const same = counts.filter((c) => c === counts[0]).length;
    if (same < Math.max(1, Math.ceil(lines.length * 0.6))) continue;
    if (counts[0] > bestCount) { best = d; bestCount = counts[0]; }
  }
  return best;
}

function headerName(h: string, i: number): string {
  const t = h.trim().replace(/^\uFEFF/, '');
  if (!t) return `field${i + 1}`;
  return t.replace(/[^A-Za-z0-9_.@{}\-]+/g, '_');
}

class CsvParser implements RecordParser {
  private delim: string | undefined;
  private header: string[] | undefined;
  private timeCol = -1;
  private pending: string[] = [];
  private pendingLine = 0;
  private lastOffset = 0;
  constructor(private readonly ctx: FormatContext, private readonly forcedDelim?: string) {
    this.delim = forcedDelim;
  }

  private record(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    const d = this.delim!;
    const parts = splitDelimited(text, d)!;
    if (!this.header) {
      this.header = parts.map(headerName);
      this.timeCol = this.header.findIndex((h) => CSV_TIME.test(h));
      return;
    }
    const h = this.header;
    if (parts.length !== h.length && !(parts.length > h.length && parts.slice(h.length).every((x) => x === ''))) {
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: `csv: ${parts.length} columns, header has ${h.length}` });
      return;
    }
    const fields: Record<string, FieldValue> = {};
    for (let i = 0; i < h.length; i++) {
      const v = parts[i];
      if (v === undefined || v === '') continue;
      fields[h[i]] = autoNumber(v);
    }
    let time: number | undefined;
    if (this.timeCol >= 0 && parts[this.timeCol]) {
      time = anyTimeToMicros(autoNumber(parts[this.timeCol]), this.ctx.tz) ?? anyTimeToMicros(parts[this.timeCol], this.ctx.tz);
      if (time === undefined) {
        out.quarantine({ line: lineNo, offset: endOffset, text, reason: `csv: unreadable time in column "${h[this.timeCol]}": ${clip(parts[this.timeCol], 40)}` });
        return;
      }
    }
    let host: string | undefined;
    if (typeof fields.host === 'string') { host = fields.host; delete fields.host; }
    out.event({ time, sourcetype: this.ctx.sourcetype ?? (d === '\t' ? 'tsv' : 'csv'), host, raw: text, fields }, endOffset);
  }

  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    this.lastOffset = endOffset;
    if (this.pending.length) {
      this.pending.push(text);
      const joined = this.pending.join('\n');
      if (splitDelimited(joined, this.delim!) === undefined) {
        if (this.pending.length > 1000) {
          out.quarantine({ line: this.pendingLine, offset: endOffset, text: joined, reason: 'csv: quoted field not closed within 1000 lines' });
          this.pending = [];
        }
        return;
      }
      this.pending = [];
      this.record(joined, this.pendingLine, endOffset, out);
      return;
    }
    if (text.length === 0) return;
    if (!this.header && text.startsWith('#')) return; // comment lines before the header
    if (!this.delim) {
      this.delim = guessDelimiter([text]) ?? ',';
    }
    if (splitDelimited(text, this.delim) === undefined) {
      this.pending = [text];
      this.pendingLine = lineNo;
      return;
    }
    this.record(text, lineNo, endOffset, out);
  }

  end(out: ParseSink): void {
    if (this.pending.length) {
      out.quarantine({ line: this.pendingLine, offset: this.lastOffset, text: this.pending.join('\n'), reason: 'csv: input ended inside a quoted field' });
      this.pending = [];
    }
  }
}

export const csv: Format = {
  id: 'csv',
  sourcetypes: ['csv', 'tsv'],
  resume: 'replay',
  detect(head: string, fileName: string): number {
    const lines = head.split('\n').filter((l) => l.trim() && !l.startsWith('#')).slice(0, 20).map((l) => l.replace(/\r$/, ''));
    if (lines.length === 0) return 0;
    if (lines[0].trimStart().startsWith('{') || lines[0].trimStart().startsWith('<')) return 0;
    const d = guessDelimiter(lines.length > 1 ? lines : [lines[0]]);
    if (!d) return 0;
    // a header row: no field of the first line looks like a number or a time
    const head0 = lines[0].split(d);
    const looksHeader = head0.every((h) => h.trim() !== '' && !/^[\d.:\/\- ]+$/.test(h.trim()));
    if (!looksHeader) return 0;
    if (/\.(csv|tsv)(\.gz)?$/i.test(fileName)) return 0.7;
    return lines.length > 1 ? 0.35 : 0.2;
  },
  open(ctx: FormatContext): RecordParser { return new CsvParser(ctx); },
};

// ------------------------------------------------------------------------- text (syslog + KV)

const KV_RE = /(?:^|[\s,;|])([A-Za-z_][A-Za-z0-9_.\-]*)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,;"]*))/g;

/** Splunk KV_MODE=auto: key=value, key="quoted value", key='quoted'. First value of a key wins, later ones make a multivalue. */
export function extractKv(s: string, fields: Record<string, FieldValue>): void {
  KV_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KV_RE.exec(s))) {
    const k = m[1];
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3] !== undefined ? m[3] : m[4];
    if (raw === undefined) continue;
    const v: Scalar = m[2] !== undefined || m[3] !== undefined ? raw : autoNumber(raw);
    const cur = fields[k];
    if (cur === undefined) fields[k] = v;
    else if (Array.isArray(cur)) cur.push(v);
    else fields[k] = [cur, v];
  }
}

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

const RFC5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Za-z]{3} [ \d]\d(?: \d{4})? \d{2}:\d{2}:\d{2}(?:\.\d+)?) (?:(\S+) )?([^\s:\[]+)?(?:\[(\d+)\])?: ?(.*)$/;
const ISO_LEAD = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s/;

export interface SyslogParts { time?: number; host?: string; fields: Record<string, FieldValue>; message: string; syslog: boolean }

/** Parse a syslog line (RFC 5424 or 3164), or return the line as the message. */
export function parseSyslogLine(line: string, tz: string): SyslogParts {
  const fields: Record<string, FieldValue> = {};
  const pri = (p: string | undefined) => {
    if (p === undefined) return;
    const n = Number(p);
    fields.facility = FACILITIES[n >> 3] ?? String(n >> 3);
    fields.severity = SEVERITIES[n & 7];
    fields.priority = n;
  };
  let m = RFC5424.exec(line);
  if (m) {
    pri(m[1]);
    const time = isoToMicros(m[3], tz);
    const host = m[4] === '-' ? undefined : m[4];
    if (m[5] !== '-') fields.program = m[5];
    if (m[6] !== '-') fields.pid = autoNumber(m[6]);
    if (m[7] !== '-') fields.msgid = m[7];
    if (m[8] !== '-') {
      // structured data: [id k="v" ...]
      const sd = /\[([^\s\]]+)((?:\s+[^=\s]+="(?:[^"\\]|\\.)*")*)\]/g;
      let s: RegExpExecArray | null;
      while ((s = sd.exec(m[8]))) {
        const id = s[1];
        const pr = /([^=\s]+)="((?:[^"\\]|\\.)*)"/g;
        let p: RegExpExecArray | null;
        while ((p = pr.exec(s[2]))) fields[`${id}.${p[1]}`] = p[2].replace(/\\(.)/g, '$1');
      }
    }
    let msg = m[9] ?? '';
    if (msg.startsWith('\uFEFF')) msg = msg.slice(1);
    return { time, host, fields, message: msg, syslog: true };
  }
  m = RFC3164.exec(line);
  if (m) {
    const time = syslogTimeToMicros(m[2].replace(/\s+/g, ' '), tz);
    if (time !== undefined) {
      pri(m[1]);
      let host: string | undefined = m[3];
      let program: string | undefined = m[4];
      // "Mmm dd hh:mm:ss program[pid]: msg" without a host
      if (host && program === undefined) { program = host; host = undefined; }
      if (program) fields.program = program;
      if (m[5]) fields.pid = Number(m[5]);
      return { time, host, fields, message: m[6], syslog: true };
    }
  }
  const iso = ISO_LEAD.exec(line);
  if (iso) return { time: isoToMicros(iso[1].replace(',', '.'), tz), fields, message: line.slice(iso[0].length), syslog: false };
  return { fields, message: line, syslog: false };
}

class TextParser implements RecordParser {
  constructor(private readonly ctx: FormatContext) {}
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (text.length === 0 || /^\s*$/.test(text)) return;
    const p = parseSyslogLine(text, this.ctx.tz);
    extractKv(p.message, p.fields);
    let time = p.time;
    if (time === undefined) {
      for (const k of ['time', 'timestamp', 'ts', 'date']) {
        const v = p.fields[k];
        if (v !== undefined && !Array.isArray(v)) { time = anyTimeToMicros(v, this.ctx.tz); if (time !== undefined) break; }
      }
    }
    if (p.syslog && p.message) p.fields.message = p.message;
    const sourcetype = this.ctx.sourcetype ?? (p.syslog ? 'syslog' : 'text');
    out.event({ time, sourcetype, host: p.host, raw: text, fields: p.fields }, endOffset);
  }
  end(): void {}
}

export const text: Format = {
  id: 'text',
  sourcetypes: ['syslog', 'text', 'kv'],
  resume: 'seek',
  detect(head: string): number {
    const first = head.split('\n').find((l) => l.trim()) ?? '';
    if (RFC5424.test(first) || RFC3164.test(first)) return 0.45;
    return head.trim() ? 0.05 : 0;
  },
  open(ctx: FormatContext): RecordParser { return new TextParser(ctx); },
};
