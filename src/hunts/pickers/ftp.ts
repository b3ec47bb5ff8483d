/**
 * FTP exfiltration pickers: which internal hosts upload to which external servers (STOR/APPE/STOU
 * vs RETR), how sessions cluster into transmissions, which files went out (credential and secret
 * files weigh more), which failed, which account logged in, and what launched ftp.exe.
 */
import type { Row } from '../../search/index.js';
import { labelOf } from '../assets.js';
import { clamp01, isInternal, num, round, str, strs } from '../math.js';
import type { PickContext, PickResult, PickedFinding } from './types.js';

/** Credential stores and names that say "secret". */
export const SECRET_FILE = /\.(kdbx?|psafe3|pfx|p12|pem|key|ppk|ovpn|rdp|keychain|wallet)$|passw|secret|credential|confidential|vault|ntds\.dit|\bsam\b|shadow/i;

const UPLOAD = /^(STOR|STOU|APPE|PUT)$/i;
const DOWNLOAD = /^(RETR|GET)$/i;

/** Step rows: per src/dest pair with uploads, downloads, sessions, files, accounts. */
export function ftpPairs(ctx: PickContext): PickResult {
  // how many internal clients use each server: a server the whole office uses is a service
  const clientsOf = new Map<string, Set<string>>();
  for (const r of ctx.rows) (clientsOf.get(str(r.dest)) ?? clientsOf.set(str(r.dest), new Set()).get(str(r.dest))!).add(str(r.src));
  const internalClients = new Set(ctx.rows.map((r) => str(r.src)).filter(isInternal));
  const scored = ctx.rows.map((r) => {
    const src = str(r.src), dest = str(r.dest);
    const uploads = num(r.uploads), downloads = num(r.downloads);
    const files = num(r.upload_files);
    const outbound = isInternal(src) && !isInternal(dest);
    const share = (clientsOf.get(dest)?.size ?? 1) / Math.max(1, internalClients.size);
    const secrets = strs(r.upload_names).filter((f) => SECRET_FILE.test(f)).length;
    let score = 0;
    if (outbound && uploads > 0) {
      const users = clientsOf.get(dest)?.size ?? 1;
      // a server few of our hosts use is rarer (RITA's prevalence idea); one most of a busy office uses is a service
      score = 0.5 + 0.3 * clamp01(Math.log10(1 + files) / 3) + (secrets ? 0.1 : 0) + (users <= 2 || share <= 0.1 ? 0.1 : share >= 0.5 && users >= 5 ? -0.3 : 0);
    } else if (outbound) score = 0.2 * clamp01(Math.log10(1 + downloads) / 2) + (share <= 0.1 ? 0.05 : 0);
    else score = 0.05 * clamp01(Math.log10(1 + uploads) / 3);
    return { r, src, dest, uploads, downloads, files, outbound, share, secrets, score: clamp01(score) };
  }).sort((a, b) => b.score - a.score || b.uploads - a.uploads);

  // an analyst's --param exfil_dests=... (or dest=...) replaces the pick
  const pinned = ([] as string[]).concat((ctx.params.exfil_dests as string | string[] | undefined) ?? []);
  const hits = pinned.length ? scored.filter((s) => pinned.includes(s.dest)) : scored.filter((s) => s.outbound && s.uploads > 0 && s.score >= 0.5);
  const dests = [...new Set(hits.map((h) => h.dest))];
  const findings: PickedFinding[] = [];
  for (const d of dests) {
    const pairs = hits.filter((h) => h.dest === d);
    const up = pairs.reduce((a, p) => a + p.uploads, 0);
    const files = pairs.reduce((a, p) => a + p.files, 0);
    const accounts = [...new Set(pairs.flatMap((p) => strs(p.r.accounts)))];
    findings.push({
      role: 'exfil_destination', value: d, score: Math.max(...pairs.map((p) => p.score)),
      why: `external FTP server receiving ${up} uploads (${files} distinct files) from ${pairs.map((p) => labelOf(ctx.assets, p.src)).join(', ')}${accounts.length ? ` as ${accounts.join(', ')}` : ''}; ${clientsOf.get(d)?.size ?? 0} of ${internalClients.size} internal FTP clients use it`,
      rows: ctx.rows.filter((r) => str(r.dest) === d),
    });
  }
  return {
    params: dests.length ? { exfil_dests: dests, exfil_dest: dests[0]! } : {},
    findings,
    ranking: {
      fields: ['src', 'dest', 'score', 'direction', 'uploads', 'downloads', 'upload_files', 'sessions', 'accounts', 'secret_files', 'dest_clients'],
      rows: scored.slice(0, 40).map((s) => ({
        src: s.src, dest: s.dest, score: round(s.score), direction: s.outbound ? 'internal → external' : isInternal(s.dest) ? 'internal → internal' : 'other',
        uploads: s.uploads, downloads: s.downloads, upload_files: s.files, sessions: num(s.r.sessions), accounts: strs(s.r.accounts), secret_files: s.secrets, dest_clients: clientsOf.get(s.dest)?.size ?? 0,
      })),
    },
    notes: [
      `${scored.length} FTP client/server pairs; ${scored.filter((s) => s.outbound).length} from inside to the Internet, ${scored.filter((s) => s.outbound && s.uploads > 0).length} of them uploading`,
      dests.length ? `exfiltration candidates: ${dests.map((d) => labelOf(ctx.assets, d)).join(', ')}` : 'no internal host uploads to an external FTP server',
    ],
  };
}

interface Session {
  id: string;
  src: string;
  dest: string;
  start: number;
  end: number;
  uploads: { file: string; ok: boolean; code: number; row: Row }[];
  downloads: string[];
  accounts: Set<string>;
  rows: Row[];
}

/** Step rows: the FTP commands to the candidate servers in time order. */
export function ftpTransmissions(ctx: PickContext): PickResult {
  const gapUs = num(ctx.args.gap_seconds ?? 120) * 1e6;
  const sessions = new Map<string, Session>();
  for (const r of ctx.rows) {
    const id = str(r.sess) || `${str(r.src)}>${str(r.dest)}`;
    const t = num(r._time);
    const s = sessions.get(id) ?? sessions.set(id, { id, src: str(r.src), dest: str(r.dest), start: t, end: t, uploads: [], downloads: [], accounts: new Set(), rows: [] }).get(id)!;
    s.start = Math.min(s.start, t);
    s.end = Math.max(s.end, t);
    s.rows.push(r);
    const m = str(r.method);
    const file = str(r.filename) || str(r.method_parameter);
    const code = num(r.reply_code);
    if (UPLOAD.test(m) && file) s.uploads.push({ file, ok: !(code >= 400) && !/(^|\s)[45]\d\d\s/.test(strs(r.reply_content).slice(-1)[0] ?? ''), code, row: r });
    if (DOWNLOAD.test(m) && file) s.downloads.push(file);
    if (/^USER$/i.test(m) && str(r.method_parameter)) s.accounts.add(str(r.method_parameter));
    else if (str(r.user) && !/^USER$/i.test(m) && str(r.user) !== '-') s.accounts.add(str(r.user));
  }
  // transmissions: upload sessions of one client, merged when the next starts within the gap
  const ups = [...sessions.values()].filter((s) => s.uploads.length).sort((a, b) => a.start - b.start);
  const txs: Session[][] = [];
  for (const s of ups) {
    const last = txs.find((t) => t[0]!.src === s.src && t[0]!.dest === s.dest && s.start - Math.max(...t.map((x) => x.end)) <= gapUs);
    if (last) last.push(s);
    else txs.push([s]);
  }
  txs.sort((a, b) => a[0]!.start - b[0]!.start);
  const findings: PickedFinding[] = [];
  const sentBefore = new Set<string>();
  const fileInfo = new Map<string, { txs: number[]; sent: number; failed: number; rows: Row[] }>();
  const txRows = txs.map((t, i) => {
    const n = i + 1;
    const uploads = t.flatMap((s) => s.uploads);
    const files = [...new Set(uploads.map((u) => u.file))];
    const failed = [...new Set(uploads.filter((u) => !u.ok).map((u) => u.file))];
    const repeated = files.filter((f) => sentBefore.has(f));
    for (const u of uploads) {
      const e = fileInfo.get(u.file) ?? fileInfo.set(u.file, { txs: [], sent: 0, failed: 0, rows: [] }).get(u.file)!;
      if (!e.txs.includes(n)) e.txs.push(n);
      e.sent++;
      if (!u.ok) e.failed++;
      if (e.rows.length < 5) e.rows.push(u.row);
    }
    for (const f of files) sentBefore.add(f);
    const start = Math.min(...t.map((s) => s.start)), end = Math.max(...t.map((s) => s.end));
    return {
      transmission: n, src: t[0]!.src, dest: t[0]!.dest, first: start, last: end, minutes: round((end - start) / 6e7, 1),
      sessions: t.length, files: files.length, repeated: repeated.length, failed, secret_files: files.filter((f) => SECRET_FILE.test(f)),
      accounts: [...new Set(t.flatMap((s) => [...s.accounts]))], sample: files.slice(0, 5),
    };
  });
  // sources: hosts that sent transmissions
  const bySrc = new Map<string, number[]>();
  for (const t of txRows) bySrc.set(t.src, [...(bySrc.get(t.src) ?? []), t.transmission]);
  for (const [src, ns] of bySrc) {
    const files = txRows.filter((t) => ns.includes(t.transmission)).reduce((a, t) => a + t.files, 0);
    findings.push({
      role: 'exfil_source', value: src, score: clamp01(0.6 + 0.4 * clamp01(Math.log10(1 + files) / 3)),
      why: `${labelOf(ctx.assets, src)} sent ${ns.length} transmission(s) (#${ns.join(', #')}) with ${files} files to ${[...new Set(txRows.filter((t) => t.src === src).map((t) => t.dest))].join(', ')}`,
      rows: txRows.filter((t) => t.src === src) as unknown as Row[],
    });
  }
  const accounts = new Map<string, number>();
  for (const s of sessions.values()) for (const a of s.accounts) accounts.set(a, (accounts.get(a) ?? 0) + s.uploads.length + s.downloads.length + 1);
  for (const [a, n] of accounts) {
    const upSessions = [...sessions.values()].filter((s) => s.accounts.has(a) && s.uploads.length).length;
    if (!upSessions) continue;
    findings.push({
      role: 'exfil_account', value: a, score: clamp01(0.6 + 0.4 * clamp01(upSessions / Math.max(1, ups.length))),
      why: `FTP login used in ${upSessions} upload session(s) and ${[...sessions.values()].filter((s) => s.accounts.has(a)).length} session(s) in all (${n} commands)`,
      rows: [...sessions.values()].filter((s) => s.accounts.has(a)).flatMap((s) => s.rows.filter((r) => /^USER$/i.test(str(r.method)))).slice(0, 10),
    });
  }
  for (const [f, e] of fileInfo) {
    const secret = SECRET_FILE.test(f);
    const allFailed = e.failed === e.sent;
    const score = clamp01(0.5 + (secret ? 0.4 : 0) + (e.sent > 1 ? 0.05 : 0) + (e.failed ? 0.05 : 0));
    findings.push({
      role: 'exfil_file', value: f, score,
      why: `${allFailed ? 'upload attempted but failed' : e.failed ? `uploaded ${e.sent - e.failed}×, failed ${e.failed}×` : `uploaded ${e.sent}×`} in transmission ${e.txs.map((n) => '#' + n).join(', ')}${secret ? '; a credential/secret file' : ''}`,
      rows: e.rows,
    });
  }
  const files = [...fileInfo.keys()];
  return {
    params: {
      ...(files.length ? { exfil_files: files } : {}),
      ...(bySrc.size ? { exfil_sources: [...bySrc.keys()] } : {}),
    },
    findings,
    ranking: { fields: ['transmission', 'src', 'dest', 'first', 'last', 'minutes', 'sessions', 'files', 'repeated', 'failed', 'secret_files', 'accounts', 'sample'], rows: txRows as unknown as Row[] },
    notes: [
      `${sessions.size} FTP sessions to the candidate servers: ${ups.length} with uploads, ${[...sessions.values()].filter((s) => s.downloads.length && !s.uploads.length).length} download-only (tools brought in: ${[...new Set([...sessions.values()].flatMap((s) => s.downloads))].slice(0, 10).join(', ') || 'none'})`,
      `${txRows.length} transmissions (upload sessions of one client less than ${gapUs / 1e6} s apart are one transmission): ${txRows.map((t) => `#${t.transmission} ${t.files} file(s)${t.failed.length ? `, failed ${t.failed.join(', ')}` : ''}`).join('; ')}`,
    ],
  };
}

/** Step rows: ftp.exe process creations; flags scripts passed with -s: and named unlike scripts. */
export function ftpProcesses(ctx: PickContext): PickResult {
  const scripts = new Map<string, { hosts: Set<string>; count: number }>();
  const ranked = ctx.rows.map((r) => {
    const cmd = str(r.cmd);
    const m = /(?:^|\s)[-/]s:\s*"?([^"\s]+)"?/i.exec(cmd);
    const script = m?.[1];
    const odd = script ? !/\.(txt|scr|ftp|cmd|bat)$/i.test(script) : false;
    if (script) {
      const e = scripts.get(script) ?? scripts.set(script, { hosts: new Set(), count: 0 }).get(script)!;
      e.hosts.add(str(r.host));
      e.count += num(r.count) || 1;
    }
    const open = /\bopen\s+(\S+)/i.exec(cmd)?.[1];
    return { ...r, script: script ?? '', script_named_unlike_a_script: odd ? 'yes' : '', opens: open ?? '' };
  });
  const odd = [...scripts.entries()].filter(([s]) => !/\.(txt|scr|ftp|cmd|bat)$/i.test(s));
  return {
    params: scripts.size ? { ftp_scripts: [...scripts.keys()] } : {},
    ranking: { fields: [...ctx.fields, 'script', 'script_named_unlike_a_script', 'opens'], rows: ranked },
    notes: [
      scripts.size ? `ftp.exe ran scripts with -s: ${[...scripts.entries()].map(([s, e]) => `${s} (${e.count}× on ${[...e.hosts].join(', ')})`).join('; ')}` : 'no ftp.exe -s: scripts in endpoint logs',
      ...(odd.length ? [`scripts named like binaries, to hide what they are: ${odd.map(([s]) => s).join(', ')}`] : []),
    ],
    sourcetypes: [...new Set(ctx.rows.flatMap((r) => strs(r.sourcetype)))],
  };
}
