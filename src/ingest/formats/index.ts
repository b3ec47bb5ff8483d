import type { Format } from './types.js';

export type { Format, FormatContext, ParseSink, RecordParser } from './types.js';
import { zeekJson, zeekTsv } from './zeek.js';
import { suricata } from './suricata.js';
import { panos } from './panos.js';
import { windowsJson, windowsXml, winEventText } from './windows.js';
import { csv, json, stream, text } from './generic.js';
import { evtx } from './evtx/index.js';

/** Every format Quarry reads, most specific first; `text` accepts anything and comes last. */
export const formats: Format[] = [
  evtx, zeekTsv, zeekJson, suricata, stream, panos, windowsXml, winEventText, windowsJson, csv, json, text,
];

/** The format whose detector is most confident about this head of a file (ties: earlier in the list). */
export function detectFormat(head: string, fileName: string): Format | undefined {
  let best: Format | undefined;
  let score = 0;
  for (const f of formats) {
    const s = f.detect(head, fileName);
    if (s > score) { score = s; best = f; }
  }
  return score > 0 ? best : undefined;
}

/** The format that reads a sourcetype named by the user (`--sourcetype`); `text` takes any other name. */
export function formatForSourcetype(st: string): Format | undefined {
  for (const f of formats) {
    for (const m of f.sourcetypes) {
      if (typeof m === 'string' ? m === st : m.test(st)) return f;
    }
  }
  return undefined;
}
