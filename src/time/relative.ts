/**
 * Splunk time modifiers: `now`, epoch numbers, `%m/%d/%Y:%H:%M:%S`, ISO 8601, and relative
 * `[+|-]<n><unit>[@<snap>[±<n><unit>]]` such as `-24h@h`, `@d`, `-7d@w0`, `-1d@d+8h`. Snapping
 * floors to the unit's start in the given zone.
 */
import { parseIsoMicros, wallClock, zonedToEpoch } from './zone.js';

const UNITS: Record<string, string> = {};
for (const [u, names] of Object.entries({
  s: 's sec secs second seconds',
  m: 'm min mins minute minutes',
  h: 'h hr hrs hour hours',
  d: 'd day days',
  w: 'w week weeks',
  mon: 'mon month months',
  q: 'q qtr qtrs quarter quarters',
  y: 'y yr yrs year years',
})) {
  for (const n of names.split(' ')) UNITS[n] = u;
}

export class TimeModifierError extends Error {}

function addUnits(ms: number, n: number, unit: string, tz: string): number {
  switch (unit) {
    case 's':
      return ms + n * 1000;
    case 'm':
      return ms + n * 60000;
    case 'h':
      return ms + n * 3600000;
    case 'd':
    case 'w': {
      // Calendar days in the zone (a day across a DST change is 23 or 25 hours).
      const w = wallClock(ms, tz);
      const days = unit === 'w' ? n * 7 : n;
      return zonedToEpoch(w.year, w.month, w.day + days, w.hour, w.minute, w.second, w.ms, tz);
    }
    default: {
      const months = unit === 'mon' ? n : unit === 'q' ? n * 3 : n * 12;
      const w = wallClock(ms, tz);
      const total = w.year * 12 + (w.month - 1) + months;
      const y = Math.floor(total / 12);
      const mo = (total % 12) + 1;
      const lastDay = new Date(Date.UTC(y, mo, 0)).getUTCDate();
      return zonedToEpoch(y, mo, Math.min(w.day, lastDay), w.hour, w.minute, w.second, w.ms, tz);
    }
  }
}

function snap(ms: number, unit: string, tz: string): number {
  const w = wallClock(ms, tz);
  const m = /^w([0-6])?$/.exec(unit);
  if (m) {
    const target = Number(m[1] ?? 0);
    const back = (w.weekday - target + 7) % 7;
    return zonedToEpoch(w.year, w.month, w.day - back, 0, 0, 0, 0, tz);
  }
  switch (UNITS[unit]) {
    case 's':
      return zonedToEpoch(w.year, w.month, w.day, w.hour, w.minute, w.second, 0, tz);
    case 'm':
      return zonedToEpoch(w.year, w.month, w.day, w.hour, w.minute, 0, 0, tz);
    case 'h':
      return zonedToEpoch(w.year, w.month, w.day, w.hour, 0, 0, 0, tz);
    case 'd':
      return zonedToEpoch(w.year, w.month, w.day, 0, 0, 0, 0, tz);
    case 'w':
      return snap(ms, 'w0', tz);
    case 'mon':
      return zonedToEpoch(w.year, w.month, 1, 0, 0, 0, 0, tz);
    case 'q':
      return zonedToEpoch(w.year, Math.floor((w.month - 1) / 3) * 3 + 1, 1, 0, 0, 0, 0, tz);
    case 'y':
      return zonedToEpoch(w.year, 1, 1, 0, 0, 0, 0, tz);
  }
  throw new TimeModifierError(`unknown snap unit "@${unit}"`);
}

const OFFSET_RE = /^([+-])(\d*)([a-z]+)/i;

/** Apply a relative modifier to `base` (epoch ms). */
export function relativeTime(base: number, spec: string, tz: string): number {
  let s = spec.trim();
  let t = base;
  if (s === 'now' || s === '') return t;
  while (s.length) {
    if (s[0] === '@') {
      const m = /^@([a-z]+\d?)/i.exec(s);
      if (!m) throw new TimeModifierError(`bad snap in "${spec}"`);
      t = snap(t, m[1]!.toLowerCase(), tz);
      s = s.slice(m[0].length);
      continue;
    }
    const m = OFFSET_RE.exec(s);
    if (!m) throw new TimeModifierError(`cannot read time modifier "${spec}"`);
    const unit = UNITS[m[3]!.toLowerCase()];
    if (!unit) throw new TimeModifierError(`unknown time unit "${m[3]}" in "${spec}" (use s, m, h, d, w, mon, q or y)`);
    const n = (m[1] === '-' ? -1 : 1) * Number(m[2] || '1');
    t = addUnits(t, n, unit, tz);
    s = s.slice(m[0].length);
  }
  return t;
}

/** Any time modifier value → epoch ms. */
export function parseTimeModifier(value: string, now: number, tz: string): number {
  const v = value.trim();
  if (v === 'now') return now;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v) * 1000; // epoch seconds; 0 = all time
  const abs = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?::(\d{1,2}):(\d{1,2}):(\d{1,2}))?$/.exec(v);
  if (abs) return zonedToEpoch(+abs[3]!, +abs[1]!, +abs[2]!, +(abs[4] ?? 0), +(abs[5] ?? 0), +(abs[6] ?? 0), 0, tz);
  const iso = parseIsoMicros(v, tz);
  if (iso !== undefined) return iso / 1000;
  if (/^[+-@]/.test(v)) return relativeTime(now, v, tz);
  throw new TimeModifierError(`cannot read time "${value}": use now, an epoch, MM/DD/YYYY:HH:MM:SS, ISO 8601 or a relative time like -24h@h`);
}
