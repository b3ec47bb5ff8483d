/**
 * Background activity of an ordinary month at Frothly, generated one hour at a time:
 * people arrive, browse, read mail, open office files on venus, go home; servers back up,
 * update and resolve names all night; weekends are quiet.
 */
import type { Ctx } from './ctx.js';
import { macOf } from './ctx.js';
import { dnsLookup, ephemeral, ftpSession, httpRequest, smbClose, smbOp, smbOpen, smbReadFile, smbWriteFile, tcpSession, type FtpCmd, type SmbSession } from './activities.js';
import { Rng, LOWER_ALNUM } from './prng.js';
import { GOOGLE_DNS, SITES, TRACKERS, TRACKER_IPS, type Host, type User, type Site } from './network.js';
import { localDow, pdt, US_PER_HOUR, US_PER_MIN, US_PER_S, US_PER_DAY } from './time.js';
import { domainUser, rootProc, spawn, systemUser, type WinUser } from './winproc.js';
import { sec4624, sec4634 } from './formats/windows.js';
import { nextRecord } from './ctx.js';
import { encodeTunnelLabel } from './tunnel.js';

const UA_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.101 Safari/537.36';
const UA_IE = 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko';
const UA_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_6) AppleWebKit/603.3.8 (KHTML, like Gecko) Version/10.1.2 Safari/603.3.8';

interface DayPlan { working: boolean; arrive: number; leave: number; session?: SmbSession; logonId: string }

/** The documents on venus, per department folder. */
function buildShare(rng: Rng): Map<string, { path: string; size: number }[]> {
  const topics: Record<string, string[]> = {
    Brewing: ['Batch log', 'Recipe', 'Yeast pitch rates', 'Hop schedule', 'QA results', 'Fermentation chart', 'Cellar inventory', 'Dry hop trial', 'Water profile', 'Sensory panel'],
    Sales: ['Distributor report', 'Price sheet', 'Account plan', 'Territory map', 'Order forecast', 'Customer visit notes', 'Promo calendar'],
    Finance: ['Budget', 'AP aging', 'Expense report', 'Invoice', 'Cash flow', 'PO', 'Tax filing', 'Payroll summary'],
    Marketing: ['Label proof', 'Campaign brief', 'Social calendar', 'Press release', 'Event plan', 'Brand deck'],
    Operations: ['Shipping schedule', 'Keg tracking', 'Packaging spec', 'Maintenance log', 'Safety checklist', 'Supplier list'],
    HR: ['Onboarding checklist', 'Handbook', 'Job description', 'Review form', 'Benefits summary', 'Org chart'],
    Executive: ['Board minutes', 'Strategy', 'KPI dashboard', 'Investor update', 'Leadership agenda'],
    IT: ['Network diagram', 'Asset inventory', 'Change log', 'Backup report', 'Patch status', 'Runbook'],
  };
  const exts: [string, number, number][] = [['.docx', 4, 45_000], ['.xlsx', 4, 80_000], ['.pdf', 3, 420_000], ['.doc', 1, 60_000], ['.xls', 1, 90_000], ['.pptx', 1, 2_400_000], ['.txt', 0.3, 4_000]];
  const share = new Map<string, { path: string; size: number }[]>();
  for (const [dept, ts] of Object.entries(topics)) {
    const list: { path: string; size: number }[] = [];
    for (let i = 0; i < 60; i++) {
      const ext = rng.weighted(exts, exts.map((e) => e[1]));
      const topic = rng.pick(ts);
      const suffix = rng.pick([` ${rng.int(2015, 2017)}`, ` Q${rng.int(1, 4)}`, ` ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug'][rng.int(0, 7)]}`, ` v${rng.int(1, 9)}`, ` ${rng.int(100, 999)}`, '']);
      list.push({ path: `${dept}\\${topic}${suffix}${ext[0]}`, size: Math.max(9_000, Math.round(rng.lognormal(ext[2], 0.7))) });
    }
    share.set(dept, list);
  }
  return share;
}

const APP_FOR_EXT: Record<string, string> = {
  '.docx': 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '.doc': 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  '.xlsx': 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\EXCEL.EXE', '.xls': 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
  '.pptx': 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\POWERPNT.EXE', '.pdf': 'C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe',
  '.txt': 'C:\\Windows\\System32\\notepad.exe',
};

const USER_PROCS = [
  ['C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --field-trial-handle=1516,%R --service-pipe-token=%H --lang=en-US --enable-offline-auto-reload --device-scale-factor=1 --num-raster-threads=2 --enable-gpu-async-worker-context /prefetch:1', 10],
  ['C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe" --type=gpu-process --field-trial-handle=1516,%R --gpu-preferences=KAAAAAAAAACAAwBAAQAAAAAAAAAAAGAAAAAAAAAAAAAIAAAAAAAAAA== --service-request-channel-token=%H /prefetch:2', 2],
  ['C:\\Windows\\System32\\notepad.exe', '"C:\\Windows\\system32\\notepad.exe"', 1],
  ['C:\\Windows\\System32\\calc.exe', '"C:\\Windows\\System32\\calc.exe"', 0.5],
  ['C:\\Windows\\System32\\SnippingTool.exe', '"C:\\Windows\\system32\\SnippingTool.exe"', 0.4],
  ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\system32\\cmd.exe /c ""C:\\Users\\%U\\AppData\\Local\\Microsoft\\Teams\\update.bat" "', 0.2],
  ['C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" /c ipm.note', 1],
  ['C:\\Windows\\System32\\rundll32.exe', 'C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\shell32.dll,Control_RunDLL', 0.2],
  ['C:\\Users\\%U\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', '"C:\\Users\\%U\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', 0.6],
] as const;

const SYSTEM_PROCS = [
  ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs', 3],
  ['C:\\Windows\\System32\\taskhostw.exe', 'taskhostw.exe SYSTEM', 2],
  ['C:\\Windows\\System32\\SearchProtocolHost.exe', '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe_S-1-5-21-2915380141-3133548025-2733813154-1001 Global\\UsGthrCtrlFltPipeMssGthrPipe_S-1-5-21-2915380141-3133548025-2733813154-1001 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"', 2],
  ['C:\\Windows\\System32\\conhost.exe', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', 2],
  ['C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-admon.exe', '"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-admon.exe"', 0.6],
  ['C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-winprintmon.exe', '"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-winprintmon.exe"', 0.4],
  ['C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-powershell.exe', '"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-powershell.exe" --ps2', 0.4],
  ['C:\\Program Files\\Windows Defender\\MpCmdRun.exe', '"C:\\Program Files\\Windows Defender\\MpCmdRun.exe" -IdleTask -TaskName WdCacheMaintenance', 0.5],
  ['C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe', '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /ua /installsource scheduler', 0.5],
  ['C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', 0.8],
  ['C:\\Windows\\System32\\backgroundTaskHost.exe', '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kmv0qr1nhnrf8hye.mca', 0.7],
  ['C:\\Windows\\System32\\sppsvc.exe', 'C:\\Windows\\system32\\sppsvc.exe', 0.2],
  ['C:\\Windows\\System32\\gpupdate.exe', 'gpupdate.exe /target:computer', 0.15],
] as const;

const CDN_SUFFIXES = ['cloudfront.net', 'akamaiedge.net', 'akamaized.net', 'googlevideo.com', 'fbcdn.net', 'llnwd.net', 'edgecastcdn.net'];

export class Background {
  private share: Map<string, { path: string; size: number }[]>;
  private plans = new Map<string, DayPlan>();
  private cdnPool: string[];
  private siteWeights = new Map<string, number[]>();
  private mercuryCache = new Map<string, number>();
  constructor(private ctx: Ctx, private rng: Rng) {
    this.share = buildShare(rng.fork('share'));
    const r = rng.fork('cdn');
    this.cdnPool = [];
    for (let i = 0; i < 60; i++) {
      const k = r.int(0, 6);
      const suffix = CDN_SUFFIXES[k]!;
      this.cdnPool.push(
        k === 0 ? `d${r.chars(13, LOWER_ALNUM)}.cloudfront.net`
          : k === 1 ? `e${r.int(1000, 99999)}.${r.pick(['a', 'b', 'c', 'd', 'dscb', 'dscx', 'g', 'x'])}.akamaiedge.net`
          : k === 2 ? `${r.chars(r.int(6, 12), 'abcdefghijklmnopqrstuvwxyz')}-${r.int(1, 9)}.akamaized.net`
          : k === 3 ? `r${r.int(1, 8)}---sn-${r.chars(8, 'abcdefghijklmnopqrstuvwxyz0123456789').replace(/^(....)/, '$1')}.googlevideo.com`
          : k === 4 ? `scontent-sjc3-${r.int(1, 2)}.xx.fbcdn.net`
          : k === 5 ? `${r.chars(r.int(5, 9), 'abcdefghijklmnopqrstuvwxyz')}.vo.llnwd.net`
          : `wpc.${r.hex(4)}.${suffix}`);
    }
    for (const u of ctx.net.users) {
      const ur = rng.fork('taste' + u.user);
      this.siteWeights.set(u.user, SITES.map((s) => s.weight * ur.lognormal(1, 0.9)));
    }
  }

  private plan(u: User, day: number): DayPlan {
    const k = u.user + '|' + day;
    let p = this.plans.get(k);
    if (p) return p;
    const r = this.rng.fork(`plan|${k}`);
    const dow = localDow(pdt(day, 12));
    const weekend = dow === 0 || dow === 6;
    const working = weekend ? r.chance(u.weekend) : !r.chance(0.05);
    let arrive = u.start + r.normal(0, 0.35), leave = u.end + r.normal(0, 0.5);
    if (weekend) { arrive = r.float(9.5, 13); leave = arrive + r.float(1, 3.5); }
    p = { working, arrive, leave, logonId: '0x' + r.int(0x10000, 0xfffff).toString(16).toUpperCase() };
    this.plans.set(k, p);
    if (this.plans.size > 4000) { const first = this.plans.keys().next().value; if (first !== undefined) this.plans.delete(first); }
    return p;
  }

  /** Fraction of this hour the user is at the desk. */
  private presence(p: DayPlan, h: number): number {
    if (!p.working) return 0;
    const lo = Math.max(h, p.arrive), hi = Math.min(h + 1, p.leave);
    if (hi <= lo) return 0;
    const f = hi - lo;
    return h === 12 ? f * 0.45 : f;
  }

  hour(hStart: number, day: number, h: number): void {
    const ctx = this.ctx;
    const r = this.rng.fork(`h${day}.${h}`);
    const scale = ctx.scale;
    for (const u of ctx.net.users) {
      if (u.start === 0) continue;
      const host = ctx.net.byName.get(u.host);
      if (!host) continue;
      const p = this.plan(u, day);
      const f = this.presence(p, h);
      const ur = r.fork(u.user);
      const wu = domainUser(host, u.user, p.logonId);
      // logon at arrival, logoff at departure
      if (p.working && Math.floor(p.arrive) === h) this.logon(ur, host, u, p, hStart + (p.arrive - h) * US_PER_HOUR, wu);
      if (f > 0) {
        this.web(ur.fork('web'), host, u, hStart, f, scale);
        this.files(ur.fork('files'), host, u, p, hStart, f, scale, wu);
        if (host.kind === 'workstation') this.userProcs(ur.fork('procs'), host, u, hStart, f, scale, wu);
      }
      if (p.working && Math.floor(p.leave) === h) this.logoff(ur, host, u, p, hStart + (p.leave - h) * US_PER_HOUR, wu);
    }
    // machines: system processes, updates, name lookups, backups
    for (const host of ctx.net.windows) this.system(r.fork('sys' + host.name), host, hStart, h, scale);
    this.remoteOffice(r.fork('remote'), hStart, day, h, scale);
    this.servers(r.fork('servers'), hStart, day, h, scale);
    this.ftpBenign(r.fork('ftp'), hStart, day, h, scale);
  }

  private logon(r: Rng, host: Host, u: User, p: DayPlan, t: number, wu: WinUser): void {
    const ctx = this.ctx;
    const m = ctx.net.mercury;
    const t0 = Math.round(t);
    if (m.winsec) {
      ctx.out.emit('wineventlog', t0, sec4624(t0, m.fqdn, nextRecord(ctx, m.name, 'security', 200_000), { sid: `FROTHLY\\${u.user}`, account: u.user, domain: 'FROTHLY', logonId: '0x' + r.int(0x100000, 0xffffff).toString(16).toUpperCase(), logonType: 3, srcIp: host.ip, srcPort: ephemeral(r), workstation: '-', authPackage: 'Kerberos', logonGuid: `{${r.uuid().toUpperCase()}}` }));
    }
    if (host.winsec) {
      const t1 = t0 + 1_500_000;
      ctx.out.emit('wineventlog', t1, sec4624(t1, host.fqdn, nextRecord(ctx, host.name, 'security', 50_000), { sid: `FROTHLY\\${u.user}`, account: u.user, domain: 'FROTHLY', logonId: p.logonId, logonType: 2, srcIp: '127.0.0.1', srcPort: 0, workstation: host.name.toUpperCase(), authPackage: 'Negotiate', logonGuid: `{${r.uuid().toUpperCase()}}` }));
      const explorer = rootProc(host, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 3140);
      spawn(ctx, r, { t: t1 + 4 * US_PER_S, host, user: wu, image: 'C:\\Windows\\System32\\userinit.exe', cmd: 'C:\\Windows\\system32\\userinit.exe', parent: rootProc(host, 'C:\\Windows\\System32\\winlogon.exe', 'winlogon.exe', 612), lifetimeUs: 30 * US_PER_S });
      spawn(ctx, r, { t: t1 + 20 * US_PER_S, host, user: wu, image: 'C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', cmd: '"C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"', parent: explorer, lifetimeUs: (p.leave - p.arrive) * US_PER_HOUR - 60 * US_PER_S });
      spawn(ctx, r, { t: t1 + 35 * US_PER_S, host, user: wu, image: 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe', cmd: '"C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe"', parent: explorer, lifetimeUs: (p.leave - p.arrive) * US_PER_HOUR - 90 * US_PER_S });
    }
  }

  private logoff(r: Rng, host: Host, u: User, p: DayPlan, t: number, wu: WinUser): void {
    const ctx = this.ctx;
    if (p.session && !ctx.pinnedSmb.has(host.name)) { smbClose(ctx, r, p.session, Math.round(t) - 5 * US_PER_S); p.session = undefined; }
    if (host.winsec) {
      const t0 = Math.round(t);
      ctx.out.emit('wineventlog', t0, sec4634(t0, host.fqdn, nextRecord(ctx, host.name, 'security', 50_000), { sid: `FROTHLY\\${u.user}`, account: u.user, domain: 'FROTHLY', logonId: p.logonId, logonType: 2 }));
    }
    void wu;
  }

  /** DNS through mercury; mercury forwards misses to Google. */
  lookup(r: Rng, t: number, client: Host, qname: string, answers: string[], ttl: number, opts: { direct?: string; rcode?: 'NXDomain' } = {}): void {
    const ctx = this.ctx;
    const m = ctx.net.mercury;
    if (opts.direct) { dnsLookup(ctx, r, { t, client: client.ip, resolver: opts.direct, qname, answers, ttl, rcode: opts.rcode }); return; }
    dnsLookup(ctx, r, { t, client: client.ip, resolver: m.ip, qname, answers, ttl, rcode: opts.rcode });
    const until = this.mercuryCache.get(qname) ?? 0;
    if (t > until) {
      dnsLookup(ctx, r, { t: t + 200, client: m.ip, resolver: GOOGLE_DNS, qname, answers, ttl, rcode: opts.rcode });
      this.mercuryCache.set(qname, t + Math.min(ttl, 900) * US_PER_S);
      if (this.mercuryCache.size > 5000) this.mercuryCache.clear();
    }
  }

  private web(r: Rng, host: Host, u: User, hStart: number, f: number, scale: number): void {
    const ctx = this.ctx;
    const mac = host.kind === 'mac';
    const ua = mac ? UA_SAFARI : host.os.includes('7') ? UA_IE : UA_CHROME;
    const user = mac ? '' : `frothly\\${u.user}`;
    const visits = r.poisson(4 * u.web * f * scale);
    const weights = this.siteWeights.get(u.user)!;
    for (let i = 0; i < visits; i++) {
      const t = hStart + r.int(0, US_PER_HOUR - 1);
      const site: Site = r.weighted(SITES, weights);
      const ip = r.pick(site.ips);
      if (r.chance(0.55)) this.lookup(r, t, host, site.domain, site.ips, site.ttl);
      if (site.https) {
        tcpSession(ctx, r, { t: t + 30_000, dur: r.int(300_000, 90_000_000), src: host.ip, dst: ip, dport: 443, bytesToServer: r.int(900, 9_000), bytesToClient: Math.round(r.lognormal(90_000, 1.1)), app: 'ssl', tls: { sni: site.domain, issuer: 'C = US, O = DigiCert Inc, OU = www.digicert.com, CN = DigiCert SHA2 High Assurance Server CA', subject: `CN = ${site.domain}` }, user });
      } else {
        httpRequest(ctx, r, { t: t + 30_000, src: host.ip, dst: ip, site: site.domain, uri: r.pick(['/', '/index.php', '/products/', '/news/', `/blog/${r.int(2014, 2017)}/${r.int(1, 12)}/`]), ua, contentType: 'text/html; charset=UTF-8', respBytes: Math.round(r.lognormal(38_000, 0.6)), server: site.server, user });
        const res = r.int(1, 4);
        for (let k = 0; k < res; k++) {
          const kind = r.pick(['/wp-content/themes/main/style.css', '/js/jquery.min.js', `/images/${r.chars(8, LOWER_ALNUM)}.jpg`, '/favicon.ico', `/uploads/${r.int(2015, 2017)}/product-sheet-${r.int(10, 99)}.pdf`]);
          httpRequest(ctx, r, { t: t + 200_000 + k * 90_000, src: host.ip, dst: ip, site: site.domain, uri: kind, ua, referer: `http://${site.domain}/`, contentType: kind.endsWith('.css') ? 'text/css' : kind.endsWith('.js') ? 'application/javascript' : kind.endsWith('.pdf') ? 'application/pdf' : kind.endsWith('.ico') ? 'image/x-icon' : 'image/jpeg', respBytes: Math.round(r.lognormal(kind.endsWith('.pdf') ? 300_000 : 20_000, 0.7)), server: site.server, user });
        }
      }
      for (const ex of site.extra ?? []) {
        if (!r.chance(0.35)) continue;
        const exIp = `${ip.split('.').slice(0, 3).join('.')}.${r.int(2, 250)}`;
        this.lookup(r, t + 40_000, host, ex, [exIp], 300);
        if (r.chance(0.5)) tcpSession(ctx, r, { t: t + 90_000, dur: r.int(200_000, 30_000_000), src: host.ip, dst: exIp, dport: 443, bytesToServer: r.int(500, 3_000), bytesToClient: Math.round(r.lognormal(40_000, 1)), app: 'ssl', tls: { sni: ex, issuer: 'C = US, O = DigiCert Inc, CN = DigiCert SHA2 Secure Server CA', subject: `CN = *.${ex.split('.').slice(-2).join('.')}` }, user });
      }
      if (r.chance(0.45)) {
        const i2 = r.int(0, TRACKERS.length - 1);
        this.lookup(r, t + 60_000, host, TRACKERS[i2]!, [TRACKER_IPS[i2]!], 300);
        if (r.chance(0.4)) tcpSession(ctx, r, { t: t + 120_000, dur: r.int(100_000, 3_000_000), src: host.ip, dst: TRACKER_IPS[i2]!, dport: 443, bytesToServer: r.int(600, 2_000), bytesToClient: r.int(500, 40_000), app: 'ssl', tls: { sni: TRACKERS[i2]!, issuer: 'C = US, O = Google Trust Services, CN = Google Internet Authority G3', subject: `CN = ${TRACKERS[i2]}` }, user });
      }
      if (r.chance(0.3)) {
        const cdn = r.pick(this.cdnPool);
        const cip = `${r.pick(['13.32', '52.84', '23.62', '104.96', '173.194', '157.240', '68.232', '72.21'])}.${r.int(1, 254)}.${r.int(1, 254)}`;
        this.lookup(r, t + 80_000, host, cdn, [cip], 60);
        tcpSession(ctx, r, { t: t + 150_000, dur: r.int(200_000, 20_000_000), src: host.ip, dst: cip, dport: 443, bytesToServer: r.int(600, 3_000), bytesToClient: Math.round(r.lognormal(200_000, 1.2)), app: 'ssl', tls: { sni: cdn, issuer: 'C = US, O = DigiCert Inc, CN = DigiCert SHA2 High Assurance Server CA', subject: `CN = *.${cdn.split('.').slice(-2).join('.')}` }, user });
      }
      if (ctx.v.lookalikes.cdn16 && r.chance(0.35)) {
        // ad-frame CDN whose first label is a long random token of the tunnel's length
        const lab = encodeTunnelLabel(r, ctx.v.tunnelEncoding === 'hex' ? 'hex' : 'base32', ctx.v.tunnelLabelLen, r.int(0, 65535));
        const q = `${lab}.safeframe.googlesyndication.com`;
        this.lookup(r, t + 95_000, host, q, ['172.217.6.34'], 60);
      }
    }
    // mail client keeps polling while present
    const polls = r.poisson(1.5 * f * scale);
    for (let i = 0; i < polls; i++) {
      const t = hStart + r.int(0, US_PER_HOUR - 1);
      tcpSession(ctx, r, { t, dur: r.int(200_000, 15_000_000), src: host.ip, dst: r.pick(['40.97.116.82', '40.97.153.146', '40.97.128.194']), dport: 443, bytesToServer: r.int(1_200, 9_000), bytesToClient: Math.round(r.lognormal(14_000, 1)), app: 'ssl', tls: { sni: 'outlook.office365.com', issuer: 'C = US, S = Washington, L = Redmond, O = Microsoft Corporation, OU = Microsoft IT, CN = Microsoft IT TLS CA 4', subject: 'C = US, S = WA, L = Redmond, O = Microsoft Corporation, CN = outlook.com' }, user });
    }
  }

  private session(r: Rng, host: Host, u: User, p: DayPlan, t: number, server: Host, share: string): SmbSession {
    const pinned = this.ctx.pinnedSmb.get(host.name);
    if (pinned) return pinned;
    if (!p.session) p.session = smbOpen(this.ctx, r, { flowId: r.uuid(), client: host.ip, server: server.ip, share, start: t, user: u.user, dialect: host.os.includes('7') ? 'SMB 2.1' : 'SMB 3.0.2' });
    return p.session;
  }

  private files(r: Rng, host: Host, u: User, p: DayPlan, hStart: number, f: number, scale: number, wu: WinUser): void {
    const ctx = this.ctx;
    const n = r.poisson(2.4 * u.files * f * scale);
    if (n === 0) return;
    const venus = ctx.net.venus;
    const dept = this.share.has(u.dept) ? u.dept : 'Operations';
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(hStart + r.int(0, US_PER_HOUR - 60 * US_PER_S));
    times.sort((a, b) => a - b);
    const s = this.session(r, host, u, p, times[0]! - 3 * US_PER_S, venus, '\\\\venus\\shared');
    for (const t of times) {
      const pool = r.chance(0.8) ? this.share.get(dept)! : this.share.get(r.pick([...this.share.keys()]))!;
      const file = r.pick(pool);
      if (r.chance(0.3)) smbOp(ctx, r, s, t - 2 * US_PER_S, 'smb2 query directory', undefined, 160 + dept.length * 2, r.int(1_500, 9_000), { search_pattern: '*' });
      const after = smbReadFile(ctx, r, s, t, file.path, file.size);
      const ext = file.path.slice(file.path.lastIndexOf('.'));
      const app = APP_FOR_EXT[ext];
      if (app && host.winsec) {
        spawn(ctx, r, { t: t - 400_000, host, user: wu, image: app, cmd: `"${app}" ${ext === '.pdf' ? '' : '/n '}"\\\\venus\\shared\\${file.path}"`, parent: rootProc(host, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 3140), lifetimeUs: r.int(60, 1800) * US_PER_S });
      }
      if (ext !== '.pdf' && r.chance(0.22)) smbWriteFile(ctx, r, s, after + r.int(60, 900) * US_PER_S, file.path, Math.round(file.size * r.float(0.97, 1.05)));
    }
  }

  private userProcs(r: Rng, host: Host, u: User, hStart: number, f: number, scale: number, wu: WinUser): void {
    const ctx = this.ctx;
    const n = r.poisson(2.2 * f * scale);
    const explorer = rootProc(host, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', 3140);
    for (let i = 0; i < n; i++) {
      const [img, cmd] = r.weighted(USER_PROCS, USER_PROCS.map((x) => x[2]));
      const c = cmd.replace(/%U/g, u.user).replace('%R', String(r.int(1_000_000, 9_999_999))).replace('%H', r.hex(32).toUpperCase());
      spawn(ctx, r, { t: hStart + r.int(0, US_PER_HOUR - 1), host, user: wu, image: img.replace('%U', u.user), cmd: c, parent: explorer });
    }
  }

  private system(r: Rng, host: Host, hStart: number, h: number, scale: number): void {
    const ctx = this.ctx;
    const su = systemUser(host);
    const services = rootProc(host, 'C:\\Windows\\System32\\services.exe', 'C:\\Windows\\system32\\services.exe', 588);
    const n = r.poisson((host.kind === 'server' ? 1.0 : 0.55) * scale);
    for (let i = 0; i < n; i++) {
      const [img, cmd] = r.weighted(SYSTEM_PROCS, SYSTEM_PROCS.map((x) => x[2]));
      spawn(ctx, r, { t: hStart + r.int(0, US_PER_HOUR - 1), host, user: su, image: img, cmd, parent: services });
    }
    // Windows Update against the WSUS server once a night
    const mars = ctx.net.byName.get('mars')!;
    const slot = (parseInt(host.ip.split('.')[3]!) % 4) + 2;
    if (h === slot && host !== mars) {
      const t = hStart + r.int(0, 50) * US_PER_MIN;
      spawn(ctx, r, { t, host, user: su, image: 'C:\\Windows\\System32\\wuauclt.exe', cmd: '"C:\\Windows\\system32\\wuauclt.exe" /RunHandlerComServer', parent: services, lifetimeUs: r.int(20, 200) * US_PER_S });
      httpRequest(ctx, r, { t: t + 2 * US_PER_S, src: host.ip, dst: mars.ip, dport: 8530, site: 'mars.frothly.local:8530', uri: '/ClientWebService/client.asmx', method: 'POST', ua: 'Windows-Update-Agent/10.0.10011.16384 Client-Protocol/1.81', contentType: 'text/xml; charset=utf-8', respBytes: r.int(2_000, 60_000), server: 'Microsoft-IIS/8.5' });
      if (r.chance(0.3)) httpRequest(ctx, r, { t: t + 9 * US_PER_S, src: host.ip, dst: mars.ip, dport: 8530, site: 'mars.frothly.local:8530', uri: `/Content/${r.hex(2).toUpperCase()}/${r.hex(40).toUpperCase()}.cab`, ua: 'Microsoft BITS/7.8', contentType: 'application/octet-stream', respBytes: r.int(90_000, 9_000_000), server: 'Microsoft-IIS/8.5' });
    }
    // anti-virus reputation look-ups with long hashed labels (look-alike)
    if (ctx.v.lookalikes.avService) {
      const k = r.poisson((host.kind === 'server' ? 4 : 2) * scale);
      for (let i = 0; i < k; i++) {
        const lab = encodeTunnelLabel(r, ctx.v.tunnelEncoding === 'hex' ? 'hex' : 'base32', ctx.v.tunnelLabelLen, r.int(0, 65535));
        const q = `${lab}.avqs.mcafee.com`;
        const t = hStart + r.int(0, US_PER_HOUR - 1);
        if (host.kind === 'server') this.lookup(r, t, host, q, ['127.0.4.1'], 3600, { direct: GOOGLE_DNS });
        else this.lookup(r, t, host, q, ['127.0.4.1'], 3600);
      }
    }
    // mercury: DC work — Kerberos network logons from the workstations
    if (host === ctx.net.mercury) {
      const k = r.poisson(6 * scale);
      for (let i = 0; i < k; i++) {
        const t = hStart + r.int(0, US_PER_HOUR - 1);
        const u = r.pick(ctx.net.users.filter((x) => x.start > 0 && x.host.startsWith('wrk-')));
        const src = ctx.net.byName.get(u.host)!;
        const lid = '0x' + r.int(0x100000, 0xffffff).toString(16).toUpperCase();
        ctx.out.emit('wineventlog', t, sec4624(t, host.fqdn, nextRecord(ctx, host.name, 'security', 200_000), { sid: `FROTHLY\\${u.user}`, account: u.user, domain: 'FROTHLY', logonId: lid, logonType: 3, srcIp: src.ip, srcPort: ephemeral(r), workstation: '-', authPackage: 'Kerberos', logonGuid: `{${r.uuid().toUpperCase()}}` }));
        const t2 = t + r.int(1, 30) * US_PER_S;
        ctx.out.emit('wineventlog', t2, sec4634(t2, host.fqdn, nextRecord(ctx, host.name, 'security', 200_000), { sid: `FROTHLY\\${u.user}`, account: u.user, domain: 'FROTHLY', logonId: lid, logonType: 3 }));
      }
    }
  }

  private remoteOffice(r: Rng, hStart: number, day: number, h: number, scale: number): void {
    const ctx = this.ctx;
    const remote = ctx.net.remote;
    const dow = localDow(pdt(day, 12));
    if (dow === 0 || h < 11 || h > 21) return; // the taproom office opens late
    const n = r.poisson(1.1 * scale);
    if (!n) return;
    const s = smbOpen(ctx, r, { flowId: r.uuid(), client: remote.ip, server: ctx.net.venus.ip, share: '\\\\venus\\shared', start: hStart + r.int(0, 30) * US_PER_MIN, user: 'taproom' });
    let t = s.start + 5 * US_PER_S;
    for (let i = 0; i < n; i++) {
      const file = r.pick(this.share.get(r.pick(['Sales', 'Marketing', 'Operations']))!);
      t = smbReadFile(ctx, r, s, t, file.path, file.size) + r.int(30, 600) * US_PER_S;
    }
    smbClose(ctx, r, s, t + 10 * US_PER_S);
  }

  private servers(r: Rng, hStart: number, day: number, h: number, scale: number): void {
    const ctx = this.ctx;
    const { mercury, venus, pluto } = ctx.net;
    // mercury's own outbound look-ups (root hints, time, CRLs), and Google for the SPF checks of the mail relay
    const k = r.poisson(9 * scale);
    for (let i = 0; i < k; i++) {
      const t = hStart + r.int(0, US_PER_HOUR - 1);
      const [q, a] = r.pick([['time.windows.com', '52.178.223.23'], ['crl.microsoft.com', '23.61.187.27'], ['ctldl.windowsupdate.com', '8.253.183.120'], ['ocsp.digicert.com', '72.21.91.29'], ['www.msftncsi.com', '23.62.98.42'], ['settings-win.data.microsoft.com', '40.77.226.250'], ['watson.telemetry.microsoft.com', '65.55.252.202'], ['sls.update.microsoft.com', '157.56.77.138']] as const);
      dnsLookup(ctx, r, { t, client: mercury.ip, resolver: GOOGLE_DNS, qname: q, answers: [a], ttl: 3600 });
    }
    // mars (WSUS) syncs with Microsoft at 02:00
    const mars = ctx.net.byName.get('mars')!;
    if (h === 2) {
      const n = r.int(6, 30);
      for (let i = 0; i < n; i++) {
        const t = hStart + r.int(0, 55) * US_PER_MIN;
        const ip = r.pick(['8.253.183.120', '8.247.205.126', '13.107.4.50']);
        if (i === 0) this.lookup(r, t - US_PER_S, mars, 'download.windowsupdate.com', [ip], 3600);
        httpRequest(ctx, r, { t, src: mars.ip, dst: ip, site: 'download.windowsupdate.com', uri: `/c/msdownload/update/software/secu/2017/08/windows10.0-kb40${r.int(30000, 39999)}-x64_${r.hex(40)}.cab`, ua: 'Microsoft BITS/7.8', contentType: 'application/vnd.ms-cab-compressed', respBytes: Math.round(r.lognormal(14_000_000, 1)), server: 'ECAcc (sjc/4E8B)' });
      }
    }
    // nightly backup: pluto reads venus
    if (h === 1) {
      const fid = r.uuid();
      if (ctx.v.lookalikes.heavyBackup) { ctx.watchedFlows.set(fid, new Map()); ctx.watchedFiles.set(fid, new Set()); }
      const s = smbOpen(ctx, r, { flowId: fid, client: pluto.ip, server: venus.ip, share: '\\\\venus\\shared', start: hStart + r.int(2, 6) * US_PER_MIN, user: 'svc_backup' });
      let t = s.start + 2 * US_PER_S;
      if (ctx.v.lookalikes.heavyBackup) {
        // full image of the share every night: a few big archives read in 8 MiB requests, more bytes than the attacker moved
        const archives = ['shared.vhdx', 'finance.vhdx', 'profiles.vhdx', 'mail-archive.pst'];
        for (const a of archives) {
          const size = Math.round(r.float(380, 760) * 1024 * 1024);
          t = smbReadFile(ctx, r, s, t, `Backups\\${day < 10 ? '0' : ''}${day}\\${a}`, size, 8 << 20);
        }
        this.backupFlows.push({ flow_id: s.flowId, day, start: s.start });
      } else {
        const n = r.int(20, 70);
        for (let i = 0; i < n; i++) {
          const file = r.pick(this.share.get(r.pick([...this.share.keys()]))!);
          t = smbReadFile(ctx, r, s, t, file.path, file.size);
        }
      }
      smbClose(ctx, r, s, t + 5 * US_PER_S);
      if (pluto.sysmon) spawn(ctx, r, { t: s.start - 20 * US_PER_S, host: pluto, user: domainUser(pluto, 'svc_backup', '0x5F3A2', 0), image: 'C:\\Windows\\System32\\robocopy.exe', cmd: `robocopy  \\\\venus\\shared D:\\Backups\\venus /MIR /R:1 /W:1 /NP /LOG+:D:\\Backups\\robocopy.log`, parent: rootProc(pluto, 'C:\\Windows\\System32\\taskeng.exe', 'taskeng.exe', 1964), lifetimeUs: t - s.start + 30 * US_PER_S });
    }
  }

  readonly backupFlows: { flow_id: string; day: number; start: number }[] = [];
  readonly ftpBenignSessions: { client: string; server: string; start: number; kind: string; files: string[] }[] = [];

  private ftpBenign(r: Rng, hStart: number, day: number, h: number, scale: number): void {
    const ctx = this.ctx;
    const dow = localDow(pdt(day, 12));
    // a supplier's public FTP site, visited now and then by the brewers (downloads only)
    if (dow !== 0 && dow !== 6 && h >= 9 && h <= 15 && r.chance(0.012 * scale)) {
      const u = r.pick(ctx.net.users.filter((x) => x.dept === 'Brewing'));
      const host = ctx.net.byName.get(u.host)!;
      const t0 = hStart + r.int(0, 50) * US_PER_MIN;
      this.lookup(r, t0 - 500_000, host, 'files.bsgcraft.com', ['66.155.38.210'], 3600);
      const files = [r.pick(['spec_sheets/Cascade_2016.pdf', 'spec_sheets/Centennial_2016.pdf', 'coa/lot_' + r.int(10000, 99999) + '.pdf', 'price_lists/BSG_Price_List_Aug2017.xls'])];
      this.runFtp(r, host, '66.155.38.210', 'anonymous', t0, files, 'Download', `220 BSG CraftBrewing FTP\r\n220 Anonymous access allowed`, `frothly\\${u.user}`);
      this.ftpBenignSessions.push({ client: host.ip, server: '66.155.38.210', start: t0, kind: 'supplier downloads', files });
    }
    // look-alike: the copier uploads scans to the internal FTP drop on neptune, every working day
    if (ctx.v.lookalikes.internalFtp && dow !== 0 && dow !== 6 && h >= 8 && h <= 17) {
      const n = r.poisson(1.2 * scale);
      for (let i = 0; i < n; i++) {
        const t0 = hStart + r.int(0, 55) * US_PER_MIN;
        const host = r.pick(ctx.net.workstations);
        const files: string[] = [];
        const m = r.int(1, 12);
        for (let k = 0; k < m; k++) files.push(`SCAN_${day < 10 ? '0' : ''}${day}08${2017}_${r.int(100000, 999999)}.pdf`);
        this.runFtp(r, host, ctx.net.neptune.ip, 'scanner', t0, files, 'Upload', '220 (vsFTPd 3.0.3)', '');
        this.ftpBenignSessions.push({ client: host.ip, server: ctx.net.neptune.ip, start: t0, kind: 'internal scan drop', files });
      }
    }
  }

  private runFtp(r: Rng, host: Host, server: string, user: string, t0: number, files: string[], way: 'Upload' | 'Download', greeting: string, panUser: string): void {
    const cmds: FtpCmd[] = [];
    let t = t0 + 100_000;
    const step = (): number => (t += r.int(50_000, 700_000));
    const vs = greeting.includes('vsFTPd');
    cmds.push({ t: step(), method: 'USER', param: user, code: 331, reply: vs ? '331 Please specify the password.' : '331 Anonymous login ok, send your complete email address as your password' });
    cmds.push({ t: step(), method: 'PASS', param: '********', code: 230, reply: vs ? '230 Login successful.' : '230 Anonymous access granted, restrictions apply' });
    cmds.push({ t: step(), method: 'TYPE', param: 'I', code: 200, reply: vs ? '200 Switching to Binary mode.' : '200 Type set to I' });
    let port = r.int(50000, 60000);
    for (const f of files) {
      port++;
      const size = r.int(40_000, 2_500_000);
      const secs = size / (r.float(1, 11) * 1024 * 1024);
      cmds.push({ t: step(), method: 'PORT', param: `${host.ip.replace(/\./g, ',')},${port >> 8},${port & 255}`, code: 200, reply: vs ? '200 PORT command successful. Consider using PASV.' : '200 PORT command successful', dataPort: port });
      cmds.push({ t: step(), method: way === 'Upload' ? 'STOR' : 'RETR', param: f, code: 226, filename: f.split('/').pop(), loadway: way, filesize: size, dataPort: port, dataBytes: size, transferUs: Math.round(secs * 1e6),
        reply: vs ? `150 Ok to send data.\r\n226 Transfer complete.` : `150 Opening BINARY mode data connection for ${f} (${size} bytes)\r\n226 Transfer complete` });
      t += Math.round(secs * 1e6);
    }
    cmds.push({ t: step(), method: 'QUIT', param: '', code: 221, reply: vs ? '221 Goodbye.' : '221 Goodbye.' });
    ftpSession(this.ctx, r, { client: host.ip, server, user, start: t0, greeting, cmds, panUser });
  }
}

void macOf; void US_PER_DAY;
