/**
 * PAN-OS syslog CSV (pan:traffic, pan:threat, pan:system, pan:config, pan:correlation,
 * pan:hipmatch, pan:userid, pan:globalprotect, pan:log for other types), with or without a
 * syslog header (RFC 3164, RFC 5424, or relayed twice), and CEF lines (Traps: pan:traps4,
 * other vendors: cef) that PAN log files carry alongside.
 *
 * Field positions follow Palo Alto's documented syslog field order for PAN-OS 8.0 to 11.x
 * (older layouts are prefixes of these, except CONFIG before 8.0, detected by its shape). Field
 * names are the Splunk Add-on for Palo Alto Networks' names. Times carry no zone: ctx.tz.
 * _time is the Generated Time (time on the dataplane), else the Receive Time.
 */
import type { FieldValue } from '../event.js';
import type { Format, FormatContext, ParseSink, RecordParser } from './types.js';
import { anyTimeToMicros, epochNumberToMicros, isoToMicros, syslogTimeToMicros, ymdHmsToMicros } from '../timestamps.js';
import { autoNumber, clip } from './util.js';

const PREFIX = ['future_use1', 'receive_time', 'serial_number', 'type', 'log_subtype', 'future_use2', 'generated_time'];
const NET = [
  'src_ip', 'dest_ip', 'src_translated_ip', 'dest_translated_ip', 'rule', 'src_user', 'dest_user', 'app', 'vsys',
  'src_zone', 'dest_zone', 'src_interface', 'dest_interface', 'log_forwarding_profile', 'future_use3', 'session_id',
  'repeat_count', 'src_port', 'dest_port', 'src_translated_port', 'dest_translated_port', 'session_flags', 'protocol',
  'action',
];
const DG = ['dg_hier_level_1', 'dg_hier_level_2', 'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'dvc_name'];
const DEVICE_ID = [
  'src_category', 'src_profile', 'src_model', 'src_vendor', 'src_osfamily', 'src_osversion', 'src_host', 'src_mac',
  'dest_category', 'dest_profile', 'dest_model', 'dest_vendor', 'dest_osfamily', 'dest_osversion', 'dest_host', 'dest_mac',
];
const APP_CHARS = [
  'subcategory_of_app', 'category_of_app', 'technology_of_app', 'risk_of_app', 'characteristic_of_app',
  'container_of_app', 'tunneled_app', 'is_saas_of_app', 'sanctioned_state_of_app',
];

/** Column names by log type (index = CSV column). */
export const PAN_FIELDS: Record<string, string[]> = {
  TRAFFIC: [
    ...PREFIX, ...NET,
    'bytes', 'bytes_out', 'bytes_in', 'packets', 'start_time', 'duration', 'http_category', 'future_use4',
    'sequence_number', 'action_flags', 'src_location', 'dest_location', 'future_use5', 'packets_out', 'packets_in',
    'session_end_reason', ...DG, 'action_source', 'src_vm', 'dest_vm', 'tunnel_id', 'monitor_tag', 'parent_session_id',
    'parent_start_time', 'tunnel_type', 'sctp_association_id', 'sctp_chunks', 'sctp_chunks_sent',
    'sctp_chunks_received', 'rule_uuid', 'http2_connection', 'app_flap_count', 'policy_id', 'link_switches',
    'sdwan_cluster', 'sdwan_device_type', 'sdwan_cluster_type', 'sdwan_site', 'dynusergroup_name', 'xff_ip',
    ...DEVICE_ID, 'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dest_edl', 'host_id',
    'serial_number_device', 'src_dag', 'dest_dag', 'session_owner', 'high_res_timestamp', 'nssai_sst', 'nssai_sd',
    ...APP_CHARS, 'offloaded', 'flow_type', 'cluster_name',
  ],
  THREAT: [
    ...PREFIX, ...NET,
    'misc', 'threat', 'category', 'severity', 'direction', 'sequence_number', 'action_flags', 'src_location',
    'dest_location', 'future_use4', 'content_type', 'pcap_id', 'file_hash', 'cloud_address', 'url_index', 'user_agent',
    'file_type', 'xff', 'referrer', 'sender', 'subject', 'recipient', 'report_id', ...DG, 'future_use5', 'src_vm',
    'dest_vm', 'http_method', 'tunnel_id', 'monitor_tag', 'parent_session_id', 'parent_start_time', 'tunnel_type',
    'threat_category', 'content_version', 'future_use6', 'sctp_association_id', 'payload_protocol_id',
    'http_headers', 'url_category_list', 'rule_uuid', 'http2_connection', 'dynusergroup_name', 'xff_ip',
    ...DEVICE_ID, 'container_id', 'pod_namespace', 'pod_name', 'src_edl', 'dest_edl', 'host_id',
    'serial_number_device', 'domain_edl', 'src_dag', 'dest_dag', 'partial_hash', 'high_res_timestamp', 'reason',
    'justification', 'nssai_sst', ...APP_CHARS, 'cloud_reportid', 'cluster_name', 'flow_type',
  ],
  SYSTEM: [
    ...PREFIX, 'vsys', 'event_id', 'object', 'future_use3', 'future_use4', 'module', 'severity', 'description',
    'sequence_number', 'action_flags', ...DG, 'future_use5', 'future_use6', 'high_res_timestamp',
  ],
  CONFIG: [
    ...PREFIX, 'client_host', 'vsys', 'cmd', 'admin', 'client', 'result', 'configuration_path', 'before_change_detail',
    'after_change_detail', 'sequence_number', 'action_flags', ...DG, 'device_group', 'audit_comment', 'future_use3',
    'high_res_timestamp',
  ],
  CONFIG_LEGACY: [
    ...PREFIX, 'client_host', 'vsys', 'cmd', 'admin', 'client', 'result', 'configuration_path', 'sequence_number',
    'action_flags', ...DG,
  ],
  CORRELATION: [
    ...PREFIX, 'src_ip', 'src_user', 'vsys', 'category', 'severity', 'dg_hier_level_1', 'dg_hier_level_2',
    'dg_hier_level_3', 'dg_hier_level_4', 'vsys_name', 'dvc_name', 'vsys_id', 'object_name', 'object_id', 'evidence',
  ],
  'HIP-MATCH': [
    ...PREFIX, 'src_user', 'vsys', 'src_host', 'src_osfamily', 'src_ip', 'hip_match_name', 'repeat_count',
    'hip_match_type', 'future_use3', 'future_use4', 'sequence_number', 'action_flags', ...DG, 'vsys_id',
    'src_ipv6', 'host_id', 'serial_number_device', 'src_mac', 'high_res_timestamp', 'cluster_name',
  ],
  USERID: [
    ...PREFIX, 'vsys', 'src_ip', 'user', 'datasource_name', 'event_id', 'repeat_count', 'timeout_threshold', 'src_port',
    'dest_port', 'datasource', 'datasource_type', 'sequence_number', 'action_flags', ...DG, 'vsys_id',
    'factor_type', 'factor_completion_time', 'factor_number', 'ugflags', 'user_by_source', 'tag_name',
    'high_res_timestamp', 'origin_datasource', 'cluster_name',
  ],
  GLOBALPROTECT: [
    ...PREFIX, 'vsys', 'event_id', 'stage', 'auth_method', 'tunnel_type', 'src_user', 'src_region', 'machine_name',
    'public_ip', 'public_ipv6', 'private_ip', 'private_ipv6', 'host_id', 'serial_number_device', 'client_ver',
    'client_os', 'client_os_ver', 'repeat_count', 'reason', 'error', 'description', 'status', 'location',
    'login_duration', 'connect_method', 'error_code', 'portal', 'sequence_number', 'action_flags',
    'high_res_timestamp', 'selection_type', 'response_time', 'priority', 'attempted_gateways', 'gateway',
    ...DG, 'vsys_id', 'cluster_name',
  ],
};

const SOURCETYPE: Record<string, string> = {
  TRAFFIC: 'pan:traffic', THREAT: 'pan:threat', SYSTEM: 'pan:system', CONFIG: 'pan:config',
  CORRELATION: 'pan:correlation', 'HIP-MATCH': 'pan:hipmatch', USERID: 'pan:userid',
  GLOBALPROTECT: 'pan:globalprotect', DECRYPTION: 'pan:decryption', AUTHENTICATION: 'pan:authentication',
  TUNNEL: 'pan:tunnel', GTP: 'pan:gtp', SCTP: 'pan:sctp', IPTAG: 'pan:iptag',
};

const MIN_COLUMNS: Record<string, number> = { TRAFFIC: 40, THREAT: 40, SYSTEM: 15, CONFIG: 14, CORRELATION: 20 };

/** Numeric columns (kept as numbers); everything else stays text (serials, flags, ids as written). */
const NUMERIC = new Set([
  'repeat_count', 'src_port', 'dest_port', 'src_translated_port', 'dest_translated_port', 'bytes', 'bytes_out',
  'bytes_in', 'packets', 'duration', 'packets_out', 'packets_in', 'session_id', 'sequence_number', 'pcap_id',
  'url_index', 'report_id', 'parent_session_id', 'app_flap_count', 'sctp_chunks', 'sctp_chunks_sent',
  'sctp_chunks_received', 'object_id', 'risk_of_app', 'timeout_threshold', 'login_duration',
]);

/** Split one CSV record the way PAN-OS writes it: fields with commas are double-quoted, "" is a quote. */
export function splitPanCsv(s: string, start = 0): string[] {
  const out: string[] = [];
  let i = start;
  const n = s.length;
  while (i <= n) {
    if (s.charCodeAt(i) === 34 /* " */) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) { v += s.slice(j); j = n; break; }
        if (s.charCodeAt(q + 1) === 34) { v += s.slice(j, q) + '"'; j = q + 2; continue; }
        if (q + 1 >= n || s.charCodeAt(q + 1) === 44) { v += s.slice(j, q); j = q + 1; break; }
        // a stray quote inside a quoted value (seen in the wild): keep it and go on
        v += s.slice(j, q + 1);
        j = q + 1;
      }
      out.push(v);
      i = j + 1;
    } else {
      const c = s.indexOf(',', i);
      if (c < 0) { out.push(s.slice(i)); break; }
      out.push(s.slice(i, c));
      i = c + 1;
      if (i === n) { out.push(''); break; }
    }
  }
  return out;
}

const CSV_START = /(?:^|[\s>:])(\d+),(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}),([^,]*),([A-Z][A-Z-]*),/;

interface SyslogHeader { host?: string; time?: number }

/** Parse what precedes the payload: "<14>Aug 23 21:16:41 10.0.1.1", RFC 5424, or two relayed headers. */
export function parseSyslogHeader(h: string, tz: string, refYear?: number): SyslogHeader {
  let s = h.trim();
  if (!s) return {};
  const pri = /^<\d{1,3}>/.exec(s);
  if (pri) s = s.slice(pri[0].length);
  // RFC 5424: "1 2020-10-13T01:12:15.892Z host app procid msgid [sd]"
  const r5424 = /^\d{1,2} (\S+) (\S+)(?: (\S+) (\S+) (\S+))?/.exec(s);
  if (r5424 && /^\d{4}-\d{2}-\d{2}T/.test(r5424[1])) {
    return { time: isoToMicros(r5424[1], tz), host: r5424[2] === '-' ? undefined : r5424[2] };
  }
  const TS = /^([A-Za-z]{3}\s+\d{1,2}(?:\s+\d{4})?\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s+([^\s]+))?/;
  let time: number | undefined;
  let host: string | undefined;
  let rest = s;
  for (let k = 0; k < 3; k++) {
    const m = TS.exec(rest);
    if (!m) break;
    if (time === undefined) time = syslogTimeToMicros(m[1], tz, refYear);
    if (m[2] && !/^[A-Za-z]{3}$/.test(m[2])) host = m[2];
    rest = rest.slice(m[0].length).trim();
    if (!rest) break;
    if (!TS.test(rest) && /^\S+$/.test(rest)) host = rest;
  }
  if (time === undefined) {
    const iso = /^(\d{4}-\d{2}-\d{2}T\S+)\s+(\S+)/.exec(s);
    if (iso) return { time: isoToMicros(iso[1], tz), host: iso[2] };
  }
  return { host, time };
}

// ------------------------------------------------------------------------------------------- CEF

function cefUnescapeHeader(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(/\\([|\\])/g, '$1');
}
function cefUnescapeValue(s: string): string {
  // only \\ \= \n \r are escapes; any other backslash is literal (DOMAIN\user)
  return s.indexOf('\\') < 0 ? s : s.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Split the 7 pipe-separated CEF header fields (\| escapes) and the extension. */
function splitCefHeader(s: string): string[] | undefined {
  const parts: string[] = [];
  let cur = 0;
  for (let i = 0; i < s.length && parts.length < 7; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (c === '|') { parts.push(s.slice(cur, i)); cur = i + 1; }
  }
  if (parts.length < 7) return undefined;
  parts.push(s.slice(cur));
  return parts;
}

/** CEF extension "k=v k2=v with spaces k3=v": a value runs up to the next " key=". */
export function parseCefExtension(ext: string, fields: Record<string, FieldValue>): void {
  const re = /(?:^|\s)([A-Za-z0-9_.\-\[\]]+)=/g;
  const keys: { k: string; start: number; vstart: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(ext))) {
    // skip "=" escaped as "\=" (the char before the key match would be "\")
    keys.push({ k: m[1], start: m.index, vstart: m.index + m[0].length });
  }
  const labels: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const end = i + 1 < keys.length ? keys[i + 1].start : ext.length;
    const v = cefUnescapeValue(ext.slice(keys[i].vstart, end).trim());
    fields[keys[i].k] = v;
    if (/Label$/.test(keys[i].k)) labels[keys[i].k.slice(0, -5)] = v;
  }
  for (const base in labels) {
    const label = labels[base];
    const v = fields[base];
    if (v !== undefined && /^[A-Za-z_][A-Za-z0-9_ ]*$/.test(label)) {
      const name = label.replace(/ /g, '_');
      if (fields[name] === undefined) fields[name] = v;
    }
  }
}

function parseCef(text: string, at: number, tz: string): { sourcetype: string; time?: number; host?: string; fields: Record<string, FieldValue> } | string {
  const hdr = splitCefHeader(text.slice(at));
  if (!hdr) return 'cef: fewer than 7 header fields';
  const fields: Record<string, FieldValue> = {};
  fields.cef_version = hdr[0].slice(4);
  fields.cef_vendor = cefUnescapeHeader(hdr[1]);
  fields.cef_product = cefUnescapeHeader(hdr[2]);
  fields.cef_product_version = cefUnescapeHeader(hdr[3]);
  fields.signature_id = cefUnescapeHeader(hdr[4]);
  fields.name = cefUnescapeHeader(hdr[5]);
  fields.severity = autoNumber(cefUnescapeHeader(hdr[6]));
  parseCefExtension(hdr[7] ?? '', fields);
  const sh = parseSyslogHeader(text.slice(0, at), tz);
  let time: number | undefined;
  const rt = fields.rt;
  if (typeof rt === 'string' && rt) {
    time = /^\d{12,}$/.test(rt) ? epochNumberToMicros(Number(rt)) : anyTimeToMicros(rt, tz);
  }
  if (time === undefined) time = sh.time;
  const traps = /palo alto/i.test(String(fields.cef_vendor)) && /traps/i.test(String(fields.cef_product));
  return { sourcetype: traps ? 'pan:traps4' : 'cef', time, host: sh.host, fields };
}

// -------------------------------------------------------------------------------------- parser

class PanParser implements RecordParser {
  constructor(private readonly ctx: FormatContext) {}

  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (text.length === 0 || /^\s*$/.test(text)) return;
    const tz = this.ctx.tz;
    const cefAt = text.indexOf('CEF:');
    const m = CSV_START.exec(text);
    if (cefAt >= 0 && (!m || cefAt < m.index)) {
      const r = parseCef(text, cefAt, tz);
      if (typeof r === 'string') {
        out.quarantine({ line: lineNo, offset: endOffset, text, reason: r });
        return;
      }
      out.event({ time: r.time, sourcetype: this.ctx.sourcetype ?? r.sourcetype, host: r.host, raw: text, fields: r.fields }, endOffset);
      return;
    }
    if (!m) {
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: 'pan-os: no PAN-OS CSV record found (expected "N,YYYY/MM/DD hh:mm:ss,serial,TYPE,...")' });
      return;
    }
    const csvStart = m.index + (/^[\s>:]/.test(m[0]) ? 1 : 0);
    const header = text.slice(0, csvStart);
    const cols = splitPanCsv(text, csvStart);
    const type = m[4];
    let names = PAN_FIELDS[type];
    const min = MIN_COLUMNS[type];
    if (min !== undefined && cols.length < min) {
      out.quarantine({
        line: lineNo, offset: endOffset, text,
        reason: `pan-os: ${cols.length} columns, ${type.toLowerCase()} log needs at least ${min}`,
      });
      return;
    }
    if (type === 'CONFIG' && /^\d+$/.test(cols[14] ?? '') && /^0x[0-9a-f]+$/i.test(cols[15] ?? '')) {
      names = PAN_FIELDS.CONFIG_LEGACY; // PAN-OS before 8.0: no before/after change detail
    }
    if (type === 'SYSTEM' && cols[4] === 'globalprotect' && PAN_FIELDS.SYSTEM) names = PAN_FIELDS.SYSTEM;
    const fields: Record<string, FieldValue> = {};
    for (let i = 0; i < cols.length; i++) {
      const v = cols[i];
      if (v === '') continue;
      const name = names && i < names.length ? names[i] : i < PREFIX.length ? PREFIX[i] : `field_${i + 1}`;
      if (name.startsWith('future_use')) continue;
      fields[name] = NUMERIC.has(name) ? autoNumber(v) : v;
    }
    const gen = cols[6] ? ymdHmsToMicros(cols[6], tz) : undefined;
    const recv = ymdHmsToMicros(cols[1], tz);
    const time = gen ?? recv;
    if (time === undefined) {
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: `pan-os: unreadable time "${clip(cols[6] || cols[1], 30)}"` });
      return;
    }
    const sh = parseSyslogHeader(header, tz, Number(cols[1].slice(0, 4)));
    const sourcetype = this.ctx.sourcetype && this.ctx.sourcetype !== 'pan:log' && this.ctx.sourcetype !== 'pan:firewall'
      ? this.ctx.sourcetype : SOURCETYPE[type] ?? 'pan:log';
    out.event({ time, sourcetype, host: sh.host, raw: text, fields }, endOffset);
  }
  end(): void {}
}

export const panos: Format = {
  id: 'pan-os',
  sourcetypes: [/^pan:/, 'pan_log', 'cef'],
  resume: 'seek',
  detect(head: string, fileName: string): number {
    const sample = head.slice(0, 8192);
    const lines = sample.split('\n').slice(0, 20).filter((l) => l.trim());
    if (!lines.length) return 0;
    let pan = 0, cef = 0;
    for (const l of lines) {
      if (CSV_START.test(l)) pan++;
      else if (/CEF:\d+\|/.test(l)) cef++;
    }
    if (pan + cef === 0) return 0;
    const share = (pan + cef) / lines.length;
    if (pan > 0) return 0.6 + 0.35 * share;
    return (/pan|traps|palo/i.test(fileName) ? 0.6 : 0.5) + 0.3 * share;
  },
  open(ctx: FormatContext): RecordParser { return new PanParser(ctx); },
};
