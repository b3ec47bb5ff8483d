/**
 * URL Toolbox (Splunkbase app 2734, "utbox" 1.9.x) as TypeScript functions, registered as DuckDB
 * UDFs. The algorithms follow utbox/bin/ut_parse_lib.py and ut_shannon.py (docs/spl.md §URL
 * Toolbox): empty parts are the string "None", the port is "80" unless the netloc names one, the
 * public suffix comes from the Mozilla Public Suffix List (tldts) or the IANA TLD list.
 *
 * ut_shannon and ut_parse over bare host names run as SQL (src/compile/commands/urltoolbox.ts);
 * other ut_parse inputs run once per distinct value, in bulk (src/compile/distinct.ts).
 */
import { createRequire } from 'node:module';
import { parse as tldParse } from 'tldts';
import { DOUBLE, VARCHAR } from '@duckdb/node-api';
import { defineUdf, defineValueMap } from '../compile/udf.js';

/** The fixed outputs of ut_parse_extended, in the order of the packed result. */
export const UT_PARSE_FIELDS = [
  'ut_scheme',
  'ut_netloc',
  'ut_path',
  'ut_params',
  'ut_query',
  'ut_fragment',
  'ut_domain',
  'ut_tld',
  'ut_domain_without_tld',
  'ut_subdomain',
  'ut_port',
  'ut_subdomain_count',
] as const;
/** ut_parse_simple's outputs (the first six). */
export const UT_PARSE_SIMPLE_FIELDS = UT_PARSE_FIELDS.slice(0, 6);

export interface UtParsed {
  ut_scheme: string;
  ut_netloc: string;
  ut_path: string;
  ut_params: string;
  ut_query: string;
  ut_fragment: string;
  ut_domain: string;
  ut_tld: string;
  ut_domain_without_tld: string;
  ut_subdomain: string;
  ut_port: string;
  ut_subdomain_count: string;
  /** ut_subdomain_level_1 (nearest the domain) … level_N (leftmost) */
  levels: string[];
}

const NONE = 'None';
const orNone = (s: string) => (s === '' ? NONE : s);

/** Python's urllib.parse.urlparse, for the parts utbox reads. */
export function urlParse(url: string): { scheme: string; netloc: string; path: string; params: string; query: string; fragment: string } {
  let rest = url;
  let scheme = '';
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const m = /^\/\/([^/?#]*)/.exec(rest)!;
    netloc = m[1]!;
    rest = rest.slice(m[0].length);
  }
  let fragment = '';
  const h = rest.indexOf('#');
  if (h >= 0) {
    fragment = rest.slice(h + 1);
    rest = rest.slice(0, h);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let path = rest;
  let params = '';
  const lastSlash = path.lastIndexOf('/');
  const semi = path.indexOf(';', lastSlash + 1);
  if (semi >= 0) {
    params = path.slice(semi + 1);
    path = path.slice(0, semi);
  }
  return { scheme, netloc, path, params, query, fragment };
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const MOZILLA = { allowPrivateDomains: true, extractHostname: false, validateHostname: false } as const;
const IANA = { extractHostname: false, validateHostname: false } as const;

/** The public suffix of a lower-case host under a list, or undefined. */
export function findTld(host: string, list: string): string | undefined {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 46) end--; // trailing dots
  const h = end === host.length ? host : host.slice(0, end);
  if (!h || IPV4.test(h)) return undefined;
  if (list === 'mozilla' || list === '*') {
    const r = tldParse(h, MOZILLA);
    if (!r.publicSuffix || (!r.isIcann && !r.isPrivate)) return undefined;
    return r.publicSuffix;
  }
  // IANA: the last label, when it is a delegated top-level domain
  const last = h.slice(h.lastIndexOf('.') + 1);
  const r = tldParse('x.' + last, IANA);
  return r.isIcann ? last : undefined;
}

/** tldts' public-suffix trie (the arrays its lookup walks), or undefined if its layout changed. */
interface SuffixTrie {
  nodeFlags: ArrayLike<number>;
  edgeStart: ArrayLike<number>;
  edgeLength: ArrayLike<number>;
  edgeChild: ArrayLike<number>;
  labelText: string;
  rulesRoot: number;
  exceptionsRoot: number;
}
const TRIE: SuffixTrie | undefined = (() => {
  try {
    const t = createRequire(import.meta.url)('tldts/dist/cjs/src/data/trie.js') as Partial<SuffixTrie>;
    const ok = t.nodeFlags && t.edgeStart && t.edgeLength && t.edgeChild && typeof t.labelText === 'string' && typeof t.rulesRoot === 'number' && typeof t.exceptionsRoot === 'number';
    return ok && t.edgeStart!.length === t.nodeFlags!.length + 1 ? (t as SuffixTrie) : undefined;
  } catch {
    return undefined;
  }
})();
/** Where each edge's label starts in labelText (edges are laid out in order). */
const EDGE_OFFSET: Uint32Array | undefined = (() => {
  if (!TRIE) return undefined;
  const off = new Uint32Array(TRIE.edgeLength.length + 1);
  for (let e = 0; e < TRIE.edgeLength.length; e++) off[e + 1] = off[e]! + TRIE.edgeLength[e]!;
  return off[TRIE.edgeLength.length] === TRIE.labelText.length ? off : undefined;
})();

/** The child of a trie node along a label (or its '*' edge for a non-empty label), or -1. */
function trieStep(t: SuffixTrie, off: Uint32Array, node: number, label: string): number {
  let wildcard = -1;
  for (let e = t.edgeStart[node]!; e < t.edgeStart[node + 1]!; e++) {
    const text = t.labelText.slice(off[e]!, off[e + 1]!);
    if (text === label) return t.edgeChild[e]!;
    if (text === '*') wildcard = t.edgeChild[e]!;
  }
  return label === '' ? -1 : wildcard;
}

/**
 * The public suffix shared by every host name that ends in `key` (its last two labels, lower
 * case, e.g. "hildegardsfarm.com"), when the suffix list's lookup never reads past those two
 * labels: '' for "no public suffix", or undefined when labels further left can change the answer
 * (e.g. "co.uk" under the Mozilla list; the caller then parses each host in full). Lets SQL parse
 * bare host names with one lookup per distinct domain instead of one per name.
 */
export function keySuffix(key: string, listName: string): string | undefined {
  const list = listName.trim().toLowerCase();
  const labels = key.split('.');
  if (labels.length !== 2 || !labels[0] || !labels[1] || IPV4.test(key)) return undefined;
  if (list === 'mozilla' || list === '*') {
    // tldts walks the labels right to left from both roots; when both walks stop within the
    // two labels, the rest of the name is never read
    if (!TRIE || !EDGE_OFFSET) return undefined;
    for (const root of [TRIE.exceptionsRoot, TRIE.rulesRoot]) {
      let node = root;
      for (let i = labels.length - 1; i >= 0 && node !== -1; i--) node = trieStep(TRIE, EDGE_OFFSET, node, labels[i]!);
      if (node !== -1) return undefined;
    }
  }
  return findTld(key, list) ?? '';
}

/**
 * ut_parse_extended for one URL (or bare host name) under a suffix list ("mozilla", "iana", "*",
 * ...), as the values of UT_PARSE_FIELDS in order followed by the subdomain levels (level_1 first).
 */
export function utParseValues(input: string, listName: string): string[] {
  const url = input.trim();
  const list = listName.trim().toLowerCase();
  // a bare host name (the DNS case) is all netloc: urlparse("//" + name) without the regexes
  const p = url.includes('/') || url.includes('?') || url.includes('#') ? urlParse(url.includes('://') ? url : '//' + url) : { scheme: '', netloc: url, path: '', params: '', query: '', fragment: '' };
  const out = [orNone(p.scheme), orNone(p.netloc), orNone(p.path), orNone(p.params), orNone(p.query), orNone(p.fragment), NONE, NONE, NONE, NONE, '80', '0'];
  let host = p.netloc;
  const colon = host.indexOf(':');
  if (colon >= 0) {
    out[10] = host.slice(host.lastIndexOf(':') + 1);
    host = host.slice(0, colon);
  }
  if (!host) return out;
  const tld = findTld(host.toLowerCase(), list);
  if (tld === undefined) {
    if (IPV4.test(host)) out[6] = out[8] = host;
    return out;
  }
  out[7] = tld;
  const left = host.slice(0, Math.max(0, host.length - tld.length - 1));
  if (left === '' && host.length <= tld.length) return out;
  const dot = left.lastIndexOf('.');
  const dwt = left.slice(dot + 1);
  out[8] = dwt;
  out[6] = `${dwt}.${tld}`;
  if (dot >= 0) {
    const sub = left.slice(0, dot);
    const labels = sub.split('.');
    out[9] = sub;
    out[11] = String(labels.length);
    for (let i = labels.length - 1; i >= 0; i--) out.push(labels[i]!);
  }
  return out;
}

/** ut_parse_extended for one URL as named fields. */
export function utParse(input: string, listName: string): UtParsed {
  const v = utParseValues(input, listName);
  const out = Object.fromEntries(UT_PARSE_FIELDS.map((f, i) => [f, v[i]!])) as unknown as UtParsed;
  out.levels = v.slice(UT_PARSE_FIELDS.length);
  return out;
}

/** Shannon entropy in bits per character (Unicode code points), as ut_shannon.py computes it. */
const asciiCounts = new Int32Array(128);
const asciiOrder = new Int32Array(128);

export function shannon(input: string): number {
  const word = input.trim();
  if (!word) return 0;
  if (/^[\x00-\x7f]*$/.test(word)) {
    // fast path for ASCII: counts in a typed array, distinct characters in first-seen order
    let k = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (asciiCounts[c]++ === 0) asciiOrder[k++] = c;
    }
    let h = 0;
    for (let j = 0; j < k; j++) {
      const c = asciiOrder[j]!;
      const p = asciiCounts[c]! / word.length;
      h -= p * (Math.log(p) / Math.LN2);
      asciiCounts[c] = 0;
    }
    return h;
  }
  const counts = new Map<string, number>();
  let n = 0;
  for (const ch of word) {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
    n++;
  }
  // as ut_shannon.py: characters in order of first appearance, entropy -= p * log(p, 2)
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * (Math.log(p) / Math.LN2);
  }
  return h;
}

/** Levenshtein distance, case-insensitive (ut_levenshtein.py). */
export function utLevenshtein(a: string, b: string): number {
  if (!a) return b.length;
  if (!b) return a.length;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const t = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (x[i - 1] === y[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[y.length]!;
}

const PRESETS: Record<string, string> = (() => {
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCharCode(a + i)).join('');
  const lower = range(0x61, 0x7a);
  const upper = range(0x41, 0x5a);
  const digits = range(0x30, 0x3f); // utbox quirk: 0-9 and : ; < = > ?
  const punct = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  return {
    '@digits@': digits,
    '@alpha@': lower,
    '@alpha_up@': upper,
    '@alpha_all@': lower + upper,
    '@alphanum@': lower + digits,
    '@alphanum_up@': upper + digits,
    '@alphanum_all@': lower + upper + digits,
    '@hexa@': '0123456789abcdef',
    '@hexa_up@': '0123456789ABCDEF',
    '@hexa_all@': '0123456789abcdefABCDEF',
    '@noalpha@': digits + punct,
    '@punct@': punct,
    '@vowels@': 'aeiouy',
    '@vowels_up@': 'AEIOUY',
    '@vowels_all@': 'aeiouyAEIOUY',
    '@consonants@': 'bcdfghjklmnpqrstvwxz',
    '@consonants_up@': 'BCDFGHJKLMNPQRSTVWXZ',
    '@consonants_all@': 'bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ',
    '@base64@': lower + upper + '0123456789+/=',
    '@word@': lower + upper + '0123456789_',
  };
})();

/** ut_countset: JSON {"ut_countset": {"sum": n, "<HEX>": count, ...}} over the set's characters. */
export function utCountset(word: string, set: string): string {
  const chars = PRESETS[set.trim()] ?? set;
  const counts = new Map<string, number>();
  let sum = 0;
  for (const ch of word) {
    if (!chars.includes(ch)) continue;
    const k = ch.codePointAt(0)!.toString(16).toUpperCase();
    counts.set(k, (counts.get(k) ?? 0) + 1);
    sum++;
  }
  // as Python's json.dumps writes it: "sum" first, then the characters in order of appearance
  const body = [`"sum": ${sum}`, ...[...counts].map(([k, v]) => `"${k}": ${v}`)].join(', ');
  return `{"ut_countset": {${body}}}`;
}

defineUdf({ name: 'spl_ut_levenshtein', params: [VARCHAR, VARCHAR], returns: DOUBLE, fn: (a: string, b: string) => utLevenshtein(a, b) });
// The public suffix of a domain (last two labels) when it decides the suffix of every name under
// it, else null: the SQL parse of bare host names joins it per distinct domain
// (src/compile/commands/urltoolbox.ts).
defineUdf({ name: 'spl_ut_key_suffix', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: (key: string, list: string) => keySuffix(key, list) ?? null });
defineUdf({ name: 'spl_ut_shannon', params: [VARCHAR], returns: DOUBLE, fn: (w: string) => shannon(w) });
defineUdf({ name: 'spl_ut_countset', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: (w: string, s: string) => utCountset(w, s) });

// Evaluated once per distinct value in bulk by _ut_parse where its SQL path does not apply.
defineValueMap({
  name: 'ut_parse',
  args: 1,
  fn: (url, list) => utParseValues(url, list),
});
