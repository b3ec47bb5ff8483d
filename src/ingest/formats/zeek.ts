/**
 * Zeek logs: the ASCII writer's TSV (with its `#` header) and JSON lines (Zeek's own
 * `LogAscii::use_json` or the json-streaming-logs package, which adds `_path`/`_write_ts`).
 * Sourcetype `zeek:<path>` (path from `#path`, `_path`, or the file name).
 */
import type { FieldValue, Scalar } from '../event.js';
import type { Format, FormatContext, ParseSink, RecordParser } from './types.js';
import { epochNumberToMicros, epochSecondsToMicros, isoToMicros } from '../timestamps.js';
import { baseName, clip, parseJsonObject } from './util.js';

/** Zeek log path from a file name: "dns.log", "dns.04:00:00-05:00:00.log.gz", "conn.log.labeled", "ssl.json.gz". */
export function zeekPathFromFileName(fileName: string): string | undefined {
  const b = baseName(fileName);
  const m = /^([a-z][a-z0-9_]*)(?:[.-]|$)/i.exec(b);
  if (!m) return undefined;
  const p = m[1].toLowerCase();
  if (p === 'labeled') { // "labeled-conn.log"
    const m2 = /^labeled-([a-z][a-z0-9_]*)/i.exec(b);
    return m2 ? m2[1].toLowerCase() : undefined;
  }
  return p;
}

/** Undo the ASCII writer's escapes: `\xHH` and `\\`. */
export function zeekUnescape(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let r = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1];
      if (n === '\\') { r += '\\'; i++; continue; }
      if (n === 'x' && i + 3 < s.length + 0 && /^[0-9a-fA-F]{2}$/.test(s.substr(i + 2, 2))) {
        r += String.fromCharCode(parseInt(s.substr(i + 2, 2), 16));
        i += 3;
        continue;
      }
    }
    r += c;
  }
  return r;
}

export type Kind = 0 | 1 | 2 | 3 | 4; // 0 string, 1 integer, 2 real, 3 bool, 4 time
interface Column { name: string; kind: Kind; container: boolean; isTs: boolean }

export function kindOf(t: string): { kind: Kind; container: boolean } {
  let container = false;
  let base = t;
  const m = /^(?:set|vector|table)\[(.*)\]$/.exec(t);
  if (m) { container = true; base = m[1]; }
  switch (base) {
    case 'count': case 'int': case 'port': return { kind: 1, container };
    case 'double': case 'interval': return { kind: 2, container };
    case 'time': return { kind: 4, container };
    case 'bool': return { kind: 3, container };
    default: return { kind: 0, container };
  }
}

function convert(s: string, kind: Kind): Scalar {
  switch (kind) {
    case 1: case 2: case 4: {
      const n = Number(s);
      return s.length > 0 && Number.isFinite(n) ? n : s;
    }
    case 3: return s === 'T' ? true : s === 'F' ? false : s;
    default: return zeekUnescape(s);
  }
}

export function unescapeSeparator(v: string): string {
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** What a Zeek TSV log's header lines say: the writer's separators and markers, path, fields, types. */
export class ZeekTsvHeader {
  sep = '\t';
  setSep = ',';
  emptyField = '(empty)';
  unsetField = '-';
  fields: string | undefined;
  types: string | undefined;
  constructor(public path: string | undefined) {}

  /** Take one `#` line into account; true when it set the fields or the types. */
  apply(text: string): boolean {
    // "#separator \x09" uses a space; the others use the separator itself.
    if (text.startsWith('#separator')) {
      const v = text.slice('#separator'.length).trim();
      if (v) this.sep = unescapeSeparator(v);
      return false;
    }
    const i = text.indexOf(this.sep);
    const key = i < 0 ? text.trim() : text.slice(0, i);
    const rest = i < 0 ? '' : text.slice(i + this.sep.length);
    switch (key) {
      case '#set_separator': this.setSep = unescapeSeparator(rest); return false;
      case '#empty_field': this.emptyField = rest; return false;
      case '#unset_field': this.unsetField = rest; return false;
      case '#path': this.path = rest; return false;
      case '#fields': this.fields = rest; return true;
      case '#types': this.types = rest; return true;
      default: return false; // #open, #close, comments ("### BTest ..."): nothing to keep
    }
  }
}

class ZeekTsvParser implements RecordParser {
  private readonly h: ZeekTsvHeader;
  private cols: Column[] | undefined;
  private tsIndex = -1;
  private readonly forced: string | undefined;
  /** `--sourcetype zeek:x` on a Zeek JSON file: its lines go to the JSON reader. */
  private json: RecordParser | undefined;

  constructor(private readonly ctx: FormatContext) {
    this.h = new ZeekTsvHeader(zeekPathFromFileName(ctx.fileName));
    this.forced = ctx.sourcetype; // a sourcetype the user names is the event's sourcetype
  }

  private header(text: string): void {
    if (this.h.apply(text)) {
      this.cols = undefined;
      this.build();
    }
  }

  private build(): void {
    if (this.h.fields === undefined) return;
    const names = this.h.fields.split(this.h.sep);
    const types = this.h.types !== undefined ? this.h.types.split(this.h.sep) : [];
    this.cols = names.map((name, i) => {
      const { kind, container } = kindOf(types[i] ?? 'string');
      return { name, kind, container, isTs: false };
    });
    this.tsIndex = names.indexOf('ts');
    if (this.tsIndex >= 0) this.cols[this.tsIndex].isTs = true;
  }

  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (text.length === 0) return;
    if (this.json) { this.json.line(text, lineNo, endOffset, out); return; }
    const c0 = text.charCodeAt(0);
    if (c0 === 123 /* { */ && !this.cols) {
      this.json = new ZeekJsonParser(this.ctx);
      this.json.line(text, lineNo, endOffset, out);
      return;
    }
    if (c0 === 35 /* # */) { this.header(text); return; }
    // a stray blank before a header line (seen in the wild: "\t#separator \x09")
    if ((c0 === 9 || c0 === 32) && !this.cols && /^\s+#/.test(text)) { this.header(text.trimStart()); return; }
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    const cols = this.cols;
    if (!cols) {
      out.quarantine({ line: lineNo, offset: endOffset, reason: 'zeek: data line before any #fields header', text });
      return;
    }
    const parts = text.split(this.h.sep);
    if (parts.length !== cols.length) {
      out.quarantine({
        line: lineNo, offset: endOffset, text,
        reason: `zeek: ${parts.length} columns, #fields declares ${cols.length}`,
      });
      return;
    }
    const fields: Record<string, FieldValue> = {};
    let time: number | undefined;
    const unset = this.h.unsetField, empty = this.h.emptyField;
    for (let i = 0; i < parts.length; i++) {
      const raw = parts[i];
      const col = cols[i];
      if (raw === unset) continue;
      if (col.isTs) {
        const t = epochSecondsToMicros(raw);
        if (t === undefined) {
          const what = /^X+\.X+$/.test(raw) ? 'masked timestamp' : `unreadable timestamp "${clip(raw, 40)}"`;
          out.quarantine({ line: lineNo, offset: endOffset, text, reason: `zeek: ${what} in ts (field ${i + 1})` });
          return;
        }
        time = t;
        fields.ts = Number(raw);
        continue;
      }
      if (col.container) {
        if (raw === empty) continue;
        const items = raw.split(this.h.setSep);
        if (items.length === 1) fields[col.name] = convert(items[0], col.kind);
        else {
          const arr: Scalar[] = new Array(items.length);
          for (let j = 0; j < items.length; j++) arr[j] = convert(items[j], col.kind);
          fields[col.name] = arr;
        }
        continue;
      }
      if (raw === empty) { fields[col.name] = ''; continue; }
      fields[col.name] = convert(raw, col.kind);
    }
    const sourcetype = this.forced ?? 'zeek:' + (this.h.path ?? 'unknown');
    out.event({ time, sourcetype, raw: text, fields }, endOffset);
  }

  end(_out: ParseSink): void { /* each line stands alone */ }
}

export const zeekTsv: Format = {
  id: 'zeek-tsv',
  sourcetypes: [/^zeek:/, 'bro'],
  resume: 'replay',
  detect(head: string): number {
    if (/^\s*#separator/.test(head.slice(0, 64))) return 1;
    // a header may follow a comment line (Zeek's btest baselines)
    if (/^#separator \S+\r?\n#set_separator/m.test(head.slice(0, 4096))) return 0.95;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new ZeekTsvParser(ctx); },
};

// ---------------------------------------------------------------------------------------------
// Zeek JSON

class ZeekJsonParser implements RecordParser {
  private readonly pathFromName: string | undefined;
  private readonly forced: string | undefined;
  constructor(ctx: FormatContext) {
    this.pathFromName = zeekPathFromFileName(ctx.fileName);
    this.forced = ctx.sourcetype; // a sourcetype the user names is the event's sourcetype
  }

  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (text.length === 0 || /^\s*$/.test(text)) return;
    const { obj, error } = parseJsonObject(text);
    if (!obj) {
      out.quarantine({ line: lineNo, offset: endOffset, text, reason: `zeek-json: invalid JSON (${error})` });
      return;
    }
    const fields: Record<string, FieldValue> = {};
    let path: string | undefined;
    for (const k in obj) {
      const v = obj[k];
      if (v === null || v === undefined) continue;
      if (k === '_path' && typeof v === 'string') { path = v; }
      zeekJsonValue(k, v, fields);
    }
    let time: number | undefined;
    const ts = obj.ts;
    if (ts !== undefined) {
      time = typeof ts === 'number' ? epochNumberToMicros(ts) : typeof ts === 'string' ? (isoToMicros(ts) ?? epochSecondsToMicros(ts)) : undefined;
      if (time === undefined) {
        out.quarantine({ line: lineNo, offset: endOffset, text, reason: `zeek-json: unreadable timestamp in ts: ${clip(JSON.stringify(ts), 40)}` });
        return;
      }
      // keep ts as epoch seconds like the TSV form, so one search serves both
      fields.ts = time / 1e6;
    }
    const sourcetype = this.forced ?? 'zeek:' + (path ?? this.pathFromName ?? 'unknown');
    out.event({ time, sourcetype, raw: text, fields }, endOffset);
  }
  end(): void {}
}

/** Zeek JSON keys are already dotted ("id.orig_h"); sets/vectors keep their plain name as in TSV. */
function zeekJsonValue(k: string, v: unknown, fields: Record<string, FieldValue>): void {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') { fields[k] = v; return; }
  if (Array.isArray(v)) {
    const arr: Scalar[] = [];
    for (const x of v) {
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') arr.push(x);
      else if (x !== null) arr.push(JSON.stringify(x));
    }
    if (arr.length === 1) fields[k] = arr[0];
    else if (arr.length > 1) fields[k] = arr;
    return;
  }
  if (v && typeof v === 'object') {
    // records nested by a non-flattening writer: "id": {"orig_h": ...}
    for (const kk in v as Record<string, unknown>) {
      const vv = (v as Record<string, unknown>)[kk];
      if (vv !== null && vv !== undefined) zeekJsonValue(k + '.' + kk, vv, fields);
    }
  }
}

/** Zeek's own log names, to know a Zeek JSON log by its file name when its lines carry no uid. */
const ZEEK_LOGS = new Set(('conn dns http ftp smb_files smb_mapping files ssl x509 notice weird dhcp arp software pe ' +
  'packet_filter capture_loss reporter stats loaded_scripts known_hosts known_services known_certs dpd analyzer ' +
  'kerberos ntlm rdp dce_rpc smtp ssh sip snmp socks tunnel radius mysql irc modbus dnp3 ntp quic signatures intel ' +
  'traceroute syslog x509 ocsp').split(' '));

export const zeekJson: Format = {
  id: 'zeek-json',
  sourcetypes: [/^zeek:/],
  resume: 'seek',
  detect(head: string, fileName: string): number {
    const first = head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : head.length).trimStart();
    if (!first.startsWith('{')) return 0;
    if (/"_path"\s*:/.test(first) && /"ts"\s*:/.test(first)) return 0.97;
    if (/"id\.orig_h"\s*:/.test(first) && /"uid"\s*:|"ts"\s*:/.test(first)) return 0.95;
    if (/"ts"\s*:/.test(first) && /"(?:fuid|uid|uids)"\s*:/.test(first)) return 0.9;
    // Zeek JSON always starts with ts; other Zeek logs (arp, notice, software...) are known by file name.
    if (/^\{"ts"\s*:/.test(first) && ZEEK_LOGS.has(zeekPathFromFileName(fileName) ?? '') && /\.(log|json)(\.gz)?$/i.test(baseName(fileName))) return 0.85;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new ZeekJsonParser(ctx); },
};
