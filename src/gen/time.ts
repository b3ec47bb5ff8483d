/**
 * Time helpers. Internally every time is epoch microseconds UTC (a JS number; exact below 2^53).
 * August 2017 is entirely inside US daylight time, so Pacific local time is UTC-7 all month.
 */

export const US_PER_S = 1_000_000;
export const US_PER_MIN = 60 * US_PER_S;
export const US_PER_HOUR = 60 * US_PER_MIN;
export const US_PER_DAY = 24 * US_PER_HOUR;
export const PDT_OFFSET_US = -7 * US_PER_HOUR;
export const TZ = 'America/Los_Angeles';

/** Epoch µs of a Pacific (PDT) wall-clock time in August 2017. */
export function pdt(day: number, h = 0, m = 0, s = 0, us = 0): number {
  return Date.UTC(2017, 7, day, h, m, s) * 1000 + us - PDT_OFFSET_US;
}
/** Epoch µs of a UTC wall-clock time in 2017 (month 1-based). */
export function utc(month: number, day: number, h = 0, m = 0, s = 0, us = 0): number {
  return Date.UTC(2017, month - 1, day, h, m, s) * 1000 + us;
}

function p2(n: number): string { return n < 10 ? '0' + n : String(n); }
function p3(n: number): string { return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n); }
function p6(n: number): string { return String(n).padStart(6, '0'); }

interface Parts { Y: number; M: number; D: number; h: number; m: number; s: number; us: number; dow: number }
let cacheKey = NaN; let cacheParts: Parts | null = null;
function parts(t0: number): Parts {
  const t = Math.floor(t0);
  const sec = Math.floor(t / US_PER_S);
  const us = t - sec * US_PER_S;
  if (sec !== cacheKey) {
    const d = new Date(sec * 1000);
    cacheParts = { Y: d.getUTCFullYear(), M: d.getUTCMonth() + 1, D: d.getUTCDate(), h: d.getUTCHours(), m: d.getUTCMinutes(), s: d.getUTCSeconds(), us: 0, dow: d.getUTCDay() };
    cacheKey = sec;
  }
  cacheParts!.us = us;
  return cacheParts!;
}
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2017-08-26T05:42:06.123456Z (Splunk Stream) */
export function isoMicro(t: number): string {
  const p = parts(t);
  return `${p.Y}-${p2(p.M)}-${p2(p.D)}T${p2(p.h)}:${p2(p.m)}:${p2(p.s)}.${p6(p.us)}Z`;
}
/** 2017-08-26T05:42:06.123Z */
export function isoMilli(t: number): string {
  const p = parts(t);
  return `${p.Y}-${p2(p.M)}-${p2(p.D)}T${p2(p.h)}:${p2(p.m)}:${p2(p.s)}.${p3(Math.floor(p.us / 1000))}Z`;
}
/** Suricata EVE: 2017-08-26T05:42:06.123456+0000 (the sensor's clock is UTC) */
export function suricataTs(t: number): string {
  const p = parts(t);
  return `${p.Y}-${p2(p.M)}-${p2(p.D)}T${p2(p.h)}:${p2(p.m)}:${p2(p.s)}.${p6(p.us)}+0000`;
}
/** Sysmon UtcTime: 2017-08-27 03:57:15.174 */
export function sysmonUtc(t: number): string {
  const p = parts(t);
  return `${p.Y}-${p2(p.M)}-${p2(p.D)} ${p2(p.h)}:${p2(p.m)}:${p2(p.s)}.${p3(Math.floor(p.us / 1000))}`;
}
/** Windows SystemTime: 2017-08-26T05:42:06.123456700Z */
export function systemTime(t: number): string {
  const p = parts(t);
  return `${p.Y}-${p2(p.M)}-${p2(p.D)}T${p2(p.h)}:${p2(p.m)}:${p2(p.s)}.${p6(p.us)}000Z`;
}
/** Pacific local: 2017/08/23 21:16:40 (PAN-OS) */
export function panTime(t: number): string {
  const p = parts(t + PDT_OFFSET_US);
  return `${p.Y}/${p2(p.M)}/${p2(p.D)} ${p2(p.h)}:${p2(p.m)}:${p2(p.s)}`;
}
/** Pacific local syslog header: Aug 23 21:16:41 (day space-padded as RFC 3164) */
export function syslogTime(t: number): string {
  const p = parts(t + PDT_OFFSET_US);
  const d = p.D < 10 ? ' ' + p.D : String(p.D);
  return `${MON[p.M - 1]} ${d} ${p2(p.h)}:${p2(p.m)}:${p2(p.s)}`;
}
/** Pacific local WinEventLog header: 08/23/2017 08:55:14 PM */
export function winTime(t: number): string {
  const p = parts(t + PDT_OFFSET_US);
  const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
  return `${p2(p.M)}/${p2(p.D)}/${p.Y} ${p2(h12)}:${p2(p.m)}:${p2(p.s)} ${p.h < 12 ? 'AM' : 'PM'}`;
}
/** Zeek ts: 1503718926.123456 */
export function zeekTs(t: number): string {
  const sec = Math.floor(t / US_PER_S);
  return `${sec}.${p6(t - sec * US_PER_S)}`;
}
/** Zeek interval in seconds with 6 decimals */
export function zeekInterval(us: number): string { return (us / US_PER_S).toFixed(6); }

/** Pacific local hour-of-day (0-23, fractional) and weekday (0=Sunday) of a time. */
export function localHour(t: number): number {
  const l = t + PDT_OFFSET_US;
  return ((l % US_PER_DAY) + US_PER_DAY) % US_PER_DAY / US_PER_HOUR;
}
export function localDow(t: number): number { return parts(t + PDT_OFFSET_US).dow; }
export function localDay(t: number): number { return parts(t + PDT_OFFSET_US).D; }
