/**
 * Zeek 2.5 TSV logs with the real header lines. Written only with --zeek. Unset fields are "-",
 * empty sets "(empty)", tabs separate fields.
 */
import type { FileKey } from '../output.js';

export const ZEEK_SCHEMAS: Record<string, { fields: string[]; types: string[] }> = {
  conn: {
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string', 'bool', 'bool', 'count', 'string', 'count', 'count', 'count', 'count', 'set[string]'],
  },
  dns: {
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'rtt', 'query', 'qclass', 'qclass_name', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'AA', 'TC', 'RD', 'RA', 'Z', 'answers', 'TTLs', 'rejected'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'count', 'interval', 'string', 'count', 'string', 'count', 'string', 'count', 'string', 'bool', 'bool', 'bool', 'bool', 'count', 'vector[string]', 'vector[interval]', 'bool'],
  },
  ftp: {
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'user', 'password', 'command', 'arg', 'mime_type', 'file_size', 'reply_code', 'reply_msg', 'data_channel.passive', 'data_channel.orig_h', 'data_channel.resp_h', 'data_channel.resp_p', 'fuid'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'string', 'string', 'count', 'count', 'string', 'bool', 'addr', 'addr', 'port', 'string'],
  },
  smb_files: {
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'fuid', 'action', 'path', 'name', 'size', 'prev_name', 'times.modified', 'times.accessed', 'times.created', 'times.changed'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'enum', 'string', 'string', 'count', 'string', 'time', 'time', 'time', 'time'],
  },
  smb_mapping: {
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'path', 'service', 'native_file_system', 'share_type'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'string'],
  },
  http: {
    fields: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'trans_depth', 'method', 'host', 'uri', 'referrer', 'version', 'user_agent', 'request_body_len', 'response_body_len', 'status_code', 'status_msg', 'info_code', 'info_msg', 'tags', 'username', 'password', 'proxied', 'orig_fuids', 'orig_filenames', 'orig_mime_types', 'resp_fuids', 'resp_filenames', 'resp_mime_types'],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'count', 'string', 'string', 'string', 'string', 'string', 'string', 'count', 'count', 'count', 'string', 'count', 'string', 'set[enum]', 'string', 'string', 'set[string]', 'vector[string]', 'vector[string]', 'vector[string]', 'vector[string]', 'vector[string]', 'vector[string]'],
  },
};

export function zeekHeaders(open: string, close: string): Partial<Record<FileKey, { header: string; footer: string }>> {
  const res: Partial<Record<FileKey, { header: string; footer: string }>> = {};
  for (const [path, s] of Object.entries(ZEEK_SCHEMAS)) {
    res[`zeek:${path}` as FileKey] = {
      header: `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t${path}\n#open\t${open}\n#fields\t${s.fields.join('\t')}\n#types\t${s.types.join('\t')}\n`,
      footer: `#close\t${close}\n`,
    };
  }
  return res;
}

/** Escape a Zeek string value: tabs/newlines/non-ASCII as \xNN, empty as (empty), missing as -. */
export function zs(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return String(v);
  if (v === '') return '(empty)';
  let out = '';
  for (const ch of Buffer.from(v, 'utf8')) {
    if (ch === 0x5c) out += '\\\\';
    else if (ch < 0x20 || ch > 0x7e) out += '\\x' + ch.toString(16).padStart(2, '0');
    else out += String.fromCharCode(ch);
  }
  return out;
}

export function zeekRow(values: (string | number | boolean | undefined | null)[]): string {
  return values.map(zs).join('\t');
}

import { cyrb128 } from '../prng.js';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Zeek-style uid: a prefix ("C" connection, "F" file) and 17 base62 characters, from a counter (deterministic). */
export function zeekUid(n: number, prefix = 'C'): string {
  const h = cyrb128('zeek-uid|' + n);
  let s = prefix;
  for (let i = 0; i < 17; i++) {
    const w = h[i & 3]!;
    s += B62[(w >>> ((i >> 2) * 6)) % 62];
    h[i & 3] = Math.imul(w ^ (w >>> 15), 2246822507) >>> 0;
  }
  return s;
}
