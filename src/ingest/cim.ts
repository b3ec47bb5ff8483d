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
const RCODES: Record<string, string> = {
  NOERROR: 'NoError', FORMERR: 'FormErr', SERVFAIL: 'ServFail', NXDOMAIN: 'NXDomain', NOTIMP: 'NotImp',
  REFUSED: 'Refused', YXDOMAIN: 'YXDomain', YXRRSET: 'YXRRSet', NXRRSET: 'NXRRSet', NOTAUTH: 'NotAuth',
  NOTZONE: 'NotZone', BADVERS: 'BADVERS', BADSIG: 'BADSIG', BADKEY: 'BADKEY', BADTIME: 'BADTIME',
};
function rcode(v: FieldValue | undefined): FieldValue | undefined {
  return typeof v === 'string' ? RCODES[v.toUpperCase()] ?? v : v;
}

const FTP_FILE_COMMANDS = new Set(['RETR', 'STOR', 'STOU', 'APPE', 'DELE', 'RNFR', 'RNTO', 'SIZE', 'MDTM']);

function zeek(st: string, f: F): void {
  const path = st.slice(5);
  from(f, 'src_ip', 'id.orig_h');
  from(f, 'src_port', 'id.orig_p');
  from(f, 'dest_ip', 'id.resp_h');
  from(f, 'dest_port', 'id.resp_p');
  from(f, 'src', 'id.orig_h');
  from(f, 'dest', 'id.resp_h');
  set(f, 'transport', lower(f.proto));
  switch (path) {
    case 'conn':
      from(f, 'bytes_in', 'orig_bytes');
      from(f, 'bytes_out', 'resp_bytes');
      sumBytes(f, 'orig_bytes', 'resp_bytes');
      from(f, 'app', 'service');
      break;
    case 'dns':
      from(f, 'query', 'query');
      from(f, 'query_type', 'qtype_name');
      set(f, 'reply_code', rcode(f.rcode_name));
      from(f, 'answer', 'answers');
      set(f, 'message_type', f.rcode_name !== undefined || f.rcode !== undefined ? ['QUERY', 'RESPONSE'] : 'QUERY');
      break;
    case 'ftp': {
      from(f, 'command', 'command');
      from(f, 'method', 'command');
      from(f, 'reply_code', 'reply_code');
      from(f, 'user', 'user');
      const cmd = typeof f.command === 'string' ? f.command.toUpperCase() : '';
      if (FTP_FILE_COMMANDS.has(cmd) && f.arg !== undefined) {
        set(f, 'filename', mapScalars(f.arg, pathBase));
        set(f, 'file_path', f.arg);
      }
      from(f, 'app', 'service');
      if (f.app === undefined) f.app = 'ftp';
      break;
    }
    case 'http':
      from(f, 'method', 'method');
      from(f, 'bytes_in', 'request_body_len');
      from(f, 'bytes_out', 'response_body_len');
      from(f, 'user', 'username');
      set(f, 'filename', mapScalars(f.orig_filenames ?? f.resp_filenames, (s) => s));
      break;
    case 'smb_files':
      from(f, 'filename', 'name');
      from(f, 'file_path', 'path');
      break;
    case 'smb_mapping':
      from(f, 'file_path', 'path');
      break;
    case 'files':
      from(f, 'filename', 'filename');
      if (f.src === undefined) from(f, 'src', 'tx_hosts');
      if (f.dest === undefined) from(f, 'dest', 'rx_hosts');
      break;
    case 'notice':
      from(f, 'src', 'src');
      from(f, 'dest', 'dst');
      break;
    case 'kerberos':
      from(f, 'user', 'client');
      break;
    case 'ntlm':
      from(f, 'user', 'username');
      break;
    case 'ssh': case 'rdp': case 'smtp': case 'ssl':
      break;
    case 'dhcp':
      from(f, 'src_ip', 'client_addr');
      from(f, 'dest_ip', 'server_addr');
      from(f, 'src', 'client_addr', 'assigned_addr');
      from(f, 'dest', 'server_addr');
      from(f, 'message_type', 'msg_types');
      break;
    case 'dce_rpc':
      from(f, 'command', 'operation');
      break;
  }
  if (path !== 'conn') from(f, 'app', 'service');
}

function stream(st: string, f: F): void {
  from(f, 'src', 'src_ip');
  from(f, 'dest', 'dest_ip');
  if (st === 'stream:http') {
    from(f, 'method', 'http_method');
  }
  if (st === 'stream:dns') {
    from(f, 'answer', 'host_addr');
  }
  if (st === 'stream:ftp') {
    from(f, 'command', 'method');
    from(f, 'user', 'login');
  }
  if (st === 'stream:smb') {
    from(f, 'user', 'login');
    from(f, 'file_path', 'path');
  }
  if (f.transport === undefined && typeof f.protocol_stack === 'string') {
    const m = /(?:^|:)(tcp|udp|icmp|sctp)(?::|$)/.exec(f.protocol_stack);
    if (m) f.transport = m[1];
  }
  if (f.app === undefined && typeof f.protocol_stack === 'string') {
    const parts = f.protocol_stack.split(':');
    const last = parts[parts.length - 1];
    if (last && last !== 'tcp' && last !== 'udp' && last !== 'ip') f.app = last;
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
}

/**
 * Names the store keeps as its own columns. An extracted field of the same name (Zeek's `host` in
 * software.log / known_services.log, a CSV `index` column) is kept as `extracted_<name>`, as Splunk
 * does, so it is not lost.
 */
const RESERVED = ['host', 'source', 'sourcetype', 'index', '_raw', '_time'];

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
  if (st.startsWith('zeek:')) zeek(st, fields);
  else if (st.startsWith('stream:')) stream(st, fields);
  else if (st === 'suricata') suricata(fields);
  else if (st.startsWith('pan:') || st === 'cef') pan(st, fields);
  else if (/wineventlog|sysmon|winlogbeat|nxlog/i.test(st)) windows(fields);
  // generic fallbacks, for every sourcetype
  from(fields, 'src', 'src_ip');
  from(fields, 'dest', 'dest_ip');
}
