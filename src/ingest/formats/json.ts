/**
 * JSON lines: Splunk Stream (stream:*) and generic JSON (`_json`). One object per line; `_raw` is the
 * line as it was. Nested objects flatten to `a.b`; arrays are multivalue fields.
 */
import type { EventRecord, FieldValue, Scalar } from '../event.js';
import { epochToMicros, parseIsoMicros } from '../../time/zone.js';
import type { Format, FormatContext, ParseSink, RecordParser } from './types.js';

/**
 * Flatten a parsed JSON object the way Splunk's JSON extraction names fields: nested keys joined
 * with `.`, arrays marked with `{}` (`answers{}.data`). With `plainArrays`, a top-level array keeps
 * its bare name (`query`), as the Splunk Stream add-on presents its multivalue fields.
 */
export function flattenJson(obj: Record<string, unknown>, plainArrays = false): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  const put = (name: string, v: Scalar) => {
    const prev = out[name];
    if (prev === undefined) out[name] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[name] = [prev, v];
  };
  const walk = (prefix: string, v: unknown, inArray: boolean) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      const name = plainArrays && !prefix.includes('.') && !inArray ? prefix : prefix + '{}';
      if (v.length && v.every((x) => x === null || typeof x !== 'object')) {
        // A multivalue field even when it holds one value: keep it an array.
        const vals = v.filter((x) => x !== null) as Scalar[];
        const prev = out[name];
        out[name] = prev === undefined ? vals : [...(Array.isArray(prev) ? prev : [prev]), ...vals];
        return;
      }
      for (const x of v) walk(name, x, true);
      return;
    }
    if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(prefix ? `${prefix}.${k}` : k, x, inArray);
      return;
    }
    if (inArray) put(prefix, v as Scalar);
    else out[prefix] = v as Scalar;
  };
  walk('', obj, false);
  // Values under array paths are multivalue even when only one element had them.
  for (const k of Object.keys(out)) if (k.includes('{}') && !Array.isArray(out[k])) out[k] = [out[k] as Scalar];
  return out;
}

const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', '_time', 'date', 'eventTime', 'EventTime'];
const STREAM_TIME_KEYS = ['endtime', 'timestamp'];

/** Read an event time from a JSON value: epoch seconds (number or numeric string) or ISO 8601. */
export function jsonTimeMicros(v: unknown, tz: string): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return epochToMicros(v);
  if (typeof v === 'string') {
    if (/^\d{9,}(\.\d+)?$/.test(v)) return epochToMicros(Number(v));
    return parseIsoMicros(v, tz);
  }
  return undefined;
}

/** The sourcetype a Splunk Stream event belongs to, from its protocol stack or its fields. */
export function streamSourcetype(o: Record<string, unknown>): string | undefined {
  const stack = o.protocol_stack;
  if (typeof stack === 'string' && stack.startsWith('ip:')) {
    const parts = stack.split(':');
    const top = parts[parts.length - 1]!;
    // "ip:tcp:unknown" flows are stream:tcp; ip:udp:dns is stream:dns.
    return `stream:${top === 'unknown' ? parts[1] : top}`;
  }
  if ('flow_id' in o && 'src_ip' in o && 'dest_ip' in o && ('endtime' in o || 'timestamp' in o)) {
    if ('query' in o && 'message_type' in o) return 'stream:dns';
    if ('method_parameter' in o || 'reply_content' in o) return 'stream:ftp';
    if ('http_method' in o || 'uri_path' in o) return 'stream:http';
    if ('command' in o && 'filename' in o) return 'stream:smb';
    return typeof o.transport === 'string' ? `stream:${o.transport}` : 'stream:tcp';
  }
  return undefined;
}

function isStreamSourcetype(st: string | undefined): boolean {
  return !!st && st.startsWith('stream:');
}

class JsonLinesParser implements RecordParser {
  constructor(private ctx: FormatContext) {}
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (text.trim() === '') {
      out.quarantine({ line: lineNo, offset: endOffset, reason: 'empty line', text });
      return;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      out.quarantine({ line: lineNo, offset: endOffset, reason: `invalid JSON: ${(e as Error).message}`, text });
      return;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      out.quarantine({ line: lineNo, offset: endOffset, reason: 'JSON value is not an object', text });
      return;
    }
    const o = obj as Record<string, unknown>;
    const sourcetype = this.ctx.sourcetype ?? streamSourcetype(o) ?? '_json';
    const stream = isStreamSourcetype(sourcetype);
    let time: number | undefined;
    for (const k of stream ? STREAM_TIME_KEYS : TIME_KEYS) {
      if (o[k] !== undefined) {
        time = jsonTimeMicros(o[k], this.ctx.tz);
        if (time === undefined) {
          out.quarantine({ line: lineNo, offset: endOffset, reason: `unreadable time in "${k}": ${JSON.stringify(o[k]).slice(0, 60)}`, text });
          return;
        }
        break;
      }
    }
    const ev: EventRecord = { time, sourcetype, raw: text, fields: flattenJson(o, stream) };
    out.event(ev, endOffset);
  }
  end(): void {}
}

export const jsonFormat: Format = {
  id: 'json',
  sourcetypes: [/^stream:/, '_json', 'json'],
  resume: 'seek',
  detect(head: string, fileName: string): number {
    const first = head.split('\n', 1)[0]!.trim();
    if (!first.startsWith('{')) return /\.(json|jsonl|ndjson)(\.gz)?$/i.test(fileName) ? 0.2 : 0;
    try {
      const o = JSON.parse(first) as Record<string, unknown>;
      return streamSourcetype(o) ? 0.9 : 0.5;
    } catch {
      return 0.1;
    }
  },
  open: (ctx) => new JsonLinesParser(ctx),
};
