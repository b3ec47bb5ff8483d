/**
 * Suricata EVE JSON (`suricata`): one JSON object per line, `timestamp` with a zone offset,
 * nested objects flattened as Splunk's JSON extraction names them (`alert.signature`,
 * `dns.answers{}.rdata`, `flow.bytes_toserver`). DNS log formats v1 (one answer per record),
 * v2 (answers[] / grouped) and v3 (queries[]) all read; CIM aliases cover all of them.
 */
import type { FieldValue } from '../event.js';
import type { Format, FormatContext, ParseSink, RecordParser } from './types.js';
import { isoToMicros, anyTimeToMicros } from '../timestamps.js';
import { clip, flattenJson, parseJsonObject } from './util.js';

const BIG_IDS = ['flow_id', 'parent_id', 'pcap_cnt'];

class SuricataParser implements RecordParser {
  constructor(private readonly ctx: FormatContext) {}
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (text.length === 0 || /^\s*$/.test(text)) return;
    const { obj, error } = parseJsonObject(text);
    if (!obj) {
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: `suricata: invalid JSON (${error})` });
      return;
    }
    const ts = obj.timestamp;
    const time = typeof ts === 'string' ? (isoToMicros(ts) ?? anyTimeToMicros(ts, this.ctx.tz)) : anyTimeToMicros(ts);
    if (time === undefined) {
      const what = ts === undefined ? 'no timestamp field' : `unreadable timestamp ${clip(JSON.stringify(ts), 40)}`;
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: `suricata: ${what}` });
      return;
    }
    const fields: Record<string, FieldValue> = {};
    let host: string | undefined;
    if (typeof obj.host === 'string') { host = obj.host; delete obj.host; }
    flattenJson(obj, fields);
    // 64-bit ids (flow_id, parent_id) can exceed 2^53: keep their exact digits as text
    for (const k of BIG_IDS) {
      const v = fields[k];
      if (typeof v === 'number' && !Number.isSafeInteger(v)) {
        const m = new RegExp(`"${k}"\\s*:\\s*(-?\\d+)`).exec(text);
        if (m) fields[k] = m[1];
      }
    }
    out.event({ time, sourcetype: this.ctx.sourcetype ?? 'suricata', host, raw: text, fields }, endOffset);
  }
  end(): void {}
}

export const suricata: Format = {
  id: 'suricata',
  sourcetypes: ['suricata', /^suricata:/],
  resume: 'seek',
  detect(head: string, fileName: string): number {
    const nl = head.indexOf('\n');
    const first = (nl >= 0 ? head.slice(0, nl) : head).trimStart();
    if (!first.startsWith('{')) return 0;
    if (/"event_type"\s*:/.test(first) && /"timestamp"\s*:/.test(first)) return 0.96;
    if (/eve.*\.json/i.test(fileName) && /"timestamp"\s*:/.test(first)) return 0.8;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new SuricataParser(ctx); },
};
