/**
 * Frothly's network: hosts, identities, the outside world they talk to.
 * Names and addresses marked in docs/generator.md as [R] come from the BOTS v2 write-ups; the rest are invented.
 */
import { Rng } from './prng.js';

export type HostKind = 'workstation' | 'server' | 'mac' | 'firewall' | 'remote';

export interface Host {
  name: string; ip: string; mac: string; fqdn: string; kind: HostKind; os: string;
  role: string; owner?: string; sysmon: boolean; winsec: boolean; priority: string; category: string;
}

export interface User {
  user: string; name: string; email: string; host: string; dept: string; title: string; sid: string;
  /** habits, Pacific local hours */
  start: number; end: number; web: number; files: number; weekend: number; it?: boolean;
}

export const DOMAIN = 'FROTHLY';
export const DNS_DOMAIN = 'frothly.local';
export const DOMAIN_SID = 'S-1-5-21-2915380141-3133548025-2733813154';
export const FIREWALL_NAT = '71.39.18.125';
export const FIREWALL_IP = '10.0.1.1';
export const FIREWALL_SERIAL = '009401015183';
export const GATEWAY_MAC = '00:1B:17:00:01:10';

function mac(ip: string, vendor = '00:0C:29'): string {
  const r = new Rng('mac:' + ip);
  return `${vendor}:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}`.toUpperCase();
}

// [user, full name, dept, title, start, end, web, files, weekend]
const STAFF: [string, string, string, string, string, number, number, number, number, number][] = [
  ['10.0.2.101', 'amber.turing', 'Amber Turing', 'Brewing', 'Head Brewer', 7.5, 16.5, 1.0, 1.2, 0.10],
  ['10.0.2.102', 'abbey.bungst', 'Abbey Bungst', 'Sales', 'Account Manager', 8.5, 17.5, 1.4, 0.8, 0.05],
  ['10.0.2.103', 'bud.gist', 'Bud Gist', 'Operations', 'Logistics Lead', 7.0, 15.5, 0.7, 0.9, 0.05],
  ['10.0.2.104', 'grace.hoppy', 'Grace Hoppy', 'Executive', 'CEO', 8.0, 18.5, 1.2, 1.0, 0.25],
  ['10.0.2.105', 'fyodor.maltes', 'Fyodor Maltes', 'Finance', 'Controller', 8.0, 17.0, 0.9, 1.6, 0.05],
  ['10.0.2.106', 'dana.doyle', 'Dana Doyle', 'Marketing', 'Marketing Manager', 9.0, 18.0, 1.8, 0.9, 0.10],
  ['10.0.2.107', 'billy.tun', 'Billy Tun', 'Brewing', 'Quality Analyst', 8.0, 17.0, 1.1, 1.3, 0.05],
  ['10.0.2.108', 'jorge.marsh', 'Jorge Marsh', 'Brewing', 'Brewer', 6.5, 15.0, 0.6, 0.7, 0.05],
  ['10.0.2.109', 'kevin.lagerfield', 'Kevin Lagerfield', 'IT', 'IT Administrator', 7.5, 17.5, 1.3, 1.1, 0.30],
  ['10.0.2.110', 'lin.chen', 'Lin Chen', 'Finance', 'Accountant', 8.5, 17.0, 0.8, 1.5, 0.02],
  ['10.0.2.111', 'priya.nair', 'Priya Nair', 'Sales', 'Sales Representative', 8.0, 16.5, 1.5, 0.6, 0.05],
  ['10.0.2.112', 'tom.keller', 'Tom Keller', 'Operations', 'Warehouse Supervisor', 6.0, 14.5, 0.5, 0.5, 0.10],
  ['10.0.2.113', 'sofia.reyes', 'Sofia Reyes', 'HR', 'HR Manager', 8.5, 17.0, 1.0, 1.2, 0.02],
  ['10.0.2.114', 'mark.obrien', 'Mark OBrien', 'Sales', 'Sales Director', 7.5, 18.0, 1.3, 0.9, 0.20],
  ['10.0.2.115', 'hana.sato', 'Hana Sato', 'Brewing', 'Lab Technician', 7.0, 15.5, 0.7, 1.0, 0.05],
  ['10.0.2.116', 'ole.hansen', 'Ole Hansen', 'Operations', 'Packaging Lead', 6.5, 15.0, 0.5, 0.6, 0.05],
  ['10.0.2.117', 'rachel.wong', 'Rachel Wong', 'Marketing', 'Designer', 9.5, 18.5, 1.6, 1.4, 0.10],
  ['10.0.2.118', 'sam.patel', 'Sam Patel', 'IT', 'Helpdesk Technician', 8.0, 17.0, 1.2, 0.7, 0.05],
  ['10.0.2.119', 'ines.garcia', 'Ines Garcia', 'Finance', 'Payroll Specialist', 8.0, 16.5, 0.8, 1.3, 0.02],
  ['10.0.2.120', 'peter.novak', 'Peter Novak', 'Brewing', 'Cellar Master', 6.0, 14.5, 0.6, 0.8, 0.10],
  ['10.0.2.121', 'julia.berg', 'Julia Berg', 'Sales', 'Distributor Liaison', 8.5, 17.5, 1.4, 0.7, 0.05],
  ['10.0.2.122', 'victor.hugo', 'Victor Hugo', 'Operations', 'Purchasing', 8.0, 16.5, 1.0, 1.1, 0.02],
  ['10.0.2.123', 'emma.stout', 'Emma Stout', 'Marketing', 'Social Media Manager', 9.0, 17.5, 2.0, 0.6, 0.30],
  ['10.0.2.124', 'noah.weiss', 'Noah Weiss', 'Executive', 'CFO', 8.0, 18.0, 1.0, 1.4, 0.20],
  ['10.0.2.125', 'zoe.adler', 'Zoe Adler', 'HR', 'Recruiter', 8.5, 16.5, 1.3, 0.8, 0.02],
];

export const MAC_USER = { ip: '10.0.4.4', user: 'mallory.kraeusen', name: 'Mallory Kraeusen', host: 'maclory-air13' };

function wrkName(user: string): string {
  const [f, l] = user.split('.');
  return 'wrk-' + (f![0]! + l!).slice(0, 8);
}

export interface Network {
  hosts: Host[]; users: User[];
  byName: Map<string, Host>; byIp: Map<string, Host>; userByHost: Map<string, User>;
  workstations: Host[]; windows: Host[];
  mercury: Host; venus: Host; pluto: Host; neptune: Host; mac: Host; remote: Host;
}

export function buildNetwork(): Network {
  const hosts: Host[] = [];
  const users: User[] = [];
  const add = (h: Omit<Host, 'mac' | 'fqdn'> & { mac?: string; fqdn?: string }): Host => {
    const host: Host = { ...h, mac: h.mac ?? mac(h.ip), fqdn: h.fqdn ?? `${h.name}.${DNS_DOMAIN}` };
    hosts.push(host);
    return host;
  };
  add({ name: 'growler', ip: FIREWALL_IP, mac: GATEWAY_MAC, kind: 'firewall', os: 'PAN-OS 8.1', role: 'perimeter firewall (Palo Alto Networks)', sysmon: false, winsec: false, priority: 'critical', category: 'network|firewall' });
  const mercury = add({ name: 'mercury', ip: '10.0.1.100', kind: 'server', os: 'Windows Server 2012 R2', role: 'domain controller, internal DNS (R&D server in the workshop)', sysmon: false, winsec: true, priority: 'critical', category: 'server|dc|dns' });
  const venus = add({ name: 'venus', ip: '10.0.1.101', kind: 'server', os: 'Windows Server 2012 R2', role: 'file server (\\\\venus\\shared)', sysmon: true, winsec: true, priority: 'high', category: 'server|file' });
  const pluto = add({ name: 'pluto', ip: '10.0.1.102', kind: 'server', os: 'Windows Server 2012 R2', role: 'backup server (nightly copy of venus)', sysmon: true, winsec: true, priority: 'medium', category: 'server|backup' });
  add({ name: 'mars', ip: '10.0.1.103', kind: 'server', os: 'Windows Server 2012 R2', role: 'WSUS update server and print server', sysmon: true, winsec: true, priority: 'medium', category: 'server|wsus' });
  const neptune = add({ name: 'neptune', ip: '10.0.1.105', kind: 'server', os: 'Ubuntu 16.04', role: 'internal FTP drop for the scanner/copier and label printers', sysmon: false, winsec: false, priority: 'low', category: 'server|ftp' });
  for (const s of STAFF) {
    const [ip, user, name, dept, title, start, end, web, files, weekend] = s;
    const hn = user === 'kevin.lagerfield' ? 'wrk-klagerf' : user === 'billy.tun' ? 'wrk-btun' : wrkName(user);
    const os = ['10.0.2.107', '10.0.2.109'].includes(ip) ? 'Windows 10 Pro' : (parseInt(ip.split('.')[3]!) % 3 === 0 ? 'Windows 7 Professional' : 'Windows 10 Pro');
    add({ name: hn, ip, kind: 'workstation', os, role: `${dept} workstation`, owner: user, sysmon: true, winsec: true, priority: dept === 'Executive' || dept === 'IT' ? 'high' : 'medium', category: 'workstation' });
    const [f, l] = user.split('.');
    const rid = 1100 + parseInt(ip.split('.')[3]!);
    users.push({ user, name, email: `${f![0]}${l}@froth.ly`, host: hn, dept, title, sid: `${DOMAIN_SID}-${rid}`, start, end, web, files, weekend, it: dept === 'IT' });
  }
  const macHost = add({ name: MAC_USER.host, ip: MAC_USER.ip, mac: mac(MAC_USER.ip, 'A4:5E:60'), kind: 'mac', os: 'macOS 10.12', role: 'laptop', owner: MAC_USER.user, sysmon: false, winsec: false, priority: 'medium', category: 'laptop' });
  users.push({ user: MAC_USER.user, name: MAC_USER.name, email: 'mkraeusen@froth.ly', host: MAC_USER.host, dept: 'Executive', title: 'Brewmaster', sid: `${DOMAIN_SID}-1404`, start: 8.5, end: 17.5, web: 1.3, files: 1.1, weekend: 0.15 });
  const remote = add({ name: 'starraiders', ip: '172.16.0.1', kind: 'remote', os: 'Windows 10 Pro', role: 'taproom office (site-to-side VPN, NATed behind 172.16.0.1)', sysmon: false, winsec: false, priority: 'low', category: 'remote|vpn' });
  users.push({ user: 'service3', name: 'Service Account 3', email: '', host: 'mercury', dept: 'IT', title: 'service account', sid: `${DOMAIN_SID}-1113`, start: 0, end: 0, web: 0, files: 0, weekend: 0 });
  users.push({ user: 'svc_backup', name: 'Backup Service', email: '', host: 'pluto', dept: 'IT', title: 'service account', sid: `${DOMAIN_SID}-1114`, start: 0, end: 0, web: 0, files: 0, weekend: 0 });

  const byName = new Map(hosts.map((h) => [h.name, h]));
  const byIp = new Map(hosts.map((h) => [h.ip, h]));
  const userByHost = new Map(users.filter((u) => u.start > 0).map((u) => [u.host, u]));
  const workstations = hosts.filter((h) => h.kind === 'workstation');
  const windows = hosts.filter((h) => h.winsec);
  return { hosts, users, byName, byIp, userByHost, workstations, windows, mercury, venus, pluto, neptune, mac: macHost, remote };
}

/** Outside resolvers. */
export const GOOGLE_DNS = '8.8.8.8';
export const GOOGLE_DNS2 = '8.8.4.4';
export const LEVEL3_DNS = '4.4.4.4';

export interface Site {
  domain: string; ips: string[]; weight: number; https: boolean; ttl: number;
  /** subdomains the browser also loads */
  extra?: string[]; server?: string; kind?: 'web' | 'cdn' | 'update' | 'av' | 'saas';
}

export const SITES: Site[] = [
  { domain: 'www.google.com', ips: ['172.217.6.68', '216.58.194.196'], weight: 30, https: true, ttl: 300, extra: ['ssl.gstatic.com', 'www.gstatic.com', 'apis.google.com', 'fonts.googleapis.com', 'fonts.gstatic.com'], server: 'gws' },
  { domain: 'mail.google.com', ips: ['172.217.5.101'], weight: 4, https: true, ttl: 300, server: 'GSE' },
  { domain: 'outlook.office365.com', ips: ['40.97.116.82', '40.97.153.146'], weight: 20, https: true, ttl: 30, extra: ['login.microsoftonline.com', 'outlook.office.com', 'r4.res.office365.com'], kind: 'saas' },
  { domain: 'www.facebook.com', ips: ['157.240.11.35'], weight: 6, https: true, ttl: 60, extra: ['static.xx.fbcdn.net', 'scontent.xx.fbcdn.net'] },
  { domain: 'www.linkedin.com', ips: ['108.174.10.10'], weight: 5, https: true, ttl: 300, extra: ['static.licdn.com', 'media.licdn.com'] },
  { domain: 'twitter.com', ips: ['104.244.42.129'], weight: 4, https: true, ttl: 1800, extra: ['abs.twimg.com', 'pbs.twimg.com'] },
  { domain: 'www.youtube.com', ips: ['172.217.6.78'], weight: 5, https: true, ttl: 300, extra: ['i.ytimg.com', 's.ytimg.com'] },
  { domain: 'www.amazon.com', ips: ['54.239.17.7', '54.239.25.200'], weight: 5, https: true, ttl: 60, extra: ['images-na.ssl-images-amazon.com', 'fls-na.amazon.com'] },
  { domain: 'www.bing.com', ips: ['204.79.197.200'], weight: 4, https: true, ttl: 900 },
  { domain: 'www.msn.com', ips: ['204.79.197.203'], weight: 3, https: true, ttl: 900, extra: ['static-global-s-msn-com.akamaized.net', 'img-s-msn-com.akamaized.net'] },
  { domain: 'www.weather.com', ips: ['23.15.9.102'], weight: 3, https: true, ttl: 60, extra: ['s.w-x.co'] },
  { domain: 'www.cnn.com', ips: ['151.101.65.67'], weight: 3, https: true, ttl: 30, extra: ['cdn.cnn.com', 'i2.cdn.turner.com'] },
  { domain: 'www.nytimes.com', ips: ['151.101.1.164'], weight: 2, https: true, ttl: 30, extra: ['static01.nyt.com'] },
  { domain: 'www.brewersassociation.org', ips: ['104.25.92.41'], weight: 3, https: true, ttl: 300 },
  { domain: 'www.whitelabs.com', ips: ['104.130.218.44'], weight: 3, https: false, ttl: 3600, server: 'Apache/2.4.18 (Ubuntu)' },
  { domain: 'www.wyeastlab.com', ips: ['69.163.163.200'], weight: 2, https: false, ttl: 14400, server: 'Apache' },
  { domain: 'www.morebeer.com', ips: ['104.16.125.74'], weight: 2, https: true, ttl: 300 },
  { domain: 'www.beeradvocate.com', ips: ['104.20.73.117'], weight: 3, https: true, ttl: 300 },
  { domain: 'untappd.com', ips: ['52.44.58.219'], weight: 3, https: true, ttl: 60 },
  { domain: 'www.salesforce.com', ips: ['104.109.10.129'], weight: 3, https: true, ttl: 20, extra: ['na59.salesforce.com', 'c.la1-c1-phx.salesforceliveagent.com'], kind: 'saas' },
  { domain: 'www.dropbox.com', ips: ['162.125.6.1'], weight: 2, https: true, ttl: 60, extra: ['client.dropbox.com'] },
  { domain: 'slack.com', ips: ['52.85.131.30'], weight: 3, https: true, ttl: 60, extra: ['a.slack-edge.com'] },
  { domain: 'www.adp.com', ips: ['170.146.49.120'], weight: 1, https: true, ttl: 300 },
  { domain: 'www.ups.com', ips: ['153.2.228.50'], weight: 2, https: true, ttl: 300 },
  { domain: 'news.ycombinator.com', ips: ['209.216.230.240'], weight: 1, https: true, ttl: 300 },
  { domain: 'www.reddit.com', ips: ['151.101.1.140'], weight: 3, https: true, ttl: 300, extra: ['www.redditstatic.com', 'i.redd.it'] },
  { domain: 'en.wikipedia.org', ips: ['198.35.26.96'], weight: 3, https: true, ttl: 600, extra: ['upload.wikimedia.org'] },
  { domain: 'www.homebrewtalk.com', ips: ['104.25.108.11'], weight: 2, https: false, ttl: 300, server: 'cloudflare-nginx' },
  { domain: 'www.craftbeer.com', ips: ['104.25.93.41'], weight: 2, https: false, ttl: 300, server: 'cloudflare-nginx' },
  { domain: 'www.portlandoregon.gov', ips: ['204.8.237.38'], weight: 1, https: false, ttl: 3600, server: 'Microsoft-IIS/8.5' },
];

/** Ad/analytics hosts every page pulls in. */
export const TRACKERS = ['www.google-analytics.com', 'stats.g.doubleclick.net', 'pagead2.googlesyndication.com', 'connect.facebook.net', 'www.googletagmanager.com', 'bat.bing.com', 'cdn.optimizely.com', 'js-agent.newrelic.com'];
export const TRACKER_IPS = ['172.217.6.46', '172.217.5.98', '216.58.195.66', '157.240.11.20', '172.217.6.40', '13.107.21.200', '23.32.241.217', '151.101.2.137'];
