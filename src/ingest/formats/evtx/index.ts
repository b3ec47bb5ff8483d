/** `.evtx` files read directly: records rendered to XML, then read as the XML form is. */
import { readFile } from 'node:fs/promises';
import type { Format, FormatContext, ParseSink, RecordParser } from '../types.js';
import { parseEventXml, windowsXml, xmlSourcetype } from '../windows.js';
import { readEvtx } from './binxml.js';

export async function readEvtxFile(path: string, ctx: FormatContext, out: ParseSink, checkpoint: () => Promise<void> = async () => {}): Promise<void> {
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
        await checkpoint();
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
      await checkpoint();
    }
  } catch (e) {
    // offsets must be > 0 to be kept by a driver that drops what an earlier run committed
    out.quarantine({ offset: Math.max(1, buf.length), text: buf.subarray(0, 128).toString('base64'), reason: `evtx: ${(e as Error).message}` });
  }
}

export const evtx: Format = {
  id: 'evtx',
  // listed before windows-xml: a forced XmlWinEventLog sourcetype reads .evtx and XML files alike
  sourcetypes: [/^XmlWinEventLog/i, 'xmlwineventlog'],
  resume: 'replay',
  detect(head: string, fileName: string): number {
    if (head.startsWith('ElfFile')) return 1;
    return /\.evtx$/i.test(fileName) ? 0.9 : 0;
  },
  // line mode (stdin, HEC raw): the lines are XML renderings of events
  open(ctx: FormatContext): RecordParser { return windowsXml.open(ctx); },
  // a forced XmlWinEventLog sourcetype on an XML rendering reads it as lines (windows-xml)
  isBinary: (head: Buffer) => head.toString('latin1', 0, 7) === 'ElfFile',
  readBinary: readEvtxFile,
};
