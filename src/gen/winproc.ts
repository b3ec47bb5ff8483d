/** Windows process activity on one host, written to Sysmon (where installed) and to the Security log (4688). */
import type { Ctx } from './ctx.js';
import { nextPid, nextRecord } from './ctx.js';
import type { Host } from './network.js';
import { cyrb128, type Rng } from './prng.js';
import { sec4688, sysmonFileCreate, sysmonNetwork, sysmonProcessCreate, sysmonProcessTerminate, sysmonRegistrySet, type ProcInfo, type SecSubject } from './formats/windows.js';

export interface WinUser { sid: string; account: string; domain: string; logonId: string; sysmonUser: string; logonGuid: string; session: number }

export function systemUser(host: Host): WinUser {
  return { sid: 'NT AUTHORITY\\SYSTEM', account: host.name.toUpperCase() + '$', domain: 'FROTHLY', logonId: '0x3E7', sysmonUser: 'NT AUTHORITY\\SYSTEM', logonGuid: guidFor(host, 'logon-system'), session: 0 };
}
export function domainUser(host: Host, account: string, logonId: string, session = 1): WinUser {
  return { sid: `FROTHLY\\${account}`, account, domain: 'FROTHLY', logonId, sysmonUser: `FROTHLY\\${account}`, logonGuid: guidFor(host, 'logon-' + account + logonId), session };
}

function hex(n: number, w: number): string { return (n >>> 0).toString(16).toUpperCase().padStart(w, '0').slice(-w); }

/** Sysmon-style GUID: machine part, then a time part and a counter. */
const MACHINE = new Map<string, string>();
export function guidFor(host: Host, key: string): string {
  const [a, b, c, d] = cyrb128(host.name + '|' + key);
  let m = MACHINE.get(host.name);
  if (!m) { m = hex(cyrb128('machine|' + host.name)[0]!, 8); MACHINE.set(host.name, m); }
  return `{${m}-${hex(a!, 4)}-${hex(b!, 4)}-0000-0010${hex(c!, 4)}${hex(d!, 4)}}`;
}

const HASHES = new Map<string, string>();
export function hashesFor(image: string): string {
  let h = HASHES.get(image);
  if (h) return h;
  const [a, b, c, d] = cyrb128(image.toLowerCase());
  const [e] = cyrb128('x' + image.toLowerCase());
  h = 'SHA1=' + [a, b, c, d, e].map((n) => hex(n!, 8)).join('');
  HASHES.set(image, h);
  return h;
}

export interface Proc { pid: number; guid: string; image: string; cmd: string }

const ROOT_PROCS: Record<string, Proc> = {};
/** Well-known long-lived processes of a host (services.exe, explorer.exe of the logged-on user, ...). */
export function rootProc(host: Host, image: string, cmd: string, pidHint: number): Proc {
  const k = host.name + '|' + image;
  let p = ROOT_PROCS[k];
  if (!p) { p = { pid: pidHint, guid: guidFor(host, 'root|' + image), image, cmd }; ROOT_PROCS[k] = p; }
  return p;
}

export interface SpawnOpts {
  t: number; host: Host; user: WinUser; image: string; cmd: string; parent: Proc; cwd?: string;
  integrity?: string; elevation?: 1 | 2 | 3; lifetimeUs?: number; pid?: number;
  net?: { t: number; proto: string; dst: string; dstHost?: string; dport: number; portName?: string; sport: number }[];
  files?: { t: number; path: string }[];
  reg?: { t: number; key: string; value: string }[];
  noTerminate?: boolean;
  /** skip the Sysmon side (e.g. the host has no Sysmon) */
}

export function spawn(ctx: Ctx, rng: Rng, o: SpawnOpts): Proc {
  const h = o.host;
  const pid = o.pid ?? nextPid(ctx, h.name, rng);
  const guid = guidFor(h, `p|${o.t}|${pid}`);
  const proc: Proc = { pid, guid, image: o.image, cmd: o.cmd };
  const exec: [number, number] = [1800 + (cyrb128(h.name)[0]! % 400) * 4, 2000 + rng.int(0, 1500) * 4];
  if (h.sysmon) {
    const info: ProcInfo = {
      guid, pid, image: o.image, cmd: o.cmd, cwd: o.cwd ?? (o.user.session === 0 ? 'C:\\Windows\\system32\\' : `C:\\Users\\${o.user.account}\\`),
      user: o.user.sysmonUser, logonGuid: o.user.logonGuid, logonId: o.user.logonId, session: o.user.session,
      integrity: o.integrity ?? (o.user.session === 0 ? 'System' : 'Medium'), hashes: hashesFor(o.image),
      parent: { guid: o.parent.guid, pid: o.parent.pid, image: o.parent.image, cmd: o.parent.cmd },
    };
    ctx.out.emit('sysmon', o.t, sysmonProcessCreate(o.t, nextRecord(ctx, h.name, 'sysmon', 10_000), h.fqdn, info, exec));
    for (const n of o.net ?? []) {
      ctx.out.emit('sysmon', n.t, sysmonNetwork(n.t, nextRecord(ctx, h.name, 'sysmon', 10_000), h.fqdn, { guid, pid, image: o.image, user: o.user.sysmonUser },
        { proto: n.proto, srcIp: h.ip, srcHost: h.fqdn, srcPort: n.sport, dstIp: n.dst, dstHost: n.dstHost ?? '', dstPort: n.dport, dstPortName: n.portName ?? '' }, exec));
    }
    for (const f of o.files ?? []) ctx.out.emit('sysmon', f.t, sysmonFileCreate(f.t, nextRecord(ctx, h.name, 'sysmon', 10_000), h.fqdn, proc, f.path, f.t, exec));
    for (const r of o.reg ?? []) ctx.out.emit('sysmon', r.t, sysmonRegistrySet(r.t, nextRecord(ctx, h.name, 'sysmon', 10_000), h.fqdn, proc, r.key, r.value, exec));
    if (!o.noTerminate) {
      const end = Math.round(o.t + (o.lifetimeUs ?? rng.int(200_000, 120_000_000)));
      ctx.out.emit('sysmon', end, sysmonProcessTerminate(end, nextRecord(ctx, h.name, 'sysmon', 10_000), h.fqdn, proc, exec));
    }
  }
  if (h.winsec) {
    const subj: SecSubject = { sid: o.user.sid, account: o.user.account, domain: o.user.domain, logonId: o.user.logonId };
    const t4688 = o.t + rng.int(0, 900);
    ctx.out.emit('wineventlog', t4688, sec4688(t4688, h.fqdn, nextRecord(ctx, h.name, 'security', 50_000), subj, { pid, image: o.image, elevation: o.elevation ?? (o.user.session === 0 ? 1 : 3), ppid: o.parent.pid, cmd: o.cmd }));
  }
  return proc;
}
