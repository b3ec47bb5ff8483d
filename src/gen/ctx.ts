/** Shared generation state: the network, the variant, the output window and the id counters. */
import type { Network } from './network.js';
import { GATEWAY_MAC } from './network.js';
import type { Output } from './output.js';
import type { Variant } from './variants.js';
import { Rng } from './prng.js';
import type { SmbSession } from './activities.js';

export interface SmbObservation { command: string; bytes_in: number; bytes_out: number; filename?: string; t: number }

export interface Ctx {
  net: Network; v: Variant; out: Output; zeek: boolean; scale: number; seed: string;
  rng: Rng;
  ids: { panSession: number; panSeq: number; zeekUid: number; fuid: number; winRecord: Map<string, number>; pid: Map<string, number> };
  /** flows whose Stream events the truth must total exactly */
  watchedFlows: Map<string, Map<string, { count: number; bytes_in: number; bytes_out: number }>>;
  watchedFiles: Map<string, Set<string>>;
  flowTimes: Map<string, { first: number; last: number }>;
  /** long-lived SMB sessions that background activity of a host must reuse (host name -> session) */
  pinnedSmb: Map<string, SmbSession>;
}

export function isInternal(ip: string): boolean {
  return ip.startsWith('10.') || ip.startsWith('172.16.') || ip.startsWith('192.168.');
}

export function macOf(ctx: Ctx, ip: string): string {
  return ctx.net.byIp.get(ip)?.mac ?? GATEWAY_MAC;
}

export function nextRecord(ctx: Ctx, host: string, channel: string, start: number): number {
  const k = host + '|' + channel;
  const v = (ctx.ids.winRecord.get(k) ?? start) + 1;
  ctx.ids.winRecord.set(k, v);
  return v;
}

/** A new process id on a host: Windows hands out multiples of 4. */
export function nextPid(ctx: Ctx, host: string, rng: Rng): number {
  const cur = ctx.ids.pid.get(host) ?? 2000 + rng.int(0, 500) * 4;
  let n = cur + 4 * rng.int(1, 40);
  if (n > 16000) n = 1000 + rng.int(0, 200) * 4;
  ctx.ids.pid.set(host, n);
  return n;
}

export function observeFlow(ctx: Ctx, flowId: string, command: string, bytesIn: number, bytesOut: number, t: number, filename?: string): void {
  const w = ctx.watchedFlows.get(flowId);
  if (!w) return;
  const c = w.get(command) ?? { count: 0, bytes_in: 0, bytes_out: 0 };
  c.count++; c.bytes_in += bytesIn; c.bytes_out += bytesOut;
  w.set(command, c);
  const tm = ctx.flowTimes.get(flowId);
  if (!tm) ctx.flowTimes.set(flowId, { first: t, last: t });
  else { tm.first = Math.min(tm.first, t); tm.last = Math.max(tm.last, t); }
  if (filename) ctx.watchedFiles.get(flowId)?.add(filename);
}
