/**
 * A focused reader of the Windows EVTX format (the binary event log Windows writes): file header,
 * 64 KiB chunks, event records, and Binary XML (BinXML) with templates and substitutions, rendered
 * to the event's XML (as Windows' own tools show it). Written from the published format notes
 * (libevtx's "Windows XML Event Log (EVTX)" documentation); pure TypeScript, no dependencies.
 */

export const CHUNK_SIZE = 0x10000;
const FILE_SIG = 'ElfFile\0';
const CHUNK_SIG = 'ElfChnk\0';

export class EvtxError extends Error {}

interface Subst { kind: 'subst'; index: number; optional: boolean; type: number }
interface Text { kind: 'text'; value: string } // already XML-escaped
interface Elem { kind: 'elem'; name: string; attrs: { name: string; value: Node[] }[]; children: Node[] }
interface Frag { kind: 'frag'; nodes: Node[] } // an inline template instance (resolved)
type Node = Subst | Text | Elem | Frag;

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

function hex(n: number | bigint, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

const EPOCH_DIFF_100NS = 116444736000000000n;

/** FILETIME (100 ns since 1601) → "2021-11-13T14:08:43.0584580Z". */
export function filetimeToIso(ft: bigint): string {
  const t = ft - EPOCH_DIFF_100NS;
  const ms = Number(t / 10000n);
  const rem100ns = Number(t % 10000000n);
  const d = new Date(ms - (ms % 1000));
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().slice(0, 19) + '.' + String(rem100ns < 0 ? 0 : rem100ns).padStart(7, '0') + 'Z';
}

function guidAt(b: Buffer, p: number): string {
  const d1 = b.readUInt32LE(p).toString(16).padStart(8, '0');
  const d2 = b.readUInt16LE(p + 4).toString(16).padStart(4, '0');
  const d3 = b.readUInt16LE(p + 6).toString(16).padStart(4, '0');
  const d4 = b.subarray(p + 8, p + 10).toString('hex');
  const d5 = b.subarray(p + 10, p + 16).toString('hex');
  return `{${d1}-${d2}-${d3}-${d4}-${d5}}`;
}

function sidAt(b: Buffer, p: number, size: number): string {
  if (size < 8) return '';
  const rev = b[p];
  const n = b[p + 1];
  let auth = 0;
  for (let i = 0; i < 6; i++) auth = auth * 256 + b[p + 2 + i];
  let s = `S-${rev}-${auth}`;
  for (let i = 0; i < n && 8 + i * 4 + 4 <= size; i++) s += '-' + b.readUInt32LE(p + 8 + i * 4);
  return s;
}

function utf16(b: Buffer, p: number, chars: number): string {
  return b.toString('utf16le', p, p + chars * 2);
}

/** Render one typed value (from a substitution array or a value token) as text. */
function renderValue(b: Buffer, p: number, size: number, type: number, chunk: Chunk, depth: number): string {
  if (type & 0x80) {
    // arrays
    const base = type & 0x7f;
    if (base === 0x01) return utf16(b, p, size >> 1).replace(/\0+$/, '').split('\0').map(esc).join(', ');
    const w = ({ 0x03: 1, 0x04: 1, 0x05: 2, 0x06: 2, 0x07: 4, 0x08: 4, 0x09: 8, 0x0a: 8, 0x0b: 4, 0x0c: 8, 0x0d: 4, 0x0f: 16, 0x11: 8, 0x12: 16, 0x14: 4, 0x15: 8 } as Record<number, number>)[base];
    if (!w) return b.subarray(p, p + size).toString('hex').toUpperCase();
    const parts: string[] = [];
    for (let q = p; q + w <= p + size; q += w) parts.push(renderValue(b, q, w, base, chunk, depth));
    return parts.join(', ');
  }
  switch (type) {
    case 0x00: return '';
    case 0x01: return esc(utf16(b, p, size >> 1).replace(/\0+$/, ''));
    case 0x02: return esc(b.toString('latin1', p, p + size).replace(/\0+$/, ''));
    case 0x03: return String(b.readInt8(p));
    case 0x04: return String(b.readUInt8(p));
    case 0x05: return String(b.readInt16LE(p));
    case 0x06: return String(b.readUInt16LE(p));
    case 0x07: return String(b.readInt32LE(p));
    case 0x08: return String(b.readUInt32LE(p));
    case 0x09: return String(b.readBigInt64LE(p));
    case 0x0a: return String(b.readBigUInt64LE(p));
    case 0x0b: return String(b.readFloatLE(p));
    case 0x0c: return String(b.readDoubleLE(p));
    case 0x0d: return b.readUInt32LE(p) ? 'true' : 'false';
    case 0x0e: return b.subarray(p, p + size).toString('hex').toUpperCase();
    case 0x0f: return guidAt(b, p);
    case 0x10: return size === 8 ? hex(b.readBigUInt64LE(p), 16) : hex(b.readUInt32LE(p), 8);
    case 0x11: return filetimeToIso(b.readBigUInt64LE(p));
    case 0x12: {
      const y = b.readUInt16LE(p), mo = b.readUInt16LE(p + 2), d = b.readUInt16LE(p + 6);
      const h = b.readUInt16LE(p + 8), mi = b.readUInt16LE(p + 10), s = b.readUInt16LE(p + 12), ms = b.readUInt16LE(p + 14);
      const pad = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;
    }
    case 0x13: return sidAt(b, p, size);
    case 0x14: return hex(b.readUInt32LE(p), 8);
    case 0x15: return hex(b.readBigUInt64LE(p), 16);
    case 0x21: {
      if (depth > 8) throw new EvtxError('BinXML nested too deep');
      const nodes = chunk.parseFragment(p, p + size, depth + 1);
      return renderNodes(nodes, [], chunk, depth + 1);
    }
    default:
      return b.subarray(p, p + size).toString('hex').toUpperCase();
  }
}

interface Value { p: number; size: number; type: number }

function renderNodes(nodes: Node[], values: Value[], chunk: Chunk, depth: number): string {
  let out = '';
  for (const n of nodes) out += renderNode(n, values, chunk, depth);
  return out;
}

function substText(n: Subst, values: Value[], chunk: Chunk, depth: number): string | undefined {
  const v = values[n.index];
  if (!v || v.type === 0x00 || (v.size === 0 && v.type !== 0x21)) return n.optional ? undefined : '';
  return renderValue(chunk.buf, v.p, v.size, v.type, chunk, depth);
}

function renderNode(n: Node, values: Value[], chunk: Chunk, depth: number): string {
  switch (n.kind) {
    case 'text': return n.value;
    case 'subst': return substText(n, values, chunk, depth) ?? '';
    case 'frag': return renderNodes(n.nodes, values, chunk, depth);
    case 'elem': {
      let s = '<' + n.name;
      for (const a of n.attrs) {
        let v = '';
        let omitted = false;
        for (const part of a.value) {
          if (part.kind === 'subst') {
            const t = substText(part, values, chunk, depth);
            if (t === undefined) { omitted = true; continue; }
            v += t;
          } else v += renderNode(part, values, chunk, depth);
        }
        if (omitted && v === '') continue;
        s += ` ${a.name}="${v.replace(/"/g, '&quot;')}"`;
      }
      const inner = renderNodes(n.children, values, chunk, depth);
      return inner === '' ? s + '></' + n.name + '>' : s + '>' + inner + '</' + n.name + '>';
    }
  }
}

/** One 64 KiB chunk: its buffer, string and template caches. */
export class Chunk {
  private names = new Map<number, string>();
  private templates = new Map<number, { nodes: Node[]; end: number }>();
  constructor(readonly buf: Buffer) {}

  private nameAt(off: number): { name: string; len: number } {
    const b = this.buf;
    if (off + 8 > b.length) throw new EvtxError(`name offset ${off} beyond chunk`);
    const chars = b.readUInt16LE(off + 6);
    const name = utf16(b, off + 8, chars);
    return { name, len: 8 + chars * 2 + 2 };
  }

  /** Read a name reference at p (4-byte chunk offset); an inline name follows when the offset is p+4. */
  private name(p: number): { name: string; next: number } {
    const off = this.buf.readUInt32LE(p);
    const cached = this.names.get(off);
    if (off === p + 4) {
      const n = this.nameAt(off);
      this.names.set(off, n.name);
      return { name: n.name, next: p + 4 + n.len };
    }
    if (cached !== undefined) return { name: cached, next: p + 4 };
    const n = this.nameAt(off);
    this.names.set(off, n.name);
    return { name: n.name, next: p + 4 };
  }

  /** Parse a BinXML fragment between p and end (a record's event data, or an embedded BinXml value). */
  parseFragment(p: number, end: number, depth = 0): Node[] {
    const nodes: Node[] = [];
    const b = this.buf;
    while (p < end) {
      const tok = b[p];
      const t = tok & 0x1f;
      if (t === 0x00) break; // end of stream
      if (t === 0x0f) { p += 4; continue; } // fragment header
      if (t === 0x01) { const r = this.element(p, depth); nodes.push(r.node); p = r.next; continue; }
      if (t === 0x0c) { const r = this.templateInstance(p, depth); nodes.push(r.node); p = r.next; continue; }
      if (t === 0x05 || t === 0x07 || t === 0x08 || t === 0x09 || t === 0x0d || t === 0x0e) {
        const r = this.content(p);
        nodes.push(r.node);
        p = r.next;
        continue;
      }
      throw new EvtxError(`unexpected BinXML token 0x${tok.toString(16)} at chunk offset ${p}`);
    }
    return nodes;
  }

  /** Value, CDATA, char/entity reference or substitution at p. */
  private content(p: number): { node: Node; next: number } {
    const b = this.buf;
    const t = b[p] & 0x1f;
    switch (t) {
      case 0x05: {
        const type = b[p + 1];
        if (type === 0x01) {
          const chars = b.readUInt16LE(p + 2);
          return { node: { kind: 'text', value: esc(utf16(b, p + 4, chars)) }, next: p + 4 + chars * 2 };
        }
        throw new EvtxError(`value token of type 0x${type.toString(16)} at ${p}`);
      }
      case 0x07: {
        const chars = b.readUInt16LE(p + 1);
        return { node: { kind: 'text', value: '<![CDATA[' + utf16(b, p + 3, chars) + ']]>' }, next: p + 3 + chars * 2 };
      }
      case 0x08: return { node: { kind: 'text', value: `&#${b.readUInt16LE(p + 1)};` }, next: p + 3 };
      case 0x09: { const n = this.name(p + 1); return { node: { kind: 'text', value: `&${n.name};` }, next: n.next }; }
      case 0x0d: case 0x0e:
        return { node: { kind: 'subst', index: b.readUInt16LE(p + 1), type: b[p + 3], optional: t === 0x0e }, next: p + 4 };
    }
    throw new EvtxError(`unexpected content token 0x${b[p].toString(16)} at ${p}`);
  }

  private element(p: number, depth: number): { node: Elem; next: number } {
    const b = this.buf;
    const tok = b[p];
    // token(1) dependency id(2) data size(4) name offset(4)
    let q = p + 7;
    const nm = this.name(q);
    q = nm.next;
    const el: Elem = { kind: 'elem', name: nm.name, attrs: [], children: [] };
    if (tok & 0x40) {
      q += 4; // attribute list size
      for (;;) {
        const at = b[q];
        if ((at & 0x1f) !== 0x06) break;
        const an = this.name(q + 1);
        q = an.next;
        const value: Node[] = [];
        // an attribute's value: one or more value / substitution / reference tokens
        while (q < b.length) {
          const vt = b[q] & 0x1f;
          if (vt !== 0x05 && vt !== 0x0d && vt !== 0x0e && vt !== 0x08 && vt !== 0x09 && vt !== 0x07) break;
          const r = this.content(q);
          value.push(r.node);
          q = r.next;
        }
        el.attrs.push({ name: an.name, value });
        if (!(at & 0x40)) break; // no more attributes
      }
    }
    const close = b[q];
    if (close === 0x03) return { node: el, next: q + 1 }; // empty element
    if (close !== 0x02) throw new EvtxError(`expected close of start element <${el.name}> at ${q}, got 0x${close.toString(16)}`);
    q += 1;
    for (;;) {
      if (q >= b.length) throw new EvtxError(`element <${el.name}> runs past the chunk`);
      const c = b[q];
      const t = c & 0x1f;
      if (t === 0x04) { q += 1; break; }
      if (t === 0x01) { const r = this.element(q, depth); el.children.push(r.node); q = r.next; continue; }
      if (t === 0x0c) { const r = this.templateInstance(q, depth); el.children.push(r.node); q = r.next; continue; }
      const r = this.content(q);
      el.children.push(r.node);
      q = r.next;
    }
    return { node: el, next: q };
  }

  private template(defOff: number, depth: number): { nodes: Node[]; end: number } {
    const cached = this.templates.get(defOff);
    if (cached) return cached;
    const b = this.buf;
    // next template offset(4) guid(16) data size(4) fragment
    const size = b.readUInt32LE(defOff + 20);
    const start = defOff + 24;
    const t = { nodes: this.parseFragment(start, start + size, depth), end: start + size };
    this.templates.set(defOff, t);
    return t;
  }

  /** A template instance: the template (inline or cached) with its substitution values resolved. */
  private templateInstance(p: number, depth: number): { node: Node; next: number } {
    const b = this.buf;
    // token(1) unknown(1) template id(4) definition offset(4)
    const defOff = b.readUInt32LE(p + 6);
    let q = p + 10;
    const tpl = this.template(defOff, depth);
    if (defOff === q) q = tpl.end; // definition inline: skip it
    const count = b.readUInt32LE(q);
    q += 4;
    if (count > 4096) throw new EvtxError(`template instance with ${count} values`);
    const values: Value[] = new Array(count);
    let vp = q + count * 4;
    for (let i = 0; i < count; i++) {
      const size = b.readUInt16LE(q + i * 4);
      const type = b[q + i * 4 + 2];
      values[i] = { p: vp, size, type };
      vp += size;
    }
    if (vp > b.length) throw new EvtxError('template values run past the chunk');
    const text = renderNodes(tpl.nodes, values, this, depth);
    return { node: { kind: 'text', value: text }, next: vp };
  }
}

export interface EvtxRecord {
  recordId: bigint;
  /** Byte offset of the record in the file, and just after it. */
  offset: number;
  end: number;
  xml?: string;
  error?: string;
  bytes?: Buffer;
}

/** Iterate over every record of an EVTX file held in memory. Never throws for a damaged record. */
export function* readEvtx(file: Buffer): Generator<EvtxRecord> {
  if (file.length < 4096 || file.toString('latin1', 0, 8) !== FILE_SIG) throw new EvtxError('not an EVTX file (no "ElfFile" signature)');
  const headerSize = file.readUInt16LE(40) || 4096; // header block size
  for (let co = headerSize; co + 512 <= file.length; co += CHUNK_SIZE) {
    if (file.toString('latin1', co, co + 8) !== CHUNK_SIG) continue; // unused or damaged chunk
    const buf = file.subarray(co, Math.min(co + CHUNK_SIZE, file.length));
    const chunk = new Chunk(buf);
    const free = Math.min(buf.readUInt32LE(48) || buf.length, buf.length);
    let p = 512;
    while (p + 24 <= free) {
      if (buf.readUInt32LE(p) !== 0x00002a2a) break;
      const size = buf.readUInt32LE(p + 4);
      if (size < 28 || p + size > buf.length) {
        yield { recordId: -1n, offset: co + p, end: co + Math.min(p + 28, buf.length), error: `evtx: record at chunk offset ${p} has impossible size ${size}`, bytes: buf.subarray(p, Math.min(p + 64, buf.length)) };
        break;
      }
      const recordId = buf.readBigUInt64LE(p + 8);
      try {
        const nodes = chunk.parseFragment(p + 24, p + size - 4);
        const xml = renderNodes(nodes, [], chunk, 0);
        yield { recordId, offset: co + p, end: co + p + size, xml };
      } catch (e) {
        yield { recordId, offset: co + p, end: co + p + size, error: `evtx: record ${recordId}: ${(e as Error).message}`, bytes: buf.subarray(p, p + size) };
      }
      p += size;
    }
  }
}
