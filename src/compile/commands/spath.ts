import { XMLParser } from 'fast-xml-parser';
import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import type { Row } from '../context.js';
import { asString, sideColumns, tsOperator } from '../rows.js';
import type { CommandSpec } from './spec.js';
import { type Options } from './util.js';

interface Args {
  opts: Options;
  path?: Word;
}

const CUTOFF = 5000;

function scalarText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Every leaf path of a JSON value: a.b, arrays as a{}.b, values collected in order. */
export function flattenJson(v: unknown, prefix: string, out: Map<string, string[]>): void {
  if (Array.isArray(v)) {
    for (const x of v) flattenJson(x, `${prefix}{}`, out);
    return;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flattenJson(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (!prefix) return;
  (out.get(prefix) ?? out.set(prefix, []).get(prefix)!).push(scalarText(v));
}

/** The values at a path (a.b{}.c, a{2}.b with 1-based indexes). */
export function atPath(root: unknown, path: string): string[] {
  const steps: (string | { index?: number })[] = [];
  for (const part of path.split('.')) {
    const m = /^([^{}]*)((?:\{\d*\})*)$/.exec(part);
    if (!m) return [];
    if (m[1]) steps.push(m[1]);
    for (const br of m[2]!.match(/\{\d*\}/g) ?? []) steps.push(br === '{}' ? {} : { index: Number(br.slice(1, -1)) });
  }
  let cur: unknown[] = [root];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (typeof s === 'string') {
        if (c !== null && typeof c === 'object' && !Array.isArray(c) && s in (c as object)) next.push((c as Record<string, unknown>)[s]);
        else if (Array.isArray(c)) for (const x of c) if (x !== null && typeof x === 'object' && s in x) next.push((x as Record<string, unknown>)[s]);
      } else if (Array.isArray(c)) {
        if (s.index === undefined) next.push(...c);
        else if (c[s.index - 1] !== undefined) next.push(c[s.index - 1]);
      }
    }
    cur = next;
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v.map(scalarText) : [scalarText(v)]));
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false, parseAttributeValue: false });

/** XML as Splunk's spath names it: a.b, attributes a.b{@x}. */
function xmlToJsonish(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(xmlToJsonish);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k.startsWith('?')) continue;
      if (k === '#text') out['#text'] = x;
      else if (k.startsWith('@')) out[`{${k}}`] = x;
      else out[k] = xmlToJsonish(x);
    }
    return out;
  }
  return v;
}

function flattenXml(v: unknown, prefix: string, out: Map<string, string[]>): void {
  if (Array.isArray(v)) {
    for (const x of v) flattenXml(x, prefix, out);
    return;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === '#text') flattenXml(x, prefix, out);
      else if (k.startsWith('{@')) flattenXml(x, `${prefix}${k}`, out);
      else flattenXml(x, prefix ? `${prefix}.${k}` : k, out);
    }
    return;
  }
  if (!prefix) return;
  (out.get(prefix) ?? out.set(prefix, []).get(prefix)!).push(String(v));
}

function parseInput(text: string): { kind: 'json' | 'xml'; value: unknown } | undefined {
  const t = text.slice(0, CUTOFF).trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch {
      return undefined;
    }
  }
  if (t.startsWith('<')) {
    try {
      return { kind: 'xml', value: xmlToJsonish(xml.parse(text)) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const spath: CommandSpec<Args> = {
  name: 'spath',
  help: 'spath [input=_raw] [output=field] [path=a.b{}.c]: extract fields from JSON or XML.',
  parse(c) {
    const opts: Options = new Map();
    let path: Word | undefined;
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      const o = c.options(['input', 'output', 'path']);
      for (const [k, v] of o) opts.set(k, v);
      if (o.size) continue;
      const m = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
      if (m) throw c.error(`spath: unknown option ${m[1]}=`, { start: c.pos, end: c.pos + m[1]!.length }, 'options: input, output, path');
      if (path || opts.has('path')) throw c.error('spath takes one path');
      path = c.word('|');
    }
    c.done();
    path = opts.get('path') ?? path;
    if (opts.has('output') && !path) throw new SplError('output= needs a path', opts.get('output')!.span);
    return { opts, path };
  },
  async compile(a, b) {
    const input = a.opts.get('input')?.value ?? '_raw';
    if (!b.schema.has(input)) return;
    const path = a.path?.value;
    const output = a.opts.get('output')?.value ?? path;
    await sideColumns(b, [input], (rows) => {
      const names: string[] = [];
      const add = (n: string) => {
        if (!names.includes(n)) names.push(n);
      };
      const out: Row[] = [];
      for (const r of rows) {
        const o: Row = { _q_seq: r._q_seq };
        out.push(o);
        const text = asString(r[input]);
        if (text === undefined) continue;
        const parsed = parseInput(text);
        if (!parsed) continue;
        if (path) {
          let vals: string[];
          if (parsed.kind === 'json') vals = atPath(parsed.value, path);
          else {
            const m = new Map<string, string[]>();
            flattenXml(parsed.value, '', m);
            vals = m.get(path) ?? [];
          }
          add(output!);
          if (vals.length) o[output!] = vals.length === 1 ? vals[0] : vals;
          continue;
        }
        const m = new Map<string, string[]>();
        if (parsed.kind === 'json') flattenJson(parsed.value, '', m);
        else flattenXml(parsed.value, '', m);
        for (const [k, vals] of m) {
          add(k);
          o[k] = vals.length === 1 ? vals[0] : vals;
        }
      }
      return { fields: names.map((n) => ({ name: n, type: out.some((r) => Array.isArray(r[n])) ? ('mv' as const) : ('str' as const) })), rows: out };
    });
  },
};

/** xmlkv: <key>value</key> pairs in a field (default _raw) become fields. */
export const xmlkv: CommandSpec<{ field: string }> = {
  name: 'xmlkv',
  help: 'xmlkv [field]: extract <key>value</key> pairs as fields.',
  parse(c) {
    const opts = c.options(['maxinputs']);
    void opts;
    const f = c.fieldName();
    c.done();
    return { field: f?.value ?? '_raw' };
  },
  async compile(a, b) {
    if (!b.schema.has(a.field)) return;
    await tsOperator(b, (fields, rows) => {
      const names = fields.map((f) => f.name);
      for (const r of rows) {
        const text = asString(r[a.field]);
        if (!text) continue;
        for (const m of text.matchAll(/<([A-Za-z_][\w.:-]*)(?:\s[^>]*)?>([^<]*)<\/\1>/g)) {
          const k = m[1]!;
          if (!names.includes(k)) names.push(k);
          r[k] = m[2]!;
        }
      }
      return { fields: names, rows };
    });
  },
};
