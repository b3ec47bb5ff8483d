/** Small helpers shared by the format parsers. */
import type { FieldValue, Scalar } from '../event.js';

/** Add a value to a field, turning it into a multivalue when it already has one. */
export function addValue(out: Record<string, FieldValue>, key: string, v: Scalar): void {
  const cur = out[key];
  if (cur === undefined) out[key] = v;
  else if (Array.isArray(cur)) cur.push(v);
  else out[key] = [cur, v];
}

/**
 * Flatten parsed JSON the way Splunk's JSON extraction names fields: nested objects as `a.b`,
 * arrays as `name{}` (objects inside arrays as `name{}.x`, each value added to a multivalue).
 * `plainTopArrays`: top-level arrays keep their own name (Splunk Stream's TA does so).
 * null values are skipped (Splunk shows no field for them).
 */
export function flattenJson(
  obj: Record<string, unknown>,
  out: Record<string, FieldValue>,
  prefix = '',
  plainTopArrays = false,
): void {
  for (const k in obj) {
    const v = obj[k];
    const name = prefix ? prefix + k : k;
    flattenValue(v, name, out, plainTopArrays && !prefix, false);
  }
}

/**
 * The flattened names already made (`a` + `.b`, `a` + `{}`), each one string object: a name built
 * anew for every event is a fresh string that every property store and Map lookup downstream must
 * hash again (Suricata EVE, nested on every line: ~20 % of its parse time). Bounded, as keys come
 * from the data.
 */
const names = new Map<string, Map<string, string>>();
let namesHeld = 0;
const MAX_NAMES = 20_000;

function joinName(prefix: string, sep: string, key: string): string {
  let m = names.get(prefix);
  let n = m?.get(key);
  if (n !== undefined) return n;
  n = prefix + sep + key;
  if (namesHeld < MAX_NAMES) {
    if (!m) names.set(prefix, (m = new Map()));
    m.set(key, n);
    namesHeld++;
  }
  return n;
}

function flattenValue(v: unknown, name: string, out: Record<string, FieldValue>, plainArray: boolean, inArray: boolean): void {
  if (v === null || v === undefined) return;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      if (inArray) addValue(out, name, v);
      else out[name] = v;
      return;
    case 'object':
      if (Array.isArray(v)) {
        const an = plainArray ? name : joinName(name, '', '{}');
        for (let i = 0; i < v.length; i++) flattenValue(v[i], an, out, false, true);
        return;
      }
      for (const k in v as Record<string, unknown>) {
        flattenValue((v as Record<string, unknown>)[k], joinName(name, '.', k), out, false, inArray);
      }
      return;
    default:
      return;
  }
}

function isScalar(v: unknown): v is Scalar {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/**
 * Like flattenJson, but reuses the parsed object itself as the field map when it is already flat
 * (the common case for Splunk Stream): no copy. Only keys that need it are rewritten.
 */
export function flattenJsonInPlace(obj: Record<string, unknown>, plainTopArrays: boolean): Record<string, FieldValue> {
  let extra: Record<string, FieldValue> | undefined;
  for (const k in obj) {
    const v = obj[k];
    if (isScalar(v)) continue;
    if (v === null || v === undefined) { delete obj[k]; continue; }
    if (Array.isArray(v) && plainTopArrays && v.every(isScalar)) {
      if (v.length === 0) delete obj[k];
      else if (v.length === 1) obj[k] = v[0];
      continue;
    }
    delete obj[k];
    extra ??= {};
    flattenValue(v, k, extra, plainTopArrays, false);
  }
  if (extra) for (const k in extra) obj[k] = extra[k];
  return obj as Record<string, FieldValue>;
}

/** Parse one JSON object line; undefined (with the error text) when it is not a JSON object. */
export function parseJsonObject(text: string): { obj?: Record<string, unknown>; error?: string } {
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { error: 'not a JSON object' };
    return { obj: v as Record<string, unknown> };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Base name of a path without directories ("/a/b/dns.log.gz" → "dns.log.gz"). */
export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Numeric text to a number when it is plainly one (no leading zeros except "0", no hex); else the text. */
export function autoNumber(s: string): Scalar {
  const n = s.length;
  if (n === 0 || n > 17) return s;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 45) { if (n === 1) return s; i = 1; }
  const first = s.charCodeAt(i);
  if (first < 48 || first > 57) return s;
  if (first === 48 && n > i + 1 && s.charCodeAt(i + 1) !== 46) return s; // "007", keep text
  let dot = false;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === 46) { if (dot || j === n - 1) return s; dot = true; continue; }
    if (c < 48 || c > 57) return s;
  }
  const v = Number(s);
  return dot || Number.isSafeInteger(v) ? v : s;
}

/** Truncate text for a quarantine reason. */
export function clip(s: string, n = 80): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}
