import type { Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import { groupNames, pcre, RegexError } from '../regex.js';
import { tsOperator, valuesOf } from '../rows.js';
import type { CommandSpec } from './spec.js';
import { intOpt, type Options } from './util.js';

interface Args {
  field: string;
  maxMatch: number;
  sed: boolean;
  regex: string;
  regexSpan: Span;
  opts: Options;
}

const OPTS = ['field', 'max_match', 'offset_field', 'mode'];

/** s/regex/replacement/flags or y/from/to/ */
interface Sed {
  kind: 's' | 'y';
  re?: RegExp;
  replacement: string;
  nth?: number;
  from?: string;
  to?: string;
}

function splitSed(expr: string): string[] {
  const sep = expr[1]!;
  const parts: string[] = [];
  let cur = '';
  for (let i = 2; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === '\\' && expr[i + 1] === sep) {
      cur += sep;
      i++;
    } else if (ch === sep) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

export function parseSed(expr: string, span: Span): Sed {
  if (!/^[sy]\W/.test(expr)) throw new SplError('mode=sed needs "s/regex/replacement/flags" or "y/from/to/"', span);
  const parts = splitSed(expr);
  if (parts.length < 3) throw new SplError('sed expression is missing a part: s/regex/replacement/flags', span);
  if (expr[0] === 'y') {
    const [from, to] = parts as [string, string];
    if ([...from].length !== [...to].length) throw new SplError('y/from/to/ needs the same number of characters on both sides', span);
    return { kind: 'y', replacement: '', from, to };
  }
  const [pattern, repl, flags = ''] = parts as [string, string, string];
  let g = false;
  let nth: number | undefined;
  let extra = '';
  for (const m of flags.matchAll(/g|i|\d+/g)) {
    if (m[0] === 'g') g = true;
    else if (m[0] === 'i') extra += 'i';
    else nth = Number(m[0]);
  }
  if (flags.replace(/g|i|\d+/g, '') !== '') throw new SplError(`unknown sed flag in "${flags}" (use g or a number)`, span);
  let re: RegExp;
  try {
    re = pcre(pattern, (g || nth ? 'g' : '') + extra);
  } catch (e) {
    throw new SplError((e as Error).message, span);
  }
  // \1 backreferences → $1; literal $ escaped
  const replacement = repl.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1').replace(/&/g, '$$&');
  return { kind: 's', re, replacement, nth };
}

export function applySed(s: Sed, v: string): string {
  if (s.kind === 'y') {
    const from = [...s.from!];
    const to = [...s.to!];
    return [...v].map((ch) => {
      const i = from.indexOf(ch);
      return i >= 0 ? to[i]! : ch;
    }).join('');
  }
  if (s.nth) {
    let i = 0;
    return v.replace(s.re!, (...m) => {
      i++;
      if (i !== s.nth) return m[0];
      return m[0].replace(new RegExp(s.re!.source, s.re!.flags.replace('g', '')), s.replacement);
    });
  }
  s.re!.lastIndex = 0;
  return v.replace(s.re!, s.replacement);
}

export const rex: CommandSpec<Args> = {
  name: 'rex',
  help: 'rex [field=_raw] [max_match=1] "regex with (?<name>...)": extract fields; rex mode=sed "s/a/b/g" edits the field.',
  parse(c) {
    const opts: Options = new Map();
    let regex: { value: string; span: Span } | undefined;
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      const o = c.options(OPTS);
      for (const [k, v] of o) opts.set(k, v);
      if (o.size) continue;
      if (c.peek() === '"' && !regex) {
        const q = c.quoted();
        regex = { value: q.value, span: q.span };
        continue;
      }
      const m = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
      if (m) throw c.error(`rex: unknown option ${m[1]}=`, { start: c.pos, end: c.pos + m[1]!.length }, `options: ${OPTS.join(', ')}`);
      throw c.error('rex needs the regular expression in double quotes', undefined, 'e.g. rex field=url "https?://(?<domain>[^/]+)"');
    }
    c.done();
    if (!regex) throw c.error('rex needs a regular expression in double quotes');
    const mode = opts.get('mode');
    if (mode && mode.value.toLowerCase() !== 'sed') throw new SplError('rex mode= is sed', mode.span);
    return { field: opts.get('field')?.value ?? '_raw', maxMatch: intOpt(opts, 'max_match', 1), sed: !!mode, regex: regex.value, regexSpan: regex.span, opts };
  },
  async compile(a, b) {
    if (a.sed) return compileSed(a, b);
    let re: RegExp;
    try {
      re = pcre(a.regex, 'g');
    } catch (e) {
      if (e instanceof RegexError) throw new SplError(e.message, a.regexSpan);
      throw e;
    }
    const names = groupNames(a.regex);
    if (!names.length) throw new SplError('rex needs at least one named group (?<name>...)', a.regexSpan, 'e.g. "user=(?<user>\\w+)"');
    const offsetField = a.opts.get('offset_field')?.value;
    if (!b.schema.has(a.field)) {
      // nothing to match: no field is created (offset_field aside)
      return;
    }
    await tsOperator(b, (fields, rows) => {
      const out = fields.map((f) => f.name);
      for (const n of names) if (!out.includes(n)) out.push(n);
      if (offsetField && !out.includes(offsetField)) out.push(offsetField);
      for (const r of rows) {
        const vals = valuesOf(r[a.field]);
        if (!vals.length) continue;
        const found = new Map<string, string[]>();
        const offsets: string[] = [];
        let count = 0;
        for (const v of vals) {
          re.lastIndex = 0;
          let m: RegExpExecArray | null;
          while ((m = re.exec(v))) {
            if (m[0] === '') re.lastIndex++;
            count++;
            for (const n of names) {
              const g = m.groups?.[n];
              if (g !== undefined) {
                (found.get(n) ?? found.set(n, []).get(n)!).push(g);
                const idx = v.indexOf(g, m.index);
                offsets.push(`${n}=${idx}-${idx + g.length - 1}`);
              }
            }
            if (a.maxMatch > 0 && count >= a.maxMatch) break;
          }
          if (a.maxMatch > 0 && count >= a.maxMatch) break;
        }
        for (const [n, list] of found) (r as Row)[n] = list.length === 1 ? list[0] : list;
        if (offsetField && offsets.length) r[offsetField] = offsets.join('&');
      }
      return { fields: out, rows };
    });
  },
};

async function compileSed(a: Args, b: Builder): Promise<void> {
  const sed = parseSed(a.regex, a.regexSpan);
  if (!b.schema.has(a.field)) return;
  await tsOperator(b, (fields, rows) => {
    for (const r of rows) {
      const v = r[a.field];
      if (v === undefined || v === null) continue;
      r[a.field] = Array.isArray(v) ? v.map((x) => applySed(sed, String(x))) : applySed(sed, typeof v === 'number' ? String(v) : String(v));
    }
    return { fields: fields.map((f) => f.name), rows };
  });
}
