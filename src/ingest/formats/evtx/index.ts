/** `.evtx` files read directly: records rendered to XML, then read as the XML form is. */
import { readFile } from 'node:fs/promises';
import type { Format, FormatContext, ParseSink, RecordParser } from '../types.js';
import { parseEventXml, xmlSourcetype } from '../windows.js';
import { readEvtx } from './binxml.js';

export async function readEvtxFile(path: string, ctx: FormatContext, out: ParseSink): Promise<void> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    out.quarantine({ offset: 1, text: path, reason: `evtx: cannot read file (${(e as Error).message})` });
    return;
  }
  let iter: Generator<import('./binxml.js').EvtxRecord>;
  try {
    iter = readEvtx(buf);
    for (const r of iter) {
      if (r.error || r.xml === undefined) {
        out.quarantine({ offset: r.end, text: r.bytes ? r.bytes.toString('base64') : '', reason: r.error ?? 'evtx: unreadable record' });
        continue;
      }
      const ev = parseEventXml(r.xml);
      if (typeof ev === 'string') {
        out.quarantine({ offset: r.end, text: r.xml, reason: `evtx: record ${r.recordId}: ${ev}` });
        continue;
      }
      if (ev.time === undefined) {
        out.quarantine({ offset: r.end, text: r.xml, reason: `evtx: record ${r.recordId}: no readable TimeCreated` });
        continue;
      }
      out.event({ time: ev.time, sourcetype: ctx.sourcetype ?? xmlSourcetype(ev.channel), host: ev.host, raw: r.xml, fields: ev.fields }, r.end);
    }
  } catch (e) {
    // offsets must be > 0 to be kept by a driver that drops what an earlier run committed
    out.quarantine({ offset: Math.max(1, buf.length), text: buf.subarray(0, 128).toString('base64'), reason: `evtx: ${(e as Error).message}` });
  }
}

class NoLines implements RecordParser {
  private told = false;
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void {
    if (this.told) return;
    this.told = true;
    out.quarantine({ line: lineNo, offset: endOffset, text: text.slice(0, 256), reason: 'evtx: binary file given as lines (it must be read from a file path)' });
  }
  end(): void {}
}

export const evtx: Format = {
  id: 'evtx',
  sourcetypes: [],
  resume: 'replay',
  detect(head: string, fileName: string): number {
    if (head.startsWith('ElfFile')) return 1;
    return /\.evtx$/i.test(fileName) ? 0.9 : 0;
  },
  open(_ctx: FormatContext): RecordParser { return new NoLines(); },
  readBinary: readEvtxFile,
};
