/**
 * Timestamp helpers shared by the format parsers. Every function returns epoch MICROseconds
 * (an integer number) or undefined when the text is not a time it understands. None throws.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** Month number (1..12) of an English month abbreviation or name, or 0. */
export function monthNumber(name: string): number {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? 0;
}

/** Digits of a fraction ("123", "123456789") as microseconds, truncated past 6 digits. */
function fracMicros(frac: string | undefined): number {
  if (!frac) return 0;
  const f = frac.length >= 6 ? frac.slice(0, 6) : frac + '000000'.slice(frac.length);
  return Number(f);
}

/** Epoch seconds with optional fraction ("1521911720.865716", "19.38", "1521911720") → µs, exact. */
export function epochSecondsToMicros(s: string): number | undefined {
  const m = /^\s*(-?)(\d{1,12})(?:\.(\d*))?\s*$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[2]) * 1_000_000 + fracMicros(m[3]);
  return m[1] ? -v : v;
}

/** A number of epoch seconds (JSON number) → µs. */
export function epochNumberToMicros(n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  // Milliseconds or microseconds given as a plain number: judge by magnitude.
  if (Math.abs(n) > 1e14) return Math.round(n); // already µs
  if (Math.abs(n) > 1e11) return Math.round(n * 1000); // ms
  return Math.round(n * 1_000_000);
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat | undefined {
  let f = fmtCache.get(tz);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return undefined;
  }
  fmtCache.set(tz, f);
  return f;
}

/** Offset (ms) of zone tz at UTC instant ms: local = utc + offset. */
function zoneOffsetMs(tz: string, utcMs: number): number {
  if (tz === 'UTC' || tz === 'Etc/UTC' || tz === 'GMT' || tz === 'Z') return 0;
  const f = formatter(tz);
  if (!f) return 0;
  const parts = f.formatToParts(new Date(utcMs));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of parts) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
    }
  }
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** True when tz names a zone this Node knows. */
export function isValidTimeZone(tz: string): boolean {
  return tz === 'UTC' || formatter(tz) !== undefined;
}

// Cache of zone offsets per (tz, hour bucket): PAN-OS and Windows text parse millions of times.
const offsetCache = new Map<string, number>();

/**
 * Wall-clock fields in zone tz → epoch µs. Handles DST the usual way (first guess, then correct).
 * Returns undefined for impossible dates.
 */
export function localToMicros(
  y: number, mo: number, d: number, h: number, mi: number, s: number, us: number, tz: string,
): number | undefined {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 24 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60)) {
    return undefined;
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(wall)) return undefined;
  if (tz === 'UTC' || tz === 'Etc/UTC' || tz === 'GMT') return wall * 1000 + us;
  const key = tz + '|' + Math.floor(wall / 3_600_000);
  let off = offsetCache.get(key);
  if (off === undefined) {
    const o1 = zoneOffsetMs(tz, wall);
    const o2 = zoneOffsetMs(tz, wall - o1);
    off = o2;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return (wall - off) * 1000 + us;
}

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Fast path for the common "YYYY-MM-DDTHH:MM:SS[.f+](Z|±hh[:]mm)" shape; undefined for anything else. */
function isoFast(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return undefined;
  const y1 = d2(s, 0), y2 = d2(s, 2), mo = d2(s, 5), d = d2(s, 8), h = d2(s, 11), mi = d2(s, 14), sec = d2(s, 17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return undefined;
  let i = 19;
  let us = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let digits = 0;
    while (i < n) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 6) { us = us * 10 + c; digits++; }
      i++;
    }
    if (digits === 0) return undefined;
    for (; digits < 6; digits++) us *= 10;
  }
  let off = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i === n - 1) { /* Z */ }
  else if ((z === 43 || z === 45) && (n - i === 6 || n - i === 5)) {
    const oh = d2(s, i + 1);
    const om = d2(s, n - 2);
    if (oh < 0 || om < 0 || (n - i === 6 && s.charCodeAt(i + 3) !== 58)) return undefined;
    off = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return undefined;
  const wall = Date.UTC(y1 * 100 + y2, mo - 1, d, h, mi, sec);
  return (wall - off * 60_000) * 1000 + us;
}

const ISO_RE =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/;

/**
 * ISO 8601 / RFC 3339 ("2021-06-06T15:59:46.457984+0200", "2018-03-24T17:15:20.865716Z",
 * "2021-11-13 14:08:43.058458", "2019-04-30 20:26:51.793") → µs. No zone: tz (default UTC).
 */
export function isoToMicros(s: string, tz = 'UTC'): number | undefined {
  const fast = isoFast(s);
  if (fast !== undefined) return fast;
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const h = m[4] ? Number(m[4]) : 0, mi = m[5] ? Number(m[5]) : 0, sec = m[6] ? Number(m[6]) : 0;
  const us = fracMicros(m[7]);
  const z = m[8];
  if (z === undefined) return localToMicros(y, mo, d, h, mi, sec, us, tz);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && sec <= 60)) return undefined;
  let off = 0;
  if (z !== 'Z' && z !== 'z' && z !== 'UTC') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    off = sign * (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0));
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, sec);
  if (Number.isNaN(wall)) return undefined;
  return (wall - off * 60_000) * 1000 + us;
}

/** "2017/08/23 21:16:40" (PAN-OS) or "2017-08-23 21:16:40" in zone tz → µs. */
export function ymdHmsToMicros(s: string, tz: string): number | undefined {
  const m = /^\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*$/.exec(s);
  if (!m) return undefined;
  return localToMicros(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fracMicros(m[7]), tz);
}

/** "08/23/2017 08:33:29 PM" (Windows classic text) in zone tz → µs. Also 24-hour without AM/PM. */
export function usDateTimeToMicros(s: string, tz: string): number | undefined {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*([AaPp][Mm])?\s*$/.exec(s);
  if (!m) return undefined;
  let h = Number(m[4]);
  if (m[8]) {
    const pm = m[8].toLowerCase() === 'pm';
    if (h < 1 || h > 12) return undefined;
    if (h === 12) h = 0;
    if (pm) h += 12;
  }
  return localToMicros(Number(m[3]), Number(m[1]), Number(m[2]), h, Number(m[5]), Number(m[6]), fracMicros(m[7]), tz);
}

/**
 * RFC 3164 syslog time "Aug 23 21:16:41" / "Apr  9 09:00:55" / "Mar 23 2017 07:27:36" in zone tz.
 * Without a year, the year is `refYear` (default: this year; if that puts the time more than
 * a day in the future, the previous year, as syslog daemons and Splunk do).
 */
export function syslogTimeToMicros(s: string, tz: string, refYear?: number): number | undefined {
  const m = /^\s*([A-Za-z]{3})\s+(\d{1,2})(?:\s+(\d{4}))?\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*$/.exec(s);
  if (!m) return undefined;
  const mo = monthNumber(m[1]);
  if (!mo) return undefined;
  if (m[3]) {
    return localToMicros(Number(m[3]), mo, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), fracMicros(m[7]), tz);
  }
  const now = Date.now();
  let y = refYear ?? new Date(now).getUTCFullYear();
  let t = localToMicros(y, mo, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), fracMicros(m[7]), tz);
  if (refYear === undefined && t !== undefined && t > (now + 86_400_000) * 1000) {
    y -= 1;
    t = localToMicros(y, mo, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), fracMicros(m[7]), tz);
  }
  return t;
}

/**
 * Best effort for a generic time value: epoch seconds (number or numeric string, fractions ok),
 * epoch ms/µs by magnitude, ISO 8601, "YYYY/MM/DD hh:mm:ss", US "MM/DD/YYYY hh:mm:ss AM", syslog.
 */
export function anyTimeToMicros(v: unknown, tz = 'UTC'): number | undefined {
  if (typeof v === 'number') return epochNumberToMicros(v);
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const c = v.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45) {
    if (/^-?\d+(\.\d+)?$/.test(v)) {
      const digits = v.indexOf('.') < 0 ? v.replace('-', '').length : v.indexOf('.');
      if (digits >= 16) return Math.round(Number(v)); // µs
      if (digits >= 13) return Math.round(Number(v) * 1000); // ms
      return epochSecondsToMicros(v);
    }
    return isoToMicros(v, tz) ?? ymdHmsToMicros(v, tz) ?? usDateTimeToMicros(v, tz);
  }
  return syslogTimeToMicros(v, tz);
}
