/** Splunk's strftime/strptime for TypeScript operators (convert): the common specifiers. */
import { wallClock, zoneOffsetMinutes, zonedToEpoch } from '../time/zone.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p = (n: number, w = 2) => String(n).padStart(w, '0');

export function strftime(epochSeconds: number, fmt: string, tz: string): string {
  const ms = Math.floor(epochSeconds * 1000);
  const w = wallClock(ms, tz);
  const frac = epochSeconds - Math.floor(epochSeconds);
  return fmt.replace(/%(\d?)([a-zA-Z%])/g, (m, digits: string, c: string) => {
    switch (c) {
      case 'Y': return String(w.year);
      case 'y': return p(w.year % 100);
      case 'm': return p(w.month);
      case 'd': return p(w.day);
      case 'e': return String(w.day).padStart(2, ' ');
      case 'H': return p(w.hour);
      case 'I': return p(w.hour % 12 === 0 ? 12 : w.hour % 12);
      case 'M': return p(w.minute);
      case 'S': return p(w.second);
      case 'p': return w.hour < 12 ? 'AM' : 'PM';
      case 'b': case 'h': return MONTHS[w.month - 1]!.slice(0, 3);
      case 'B': return MONTHS[w.month - 1]!;
      case 'a': return DAYS[w.weekday]!.slice(0, 3);
      case 'A': return DAYS[w.weekday]!;
      case 'w': return String(w.weekday);
      case 'j': {
        const doy = Math.round((Date.UTC(w.year, w.month - 1, w.day) - Date.UTC(w.year, 0, 1)) / 86400000) + 1;
        return p(doy, 3);
      }
      case 'T': return `${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
      case 'F': return `${w.year}-${p(w.month)}-${p(w.day)}`;
      case 'D': return `${p(w.month)}/${p(w.day)}/${p(w.year % 100)}`;
      case 's': return String(Math.floor(epochSeconds));
      case 'N': case 'Q': {
        const n = Number(digits || (c === 'Q' ? 3 : 9));
        return String(Math.floor(frac * 10 ** n)).padStart(n, '0');
      }
      case 'z': {
        const off = zoneOffsetMinutes(ms, tz);
        return `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
      }
      case 'Z': return tz === 'UTC' ? 'UTC' : tz;
      case '%': return '%';
      default: return m;
    }
  });
}

/** Parse text with a strftime format into epoch seconds (undefined when it does not match). */
export function strptime(text: string, fmt: string, tz: string): number | undefined {
  let re = '^';
  const slots: string[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch === '%' && i + 1 < fmt.length) {
      const c = fmt[++i]!;
      const map: Record<string, string> = { Y: '(\\d{4})', y: '(\\d{2})', m: '(\\d{1,2})', d: '(\\d{1,2})', e: '\\s?(\\d{1,2})', H: '(\\d{1,2})', I: '(\\d{1,2})', M: '(\\d{1,2})', S: '(\\d{1,2})', p: '(AM|PM|am|pm)', b: '([A-Za-z]{3})', B: '([A-Za-z]+)', s: '(\\d+)', z: '([+-]\\d{4})', '%': '%' };
      if (c === 'T') {
        re += '(\\d{1,2}):(\\d{1,2}):(\\d{1,2})';
        slots.push('H', 'M', 'S');
        continue;
      }
      if (c === 'F') {
        re += '(\\d{4})-(\\d{1,2})-(\\d{1,2})';
        slots.push('Y', 'm', 'd');
        continue;
      }
      const r = map[c];
      if (!r) return undefined;
      re += r;
      if (c !== '%') slots.push(c);
    } else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(re + '$').exec(text.trim());
  if (!m) return undefined;
  const v: Record<string, string> = {};
  slots.forEach((s, i) => (v[s] = m[i + 1]!));
  if (v.s) return Number(v.s);
  const month = v.m ? Number(v.m) : v.b || v.B ? MONTHS.findIndex((x) => x.toLowerCase().startsWith((v.b ?? v.B)!.toLowerCase().slice(0, 3))) + 1 : 1;
  let hour = Number(v.H ?? v.I ?? 0);
  if (v.p) hour = (hour % 12) + (v.p.toUpperCase() === 'PM' ? 12 : 0);
  const year = v.Y ? Number(v.Y) : v.y ? 2000 + Number(v.y) : 1970;
  const day = Number(v.d ?? v.e ?? 1);
  if (v.z) {
    const sign = v.z[0] === '-' ? -1 : 1;
    const off = sign * (Number(v.z.slice(1, 3)) * 60 + Number(v.z.slice(3)));
    return (Date.UTC(year, month - 1, day, hour, Number(v.M ?? 0), Number(v.S ?? 0)) - off * 60000) / 1000;
  }
  return zonedToEpoch(year, month, day, hour, Number(v.M ?? 0), Number(v.S ?? 0), 0, tz) / 1000;
}
