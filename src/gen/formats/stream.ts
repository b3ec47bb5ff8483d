/**
 * Splunk Stream JSON: one object per line, "endtime" and "timestamp" first, then fields in
 * alphabetical order, numbers as JSON numbers, multivalue fields as arrays (as Stream writes them).
 * Field names follow Splunk App for Stream's default smb/ftp/dns/http/tcp streams.
 */
import { isoMicro } from '../time.js';

export function streamLine(start: number, end: number, fields: Record<string, unknown>): string {
  const keys = Object.keys(fields).sort();
  let s = `{"endtime":"${isoMicro(end)}","timestamp":"${isoMicro(start)}"`;
  for (const k of keys) {
    const v = fields[k];
    if (v === undefined) continue;
    s += `,"${k}":${val(v)}`;
  }
  return s + '}';
}

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
function val(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(val).join(',') + ']';
  return JSON.stringify(v);
}

export interface StreamFlow {
  src_ip: string; src_mac: string; src_port: number;
  dest_ip: string; dest_mac: string; dest_port: number;
  flow_id: string; transport: 'tcp' | 'udp'; protocol_stack: string;
}

/** Common flow fields of every Stream event. */
export function flowFields(f: StreamFlow, bytesIn: number, bytesOut: number, timeTaken: number): Record<string, unknown> {
  return {
    bytes: bytesIn + bytesOut, bytes_in: bytesIn, bytes_out: bytesOut,
    dest_ip: f.dest_ip, dest_mac: f.dest_mac, dest_port: f.dest_port,
    flow_id: f.flow_id, protocol_stack: f.protocol_stack,
    src_ip: f.src_ip, src_mac: f.src_mac, src_port: f.src_port,
    time_taken: timeTaken, transport: f.transport,
  };
}
