/**
 * Line reader with byte offsets: files, .gz files and stdin, streamed in chunks so memory stays
 * flat whatever the size. Offsets are in the (decompressed) byte stream.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface Line {
  text: string;
  /** 1-based, counted from the first line read (the caller adds lines skipped by `start`). */
  lineNo: number;
  /** Byte offset just after this line's newline. */
  endOffset: number;
}

/** Open a path as a byte stream ("-" is stdin); gzip is recognised by its magic bytes or name. */
export function openInput(path: string, start = 0, gz = false): Readable {
  if (path === '-') return process.stdin;
  const raw = createReadStream(path, { start: gz ? 0 : start, highWaterMark: 1 << 20 });
  return gz ? raw.pipe(createGunzip()) : raw;
}

/** Yield lines in batches (arrays) to keep per-line async overhead off the hot path. */
export async function* readLines(stream: Readable, startOffset = 0, skipBytes = 0): AsyncGenerator<Line[]> {
  let pending: Buffer | null = null;
  let offset = startOffset; // offset of pending[0]
  let lineNo = 0;
  let toSkip = skipBytes; // for streams that cannot seek (gzip, replay): bytes to pass over first
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    if (toSkip > 0) {
      const n = Math.min(toSkip, buf.length);
      buf = buf.subarray(n);
      offset += n;
      toSkip -= n;
      if (buf.length === 0) {
        pending = null;
        continue;
      }
    }
    const out: Line[] = [];
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(10, from);
      if (nl < 0) break;
      let end = nl;
      if (end > from && buf[end - 1] === 13) end--; // CRLF
      out.push({ text: buf.toString('utf8', from, end), lineNo: ++lineNo, endOffset: offset + nl + 1 });
      from = nl + 1;
    }
    offset += from;
    pending = from < buf.length ? Buffer.from(buf.subarray(from)) : null;
    if (out.length) yield out;
  }
  if (pending && pending.length) {
    let end = pending.length;
    if (pending[end - 1] === 13) end--;
    yield [{ text: pending.toString('utf8', 0, end), lineNo: ++lineNo, endOffset: offset + pending.length }];
  }
}
