/**
 * Which sourcetypes hold the evidence: the step counts events per sourcetype; the picker hands on
 * the sourcetype(s) to read next. The same network activity often appears in several sensors
 * (Stream and Suricata both log DNS), so later steps read one of them rather than double count.
 */
import { num, str } from '../math.js';
import type { PickContext, PickResult } from './types.js';

export function census(ctx: PickContext): PickResult {
  const a = ctx.args as { param: string; prefer_field?: string; all_param?: string; prefer?: string[] };
  const rows = [...ctx.rows].filter((r) => str(r.sourcetype));
  const weight = (r: Record<string, unknown>) => (a.prefer_field ? num(r[a.prefer_field]) : num(r.count));
  const pref = (st: string) => {
    const i = (a.prefer ?? []).findIndex((p) => new RegExp(p, 'i').test(st));
    return i < 0 ? 99 : i;
  };
  rows.sort((x, y) => weight(y) - weight(x) || pref(str(x.sourcetype)) - pref(str(y.sourcetype)) || num(y.count) - num(x.count));
  const withData = rows.filter((r) => weight(r) > 0);
  if (!withData.length) return { notes: ['no sourcetype holds this evidence in the searched index and time range'] };
  const pick = str(withData[0]!.sourcetype);
  const params: Record<string, string | string[]> = { [a.param]: pick };
  if (a.all_param) params[a.all_param] = withData.map((r) => str(r.sourcetype));
  return {
    params,
    sourcetypes: [pick],
    notes: [`read ${pick} next (${weight(withData[0]!)} events${withData.length > 1 ? `; also present: ${withData.slice(1, 6).map((r) => `${str(r.sourcetype)} ${weight(r)}`).join(', ')}` : ''})`],
  };
}
