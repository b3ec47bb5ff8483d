/**
 * Asset and identity enrichment: assets.csv (ip, nt_host/host, owner, category, priority...) and
 * identities.csv (identity, email, work_host...), Splunk ES's columns. Reports show a host name
 * and owner next to every address these files know.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Asset {
  ip: string;
  host?: string;
  owner?: string;
  category?: string;
  priority?: string;
  dns?: string;
}

export interface Assets {
  byIp: Map<string, Asset>;
  /** owner login/email → display name, from identities.csv */
  people: Map<string, string>;
  source?: string;
}

/** Parse CSV with quotes (RFC 4180). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else q = false;
      } else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  if (!head) return [];
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h.trim(), r[i] ?? ''])));
}

function findFile(dirs: string[], name: string): string | undefined {
  for (const d of dirs) {
    for (const p of [join(d, name), join(d, 'lookups', name)]) if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadAssets(dirs: string[]): Assets {
  const out: Assets = { byIp: new Map(), people: new Map() };
  const a = findFile(dirs, 'assets.csv');
  if (a) {
    out.source = a;
    for (const r of parseCsv(readFileSync(a, 'utf8'))) {
      const ip = (r.ip ?? '').trim();
      if (!ip) continue;
      out.byIp.set(ip, {
        ip,
        host: r.nt_host || r.host || r.dns?.split('.')[0] || undefined,
        owner: r.owner || undefined,
        category: r.category || undefined,
        priority: r.priority || undefined,
        dns: r.dns || undefined,
      });
    }
  }
  const idf = findFile(dirs, 'identities.csv');
  if (idf) {
    for (const r of parseCsv(readFileSync(idf, 'utf8'))) {
      const name = [r.first, r.last].filter(Boolean).join(' ');
      if (!name) continue;
      for (const k of [r.email, r.nick, ...(r.identity ?? '').split('|')]) if (k) out.people.set(k.trim(), name);
    }
  }
  return out;
}

/** Context for a value: host name, owner (person), category, priority. */
export function contextOf(assets: Assets, value: string): Record<string, string> | undefined {
  const a = assets.byIp.get(value);
  if (!a) return undefined;
  const ctx: Record<string, string> = {};
  if (a.host) ctx.host = a.host;
  if (a.owner) ctx.owner = assets.people.get(a.owner) ?? a.owner;
  if (a.category) ctx.category = a.category;
  if (a.priority) ctx.priority = a.priority;
  return ctx;
}

/** "10.0.2.107 (wrk-btun, Billy Tun)" */
export function labelOf(assets: Assets, value: string): string {
  const c = contextOf(assets, value);
  if (!c) return value;
  const extra = [c.host, c.owner].filter(Boolean).join(', ');
  return extra ? `${value} (${extra})` : value;
}

/** DNS suffixes of the network's own hosts (frothly.local): the resolver search list. */
export function localSuffixes(assets: Assets): string[] {
  const s = new Set<string>();
  for (const a of assets.byIp.values()) {
    if (a.dns && a.host && a.dns.toLowerCase().startsWith(a.host.toLowerCase() + '.')) s.add(a.dns.slice(a.host.length + 1).toLowerCase());
  }
  return [...s];
}
