import { jsonFormat } from './json.js';
import type { Format } from './types.js';

export type { Format, FormatContext, ParseSink, RecordParser } from './types.js';

/** Every format Quarry reads. A new format is a module here and one line in this list. */
export const formats: Format[] = [jsonFormat];

/** The format whose detector is most confident about this head of a file, if any is. */
export function detectFormat(head: string, fileName: string): Format | undefined {
  let best: Format | undefined;
  let score = 0;
  for (const f of formats) {
    const s = f.detect(head, fileName);
    if (s > score) [best, score] = [f, s];
  }
  return best;
}

/** The format that reads a sourcetype named by the user. */
export function formatForSourcetype(st: string): Format | undefined {
  return formats.find((f) => f.sourcetypes.some((p) => (typeof p === 'string' ? p === st : p.test(st))));
}
