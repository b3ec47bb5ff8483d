/** Time buckets for bin, timechart and chart: fixed spans epoch-aligned, day and longer spans on the zone's calendar. */
import { DOUBLE, VARCHAR } from '@duckdb/node-api';
import { wallClock, zonedToEpoch } from '../time/zone.js';
import type { TimeSpan } from './commands/util.js';
import { defineUdf } from './udf.js';

const FIXED: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export function isFixed(span: TimeSpan): boolean {
  return span.unit in FIXED;
}

/** Start of the bucket holding epoch seconds `t`. */
export function bucketStart(t: number, span: TimeSpan, tz: string, offset = 0): number {
  if (isFixed(span)) {
    const s = span.n * FIXED[span.unit]!;
    return Math.floor((t - offset) / s) * s + offset;
  }
  const w = wallClock(Math.floor(t * 1000), tz);
  switch (span.unit) {
    case 'd': {
      const dayNo = Math.floor(Date.UTC(w.year, w.month - 1, w.day) / 86400000);
      const start = Math.floor(dayNo / span.n) * span.n;
      const d = new Date(start * 86400000);
      return zonedToEpoch(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0, 0, tz) / 1000;
    }
    case 'w': {
      // weeks start on Sunday in Splunk's calendar
      const dayNo = Math.floor(Date.UTC(w.year, w.month - 1, w.day) / 86400000) - w.weekday;
      const weekNo = Math.floor((dayNo + 4) / 7); // epoch day 0 was a Thursday; -4 → Sunday
      const start = Math.floor(weekNo / span.n) * span.n * 7 - 4;
      const d = new Date(start * 86400000);
      return zonedToEpoch(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, 0, 0, 0, tz) / 1000;
    }
    case 'mon':
    case 'q': {
      const months = span.unit === 'q' ? span.n * 3 : span.n;
      const m = Math.floor((w.year * 12 + w.month - 1) / months) * months;
      return zonedToEpoch(Math.floor(m / 12), (m % 12) + 1, 1, 0, 0, 0, 0, tz) / 1000;
    }
    case 'y': {
      const y = Math.floor(w.year / span.n) * span.n;
      return zonedToEpoch(y, 1, 1, 0, 0, 0, 0, tz) / 1000;
    }
  }
  throw new Error(`bad span unit ${span.unit}`);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, span: TimeSpan, tz: string): number {
  if (isFixed(span)) return start + span.n * FIXED[span.unit]!;
  const w = wallClock(Math.floor(start * 1000), tz);
  switch (span.unit) {
    case 'd':
      return zonedToEpoch(w.year, w.month, w.day + span.n, 0, 0, 0, 0, tz) / 1000;
    case 'w':
      return zonedToEpoch(w.year, w.month, w.day + 7 * span.n, 0, 0, 0, 0, tz) / 1000;
    case 'mon':
      return zonedToEpoch(w.year, w.month + span.n, 1, 0, 0, 0, 0, tz) / 1000;
    case 'q':
      return zonedToEpoch(w.year, w.month + 3 * span.n, 1, 0, 0, 0, 0, tz) / 1000;
    default:
      return zonedToEpoch(w.year + span.n, 1, 1, 0, 0, 0, 0, tz) / 1000;
  }
}

defineUdf({
  name: 'spl_bin_time',
  params: [DOUBLE, DOUBLE, VARCHAR, VARCHAR],
  returns: DOUBLE,
  fn: (t: number, n: number, unit: string, tz: string) => bucketStart(t, { n, unit: unit as TimeSpan['unit'], seconds: 0 }, tz),
});

/** SQL: the bucket start (TIMESTAMP) of a TIMESTAMP column. */
export function timeBucketSql(col: string, span: TimeSpan, tz: string, offset = 0): string {
  if (isFixed(span)) {
    const us = Math.round(span.n * FIXED[span.unit]! * 1e6);
    const off = Math.round(offset * 1e6);
    return `make_timestamp(CAST(floor((epoch_us(${col}) - ${off}) / ${us}) * ${us} + ${off} AS BIGINT))`;
  }
  return `make_timestamp(CAST(spl_bin_time(epoch_us(${col}) / 1000000.0, ${span.n}, '${span.unit}', '${tz.replace(/'/g, "''")}') * 1000000 AS BIGINT))`;
}

/** Splunk's automatic span: the smallest of its nice spans giving at most `bins` buckets over the range. */
export function autoSpan(rangeSeconds: number, bins = 100): TimeSpan {
  const candidates: TimeSpan[] = [
    { n: 1, unit: 's', seconds: 1 },
    { n: 5, unit: 's', seconds: 5 },
    { n: 10, unit: 's', seconds: 10 },
    { n: 30, unit: 's', seconds: 30 },
    { n: 1, unit: 'm', seconds: 60 },
    { n: 5, unit: 'm', seconds: 300 },
    { n: 10, unit: 'm', seconds: 600 },
    { n: 30, unit: 'm', seconds: 1800 },
    { n: 1, unit: 'h', seconds: 3600 },
    { n: 1, unit: 'd', seconds: 86400 },
    { n: 1, unit: 'mon', seconds: 86400 * 31 },
  ];
  for (const c of candidates) if (rangeSeconds / c.seconds <= bins) return c;
  return { n: 1, unit: 'y', seconds: 86400 * 366 };
}
