/**
 * Windows event logs:
 * - XML events (`<Event xmlns=...>` as Windows renders them, Splunk's XmlWinEventLog, wevtutil /
 *   python-evtx exports with `<Events>` around them): one event per `<Event>`, across lines or
 *   several on a line. Sourcetype `XmlWinEventLog:<Channel>` (Sysmon:
 *   `XmlWinEventLog:Microsoft-Windows-Sysmon/Operational`).
 * - Classic multi-line text (`MM/DD/YYYY hh:mm:ss AM` + `LogName=...` + `Message=...`), Splunk's
 *   WinEventLog: sourcetype `WinEventLog:<LogName>`; header time in ctx.tz.
 * - Winlogbeat (6.x and ECS 7+/8) and NXLog JSON: same fields and sourcetype as the XML form, so one
 *   hunt serves all three.
 */
import { XMLParser } from 'fast-xml-parser';
import type { EventRecord, FieldValue, Scalar } from '../event.js';
import type { Format, FormatContext, ParseSink, RecordParser } from './types.js';
import { anyTimeToMicros, isoToMicros, usDateTimeToMicros } from '../timestamps.js';
import { parseXmlFast } from './xmlfast.js';
import { addValue, autoNumber, clip, flattenJson, parseJsonObject } from './util.js';

/** Sysmon event names (the Sysmon TA's EventDescription). */
export const SYSMON_EVENTS: Record<number, string> = {
  1: 'Process Create', 2: 'File creation time changed', 3: 'Network connection detected', 4: 'Sysmon service state changed',
  5: 'Process terminated', 6: 'Driver loaded', 7: 'Image loaded', 8: 'CreateRemoteThread detected',
  9: 'RawAccessRead detected', 10: 'Process accessed', 11: 'File created', 12: 'Registry object added or deleted',
  13: 'Registry value set', 14: 'Registry object renamed', 15: 'File stream created', 16: 'Sysmon config state changed',
  17: 'Pipe Created', 18: 'Pipe Connected', 19: 'WmiEventFilter activity detected', 20: 'WmiEventConsumer activity detected',
  21: 'WmiEventConsumerToFilter activity detected', 22: 'Dns query', 23: 'File Delete archived', 24: 'Clipboard changed',
  25: 'Process Tampering', 26: 'File Delete logged', 27: 'File Block Executable', 28: 'File Block Shredding',
  29: 'File Executable Detected', 255: 'Error',
};

const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';

function dataValue(s: string): Scalar {
  return autoNumber(s);
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'Data' || name === 'Binary',
});

type XNode = Record<string, unknown> | string | undefined;

function text(n: unknown): string | undefined {
  if (n === undefined || n === null) return undefined;
  if (typeof n === 'string') return n;
  if (typeof n === 'number' || typeof n === 'boolean') return String(n);
  if (typeof n === 'object') {
    const t = (n as Record<string, unknown>)['#text'];
    return t === undefined ? '' : String(t);
  }
  return undefined;
}
function attr(n: XNode, a: string): string | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const v = n['@' + a];
  return v === undefined ? undefined : String(v);
}

/** Leaves of UserData / unknown sections, named by their element name (as Splunk's XML extraction). */
function flattenXml(n: unknown, name: string, fields: Record<string, FieldValue>): void {
  if (n === undefined || n === null) return;
  if (typeof n === 'string' || typeof n === 'number') {
    const s = String(n).trim();
    if (s !== '') addValue(fields, name, dataValue(s));
    return;
  }
  if (Array.isArray(n)) { for (const x of n) flattenXml(x, name, fields); return; }
  if (typeof n === 'object') {
    const o = n as Record<string, unknown>;
    // <Data Name="x">v</Data> inside UserData and friends
    if (typeof o['@Name'] === 'string' && name === 'Data') {
      const t = text(o)?.trim();
      if (t) addValue(fields, o['@Name'] as string, dataValue(t));
      return;
    }
    for (const k in o) {
      if (k === '#text') { const t = String(o[k]).trim(); if (t) addValue(fields, name, dataValue(t)); continue; }
      if (k.startsWith('@')) continue;
      flattenXml(o[k], k, fields);
    }
  }
}

export interface WinEventParts { time?: number; host?: string; channel?: string; fields: Record<string, FieldValue> }

/** Fields of one parsed `<Event>`: System values, EventData Data Name= values, UserData leaves. */
export function eventFromXmlObject(ev: Record<string, unknown>): WinEventParts {
  const fields: Record<string, FieldValue> = {};
  const sys = ev.System as Record<string, unknown> | undefined;
  let time: number | undefined;
  let channel: string | undefined;
  let host: string | undefined;
  if (sys && typeof sys === 'object') {
    const prov = sys.Provider as XNode;
    const pn = attr(prov, 'Name');
    if (pn) fields.Provider_Name = pn;
    const pg = attr(prov, 'Guid');
    if (pg) fields.Provider_Guid = pg;
    const esn = attr(prov, 'EventSourceName');
    if (esn) fields.EventSourceName = esn;
    const id = text(sys.EventID);
    if (id !== undefined && id !== '') {
      const n = autoNumber(id.trim());
      fields.EventID = n;
      fields.EventCode = n;
      const q = attr(sys.EventID as XNode, 'Qualifiers');
      if (q) fields.Qualifiers = autoNumber(q);
    }
    for (const k of ['Version', 'Level', 'Task', 'Opcode', 'Keywords', 'EventRecordID', 'Channel', 'Computer']) {
      const v = text(sys[k]);
      if (v !== undefined && v.trim() !== '') fields[k] = k === 'Keywords' || k === 'Channel' || k === 'Computer' ? v.trim() : autoNumber(v.trim());
    }
    const st = attr(sys.TimeCreated as XNode, 'SystemTime');
    if (st) { fields.SystemTime = st; time = isoToMicros(st); }
    const corr = sys.Correlation as XNode;
    const act = attr(corr, 'ActivityID');
    if (act) fields.ActivityID = act;
    const rel = attr(corr, 'RelatedActivityID');
    if (rel) fields.RelatedActivityID = rel;
    const exe = sys.Execution as XNode;
    const pid = attr(exe, 'ProcessID');
    if (pid) fields.ProcessID = autoNumber(pid);
    const tid = attr(exe, 'ThreadID');
    if (tid) fields.ThreadID = autoNumber(tid);
    const uid = attr(sys.Security as XNode, 'UserID');
    if (uid) fields.UserID = uid;
    if (fields.EventRecordID !== undefined) fields.RecordID = fields.EventRecordID;
    channel = typeof fields.Channel === 'string' ? fields.Channel : undefined;
    host = typeof fields.Computer === 'string' ? fields.Computer : undefined;
  }
  const ed = ev.EventData as Record<string, unknown> | undefined;
  if (ed && typeof ed === 'object') {
    const data = ed.Data as unknown[] | undefined;
    if (Array.isArray(data)) {
      for (const d of data) {
        if (d && typeof d === 'object') {
          const name = (d as Record<string, unknown>)['@Name'];
          const t = text(d) ?? '';
          if (typeof name === 'string' && name) { if (t !== '') addValue(fields, name, dataValue(t)); }
          else if (t !== '') addValue(fields, 'Data', dataValue(t));
        } else if (typeof d === 'string' && d !== '') addValue(fields, 'Data', dataValue(d));
      }
    }
    const bin = ed.Binary as unknown[] | undefined;
    if (Array.isArray(bin)) for (const b of bin) { const t = text(b); if (t) addValue(fields, 'Binary', t); }
  }
  if (ev.UserData !== undefined) flattenXml(ev.UserData, 'UserData', fields);
  const ri = ev.RenderingInfo as Record<string, unknown> | undefined;
  if (ri && typeof ri === 'object') {
    const msg = text(ri.Message);
    if (msg) fields.Message = msg;
    for (const k of ['Level', 'Task', 'Opcode']) {
      const v = text(ri[k]);
      if (v) fields[k + 'Text'] = v;
    }
  }
  if (channel === SYSMON_CHANNEL && typeof fields.EventCode === 'number' && SYSMON_EVENTS[fields.EventCode]) {
    fields.EventDescription = SYSMON_EVENTS[fields.EventCode];
  }
  return { time, host, channel, fields };
}

/** Parse one `<Event>...</Event>` text. Returns a reason string when it cannot be read. */
export function parseEventXml(s: string): WinEventParts | string {
  let doc = parseXmlFast(s);
  if (!doc) {
    try {
      doc = xml.parse(s) as Record<string, unknown>;
    } catch (e) {
      return `windows-xml: malformed XML (${clip((e as Error).message, 80)})`;
    }
  }
  const ev = doc.Event as Record<string, unknown> | undefined;
  if (!ev || typeof ev !== 'object') return 'windows-xml: no <Event> element';
  return eventFromXmlObject(ev);
}

export function xmlSourcetype(channel: string | undefined): string {
  return 'XmlWinEventLog' + (channel ? ':' + channel : '');
}

// ------------------------------------------------------------------------------ XML line parser

class WinXmlParser implements RecordParser {
  private buf: string[] = [];
  private startLine = 0;
  private lastOffset = 0;
  constructor(private readonly ctx: FormatContext) {}

  private emit(xmlText: string, lineNo: number, endOffset: number, out: ParseSink): void {
    const r = parseEventXml(xmlText);
    if (typeof r === 'string') {
      out.quarantine({ line: lineNo, offset: endOffset, text: xmlText, reason: r });
      return;
    }
    if (r.time === undefined) {
      out.quarantine({ line: lineNo, offset: endOffset, text: xmlText, reason: 'windows-xml: no readable System/TimeCreated@SystemTime' });
      return;
    }
    const e: EventRecord = { time: r.time, sourcetype: this.ctx.sourcetype ?? xmlSourcetype(r.channel), host: r.host, raw: xmlText, fields: r.fields };
    out.event(e, endOffset);
  }

  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    this.lastOffset = endOffset;
    let s = text;
    while (s.length) {
      if (this.buf.length === 0) {
        const i = s.indexOf('<Event');
        // "<Events>" is the wrapper, not an event
        let at = i;
        while (at >= 0 && s.startsWith('<Events', at)) at = s.indexOf('<Event', at + 7);
        const outside = at < 0 ? s : s.slice(0, at);
        const junk = outside.replace(/<\?xml[^>]*\?>|<\/?Events[^>]*>|<!--[\s\S]*?-->/g, '').trim();
        if (junk) out.quarantine({ line: lineNo, offset: endOffset, text: clip(outside, 4000), reason: 'windows-xml: text outside any <Event> element' });
        if (at < 0) return;
        s = s.slice(at);
        this.startLine = lineNo;
      }
      const end = s.indexOf('</Event>');
      if (end < 0) { this.buf.push(s); return; }
      this.buf.push(s.slice(0, end + 8));
      const ev = this.buf.join('\n');
      this.buf = [];
      this.emit(ev, this.startLine, endOffset, out);
      s = s.slice(end + 8);
      if (!s.trim()) return;
    }
  }

  end(out: ParseSink): void {
    if (this.buf.length) {
      out.quarantine({ line: this.startLine, offset: this.lastOffset, text: this.buf.join('\n'), reason: 'windows-xml: truncated <Event> (input ended before </Event>)' });
      this.buf = [];
    }
  }
}

export const windowsXml: Format = {
  id: 'windows-xml',
  sourcetypes: [/^XmlWinEventLog/i, 'xmlwineventlog'],
  resume: 'replay',
  detect(head: string): number {
    const h = head.slice(0, 16384);
    if (/<Event\s+xmlns=['"]http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event['"]/.test(h)) return 0.97;
    if (/<Event>\s*<System>/.test(h)) return 0.9;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new WinXmlParser(ctx); },
};

// --------------------------------------------------------------------- classic WinEventLog text

const WIN_HEADER = /^(\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2}(?:\.\d+)? ?(?:[AP]M)?)\s*$/i;
const KV_LINE = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/;
const MSG_KV = /^\s*([A-Za-z][A-Za-z0-9 ()'\-\/.]*?):[ \t]+(\S.*?)\s*$/;

/** Parse the lines of one classic event (header line first). */
export function parseWinEventText(lines: string[], tz: string): { time?: number; host?: string; logName?: string; fields: Record<string, FieldValue> } {
  const fields: Record<string, FieldValue> = {};
  const time = usDateTimeToMicros(lines[0], tz);
  let i = 1;
  let message: string[] | undefined;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (message) { message.push(l); continue; }
    const m = KV_LINE.exec(l);
    if (!m) { message = [l]; continue; } // stray line: keep it as message text
    if (m[1] === 'Message') { message = [m[2]]; continue; }
    fields[m[1]] = m[1] === 'EventCode' || m[1] === 'RecordNumber' || m[1] === 'EventType' ? autoNumber(m[2]) : m[2];
  }
  if (message) {
    const msg = message.join('\n').replace(/\s+$/, '');
    fields.Message = msg;
    let section = '';
    for (const l of message) {
      if (/^\S[^:]*:\s*$/.test(l)) { section = l.trim().slice(0, -1); continue; }
      const m = MSG_KV.exec(l);
      if (!m) continue;
      // free-text paragraphs: only indented lines or short "Key:  value" lines are pairs
      if (!/^\s/.test(l) && m[1].length > 40) continue;
      const key = m[1].trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
      if (!key) continue;
      addValue(fields, key, m[2]);
      void section;
    }
  }
  // Aliases matching the XML names (Splunk_TA_windows gives these for 4688)
  const alias = (to: string, from: string) => { if (fields[to] === undefined && fields[from] !== undefined) fields[to] = fields[from]; };
  alias('CommandLine', 'Process_Command_Line');
  alias('Image', 'New_Process_Name');
  alias('NewProcessName', 'New_Process_Name');
  alias('ParentProcessName', 'Creator_Process_Name');
  alias('ParentImage', 'Creator_Process_Name');
  alias('Computer', 'ComputerName');
  alias('EventID', 'EventCode');
  const host = typeof fields.ComputerName === 'string' ? fields.ComputerName : undefined;
  const logName = typeof fields.LogName === 'string' ? fields.LogName : undefined;
  return { time, host, logName, fields };
}

class WinTextParser implements RecordParser {
  private lines: string[] = [];
  private startLine = 0;
  private lastOffset = 0;
  constructor(private readonly ctx: FormatContext) {}

  private flush(out: ParseSink): void {
    if (!this.lines.length) return;
    const lines = this.lines;
    this.lines = [];
    while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
    const raw = lines.join('\n');
    const r = parseWinEventText(lines, this.ctx.tz);
    if (r.time === undefined) {
      out.quarantine({ line: this.startLine, offset: this.lastOffset, text: raw, reason: `wineventlog: unreadable header time "${clip(lines[0], 40)}"` });
      return;
    }
    if (r.fields.EventCode === undefined) {
      out.quarantine({ line: this.startLine, offset: this.lastOffset, text: raw, reason: 'wineventlog: event without EventCode= line' });
      return;
    }
    out.event({ time: r.time, sourcetype: this.ctx.sourcetype ?? 'WinEventLog:' + (r.logName ?? 'Unknown'), host: r.host, raw, fields: r.fields }, this.lastOffset);
  }

  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (WIN_HEADER.test(text)) {
      this.flush(out);
      this.startLine = lineNo;
      this.lines.push(text.trim());
      this.lastOffset = endOffset;
      return;
    }
    if (!this.lines.length) {
      if (text.trim()) out.quarantine({ line: lineNo, offset: endOffset, text, reason: 'wineventlog: line before the first "MM/DD/YYYY hh:mm:ss AM" event header' });
      return;
    }
    this.lines.push(text);
    this.lastOffset = endOffset;
  }

  end(out: ParseSink): void { this.flush(out); }
}

export const winEventText: Format = {
  id: 'wineventlog',
  sourcetypes: [/^WinEventLog/i, 'wineventlog'],
  resume: 'replay',
  detect(head: string): number {
    const h = head.slice(0, 8192);
    if (/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} ?(?:[AP]M)?\r?\n(?:LogName|EventCode|SourceName)=/im.test(h)) return 0.95;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new WinTextParser(ctx); },
};

// ------------------------------------------------------------------------ Winlogbeat / NXLog JSON

const NX_SKIP = new Set(['EventTime', 'EventReceivedTime', 'Hostname', 'EventID', 'Channel', 'SourceName', 'RecordNumber']);

/** Map a Winlogbeat or NXLog JSON object to Windows fields. */
export function winJsonEvent(obj: Record<string, unknown>, tz: string): WinEventParts | string {
  const fields: Record<string, FieldValue> = {};
  const winlog = obj.winlog as Record<string, unknown> | undefined;
  let time: number | undefined;
  let host: string | undefined;
  let channel: string | undefined;
  const ts = obj['@timestamp'];
  if (winlog && typeof winlog === 'object') {
    // Winlogbeat 7+/8 (ECS)
    flattenJson(obj, fields);
    const ed = (winlog.event_data ?? {}) as Record<string, unknown>;
    for (const k in ed) { const v = ed[k]; if (v !== null && v !== '' && typeof v !== 'object') fields[k] = typeof v === 'string' ? dataValue(v) : (v as Scalar); }
    const ud = winlog.user_data as Record<string, unknown> | undefined;
    if (ud && typeof ud === 'object') for (const k in ud) { const v = ud[k]; if (v !== null && typeof v !== 'object' && fields[k] === undefined) fields[k] = v as Scalar; }
    const id = winlog.event_id ?? (obj.event as Record<string, unknown> | undefined)?.code;
    if (id !== undefined) { fields.EventCode = autoNumber(String(id)); fields.EventID = fields.EventCode; }
    channel = typeof winlog.channel === 'string' ? winlog.channel : undefined;
    if (channel) fields.Channel = channel;
    host = typeof winlog.computer_name === 'string' ? winlog.computer_name : undefined;
    if (host) fields.Computer = host;
    if (winlog.record_id !== undefined) { fields.EventRecordID = autoNumber(String(winlog.record_id)); fields.RecordID = fields.EventRecordID; }
    if (typeof winlog.provider_name === 'string') fields.Provider_Name = winlog.provider_name;
    time = typeof ts === 'string' ? isoToMicros(ts) : undefined;
    if (time === undefined && typeof obj.event === 'object' && obj.event) time = anyTimeToMicros((obj.event as Record<string, unknown>).created);
  } else if (obj.event_data !== undefined || obj.log_name !== undefined || obj.computer_name !== undefined) {
    // Winlogbeat 5/6
    flattenJson(obj, fields);
    const ed = (obj.event_data ?? {}) as Record<string, unknown>;
    for (const k in ed) { const v = ed[k]; if (v !== null && v !== '' && typeof v !== 'object') fields[k] = typeof v === 'string' ? dataValue(v) : (v as Scalar); }
    if (obj.event_id !== undefined) { fields.EventCode = autoNumber(String(obj.event_id)); fields.EventID = fields.EventCode; }
    channel = typeof obj.log_name === 'string' ? obj.log_name : undefined;
    if (channel) fields.Channel = channel;
    host = typeof obj.computer_name === 'string' ? obj.computer_name : undefined;
    if (host) fields.Computer = host;
    if (obj.record_number !== undefined) { fields.EventRecordID = autoNumber(String(obj.record_number)); fields.RecordID = fields.EventRecordID; }
    if (typeof obj.source_name === 'string') fields.Provider_Name = obj.source_name;
    time = typeof ts === 'string' ? isoToMicros(ts) : undefined;
  } else if (obj.EventID !== undefined || obj.EventTime !== undefined) {
    // NXLog im_msvistalog to_json(): event data at top level, EventTime local ("2019-04-30 20:26:51")
    for (const k in obj) {
      const v = obj[k];
      if (v === null || v === '' || NX_SKIP.has(k)) continue;
      if (typeof v === 'object') { flattenJson({ [k]: v } as Record<string, unknown>, fields); continue; }
      fields[k] = typeof v === 'string' ? dataValue(v) : (v as Scalar);
    }
    if (obj.EventID !== undefined) { fields.EventCode = autoNumber(String(obj.EventID)); fields.EventID = fields.EventCode; }
    channel = typeof obj.Channel === 'string' ? obj.Channel : undefined;
    if (channel) fields.Channel = channel;
    host = typeof obj.Hostname === 'string' ? obj.Hostname : undefined;
    if (host) fields.Computer = host;
    if (obj.RecordNumber !== undefined) { fields.EventRecordID = autoNumber(String(obj.RecordNumber)); fields.RecordID = fields.EventRecordID; }
    if (typeof obj.SourceName === 'string') fields.Provider_Name = obj.SourceName;
    const et = obj.EventTime;
    time = typeof et === 'string' ? (isoToMicros(et, tz) ?? anyTimeToMicros(et, tz)) : anyTimeToMicros(et, tz);
  } else {
    return 'windows-json: neither Winlogbeat (winlog/event_data) nor NXLog (EventID/EventTime) fields';
  }
  if (channel === SYSMON_CHANNEL && typeof fields.EventCode === 'number' && SYSMON_EVENTS[fields.EventCode]) {
    fields.EventDescription = SYSMON_EVENTS[fields.EventCode];
  }
  return { time, host, channel, fields };
}

class WinJsonParser implements RecordParser {
  constructor(private readonly ctx: FormatContext) {}
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (!text.trim()) return;
    const { obj, error } = parseJsonObject(text);
    if (!obj) { out.quarantine({ line: lineNo, offset: endOffset, text, reason: `windows-json: invalid JSON (${error})` }); return; }
    const r = winJsonEvent(obj, this.ctx.tz);
    if (typeof r === 'string') { out.quarantine({ line: lineNo, offset: endOffset, text, reason: r }); return; }
    if (r.time === undefined) { out.quarantine({ line: lineNo, offset: endOffset, text, reason: 'windows-json: no readable @timestamp / EventTime' }); return; }
    out.event({ time: r.time, sourcetype: this.ctx.sourcetype ?? xmlSourcetype(r.channel), host: r.host, raw: text, fields: r.fields }, endOffset);
  }
  end(): void {}
}

export const windowsJson: Format = {
  id: 'windows-json',
  sourcetypes: ['winlogbeat', 'nxlog', /^WinEventLog:json/i],
  resume: 'seek',
  detect(head: string): number {
    const nl = head.indexOf('\n');
    const first = (nl >= 0 ? head.slice(0, nl) : head).trimStart();
    if (!first.startsWith('{')) return 0;
    if (/"winlog"\s*:\s*\{/.test(first) || (/"event_data"\s*:/.test(first) && /"computer_name"\s*:/.test(first))) return 0.96;
    if (/"EventID"\s*:/.test(first) && /"EventTime"\s*:/.test(first) && /"(Hostname|Channel|SourceName)"\s*:/.test(first)) return 0.95;
    return 0;
  },
  open(ctx: FormatContext): RecordParser { return new WinJsonParser(ctx); },
};
