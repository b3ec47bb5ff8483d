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

/**
 * The format that reads a sourcetype named by the user (`--sourcetype`); undefined for other names
 * (the driver then detects the format and the events keep the name given). Where several formats
 * read the sourcetype (evtx and windows-xml both read XmlWinEventLog:*), the file's head, if
 * given, picks the one whose detector is most confident: an XML rendering is then read line by
 * line in batches, not whole by the .evtx reader.
 */
export function formatForSourcetype(st: string, head?: string, fileName = ''): Format | undefined {
  const claim = formats.filter((f) => f.sourcetypes.some((m) => (typeof m === 'string' ? m === st : m.test(st))));
  if (head === undefined || claim.length < 2) return claim[0];
  let best = claim[0];
  let score = 0;
  for (const f of claim) {
    const s = f.detect(head, fileName);
    if (s > score) { score = s; best = f; }
  }
  return best;
}
