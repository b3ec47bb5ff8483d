/**
 * CIM-style aliases added alongside each format's native fields, so one hunt serves every format:
 * src src_ip src_port dest dest_ip dest_port transport bytes_in bytes_out bytes query query_type
 * reply_code answer message_type filename file_path command method user action process
 * parent_process app. A native field of the same name is never overwritten.
 * The per-format mapping is documented in docs/formats.md.
 *
 * Direction convention (Splunk Stream's, which the seed hunts use): bytes_in = client→server,
 * bytes_out = server→client. PAN-OS keeps the Palo Alto TA's native meaning (bytes_out = Bytes Sent).
 */
import type { FieldValue, Scalar } from './event.js';

type F = Record<string, FieldValue>;

function set(f: F, alias: string, v: FieldValue | undefined): void {
  if (v === undefined || v === '' || f[alias] !== undefined) return;
  if (Array.isArray(v) && v.length === 0) return;
  f[alias] = v;
}

function from(f: F, alias: string, ...natives: string[]): void {
  if (f[alias] !== undefined) return;
  for (const n of natives) {
    const v = f[n];
    if (v !== undefined && v !== '' && v !== '-') { f[alias] = v; return; }
  }
}

function num(v: FieldValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function lower(v: FieldValue | undefined): FieldValue | undefined {
  if (typeof v === 'string') return v.toLowerCase();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x.toLowerCase() : x));
  return v;
}

function upper(v: FieldValue | undefined): FieldValue | undefined {
  if (typeof v === 'string') return v.toUpperCase();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x.toUpperCase() : x));
  return v;
}

/** Last path element of a Windows or Unix path or URL ("C:\\a\\b.exe" → "b.exe"). */
export function pathBase(v: Scalar): string {
  const s = String(v);
  const i = Math.max(s.lastIndexOf('\\'), s.lastIndexOf('/'));
  return i >= 0 ? s.slice(i + 1) : s;
}

function mapScalars(v: FieldValue | undefined, fn: (s: Scalar) => Scalar): FieldValue | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(fn) : fn(v);
}

function sumBytes(f: F, a: string, b: string): void {
  if (f.bytes !== undefined) return;
  const x = num(f[a]), y = num(f[b]);
  if (x !== undefined || y !== undefined) f.bytes = (x ?? 0) + (y ?? 0);
}

/** DNS rcode names as Splunk Stream and the CIM spell them ("NXDOMAIN" → "NXDomain"). */
export const RCODES: Record<string, string> = {
  NOERROR: 'NoError', FORMERR: 'FormErr', SERVFAIL: 'ServFail', NXDOMAIN: 'NXDomain', NOTIMP: 'NotImp',
  REFUSED: 'Refused', YXDOMAIN: 'YXDomain', YXRRSET: 'YXRRSet', NXRRSET: 'NXRRSet', NOTAUTH: 'NotAuth',
  NOTZONE: 'NotZone', BADVERS: 'BADVERS', BADSIG: 'BADSIG', BADKEY: 'BADKEY', BADTIME: 'BADTIME',
};
function rcode(v: FieldValue | undefined): FieldValue | undefined {
  return typeof v === 'string' ? RCODES[v.toUpperCase()] ?? v : v;
}

export const FTP_FILE_COMMANDS = new Set(['RETR', 'STOR', 'STOU', 'APPE', 'DELE', 'RNFR', 'RNTO', 'SIZE', 'MDTM']);

/**
 * Aliases as data, in the order they are applied: the JavaScript path interprets them
 * (`applyRules` below) and the native paths (`src/ingest/native/`) compile the same lists to SQL,
 * so the two cannot drift apart. ZEEK_CIM serves zeek:*, STREAM_CIM stream:*. Every rule sets
 * `alias` only when the event has no field of that name yet (a native field or an earlier rule's
 * alias); `path`/`notPath` limit a rule to one log (the part of the sourcetype after `zeek:` or
 * `stream:`).
 *
 * - `from`: the first of `natives` that is present and not "" or "-".
 * - `lower`: `native` lowercased; `rcode`: `native` spelled as Stream/CIM do (RCODES).
 * - `sum`: the sum of the numeric `natives` (absent ones count 0), when either is a number.
 * - `dnsMessageType`: ["QUERY","RESPONSE"] when any of `natives` is present, else "QUERY".
 * - `ftpFile`: when `command` is one of FTP_FILE_COMMANDS and `native` is present: the native
 *   (`base`: its last path element).
 * - `either`: `natives[0]` when present, else `natives[1]`.
 * - `const`: `value`.
 * - `protocolTransport`: tcp/udp/icmp/sctp when the text `native` (a Stream protocol_stack such as
 *   "ip:udp:dns") names one; `protocolApp`: its last element unless "", tcp, udp or ip.
 * `lower`, `rcode`, `dnsMessageType`, `ftpFile`, `either` and `const` skip "" and [] (as `set` does).
 */
export type CimRule = { alias: string; path?: string; notPath?: string } & (
  | { op: 'from' | 'sum' | 'dnsMessageType' | 'either'; natives: string[] }
  | { op: 'lower' | 'rcode' | 'protocolTransport' | 'protocolApp'; native: string }
  | { op: 'ftpFile'; native: string; command: string; base: boolean }
  | { op: 'const'; value: string }
);

const fromRule = (alias: string, natives: string[], path?: string): CimRule => ({ op: 'from', alias, natives, path });

export const ZEEK_CIM: readonly CimRule[] = [
  fromRule('src_ip', ['id.orig_h']),
  fromRule('src_port', ['id.orig_p']),
  fromRule('dest_ip', ['id.resp_h']),
  fromRule('dest_port', ['id.resp_p']),
  fromRule('src', ['id.orig_h']),
  fromRule('dest', ['id.resp_h']),
  { op: 'lower', alias: 'transport', native: 'proto' },
  fromRule('bytes_in', ['orig_bytes'], 'conn'),
  fromRule('bytes_out', ['resp_bytes'], 'conn'),
  { op: 'sum', alias: 'bytes', natives: ['orig_bytes', 'resp_bytes'], path: 'conn' },
  fromRule('app', ['service'], 'conn'),
  fromRule('query', ['query'], 'dns'),
  fromRule('query_type', ['qtype_name'], 'dns'),
  { op: 'rcode', alias: 'reply_code', native: 'rcode_name', path: 'dns' },
  fromRule('answer', ['answers'], 'dns'),
  // one Zeek dns record holds a query and its reply, as one Stream event does
  { op: 'dnsMessageType', alias: 'message_type', natives: ['rcode_name', 'rcode'], path: 'dns' },
  fromRule('command', ['command'], 'ftp'),
  fromRule('method', ['command'], 'ftp'),
  fromRule('reply_code', ['reply_code'], 'ftp'),
  fromRule('user', ['user'], 'ftp'),
  { op: 'ftpFile', alias: 'filename', native: 'arg', command: 'command', base: true, path: 'ftp' },
  { op: 'ftpFile', alias: 'file_path', native: 'arg', command: 'command', base: false, path: 'ftp' },
  fromRule('app', ['service'], 'ftp'),
  { op: 'const', alias: 'app', value: 'ftp', path: 'ftp' },
  fromRule('method', ['method'], 'http'),
  fromRule('bytes_in', ['request_body_len'], 'http'),
  fromRule('bytes_out', ['response_body_len'], 'http'),
  fromRule('user', ['username'], 'http'),
  { op: 'either', alias: 'filename', natives: ['orig_filenames', 'resp_filenames'], path: 'http' },
  fromRule('filename', ['name'], 'smb_files'),
  fromRule('file_path', ['path'], 'smb_files'),
  fromRule('file_path', ['path'], 'smb_mapping'),
  fromRule('filename', ['filename'], 'files'),
  fromRule('src', ['tx_hosts'], 'files'),
  fromRule('dest', ['rx_hosts'], 'files'),
  fromRule('src', ['src'], 'notice'),
  fromRule('dest', ['dst'], 'notice'),
  fromRule('user', ['client'], 'kerberos'),
  fromRule('user', ['username'], 'ntlm'),
  fromRule('src_ip', ['client_addr'], 'dhcp'),
  fromRule('dest_ip', ['server_addr'], 'dhcp'),
  fromRule('src', ['client_addr', 'assigned_addr'], 'dhcp'),
  fromRule('dest', ['server_addr'], 'dhcp'),
  fromRule('message_type', ['msg_types'], 'dhcp'),
  fromRule('command', ['operation'], 'dce_rpc'),
  { op: 'from', alias: 'app', natives: ['service'], notPath: 'conn' },
];

/** The aliases every sourcetype gets after its own (see addCimAliases). */
export const GENERIC_CIM: readonly CimRule[] = [fromRule('src', ['src_ip']), fromRule('dest', ['dest_ip'])];

/** Splunk Stream's aliases (stream:<app>: `path` is the app); src and dest come from GENERIC_CIM. */
export const STREAM_CIM: readonly CimRule[] = [
  fromRule('method', ['http_method'], 'http'),
  fromRule('answer', ['host_addr'], 'dns'),
  fromRule('command', ['method'], 'ftp'),
  fromRule('user', ['login'], 'ftp'),
  fromRule('user', ['login'], 'smb'),
  fromRule('file_path', ['path'], 'smb'),
  { op: 'protocolTransport', alias: 'transport', native: 'protocol_stack' },
  { op: 'protocolApp', alias: 'app', native: 'protocol_stack' },
];

/** The rules of a list that apply to one log path, in order. */
function rulesFor(list: readonly CimRule[], cache: Map<string, CimRule[]>, path: string): CimRule[] {
  let r = cache.get(path);
  if (!r) cache.set(path, (r = list.filter((x) => (x.path === undefined || x.path === path) && x.notPath !== path)));
  return r;
}
const zeekRulesByPath = new Map<string, CimRule[]>();
const streamRulesByApp = new Map<string, CimRule[]>();
/** The Zeek rules that apply to one log path, in order. */
export const zeekCimRules = (path: string): CimRule[] => rulesFor(ZEEK_CIM, zeekRulesByPath, path);
/** The Stream rules that apply to one app (stream:<app>), in order. */
export const streamCimRules = (app: string): CimRule[] => rulesFor(STREAM_CIM, streamRulesByApp, app);

/** Apply rules to one event's fields, in order. */
function applyRules(rules: readonly CimRule[], f: F): void {
  for (const r of rules) {
    if (f[r.alias] !== undefined) continue;
    switch (r.op) {
      case 'from': from(f, r.alias, ...r.natives); break;
      case 'lower': set(f, r.alias, lower(f[r.native])); break;
      case 'rcode': set(f, r.alias, rcode(f[r.native])); break;
      case 'sum': sumBytes(f, r.natives[0]!, r.natives[1]!); break;
      case 'dnsMessageType': set(f, r.alias, r.natives.some((n) => f[n] !== undefined) ? ['QUERY', 'RESPONSE'] : 'QUERY'); break;
      case 'ftpFile': {
        const c = f[r.command];
        if (FTP_FILE_COMMANDS.has(typeof c === 'string' ? c.toUpperCase() : '') && f[r.native] !== undefined) {
          set(f, r.alias, r.base ? mapScalars(f[r.native], pathBase) : f[r.native]);
        }
        break;
      }
      case 'either': set(f, r.alias, mapScalars(f[r.natives[0]!] ?? f[r.natives[1]!], (s) => s)); break;
      case 'const': set(f, r.alias, r.value); break;
      case 'protocolTransport': {
        const ps = f[r.native];
        const m = typeof ps === 'string' ? /(?:^|:)(tcp|udp|icmp|sctp)(?::|$)/.exec(ps) : null;
        if (m) f[r.alias] = m[1]!;
        break;
      }
      case 'protocolApp': {
        const ps = f[r.native];
        if (typeof ps !== 'string') break;
        const parts = ps.split(':');
        const last = parts[parts.length - 1];
        if (last && last !== 'tcp' && last !== 'udp' && last !== 'ip') f[r.alias] = last;
        break;
      }
    }
  }
}

function suricata(f: F): void {
  from(f, 'src', 'src_ip');
  from(f, 'dest', 'dest_ip');
  set(f, 'transport', lower(f.proto));
  from(f, 'bytes_in', 'flow.bytes_toserver');
  from(f, 'bytes_out', 'flow.bytes_toclient');
  sumBytes(f, 'flow.bytes_toserver', 'flow.bytes_toclient');
  from(f, 'app', 'app_proto');
  from(f, 'action', 'alert.action');
  switch (f.event_type) {
    case 'dns': {
      from(f, 'query', 'dns.rrname', 'dns.queries{}.rrname');
      from(f, 'query_type', 'dns.rrtype', 'dns.queries{}.rrtype');
      set(f, 'reply_code', rcode(f['dns.rcode']));
      from(f, 'answer', 'dns.rdata', 'dns.answers{}.rdata');
      if (f.answer === undefined) {
        const grouped: Scalar[] = [];
        for (const k in f) {
          if (k.startsWith('dns.grouped.')) {
            const v = f[k];
            if (Array.isArray(v)) grouped.push(...v); else grouped.push(v);
          }
        }
        if (grouped.length) f.answer = grouped.length === 1 ? grouped[0] : grouped;
      }
      const t = f['dns.type'];
      if (t === 'query') set(f, 'message_type', 'QUERY');
      else if (t === 'answer' || t === 'response') set(f, 'message_type', 'RESPONSE');
      else if (t !== undefined) set(f, 'message_type', upper(t));
      break;
    }
    case 'http':
      from(f, 'method', 'http.http_method');
      from(f, 'bytes_out', 'http.length');
      break;
    case 'fileinfo':
      from(f, 'filename', 'fileinfo.filename');
      set(f, 'file_path', f['fileinfo.filename']);
      break;
    case 'ftp':
      from(f, 'command', 'ftp.command');
      from(f, 'method', 'ftp.command');
      from(f, 'reply_code', 'ftp.completion_code{}', 'ftp.reply_code');
      if (f.user === undefined && String(f['ftp.command']).toUpperCase() === 'USER') from(f, 'user', 'ftp.command_data');
      if (FTP_FILE_COMMANDS.has(String(f['ftp.command']).toUpperCase())) {
        set(f, 'filename', mapScalars(f['ftp.command_data'], pathBase));
        set(f, 'file_path', f['ftp.command_data']);
      }
      break;
    case 'ftp_data':
      from(f, 'filename', 'ftp_data.filename');
      from(f, 'command', 'ftp_data.command');
      from(f, 'method', 'ftp_data.command');
      break;
    case 'smb':
      from(f, 'command', 'smb.command');
      from(f, 'filename', 'smb.filename');
      from(f, 'file_path', 'smb.share');
      from(f, 'reply_code', 'smb.status');
      from(f, 'user', 'smb.ntlmssp.user');
      break;
    case 'tls':
      break;
  }
}

function pan(st: string, f: F): void {
  from(f, 'src', 'src_ip');
  from(f, 'dest', 'dest_ip');
  from(f, 'transport', 'protocol');
  from(f, 'user', 'src_user');
  if (st === 'pan:threat') {
    const sub = f.log_subtype;
    if (sub === 'url') from(f, 'url', 'misc');
    else if (sub === 'file' || sub === 'wildfire' || sub === 'virus' || sub === 'spyware' || sub === 'vulnerability') {
      from(f, 'file_name', 'misc');
      set(f, 'filename', f.misc);
    }
  }
  if (st === 'pan:config') {
    from(f, 'command', 'cmd');
    from(f, 'user', 'admin');
    from(f, 'src', 'client_host');
  }
  if (st === 'pan:traps4' || st === 'cef') {
    from(f, 'user', 'duser', 'suser');
    from(f, 'process', 'deviceProcessName');
    from(f, 'src', 'src', 'shost');
    from(f, 'dest', 'dst', 'dhost');
  }
}

function windows(f: F): void {
  // Security 4688 in Sysmon's names, so one process hunt reads both
  from(f, 'Image', 'NewProcessName', 'New_Process_Name');
  from(f, 'ParentImage', 'ParentProcessName', 'Creator_Process_Name');
  // Sysmon
  from(f, 'process', 'CommandLine', 'Process_Command_Line');
  from(f, 'command', 'CommandLine', 'Process_Command_Line');
  from(f, 'parent_process', 'ParentCommandLine', 'ParentImage', 'ParentProcessName', 'Creator_Process_Name');
  from(f, 'user', 'User', 'TargetUserName', 'SubjectUserName', 'Account_Name');
  from(f, 'src_ip', 'SourceIp', 'IpAddress', 'Source_Address');
  from(f, 'src_port', 'SourcePort', 'IpPort', 'Source_Port');
  from(f, 'dest_ip', 'DestinationIp');
  from(f, 'dest_port', 'DestinationPort');
  from(f, 'src', 'SourceIp', 'IpAddress', 'Source_Address', 'SourceHostname');
  from(f, 'dest', 'DestinationIp', 'DestinationHostname');
  set(f, 'transport', lower(f.Protocol));
  const target = f.TargetFilename ?? f.RelativeTargetName ?? f.Relative_Target_Name;
  set(f, 'file_path', target);
  if (target !== undefined) set(f, 'filename', mapScalars(target, pathBase));
  if (f.file_path === undefined) from(f, 'file_path', 'ShareLocalPath', 'Share_Path', 'ShareName', 'Share_Name');
  const img = f.Image ?? f.NewProcessName ?? f.New_Process_Name;
  if (img !== undefined) set(f, 'app', mapScalars(img, pathBase));
  from(f, 'query', 'QueryName');
  // after `user`, which keeps the Security event's own account name
  if (f.User === undefined && (f.EventCode === 4688 || f.EventCode === '4688')) {
    const u = f.SubjectUserName ?? f.Account_Name;
    const d = f.SubjectDomainName ?? f.Account_Domain;
    const first = (v: FieldValue | undefined) => (Array.isArray(v) ? v[0] : v);
    if (u !== undefined) f.User = d !== undefined ? `${first(d)}\\${first(u)}` : first(u)!;
  }
}

/**
 * Names the store keeps as its own columns. An extracted field of the same name (Zeek's `host` in
 * software.log / known_services.log, a CSV `index` column) is kept as `extracted_<name>`, as Splunk
 * does, so it is not lost.
 */
export const RESERVED = ['host', 'source', 'sourcetype', 'index', '_raw', '_time'];

/** Add the CIM aliases for one event of the given sourcetype (mutates `fields`). */
export function addCimAliases(sourcetype: string, fields: Record<string, FieldValue>): void {
  for (const r of RESERVED) {
    const v = fields[r];
    if (v !== undefined) {
      if (fields['extracted_' + r] === undefined) fields['extracted_' + r] = v;
      delete fields[r];
    }
  }
  const st = sourcetype;
  if (st.startsWith('zeek:')) applyRules(zeekCimRules(st.slice(5)), fields);
  else if (st.startsWith('stream:')) applyRules(streamCimRules(st.slice(7)), fields);
  else if (st === 'suricata') suricata(fields);
  else if (st.startsWith('pan:') || st === 'cef') pan(st, fields);
  else if (/wineventlog|sysmon|winlogbeat|nxlog/i.test(st)) windows(fields);
  // generic fallbacks, for every sourcetype
  for (const r of GENERIC_CIM) if (r.op === 'from') from(fields, r.alias, ...r.natives);
}
