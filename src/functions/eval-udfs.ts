/**
 * Eval functions whose Splunk behaviour DuckDB has no SQL for (printf's C formats, strftime's
 * Splunk directives, tonumber in any base, IPv6 cidrmatch, ipmask, sha512, commands()),
 * written in TypeScript and registered as UDFs.
 */
import { createHash } from 'node:crypto';
import { BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import { defineUdf } from '../compile/udf.js';

// ---- printf ---------------------------------------------------------------------------------

/** The argument separator of spl_printf's packed arguments. */
export const ARG_SEP = '\u001f';

function groupThousands(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function expForm(v: number, prec: number, upper: boolean): string {
  let s = v.toExponential(prec);
  s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function gForm(v: number, prec: number, alt: boolean, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (v === 0) return alt ? (0).toFixed(p - 1) : '0';
  const x = Math.floor(Math.log10(Math.abs(Number(v.toExponential(p - 1)))));
  let s = x < -4 || x >= p ? expForm(v, p - 1, upper) : v.toFixed(Math.max(0, p - 1 - x));
  if (!alt) {
    if (s.includes('e') || s.includes('E')) s = s.replace(/\.?0+([eE])/, '$1');
    else if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

/** C-style formatting as Splunk's printf(): %d %i %u %o %x %X %f %F %e %E %g %G %c %s %%, flags - + space # 0 and ' (thousands). */
export function splPrintf(fmt: string, args: (string | null)[]): string {
  let i = 0;
  const next = () => (i < args.length ? args[i++] : null);
  return fmt.replace(/%([-+ #0']*)(\d+|\*)?(?:\.(\d+|\*))?([diouxXeEfFgGcs%])/g, (all, flags: string, w: string | undefined, pr: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const width = w === '*' ? Number(next() ?? 0) : w ? Number(w) : 0;
    const precGiven = pr !== undefined;
    const prec = pr === '*' ? Number(next() ?? 0) : pr ? Number(pr) : undefined;
    const arg = next();
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+');
    const space = flags.includes(' ');
    const alt = flags.includes('#');
    const commas = flags.includes("'");
    let body: string;
    let sign = '';
    const num = arg === null || arg.trim() === '' ? NaN : Number(arg.trim());
    switch (conv) {
      case 's':
        body = arg ?? '';
        if (precGiven && prec !== undefined) body = body.slice(0, prec);
        break;
      case 'c':
        body = Number.isFinite(num) ? String.fromCodePoint(Math.trunc(num)) : (arg ?? '').slice(0, 1);
        break;
      case 'd':
      case 'i':
      case 'u': {
        const v = Number.isFinite(num) ? Math.trunc(num) : 0;
        sign = v < 0 ? '-' : plus ? '+' : space ? ' ' : '';
        body = String(Math.abs(v));
        if (precGiven && prec !== undefined) body = body.padStart(prec, '0');
        if (commas) body = groupThousands(body);
        break;
      }
      case 'o':
      case 'x':
      case 'X': {
        const v = Number.isFinite(num) ? Math.trunc(num) : 0;
        const base = conv === 'o' ? 8 : 16;
        body = (v < 0 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)).toString(base);
        if (conv === 'X') body = body.toUpperCase();
        if (precGiven && prec !== undefined) body = body.padStart(prec, '0');
        if (alt && v !== 0) body = (conv === 'o' ? '0' : conv === 'x' ? '0x' : '0X') + body;
        break;
      }
      default: {
        // floating point
        const v = Number.isFinite(num) || Number.isNaN(num) === false ? num : NaN;
        if (!Number.isFinite(v)) {
          body = Number.isNaN(v) ? 'nan' : 'inf';
          if (conv === 'F' || conv === 'E' || conv === 'G') body = body.toUpperCase();
          sign = v < 0 ? '-' : plus ? '+' : '';
          break;
        }
        sign = v < 0 || Object.is(v, -0) ? '-' : plus ? '+' : space ? ' ' : '';
        const a = Math.abs(v);
        const p = prec ?? 6;
        if (conv === 'f' || conv === 'F') body = a.toFixed(p);
        else if (conv === 'e' || conv === 'E') body = expForm(a, p, conv === 'E');
        else body = gForm(a, p, alt, conv === 'G');
        if (commas) {
          const [ip, fp] = body.split('.');
          body = groupThousands(ip!) + (fp !== undefined ? '.' + fp : '');
        }
        if (alt && !body.includes('.') && (conv === 'f' || conv === 'F')) body += '.';
      }
    }
    const len = sign.length + [...body].length;
    if (len >= width) return sign + body;
    const pad = width - len;
    if (left) return sign + body + ' '.repeat(pad);
    if (zero && conv !== 's' && conv !== 'c') return sign + '0'.repeat(pad) + body;
    return ' '.repeat(pad) + sign + body;
    void all;
  });
}

defineUdf({
  name: 'spl_printf',
  params: [VARCHAR, VARCHAR],
  returns: VARCHAR,
  fn: (fmt: string, packed: string) => splPrintf(fmt, packed === '' ? [] : packed.split(ARG_SEP).map((a) => (a === '\u001e' ? null : a))),
});

// ---- strftime -------------------------------------------------------------------------------

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Local {
  y: number;
  mo: number; // 1-12
  d: number;
  h: number;
  mi: number;
  s: number;
  wd: number; // 0 = Sunday
  offsetMin: number;
  abbr: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(ms: number, tz: string): Local {
  if (tz === 'UTC' || tz === 'Etc/UTC') {
    const d = new Date(ms);
    return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), wd: d.getUTCDay(), offsetMin: 0, abbr: 'UTC' };
  }
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short', timeZoneName: 'short' });
    formatters.set(tz, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const l = { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), h: Number(parts.hour) % 24, mi: Number(parts.minute), s: Number(parts.second) };
  const asUtc = Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi, l.s);
  const offsetMin = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
  return { ...l, wd: new Date(asUtc).getUTCDay(), offsetMin, abbr: parts.timeZoneName ?? tz };
}

const p2 = (n: number) => String(n).padStart(2, '0');

function dayOfYear(l: Local): number {
  return Math.round((Date.UTC(l.y, l.mo - 1, l.d) - Date.UTC(l.y, 0, 1)) / 86400000) + 1;
}

function isoWeek(l: Local): [number, number] {
  const date = new Date(Date.UTC(l.y, l.mo - 1, l.d));
  const day = (l.wd + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(date.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((date.getTime() - firstThursday.getTime()) / 86400000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return [date.getUTCFullYear(), week];
}

/** Splunk's strftime: C directives plus %N/%3N/%6N/%9N and %Q (sub-seconds), %s (epoch), %+ . */
export function splStrftime(epochSec: number, fmt: string, tz: string): string {
  const ms = epochSec * 1000;
  const l = localTime(ms, tz);
  // sub-seconds from the microsecond count, so 0.123 is not 0.12299999
  const micros = Math.round((epochSec - Math.floor(epochSec)) * 1e6) % 1e6;
  const subsec = (digits: number) => (String(micros).padStart(6, '0') + '000').slice(0, digits);
  const off = () => {
    const a = Math.abs(l.offsetMin);
    return (l.offsetMin < 0 ? '-' : '+') + p2(Math.floor(a / 60)) + p2(a % 60);
  };
  const one = (code: string, digits?: string): string => {
    switch (code) {
      case 'a': return DAYS[l.wd]!.slice(0, 3);
      case 'A': return DAYS[l.wd]!;
      case 'b': case 'h': return MONTHS[l.mo - 1]!.slice(0, 3);
      case 'B': return MONTHS[l.mo - 1]!;
      case 'c': return `${DAYS[l.wd]!.slice(0, 3)} ${MONTHS[l.mo - 1]!.slice(0, 3)} ${String(l.d).padStart(2, ' ')} ${p2(l.h)}:${p2(l.mi)}:${p2(l.s)} ${l.y}`;
      case 'C': return p2(Math.floor(l.y / 100));
      case 'd': return p2(l.d);
      case 'D': return `${p2(l.mo)}/${p2(l.d)}/${p2(l.y % 100)}`;
      case 'e': return String(l.d).padStart(2, ' ');
      case 'f': return subsec(6);
      case 'F': return `${l.y}-${p2(l.mo)}-${p2(l.d)}`;
      case 'G': return String(isoWeek(l)[0]);
      case 'H': return p2(l.h);
      case 'I': return p2(l.h % 12 === 0 ? 12 : l.h % 12);
      case 'j': return String(dayOfYear(l)).padStart(3, '0');
      case 'k': return String(l.h).padStart(2, ' ');
      case 'l': return String(l.h % 12 === 0 ? 12 : l.h % 12).padStart(2, ' ');
      case 'm': return p2(l.mo);
      case 'M': return p2(l.mi);
      case 'n': return '\n';
      case 'N': return subsec(digits ? Number(digits) : 3);
      case 'Q': return subsec(digits ? Number(digits) : 3);
      case 'p': return l.h < 12 ? 'AM' : 'PM';
      case 's': return String(Math.floor(epochSec));
      case 'S': return p2(l.s);
      case 't': return '\t';
      case 'T': return `${p2(l.h)}:${p2(l.mi)}:${p2(l.s)}`;
      case 'u': return String(l.wd === 0 ? 7 : l.wd);
      case 'U': return p2(Math.floor((dayOfYear(l) + 6 - l.wd) / 7));
      case 'V': return p2(isoWeek(l)[1]);
      case 'w': return String(l.wd);
      case 'x': return `${p2(l.mo)}/${p2(l.d)}/${p2(l.y % 100)}`;
      case 'X': return `${p2(l.h)}:${p2(l.mi)}:${p2(l.s)}`;
      case 'y': return p2(l.y % 100);
      case 'Y': return String(l.y);
      case 'z': return off();
      case ':z': { const o = off(); return o.slice(0, 3) + ':' + o.slice(3); }
      case 'Z': return l.abbr;
      case '+': return `${DAYS[l.wd]!.slice(0, 3)} ${MONTHS[l.mo - 1]!.slice(0, 3)} ${String(l.d).padStart(2, ' ')} ${p2(l.h)}:${p2(l.mi)}:${p2(l.s)} ${l.abbr} ${l.y}`;
      case '%': return '%';
      default: return '%' + (digits ?? '') + code;
    }
  };
  return fmt.replace(/%(\d)?(:z|[A-Za-z+%])/g, (_, d: string | undefined, code: string) => one(code, d));
}

defineUdf({ name: 'spl_strftime', params: [DOUBLE, VARCHAR, VARCHAR], returns: VARCHAR, fn: (t: number, f: string, tz: string) => splStrftime(t, f, tz) });

// ---- numbers, addresses, digests --------------------------------------------------------------

/** tonumber(s, base): base 2–36; a 0x prefix is allowed for 16; null when not a number. */
export function toNumberBase(s: string, base: number): number | null {
  let t = s.trim();
  let neg = false;
  if (t.startsWith('-')) (neg = true), (t = t.slice(1));
  else if (t.startsWith('+')) t = t.slice(1);
  if (base === 16) t = t.replace(/^0x/i, '');
  if (!t || !(base >= 2 && base <= 36)) return null;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  let v = 0;
  for (const ch of t.toLowerCase()) {
    const d = digits.indexOf(ch);
    if (d < 0) return null;
    v = v * base + d;
  }
  return neg ? -v : v;
}
defineUdf({ name: 'spl_tonumber', params: [VARCHAR, DOUBLE], returns: DOUBLE, fn: (s: string, b: number) => toNumberBase(s, b) });

function parseV4(s: string): bigint | undefined {
  const p = s.trim().split('.');
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
  return p.reduce((a, x) => (a << 8n) | BigInt(Number(x)), 0n);
}

function parseV6(s: string): bigint | undefined {
  let t = s.trim().replace(/%.*$/, '');
  if (!t.includes(':')) return undefined;
  let tail: bigint[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const x = parseV4(v4[1]!);
    if (x === undefined) return undefined;
    tail = [x >> 16n, x & 0xffffn];
    t = t.slice(0, -v4[1]!.length) + (t.endsWith('::' + v4[1]) ? '' : '0');
    if (t.endsWith(':0')) t = t.slice(0, -2);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const part = (h: string) => (h === '' ? [] : h.split(':'));
  const a = part(halves[0]!);
  const b = halves.length === 2 ? part(halves[1]!) : [];
  const need = 8 - tail.length;
  if (halves.length === 1 && a.length !== need) return undefined;
  if (a.length + b.length > need) return undefined;
  const groups = [...a, ...Array(halves.length === 2 ? need - a.length - b.length : 0).fill('0'), ...b];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return [...groups.map((g) => BigInt(parseInt(g, 16))), ...tail].reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** cidrmatch(cidr, ip) for IPv4 and IPv6; anything that is not an address in the block is false. */
export function cidrMatchAny(cidr: string, ip: string): boolean {
  const [net, bitsText] = cidr.trim().split('/');
  const v4 = parseV4(net ?? '');
  const bitsAll = v4 !== undefined ? 32 : 128;
  const a = v4 ?? parseV6(net ?? '');
  const b = v4 !== undefined ? parseV4(ip) : parseV6(ip);
  if (a === undefined || b === undefined) return false;
  const bits = bitsText === undefined ? bitsAll : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > bitsAll) return false;
  const shift = BigInt(bitsAll - bits);
  return a >> shift === b >> shift;
}
defineUdf({ name: 'spl_cidrmatch6', params: [VARCHAR, VARCHAR], returns: BOOLEAN, fn: (c: string, ip: string) => cidrMatchAny(c, ip) });

/** ipmask("255.255.255.0", "10.20.30.120") → "10.20.30.0"; null when either is not IPv4. */
export function ipMask(mask: string, ip: string): string | null {
  const m = parseV4(mask);
  const a = parseV4(ip);
  if (m === undefined || a === undefined) return null;
  const v = m & a;
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}
defineUdf({ name: 'spl_ipmask', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: (m: string, ip: string) => ipMask(m, ip) });

defineUdf({ name: 'spl_sha512', params: [VARCHAR], returns: VARCHAR, fn: (s: string) => createHash('sha512').update(s, 'utf8').digest('hex') });

/** commands(search): the command names of a search string, in order (the leading search included). */
export function searchCommands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inQ = false;
  let seg = '';
  const flush = (first: boolean) => {
    const t = seg.trim();
    seg = '';
    if (!t) return;
    const m = /^[A-Za-z_]\w*/.exec(t);
    if (first && (!m || m[0].toLowerCase() !== 'search')) out.push('search');
    else if (m) out.push(m[0].toLowerCase());
  };
  let first = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQ) {
      if (ch === '\\') seg += ch + (text[++i] ?? '');
      else {
        if (ch === '"') inQ = false;
        seg += ch;
      }
      continue;
    }
    if (ch === '"') inQ = true;
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '|' && depth === 0) {
      if (seg.trim() || !first) flush(first);
      first = false;
      continue;
    }
    seg += ch;
  }
  flush(first);
  return out;
}
defineUdf({ name: 'spl_commands', params: [VARCHAR], returns: VARCHAR, fn: (s: string) => searchCommands(s).join(ARG_SEP) });
