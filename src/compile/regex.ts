/** PCRE (as Splunk writes regexes) → JavaScript RegExp, for rex, regex and the regex UDF. */
import { BOOLEAN, VARCHAR } from '@duckdb/node-api';
import { defineUdf } from './udf.js';

export class RegexError extends Error {}

const cache = new Map<string, RegExp>();

/** Compile a PCRE pattern: (?P<n>…) → (?<n>…), leading (?i)/(?s)/(?m) → flags, \A \z \Z anchors. */
export function pcre(pattern: string, extraFlags = ''): RegExp {
  const key = pattern + '\u0000' + extraFlags;
  const hit = cache.get(key);
  if (hit) return hit;
  let p = pattern;
  let flags = extraFlags;
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(p);
    if (!m) break;
    for (const f of m[1]!) if (f !== 'x' && !flags.includes(f)) flags += f;
    if (m[1]!.includes('x')) throw new RegexError('the (?x) extended-regex flag is not supported yet');
    p = p.slice(m[0].length);
  }
  p = p.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  p = p.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  if (/\(\?>|\*\+|\+\+|\?\+/.test(p)) throw new RegexError('atomic groups and possessive quantifiers are not supported yet');
  let re: RegExp;
  try {
    re = new RegExp(p, flags);
  } catch (e) {
    throw new RegexError(`bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

/** The named groups of a pattern, in order. */
export function groupNames(pattern: string): string[] {
  const out: string[] = [];
  for (const m of pattern.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

defineUdf({
  name: 'spl_regex_test',
  params: [VARCHAR, VARCHAR],
  returns: BOOLEAN,
  fn: (value: string, pattern: string) => {
    try {
      return pcre(pattern).test(value);
    } catch {
      return false;
    }
  },
});

/**
 * The pattern in RE2 syntax for DuckDB's regexp functions, when RE2 reads it the same way: named
 * groups become (?P<name>...); lookarounds, backreferences, atomic groups and possessive quantifiers
 * are not RE2 and keep the TypeScript path. Also the number of each named group (1-based).
 */
export function re2(pattern: string): { pattern: string; groups: Map<string, number> } | undefined {
  if (/\(\?<?[=!]|\\[1-9]|\\k<|\(\?P=|\(\?>|[*+?}]\+|\\[ZG]|\(\?[imsx]*x/.test(pattern)) return undefined;
  const groups = new Map<string, number>();
  let out = '';
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === ']') (out += ']'), i++;
      else if (pattern[i + 1] === '^' && pattern[i + 2] === ']') (out += '^]'), (i += 2);
      continue;
    }
    if (ch === '(') {
      const named = /^\(\?P?<([A-Za-z_]\w*)>/.exec(pattern.slice(i));
      if (named) {
        n++;
        if (!groups.has(named[1]!)) groups.set(named[1]!, n);
        out += `(?P<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      if (pattern[i + 1] !== '?') n++;
      out += ch;
      continue;
    }
    out += ch;
  }
  return { pattern: out, groups };
}
