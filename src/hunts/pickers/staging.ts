/**
 * Data staging pickers: the SMB flow whose read volume stands out against this network's own
 * baseline — robust z-scores (median + MAD) of log bytes read, against every internal flow AND
 * against the same client/server pair's other flows (a nightly backup that always reads a lot is
 * normal for its pair; with few earlier flows, reading 10× the pair's previous maximum counts as
 * z 3.5; likewise 10× the network's 95th-percentile flow) — then the files it carried, and whether the reader later sent them out.
 */
import type { Row } from '../../search/index.js';
import { labelOf } from '../assets.js';
import { clamp01, isInternal, median, num, quantile, robustZ, round, str } from '../math.js';
import type { PickContext, PickResult, PickedFinding } from './types.js';

interface Flow {
  r: Row;
  src: string;
  dest: string;
  flow: string;
  read: number;
  lr: number;
}

export function stagingOutliers(ctx: PickContext): PickResult {
  const zMin = num(ctx.args.z ?? 3.5);
  const flows: Flow[] = ctx.rows
    .map((r) => ({ r, src: str(r.src), dest: str(r.dest), flow: str(r.flow), read: num(r.read_bytes) }))
    .filter((f) => f.read > 0 && isInternal(f.src) && isInternal(f.dest))
    .map((f) => ({ ...f, lr: Math.log10(f.read) }));
  const all = flows.map((f) => f.lr);
  const byPair = new Map<string, Flow[]>();
  const bySrc = new Map<string, Flow[]>();
  for (const f of flows) {
    const k = `${f.src}>${f.dest}`;
    (byPair.get(k) ?? byPair.set(k, []).get(k)!).push(f);
    (bySrc.get(f.src) ?? bySrc.set(f.src, []).get(f.src)!).push(f);
  }
  // The network's busy end: a network where ordinary sessions vary widely (log-bytes MAD is large)
  // still should not hide one session reading 10× what its busiest 5% read; that jump counts as
  // z 3.5, as the own-history rule below does.
  const netHigh = quantile(all, 0.95);
  const scored = flows.map((f) => {
    const zNet = Math.max(robustZ(f.lr, all), all.length >= 20 ? 3.5 * (f.lr - netHigh) : -Infinity);
    const pairOthers = byPair.get(`${f.src}>${f.dest}`)!.filter((x) => x !== f).map((x) => x.lr);
    const srcOthers = bySrc.get(f.src)!.filter((x) => x !== f).map((x) => x.lr);
    // own history: the pair's other flows when there are enough, else the client's other flows
    const own = pairOthers.length >= 3 ? pairOthers : srcOthers.length >= 3 ? srcOthers : all;
    // a few flows make a noisy own baseline: a jump to 10× anything the pair (or client) read before
    // counts as much as z 3.5 (3.5·log10 of the jump)
    const ownMax = Math.max(...(own === all ? [] : own), 0);
    const jump = ownMax > 0 ? f.lr - ownMax : 0;
    const zOwn = Math.max(robustZ(f.lr, own), 3.5 * jump);
    const z = Math.min(zNet, zOwn);
    return { ...f, zNet, zOwn, z, jump: Math.pow(10, jump), ownBase: Math.pow(10, median(own)) };
  }).sort((a, b) => b.z - a.z || b.read - a.read);
  // an analyst's --param staging_flows=... (or flow_id=...) replaces the pick
  const pinned = ([] as string[]).concat((ctx.params.staging_flows as string | string[] | undefined) ?? []);
  const hits = pinned.length ? scored.filter((s) => pinned.includes(s.flow)) : scored.filter((s) => s.z >= zMin);
  const netMedian = Math.pow(10, median(all));
  return {
    params: hits.length ? {
      staging_flows: hits.map((h) => h.flow),
      staging_flow_filter: `(${hits.map((h) => `flow_id="${h.flow}" OR uid="${h.flow}"`).join(' OR ')})`,
      staging_hosts: [...new Set(hits.map((h) => h.src))],
      staging_sources: [...new Set(hits.map((h) => h.dest))],
      staging_first: String(Math.floor(Math.min(...hits.map((h) => num(h.r.first))))),
    } : {},
    ranking: {
      fields: ['src', 'dest', 'flow', 'mb_read', 'z_network', 'z_own_history', 'own_median_mb', 'times_own_max', 'events', 'files', 'first', 'last'],
      rows: scored.slice(0, 25).map((s) => ({
        src: s.src, dest: s.dest, flow: s.flow, mb_read: round(s.read / 1048576, 2), z_network: round(s.zNet, 2), z_own_history: round(s.zOwn, 2),
        own_median_mb: round(s.ownBase / 1048576, 2), times_own_max: round(s.jump, 1), events: num(s.r.count), files: num(s.r.files), first: s.r.first, last: s.r.last,
      })),
    },
    notes: [
      `${flows.length} internal SMB flows; median read ${round(netMedian / 1048576, 2)} MB per flow`,
      hits.length
        ? `outliers (robust z ≥ ${zMin} against the network and against the pair's own history): ${hits.slice(0, 5).map((h) => `${labelOf(ctx.assets, h.src)} ← ${labelOf(ctx.assets, h.dest)} flow ${h.flow} ${round(h.read / 1048576, 1)} MB (z ${round(h.z, 1)})`).join('; ')}`
        : `no flow reads more than its network and its own history would predict (z ≥ ${zMin})`,
    ],
  };
}

/**
 * Step rows: files of the outlier flow(s), with the time each was first touched. A long SMB session
 * also carries the user's ordinary work; the staged files are the ones read in bulk: bursts where
 * file after file is opened less than `gap_seconds` apart, at least `min_burst` files long.
 */
export function stagedFiles(ctx: PickContext): PickResult {
  const gap = num(ctx.args.gap_seconds ?? 120);
  const minBurst = num(ctx.args.min_burst ?? 20);
  const rows = ctx.rows.filter((r) => str(r.filename)).sort((a, b) => num(a.first) - num(b.first));
  const bursts: Row[][] = [];
  let cur: Row[] = [];
  for (const r of rows) {
    if (cur.length && num(r.first) - num(cur[cur.length - 1]!.first) > gap) {
      bursts.push(cur);
      cur = [];
    }
    cur.push(r);
  }
  if (cur.length) bursts.push(cur);
  const bulk = bursts.filter((b) => b.length >= minBurst);
  const picked = (bulk.length ? bulk.flat() : rows);
  const files = [...new Set(picked.map((r) => str(r.filename)))];
  ctx.state.set('staged_files', files);
  ctx.state.set('staged_rows', new Map(picked.map((r) => [str(r.filename), r])));
  const all = new Set(rows.map((r) => str(r.filename))).size;
  return {
    params: files.length ? { staged_files: files } : {},
    ranking: {
      fields: ['burst', 'first', 'last', 'files', 'mb_read', 'bulk'],
      rows: bursts.map((b, i) => ({ burst: i + 1, first: b[0]!.first, last: b[b.length - 1]!.first, files: b.length, mb_read: round(b.reduce((a, r) => a + num(r.bytes_out), 0) / 1048576, 1), bulk: b.length >= minBurst ? 'yes' : '' }))
        .sort((a, b) => b.files - a.files).slice(0, 30),
    },
    notes: [
      `${all} distinct files in the flow(s); ${bulk.length} bulk-read burst(s) (files opened < ${gap} s apart, ≥ ${minBurst} files) hold ${files.length} of them: ${files.filter((f) => /\.(pdf|docx?|xlsx?|pptx?)$/i.test(f)).length} office documents, ${files.filter((f) => /\.(zip|7z|rar|tgz|gz|tar)$/i.test(f)).length} archives; the rest is the user's ordinary work`,
    ],
  };
}

const base = (p: string) => p.split(/[\\/]/).pop()!.toLowerCase();

/** Step rows: what the staging host later sent to other hosts, per sourcetype/destination/file. */
export function stagingLink(ctx: PickContext): PickResult {
  const staged = (ctx.state.get('staged_files') as string[] | undefined) ?? [];
  const stagedRows = (ctx.state.get('staged_rows') as Map<string, Row> | undefined) ?? new Map();
  const stagedSet = new Map(staged.map((f) => [base(f), f]));
  const hosts = [].concat(ctx.params.staging_hosts as never ?? []) as string[];
  const sources = [].concat(ctx.params.staging_sources as never ?? []) as string[];
  const flows = [].concat(ctx.params.staging_flows as never ?? []) as string[];
  const since = num(ctx.params.staging_first);
  const sent = new Map<string, { dests: Set<string>; sourcetypes: Set<string>; rows: Row[] }>();
  const perDest = new Map<string, { dest: string; sourcetype: string; files: Set<string>; first: number }>();
  for (const r of ctx.rows) {
    const f = stagedSet.get(base(str(r.f)));
    if (!f) continue;
    if (sources.includes(str(r.dest))) continue;
    if (since && num(r.first) < since) continue;
    const e = sent.get(f) ?? sent.set(f, { dests: new Set(), sourcetypes: new Set(), rows: [] }).get(f)!;
    e.dests.add(str(r.dest));
    e.sourcetypes.add(str(r.sourcetype));
    if (e.rows.length < 3) e.rows.push(r);
    const k = `${str(r.sourcetype)}>${str(r.dest)}`;
    const d = perDest.get(k) ?? perDest.set(k, { dest: str(r.dest), sourcetype: str(r.sourcetype), files: new Set(), first: Infinity }).get(k)!;
    d.files.add(f);
    d.first = Math.min(d.first, num(r.first));
  }
  const share = staged.length ? sent.size / staged.length : 0;
  const linked = sent.size > 0;
  const findings: PickedFinding[] = [];
  const outDests = [...new Set([...perDest.values()].map((d) => d.dest))];
  const outWhere = outDests.map((d) => `${labelOf(ctx.assets, d)}${isInternal(d) ? '' : ' (external)'}`).join(', ');
  const score = clamp01(0.5 + 0.5 * (linked ? 0.5 + 0.5 * share : 0));
  for (const h of hosts) {
    findings.push({
      role: 'staging_host', value: h, score,
      why: `${labelOf(ctx.assets, h)} read an outlier volume of files over SMB${linked ? ` and then sent ${sent.size} of those ${staged.length} files to ${outWhere}` : ' (no later outbound copy of the files seen)'}`,
      rows: [...perDest.values()].map((d) => ({ sourcetype: d.sourcetype, dest: d.dest, files: d.files.size, first: d.first })),
    });
  }
  for (const s of sources) {
    findings.push({ role: 'staging_source', value: s, score, why: `file server the staged files were read from (${staged.length} files) by ${hosts.map((h) => labelOf(ctx.assets, h)).join(', ')}`, rows: [] });
  }
  for (const fl of flows) {
    findings.push({ role: 'staging_flow', value: fl, score, why: `the SMB session that carried the staged files${linked ? `; ${Math.round(share * 100)}% of its files later left by ${[...new Set([...perDest.values()].map((d) => d.sourcetype))].join(', ')}` : ''}`, rows: [] });
  }
  for (const f of staged) {
    const e = sent.get(f);
    findings.push({
      role: 'staged_file', value: f, score: clamp01(score * (e ? 1 : 0.8)),
      why: e ? `staged, then sent to ${[...e.dests].join(', ')} (${[...e.sourcetypes].join(', ')})` : 'staged on the staging host (no outbound copy seen)',
      rows: [...(stagedRows.get(f) ? [stagedRows.get(f)!] : []), ...(e?.rows ?? [])],
    });
  }
  return {
    findings,
    ranking: {
      fields: ['sourcetype', 'dest', 'staged_files_sent', 'first'],
      rows: [...perDest.values()].sort((a, b) => b.files.size - a.files.size).map((d) => ({ sourcetype: d.sourcetype, dest: d.dest, staged_files_sent: d.files.size, first: d.first })),
    },
    sourcetypes: [...new Set([...perDest.values()].map((d) => d.sourcetype))],
    notes: [linked
      ? `the link: ${sent.size} of the ${staged.length} staged files left the staging host afterwards (${outWhere})`
      : 'no staged file was seen leaving the staging host: staging without (visible) exfiltration, or a benign bulk copy'],
  };
}
