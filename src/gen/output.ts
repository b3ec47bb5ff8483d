/**
 * Writing: one buffered, backpressured stream per output file, and a time-ordered merge window.
 * Generators emit (file, time, line) records into the current window; `flushUntil(t)` sorts the
 * records older than t and writes them, so files come out in time order and memory stays flat.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

export type FileKey =
  | 'stream:dns' | 'stream:smb' | 'stream:ftp' | 'stream:http' | 'stream:tcp'
  | 'suricata' | 'pan:traffic' | 'pan:threat' | 'sysmon' | 'wineventlog'
  | 'zeek:conn' | 'zeek:dns' | 'zeek:ftp' | 'zeek:smb_files' | 'zeek:smb_mapping' | 'zeek:http';

export interface FileSpec { path: string; sourcetype: string; source?: string; header?: string; footer?: string; sep: string }

export const FILES: Record<FileKey, Omit<FileSpec, 'header' | 'footer'>> = {
  'stream:dns': { path: 'stream/dns.json', sourcetype: 'stream:dns', sep: '\n' },
  'stream:smb': { path: 'stream/smb.json', sourcetype: 'stream:smb', sep: '\n' },
  'stream:ftp': { path: 'stream/ftp.json', sourcetype: 'stream:ftp', sep: '\n' },
  'stream:http': { path: 'stream/http.json', sourcetype: 'stream:http', sep: '\n' },
  'stream:tcp': { path: 'stream/tcp.json', sourcetype: 'stream:tcp', sep: '\n' },
  suricata: { path: 'suricata/eve.json', sourcetype: 'suricata', sep: '\n' },
  'pan:traffic': { path: 'pan/traffic.log', sourcetype: 'pan:traffic', sep: '\n' },
  'pan:threat': { path: 'pan/threat.log', sourcetype: 'pan:threat', sep: '\n' },
  sysmon: { path: 'windows/sysmon.xml', sourcetype: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', sep: '\n' },
  wineventlog: { path: 'windows/security.log', sourcetype: 'wineventlog', source: 'WinEventLog:Security', sep: '\n\n' },
  'zeek:conn': { path: 'zeek/conn.log', sourcetype: 'zeek:conn', sep: '\n' },
  'zeek:dns': { path: 'zeek/dns.log', sourcetype: 'zeek:dns', sep: '\n' },
  'zeek:ftp': { path: 'zeek/ftp.log', sourcetype: 'zeek:ftp', sep: '\n' },
  'zeek:smb_files': { path: 'zeek/smb_files.log', sourcetype: 'zeek:smb_files', sep: '\n' },
  'zeek:smb_mapping': { path: 'zeek/smb_mapping.log', sourcetype: 'zeek:smb_mapping', sep: '\n' },
  'zeek:http': { path: 'zeek/http.log', sourcetype: 'zeek:http', sep: '\n' },
};

class Sink {
  private ws: WriteStream;
  private buf = '';
  events = 0;
  bytes = 0;
  private first = true;
  constructor(path: string, readonly spec: FileSpec) {
    mkdirSync(dirname(path), { recursive: true });
    this.ws = createWriteStream(path, { highWaterMark: 1 << 20 });
    if (spec.header) this.push(spec.header);
  }
  private push(s: string): void { this.buf += s; }
  add(line: string): void {
    // multi-line text events are separated by a blank line; every file ends with a newline
    if (this.spec.sep === '\n\n' && !this.first) this.push('\n');
    this.first = false;
    this.push(line + '\n');
    this.events++;
  }
  async drain(force = false): Promise<void> {
    if (this.buf.length < (force ? 1 : 1 << 20)) return;
    const chunk = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.bytes += chunk.length;
    if (!this.ws.write(chunk)) await new Promise<void>((res) => this.ws.once('drain', () => res()));
  }
  async close(): Promise<void> {
    if (this.spec.footer) this.push(this.spec.footer);
    await this.drain(true);
    await new Promise<void>((res, rej) => this.ws.end((err?: Error | null) => (err ? rej(err) : res())));
  }
}

interface Rec { t: number; k: FileKey; line: string; n: number }

export class Output {
  private sinks = new Map<FileKey, Sink>();
  private pending: Rec[] = [];
  private seq = 0;
  earliest = Infinity;
  latest = -Infinity;
  constructor(readonly dir: string, private headers: Partial<Record<FileKey, { header: string; footer?: string }>> = {}) {}

  emit(k: FileKey, t: number, line: string): void {
    this.pending.push({ t, k, line, n: this.seq++ });
  }

  private sink(k: FileKey): Sink {
    let s = this.sinks.get(k);
    if (!s) {
      const spec: FileSpec = { ...FILES[k], ...(this.headers[k] ?? {}) };
      s = new Sink(join(this.dir, spec.path), spec);
      this.sinks.set(k, s);
    }
    return s;
  }

  /** Write every pending record with t < until, in time order (ties keep emission order). */
  async flushUntil(until: number): Promise<void> {
    const keep: Rec[] = [];
    const out: Rec[] = [];
    for (const r of this.pending) (r.t < until ? out : keep).push(r);
    this.pending = keep;
    out.sort((a, b) => a.t - b.t || a.n - b.n);
    for (const r of out) {
      if (r.t < this.earliest) this.earliest = r.t;
      if (r.t > this.latest) this.latest = r.t;
      this.sink(r.k).add(r.line);
    }
    for (const s of this.sinks.values()) await s.drain();
  }

  async close(): Promise<{ key: FileKey; spec: FileSpec; events: number; bytes: number }[]> {
    await this.flushUntil(Infinity);
    const res: { key: FileKey; spec: FileSpec; events: number; bytes: number }[] = [];
    const keys = [...this.sinks.keys()].sort();
    for (const k of keys) {
      const s = this.sinks.get(k)!;
      await s.close();
      res.push({ key: k, spec: s.spec, events: s.events, bytes: s.bytes });
    }
    return res;
  }
}
