/**
 * DNS tunnel scoring per registered domain (Public Suffix List, via tldts): distinct subdomains,
 * Shannon entropy and length of the subdomain (mean, stdev), record types, NXDOMAIN share, the
 * clients and resolvers involved, and how much of the network queries the domain (prevalence).
 *
 * Score (0–1, higher = more tunnel-like), after RITA's C2-over-DNS (unique subdomains per domain,
 * prevalence modifier) and the seed's entropy/length view:
 *   volume   = log10(unique names) / 3                 (10 → .33, 100 → .67, 1000 → 1)
 *   random   = mean normalised entropy × min(1, mean length / 10)
 *   uniform  = 1 − 2·(stdev length / mean length)        (fixed-size chunks → 1)
 *   unique   = unique names / queries                   (each query new → 1)
 *   base     = √volume × (.45 random + .25 uniform + .30 unique)
 *              (√: 50 names of a short-lived dnscat2/iodine session already weigh .75)
 *   prevalence p = clients that asked for its subdomains / clients of the network:
 *     p ≥ .5 → × .35, p ≥ .2 → × .6 (a service everyone uses: CDN, anti-virus lookups);
 *     ≤ 2 clients → + 10 % of the remaining headroom (RITA: +15 % when ≤ 2 % of hosts)
 *   NXDOMAIN share adds up to .05.
 * Names carrying the resolver's search-list suffix (x.example.com.corp.local) count for the
 * domain the client meant (example.com); names under non-public suffixes (.local, .arpa) are the
 * network's own and are not scored.
 */
import { parse as parseDomain } from 'tldts';
import type { Row } from '../../search/index.js';
import { labelOf } from '../assets.js';
import { clamp01, isInternal, mean, normalizedEntropy, num, round, shannon, stdev, str, strs } from '../math.js';
import type { PickContext, PickResult, PickedFinding } from './types.js';

export interface Attributed {
  domain: string;
  sub: string;
  /** the search-list suffix that was removed, if any */
  suffix?: string;
}

/** Registered domain and subdomain of a query name; undefined for the network's own names. */
export function attribute(name: string): Attributed | undefined {
  // the subdomain keeps its case (base64 tunnels are case-sensitive; entropy is measured on it as
  // sent); the registered domain is compared in lower case
  const orig = name.trim().replace(/\.$/, '');
  let n = orig.toLowerCase();
  if (!n || !n.includes('.') || n.length !== orig.length) return undefined;
  if (n.endsWith('.arpa')) return undefined;
  let suffix: string | undefined;
  const labels = n.split('.');
  // strip trailing non-public labels (search-list suffixes) until a public registered domain remains;
  // labels may hold any bytes a tunnel puts there (base64 "+/=", "_"), so no hostname validation
  for (let cut = 0; cut <= Math.min(3, labels.length - 2); cut++) {
    const cand = labels.slice(0, labels.length - cut).join('.');
    const p = parseDomain(cand, { extractHostname: false, validateHostname: false });
    if (p.isIcann && p.domain && !p.isIp) {
      if (cut > 0) suffix = labels.slice(labels.length - cut).join('.');
      n = cand;
      const domain = p.domain;
      const sub = n.length > domain.length ? orig.slice(0, n.length - domain.length - 1) : '';
      return { domain, sub, ...(suffix ? { suffix } : {}) };
    }
  }
  return undefined;
}

interface DomainAgg {
  domain: string;
  names: Map<string, { sub: string; count: number }>;
  queries: number;
  nx: number;
  clients: Map<string, Set<string>>;
  clientQueries: Map<string, number>;
  /** first subdomain query per client */
  clientFirst: Map<string, number>;
  resolvers: Map<string, number>;
  rtypes: Set<string>;
  suffixed: number;
  first: number;
  last: number;
  rows: Row[];
}

export function dnsTunnels(ctx: PickContext): PickResult {
  const a = ctx.args as { threshold?: number; min_names?: number; top?: number };
  const threshold = a.threshold ?? 0.6;
  const minNames = a.min_names ?? 10;
  // internal resolvers: internal hosts that other internal hosts send queries to
  const askedBy = new Map<string, Set<string>>();
  for (const r of ctx.rows) {
    const src = str(r.src), dest = str(r.dest);
    if (isInternal(src) && isInternal(dest) && src !== dest) (askedBy.get(dest) ?? askedBy.set(dest, new Set()).get(dest)!).add(src);
  }
  const resolvers = new Set([...askedBy.entries()].filter(([, s]) => s.size >= 2).map(([d]) => d));
  // names asked by a real client (so a resolver's forwarded copy is not counted as its own)
  const askedByClient = new Set<string>();
  for (const r of ctx.rows) if (!resolvers.has(str(r.src))) askedByClient.add(str(r.q).toLowerCase());

  const networkClients = new Set<string>();
  const doms = new Map<string, DomainAgg>();
  const cache = new Map<string, Attributed | undefined>();
  for (const r of ctx.rows) {
    const q = str(r.q);
    const src = str(r.src);
    const forwarded = resolvers.has(src) && askedByClient.has(q.toLowerCase());
    if (!forwarded && isInternal(src)) networkClients.add(src);
    let at = cache.get(q);
    if (at === undefined && !cache.has(q)) cache.set(q, (at = attribute(q)));
    if (!at) continue;
    const d = doms.get(at.domain) ?? doms.set(at.domain, { domain: at.domain, names: new Map(), queries: 0, nx: 0, clients: new Map(), clientQueries: new Map(), clientFirst: new Map(), resolvers: new Map(), rtypes: new Set(), suffixed: 0, first: Infinity, last: -Infinity, rows: [] }).get(at.domain)!;
    const count = num(r.count) || 1;
    if (at.sub) d.resolvers.set(str(r.dest), (d.resolvers.get(str(r.dest)) ?? 0) + count);
    if (forwarded) continue;
    d.queries += count;
    d.nx += r.nx !== undefined ? num(r.nx) : strs(r.rcodes).some((c) => /nxdomain|^3$/i.test(c)) ? count : 0;
    for (const t of strs(r.rtypes)) d.rtypes.add(t);
    if (at.suffix) d.suffixed += count;
    d.first = Math.min(d.first, num(r.first));
    d.last = Math.max(d.last, num(r.last));
    const key = at.sub;
    if (key) {
      const e = d.names.get(key) ?? d.names.set(key, { sub: key, count: 0 }).get(key)!;
      e.count += count;
      (d.clients.get(src) ?? d.clients.set(src, new Set()).get(src)!).add(key);
      d.clientFirst.set(src, Math.min(d.clientFirst.get(src) ?? Infinity, num(r.first)));
    } else if (!d.clients.has(src)) d.clients.set(src, new Set());
    d.clientQueries.set(src, (d.clientQueries.get(src) ?? 0) + count);
    if (d.rows.length < 200) d.rows.push(r);
  }

  const N = Math.max(1, networkClients.size);
  const scored = [...doms.values()].map((d) => {
    const subs = [...d.names.values()].map((x) => x.sub.replace(/\./g, ''));
    const lens = subs.map((s) => s.length);
    const names = subs.length;
    const meanLen = mean(lens);
    const sdLen = stdev(lens);
    const ent = mean(subs.map(shannon));
    const nent = mean(subs.map(normalizedEntropy));
    const volume = clamp01(Math.log10(Math.max(1, names)) / 3);
    const random = clamp01(nent) * clamp01(meanLen / 10);
    const uniform = names > 1 ? clamp01(1 - 2 * (sdLen / Math.max(1, meanLen))) : 0;
    const unique = clamp01(names / Math.max(1, d.queries));
    let score = Math.sqrt(volume) * (0.45 * random + 0.25 * uniform + 0.3 * unique);
    // prevalence counts the clients that asked for subdomains: a phishing domain many users looked up
    // (apex only) does not hide a tunnel under it; a CDN/AV service asked everywhere is still common
    const clients = [...d.clients.keys()].filter((c) => d.clients.get(c)!.size > 0);
    const p = clients.length / N;
    if (p >= 0.5) score *= 0.35;
    else if (p >= 0.2) score *= 0.6;
    else if (clients.length <= 2) score += 0.1 * (1 - score);
    score += 0.05 * (d.queries ? d.nx / d.queries : 0);
    return { d, names, meanLen, sdLen, ent, nent, p, clients, score: clamp01(score) };
  });
  scored.sort((x, y) => y.score - x.score || y.names - x.names || x.d.domain.localeCompare(y.d.domain));

  const top = a.top ?? 25;
  const ranking = {
    fields: ['rank', 'domain', 'score', 'unique_subdomains', 'queries', 'avg_entropy', 'avg_sublen', 'stdev_sublen', 'clients', 'prevalence', 'nxdomain_share', 'record_types', 'resolvers', 'search_list_hits'],
    rows: scored.slice(0, top).map((s, i) => ({
      rank: i + 1, domain: s.d.domain, score: round(s.score), unique_subdomains: s.names, queries: s.d.queries,
      avg_entropy: round(s.ent), avg_sublen: round(s.meanLen, 1), stdev_sublen: round(s.sdLen, 2),
      clients: s.clients.length, prevalence: round(s.p), nxdomain_share: round(s.d.queries ? s.d.nx / s.d.queries : 0),
      record_types: [...s.d.rtypes].sort(), resolvers: [...s.d.resolvers.keys()].sort(), search_list_hits: s.d.suffixed,
    })),
  };

  const findings: PickedFinding[] = [];
  // an analyst's --param tunnel_domain=... replaces the pick (even below the threshold)
  const pinned = ([] as string[]).concat((ctx.params.tunnel_domain as string | string[] | undefined) ?? []).map((d) => d.toLowerCase());
  const hits = pinned.length ? scored.filter((s) => pinned.includes(s.d.domain)) : scored.filter((s) => s.score >= threshold && s.names >= minNames);
  for (const s of hits) {
    const d = s.d;
    findings.push({
      role: 'tunnel_domain', value: d.domain, score: s.score,
      why: `${s.names} unique subdomains in ${d.queries} queries from ${s.clients.length} of ${N} clients; subdomain entropy ${round(s.ent, 2)} bits, length ${round(s.meanLen, 1)}±${round(s.sdLen, 1)}${d.nx ? `, ${Math.round((100 * d.nx) / Math.max(1, d.queries))}% NXDOMAIN` : ''}`,
      rows: d.rows.slice(0, 20),
    });
    // clients: those that sent a real share of the unique names
    for (const [c, set] of d.clients) {
      if (set.size < Math.max(3, 0.05 * s.names)) continue;
      findings.push({
        role: 'tunnel_client', value: c, score: round(s.score * clamp01(set.size / s.names + 0.5)),
        why: `${labelOf(ctx.assets, c)} sent ${set.size} of the ${s.names} unique ${d.domain} subdomains`,
        rows: d.rows.filter((r) => str(r.src) === c).slice(0, 20),
      });
    }
    const totalQ = [...d.resolvers.values()].reduce((x, y) => x + y, 0);
    for (const [res, n] of d.resolvers) {
      findings.push({
        role: 'tunnel_resolver', value: res, score: round(s.score * clamp01(n / Math.max(1, totalQ) + 0.5)),
        why: `${n} of ${totalQ} ${d.domain} queries went to ${labelOf(ctx.assets, res)}${isInternal(res) ? ' (internal resolver)' : ''}`,
        rows: d.rows.filter((r) => str(r.dest) === res).slice(0, 20),
      });
    }
  }
  const params: Record<string, string | string[]> = {};
  if (hits.length) {
    if (!pinned.length) params.tunnel_domain = hits[0]!.d.domain;
    params.tunnel_domains = hits.map((h) => h.d.domain);
    params.tunnel_patterns = hits.flatMap((h) => [`*.${h.d.domain}`, `*.${h.d.domain}.*`]);
    const clients = findings.filter((f) => f.role === 'tunnel_client').map((f) => f.value);
    if (clients.length) {
      params.tunnel_clients = [...new Set(clients)];
      // the names endpoint logs use for those hosts (host field): address, short name, FQDN
      params.tunnel_client_names = [...new Set(clients.flatMap((c) => {
        const as = ctx.assets.byIp.get(c);
        return [c, ...(as?.host ? [as.host] : []), ...(as?.dns ? [as.dns] : [])];
      }))];
    }
    const tc = (params.tunnel_clients as string[] | undefined) ?? [];
    const firsts = tc.map((c) => hits[0]!.d.clientFirst.get(c) ?? Infinity).filter(Number.isFinite);
    params.tunnel_first = String(Math.floor(firsts.length ? Math.min(...firsts) : hits[0]!.d.first));
  }
  return {
    params,
    findings,
    ranking,
    notes: [
      `${doms.size} registered domains from ${N} clients${resolvers.size ? `; internal resolvers ${[...resolvers].map((r) => labelOf(ctx.assets, r)).join(', ')} (their forwarded copies of clients' queries are not counted twice)` : ''}`,
      hits.length ? `tunnel-like: ${hits.map((h) => `${h.d.domain} (${round(h.score, 2)})`).join(', ')}` : `no domain scored ≥ ${threshold} with ≥ ${minNames} unique subdomains`,
    ],
  };
}
