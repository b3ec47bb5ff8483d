/** Small statistics the pickers share: robust z-scores (median + MAD), Shannon entropy, means. */

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median absolute deviation. */
/** The q-quantile (0..1) of xs, nearest rank. */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export function mad(xs: number[], med = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - med)));
}

/**
 * Robust z-score of x against a baseline: 0.6745·(x − median)/MAD (Iglewicz & Hoaglin). When the
 * MAD is 0 (more than half the baseline equal), the mean absolute deviation stands in (×1.2533).
 */
export function robustZ(x: number, baseline: number[]): number {
  if (baseline.length === 0) return 0;
  const med = median(baseline);
  let spread = mad(baseline, med) / 0.6745;
  if (!(spread > 0)) spread = (baseline.reduce((a, b) => a + Math.abs(b - med), 0) / baseline.length) * 1.2533;
  if (!(spread > 0)) return x === med ? 0 : (x > med ? 10 : -10);
  return (x - med) / spread;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Sample standard deviation (Splunk's stdev). */
export function stdev(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Shannon entropy in bits per character (URL Toolbox's ut_shannon). */
export function shannon(s: string): number {
  if (!s) return 0;
  const m = new Map<string, number>();
  for (const ch of s) m.set(ch, (m.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of m.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Entropy relative to the most a string of this length could have (a 12-char label tops out at log2 12). */
export function normalizedEntropy(s: string): number {
  const n = [...s].length;
  if (n < 2) return 0;
  return shannon(s) / Math.log2(Math.min(n, 64));
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

export function round(x: number, d = 3): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^127\./, /^169\.254\./, /^f[cd][0-9a-f]{2}:/i, /^fe80:/i, /^::1$/];

/** RFC 1918 / loopback / link-local / ULA. */
export function isInternal(ip: string): boolean {
  return PRIVATE.some((re) => re.test(ip));
}

export function isIp(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(s);
}

/** A field of a result row as a list of strings (multivalue → each; scalar → one). */
export function strs(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

export function str(v: unknown): string {
  return strs(v)[0] ?? '';
}

export function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(Array.isArray(v) ? v[0] : v);
  return Number.isFinite(n) ? n : 0;
}
