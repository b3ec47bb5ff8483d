/**
 * Wall-clock ⇄ epoch conversions in an IANA zone, with Intl (no dependency). Epochs here are
 * milliseconds unless a name says µs.
 */

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** 0 = Sunday */
  weekday: number;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Throws a clear error for a zone name Intl does not know. */
export function checkZone(tz: string): string {
  try {
    formatter(tz);
    return tz;
  } catch {
    throw new Error(`unknown time zone "${tz}" (use an IANA name such as UTC or America/Los_Angeles)`);
  }
}

export function localTimeZone(): string {
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The wall clock in `tz` at epoch milliseconds `ms`. */
export function wallClock(ms: number, tz: string): WallClock {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    ms: ((ms % 1000) + 1000) % 1000,
    weekday: WEEKDAYS[get('weekday')] ?? 0,
  };
}

/** Offset of `tz` from UTC at epoch `ms`, in minutes (e.g. -420 for PDT). */
export function zoneOffsetMinutes(ms: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const w = wallClock(Math.floor(ms / 1000) * 1000, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** Epoch ms of a wall-clock time in `tz` (for a time skipped or repeated by DST, the earlier offset wins). */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number, tz: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const off1 = zoneOffsetMinutes(guess, tz);
  const t1 = guess - off1 * 60000;
  const off2 = zoneOffsetMinutes(t1, tz);
  return off1 === off2 ? t1 : guess - off2 * 60000;
}

/** ISO 8601 with the zone's offset, e.g. 2017-08-25T21:42:40.998+07:00 style: `2017-08-25T14:42:40.998-07:00`. */
export function formatIso(ms: number, tz: string, fractionDigits = 3): string {
  const w = wallClock(ms, tz);
  const off = zoneOffsetMinutes(ms, tz);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const frac = fractionDigits > 0 ? '.' + String(w.ms).padStart(3, '0').slice(0, fractionDigits) : '';
  return `${w.year}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}${frac}${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

const ISO_RE = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/** Parse ISO 8601 to epoch microseconds; a time without a zone is read in `tz`. undefined if not ISO. */
export function parseIsoMicros(s: string, tz: string): number | undefined {
  const m = ISO_RE.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const micros = Number((frac + '000000').slice(0, 6));
  let ms: number;
  if (zone) {
    ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +sec);
    if (zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60000;
    }
  } else {
    ms = zonedToEpoch(+y!, +mo!, +d!, +h, +mi, +sec, 0, tz);
  }
  if (!Number.isFinite(ms) || +mo! < 1 || +mo! > 12 || +d! < 1 || +d! > 31) return undefined;
  return ms * 1000 + micros;
}

/** Epoch seconds/ms/µs as a number → µs. Splunk reads epoch seconds; larger magnitudes are taken as ms or µs. */
export function epochToMicros(n: number): number {
  const a = Math.abs(n);
  if (a >= 1e14) return Math.trunc(n); // µs
  if (a >= 1e11) return Math.trunc(n * 1000); // ms
  return Math.round(n * 1e6);
}
