import type { EventRecord, Quarantined } from '../event.js';

/** Where a parser sends what it reads. `endOffset` is the byte offset just after the record's last line. */
export interface ParseSink {
  event(e: EventRecord, endOffset: number): void;
  quarantine(q: Quarantined): void;
}

export interface FormatContext {
  /** Path of the file being read ("-" for stdin, "hec" for HTTP Event Collector). */
  fileName: string;
  /** IANA zone for timestamps that carry none (Windows text, PAN-OS, syslog). */
  tz: string;
  /** Sourcetype forced by the user (`--sourcetype`), if any. */
  sourcetype?: string;
}

/**
 * A line-oriented parser for one input. It may keep state (Zeek's `#fields` header, a multi-line
 * Windows event, an XML `<Event>` spanning lines). `line` receives each line without its newline.
 */
export interface RecordParser {
  line(text: string, lineNo: number, endOffset: number, out: ParseSink): void;
  /** End of input: flush a pending multi-line record (or quarantine it as truncated). */
  end(out: ParseSink): void;
}

export interface Format {
  /** Stable id, e.g. "json", "stream", "zeek-tsv", "suricata", "pan-os", "sysmon-xml", "wineventlog". */
  id: string;
  /** Confidence 0..1 that a file with this head (first ~64 KiB of text) and name is in this format. */
  detect(head: string, fileName: string): number;
  /** Which sourcetypes (`--sourcetype`) this format reads; a format is chosen by them when forced. */
  sourcetypes: (string | RegExp)[];
  /**
   * "seek": a re-run may start at the committed byte offset (each line stands alone).
   * "replay": the parser needs earlier lines (headers); a re-run parses from the start and the
   * driver drops events at or before the committed offset.
   */
  resume: 'seek' | 'replay';
  open(ctx: FormatContext): RecordParser;
  /**
   * Binary formats (.evtx) read the file themselves instead of lines, when `isBinary` says the
   * file's head is theirs (a forced sourcetype may name a text rendering of the same events).
   * `checkpoint` lets the driver commit a batch between records, so memory stays bounded.
   */
  readBinary?(path: string, ctx: FormatContext, out: ParseSink, checkpoint?: () => Promise<void>): Promise<void>;
  isBinary?(head: Buffer): boolean;
}
