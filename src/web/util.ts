/** Time, numbers and search-text helpers for the page. */

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function parts(ms: number, tz: string): Record<string, string> {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    fmtCache.set(tz, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) out[p.type] = p.value;
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Splunk's event time: 8/23/17 10:04:31.123 */
export function fmtEventTime(us: number, tz: string): { date: string; time: string } {
  const ms = Math.floor(us / 1000);
  const p = parts(ms, tz);
  const frac = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return { date: `${Number(p.month)}/${Number(p.day)}/${p.year!.slice(2)}`, time: `${p.hour}:${p.minute}:${p.second}.${frac}` };
}

/** 2017-08-23 10:04:31 in the zone */
export function fmtDateTime(us: number, tz: string, withSeconds = true): string {
  const p = parts(Math.floor(us / 1000), tz);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
}

/** Axis label for a timeline tick, as short as the span allows. */
export function fmtTick(us: number, tz: string, spanSec: number, first: boolean): string {
  const p = parts(Math.floor(us / 1000), tz);
  const day = `${MONTHS[Number(p.month) - 1]} ${Number(p.day)}`;
  if (spanSec >= 86400) return first || (p.month === '01' && p.day === '01') ? `${day} ${p.year}` : day;
  const hm = `${p.hour}:${p.minute}`;
  if (spanSec < 60) return `${hm}:${p.second}`;
  return first || (p.hour === '00' && p.minute === '00') ? `${day} ${hm}` : hm;
}

/** The zone's offset from UTC (ms) at an instant. */
export function zoneOffsetMs(ms: number, tz: string): number {
  const p = parts(ms, tz);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Wall-clock "YYYY-MM-DDTHH:MM[:SS]" in a zone → epoch ms. */
export function wallToEpochMs(wall: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(wall);
  if (!m) return null;
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  let t = guess - zoneOffsetMs(guess, tz);
  t = guess - zoneOffsetMs(t, tz);
  return t;
}

/** epoch µs → "YYYY-MM-DDTHH:MM:SS" wall clock in the zone (for datetime-local inputs). */
export function epochToWall(us: number, tz: string): string {
  const p = parts(Math.floor(us / 1000), tz);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

export function fmtCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

export function fmtDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

export function fmtSpan(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} day${sec === 86400 ? '' : 's'}`;
  if (sec % 3600 === 0) return `${sec / 3600} hour${sec === 3600 ? '' : 's'}`;
  if (sec % 60 === 0) return `${sec / 60} minute${sec === 60 ? '' : 's'}`;
  return `${sec} second${sec === 1 ? '' : 's'}`;
}

/** A value as text, multivalue joined by newlines. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(valueText).join('\n');
  return String(v);
}

/** Index of the first `|` outside quotes, brackets and backticks (or -1). */
export function firstPipe(s: string): number {
  let q: string | null = null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = null;
      continue;
    }
    if (c === '"' || c === '`') q = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) return i;
  }
  return -1;
}

export function quoteValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Add `field="value"` to the search's first command, before the first pipe (as Splunk does). */
export function addTerm(search: string, field: string, value: string, negate = false): string {
  const fieldText = /^[A-Za-z_][\w.{}]*$/.test(field) ? field : `'${field.replace(/'/g, "\\'")}'`;
  const term = `${fieldText}${negate ? '!=' : '='}${quoteValue(value)}`;
  const i = firstPipe(search);
  if (i < 0) return `${search.trimEnd()} ${term}`.trimStart();
  const head = search.slice(0, i).trimEnd();
  return `${head} ${term} ${search.slice(i)}`.trimStart();
}

const SKIP_WORDS = new Set(['and', 'or', 'not', 'search', '(', ')']);
const META_FIELDS = new Set(['index', 'sourcetype', 'source', 'host', 'earliest', 'latest', 'eventtype', 'tag', 'splunk_server']);

/** Terms of the first search command worth highlighting in raw events. */
export function searchTerms(search: string): string[] {
  const i = firstPipe(search);
  let head = i < 0 ? search : search.slice(0, i);
  head = head.replace(/^\s*search\s+/i, '');
  const out: string[] = [];
  const re = /(?:([\w.{}:-]+)\s*(!=|<=|>=|=|<|>)\s*)?("(?:[^"\\]|\\.)*"|[^\s()"]+)/g;
  for (const m of head.matchAll(re)) {
    const field = m[1];
    const op = m[2];
    let val = m[3]!;
    if (val.startsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    if (op) {
      if (op !== '=' || META_FIELDS.has(field!.toLowerCase())) continue;
    } else if (SKIP_WORDS.has(val.toLowerCase())) continue;
    if (val.startsWith('`') || val === '*' || val === '') continue;
    out.push(val);
  }
  return [...new Set(out)];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive regex matching any of the terms (`*` a wildcard), or null. */
export function termsRegex(terms: string[]): RegExp | null {
  const alts = terms
    .map((t) => t.split('*').map(escapeRe).join('[^\\s"]*?'))
    .filter((t) => t.replace(/\[\^\\s"\]\*\?/g, '').length > 0)
    .sort((a, b) => b.length - a.length);
  if (alts.length === 0) return null;
  try {
    return new RegExp(alts.join('|'), 'gi');
  } catch {
    return null;
  }
}

/** Text with matches wrapped in <mark>, as DOM nodes (never HTML). */
export function highlighted(text: string, re: RegExp | null): Node {
  const frag = document.createDocumentFragment();
  if (!re) {
    frag.appendChild(document.createTextNode(text));
    return frag;
  }
  let last = 0;
  re.lastIndex = 0;
  let n = 0;
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    const at = m.index!;
    if (at > last) frag.appendChild(document.createTextNode(text.slice(last, at)));
    const mark = document.createElement('mark');
    mark.textContent = m[0];
    frag.appendChild(mark);
    last = at + m[0].length;
    if (++n > 500) break;
  }
  if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
  return frag;
}

export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}
