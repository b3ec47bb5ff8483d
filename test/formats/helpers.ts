/** Test helpers: run a format over a file the way the ingest driver does (lines with byte offsets). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import type { EventRecord, Quarantined } from '../../src/ingest/event.js';
import type { Format, FormatContext } from '../../src/ingest/formats/types.js';
import { detectFormat } from '../../src/ingest/formats/index.js';
import { addCimAliases } from '../../src/ingest/cim.js';

/** The shared samples: $QUARRY_SAMPLES, else the nearest `shared/samples` up from this file (repo's sibling). */
export const SAMPLES = process.env.QUARRY_SAMPLES ?? findSamples();

function findSamples(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const cand = join(dir, 'shared', 'samples');
    if (existsSync(cand)) return cand + '/';
    dir = dirname(dir);
  }
  return '/work/shared/samples/';
}

export interface RunResult {
  format: Format | undefined;
  events: EventRecord[];
  offsets: number[];
  quarantined: Quarantined[];
}

export function readText(path: string): string {
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  return buf.toString('utf8');
}

/** Feed text to a format line by line (as the driver does), with CIM aliases added. */
export function runText(format: Format, text: string, ctx: Partial<FormatContext> = {}): RunResult {
  const full: FormatContext = { fileName: ctx.fileName ?? 'test', tz: ctx.tz ?? 'UTC', sourcetype: ctx.sourcetype };
  const events: EventRecord[] = [];
  const offsets: number[] = [];
  const quarantined: Quarantined[] = [];
  const sink = {
    event(e: EventRecord, off: number) { addCimAliases(e.sourcetype, e.fields); events.push(e); offsets.push(off); },
    quarantine(q: Quarantined) { quarantined.push(q); },
  };
  const p = format.open(full);
  let pos = 0;
  let lineNo = 0;
  let offset = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    const last = nl < 0;
    if (last) nl = text.length;
    let line = text.slice(pos, nl);
    offset += Buffer.byteLength(line, 'utf8') + (last ? 0 : 1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    lineNo++;
    p.line(line, lineNo, offset, sink);
    pos = nl + 1;
  }
  p.end(sink);
  return { format, events, offsets, quarantined };
}

/** Detect and run a sample file; binary formats go through readBinary. */
export async function runFile(path: string, ctx: Partial<FormatContext> = {}): Promise<RunResult> {
  const name = path;
  if (path.endsWith('.evtx') && (await import('../../src/ingest/formats/index.js')).formats.some((x) => x.id === 'evtx')) {
    const { formats } = await import('../../src/ingest/formats/index.js');
    const f = formats.find((x) => x.id === 'evtx')!;
    const events: EventRecord[] = [];
    const offsets: number[] = [];
    const quarantined: Quarantined[] = [];
    await f.readBinary!(path, { fileName: name, tz: ctx.tz ?? 'UTC', sourcetype: ctx.sourcetype }, {
      event(e, off) { addCimAliases(e.sourcetype, e.fields); events.push(e); offsets.push(off); },
      quarantine(q) { quarantined.push(q); },
    });
    return { format: f, events, offsets, quarantined };
  }
  const text = readText(path);
  const format = detectFormat(text.slice(0, 65536), name);
  if (!format) return { format, events: [], offsets: [], quarantined: [] };
  return runText(format, text, { ...ctx, fileName: name });
}

/** All sample files (skipping licences, READMEs and the like). */
export function sampleFiles(dir = SAMPLES): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (/^(LICENSE|COPYING|README|INDEX|labels\.config|_source_paths|_baseline_to_trace)/i.test(n)) continue;
      if (/\.(md|pcapng|pcap)$/i.test(n)) continue;
      out.push(p);
    }
  };
  walk(dir);
  return out;
}
