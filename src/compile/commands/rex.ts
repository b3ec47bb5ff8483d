import type { Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import { groupNames, pcre, re2, RegexError } from '../regex.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import { toList, toStr } from '../typed.js';
import { sideColumns, valuesOf } from '../rows.js';
import type { CommandSpec } from './spec.js';
import { intOpt, optionsAmong, type Options } from './util.js';

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
    let regex: { value: string; span: Span } | undefined;
    const opts = optionsAmong(c, OPTS, (c) => {
      if (c.peek() === '"' && !regex) {
        const q = c.quoted();
        regex = { value: q.value, span: q.span };
        return 'next';
      }
      throw c.error('rex needs the regular expression in double quotes', undefined, 'e.g. rex field=url "https?://(?<domain>[^/]+)"');
    });
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
    const r2 = re2(a.regex);
    if (r2 && !offsetField && b.schema.get(a.field)!.type !== 'mv' && (await re2Compiles(b, r2.pattern))) {
      rexInSql(b, a, r2);
      return;
    }
    await sideColumns(b, [a.field], (rows) => {
      const out: Row[] = [];
      const seen = new Set<string>();
      for (const r of rows) {
        const o: Row = { _q_seq: r._q_seq };
        out.push(o);
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
        for (const [n, list] of found) {
          o[n] = list.length === 1 ? list[0] : list;
          seen.add(n);
        }
        if (offsetField && offsets.length) {
          o[offsetField] = offsets.join('&');
          seen.add(offsetField);
        }
      }
      const fields = [...names, ...(offsetField ? [offsetField] : [])]
        .filter((n) => seen.has(n))
        .map((n) => ({ name: n, type: out.some((r) => Array.isArray(r[n])) ? ('mv' as const) : ('str' as const) }));
      return { fields, rows: out };
    });
  },
};

async function re2Compiles(b: Builder, pattern: string): Promise<boolean> {
  try {
    await b.ctx.conn.run(`SELECT regexp_matches('', ${sqlString(pattern)})`);
    return true;
  } catch {
    return false;
  }
}

/** rex lowered to DuckDB's RE2 functions (the pattern reads the same in RE2). */
function rexInSql(b: Builder, a: Args, r2: { pattern: string; groups: Map<string, number> }): void {
  const f = b.schema.get(a.field)!;
  const s = toStr({ sql: quoteIdent(f.column), type: f.type });
  const pat = sqlString(r2.pattern);
  const schema = b.schema.clone();
  const replace: string[] = [];
  const add: string[] = [];
  for (const [name, idx] of r2.groups) {
    let sql: string;
    let type: 'str' | 'mv';
    if (a.maxMatch === 1) {
      sql = `CASE WHEN regexp_matches(${s}, ${pat}) THEN regexp_extract(${s}, ${pat}, ${idx}) END`;
      type = 'str';
    } else {
      const all = `list_filter(regexp_extract_all(${s}, ${pat}, ${idx}), lambda v: v <> '')`;
      sql = `nullif(${a.maxMatch > 0 ? `${all}[1:${a.maxMatch}]` : all}, [])`;
      type = 'mv';
    }
    const ex = schema.get(name);
    if (ex) {
      const old = { sql: quoteIdent(ex.column), type: ex.type };
      replace.push(`coalesce(${sql}, ${type === 'mv' ? toList(old) : toStr(old)}) AS ${quoteIdent(ex.column)}`);
      ex.type = type;
    } else add.push(`${sql} AS ${quoteIdent(schema.set(name, type).column)}`);
  }
  b.push(`SELECT *${replace.length ? ` REPLACE (${replace.join(', ')})` : ''}${add.length ? ', ' + add.join(', ') : ''} FROM ${b.from}`, schema);
}

async function compileSed(a: Args, b: Builder): Promise<void> {
  const sed = parseSed(a.regex, a.regexSpan);
  if (!b.schema.has(a.field)) return;
  const isMv = b.schema.get(a.field)!.type === 'mv';
  await sideColumns(b, [a.field], (rows) => {
    const out = rows.map((r) => {
      const v = r[a.field];
      const o: Row = { _q_seq: r._q_seq };
      if (v !== undefined && v !== null) o[a.field] = Array.isArray(v) ? v.map((x) => applySed(sed, String(x))) : applySed(sed, String(v));
      return o;
    });
    return { fields: [{ name: a.field, type: isMv ? 'mv' : 'str' }], rows: out };
  });
}
