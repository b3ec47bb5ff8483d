/**
 * Hunt reports: JSON (the contract scripts read), Markdown, and one self-contained HTML file
 * (inline CSS, no scripts, every piece of data escaped — nothing from the logs is ever markup).
 */
import type { Row } from '../search/index.js';
import { displayTime } from '../search/output.js';
import { labelOf, type Assets } from './assets.js';
import { esc } from './escape.js';
import type { HuntResult, StepResult } from './types.js';

export type ReportFormat = 'json' | 'md' | 'html';

export interface ReportOptions {
  tz: string;
  assets?: Assets;
}

const TIME_FIELDS = /^(_time|first|last|earliest|latest|first_seen|last_seen|start|end)$/;

function cell(field: string, v: unknown, o: ReportOptions): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.slice(0, 12).map((x) => cell(field, x, o)).join(', ') + (v.length > 12 ? ` … (+${v.length - 12})` : '');
  if (typeof v === 'string' && TIME_FIELDS.test(field) && /^\d{9,16}(\.\d+)?$/.test(v)) v = Number(v);
  // _time comes as epoch µs, stats min(_time)/max(_time) as epoch seconds
  if (typeof v === 'number' && TIME_FIELDS.test(field) && v > 1e12) return displayTime(v, o.tz);
  if (typeof v === 'number' && TIME_FIELDS.test(field) && v > 1e8 && v < 1e11) return displayTime(v * 1e6, o.tz);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  const s = String(v);
  return o.assets ? labelOf(o.assets, s) : s;
}

export function renderReport(r: HuntResult, format: ReportFormat, o: ReportOptions): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  if (format === 'md') return markdown(r, o);
  if (format === 'html') return html(r, o);
  throw new Error(`unknown report format "${format}" (json, md, html)`);
}

function tableOf(step: StepResult): { fields: string[]; rows: Row[]; caption: string } {
  if (step.ranking) return { fields: step.ranking.fields, rows: step.ranking.rows, caption: 'ranked by the picker' };
  return { fields: step.fields.filter((f) => !f.startsWith('_q_') && f !== '_raw'), rows: step.rows, caption: `${step.rows.length} of ${step.total_rows} rows` };
}

// ---------- Markdown ----------

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(fields: string[], rows: Row[], o: ReportOptions): string {
  if (!fields.length) return '_no rows_\n';
  const out = [`| ${fields.map(mdCell).join(' | ')} |`, `| ${fields.map(() => '---').join(' | ')} |`];
  for (const r of rows) out.push(`| ${fields.map((f) => mdCell(cell(f, r[f], o))).join(' | ')} |`);
  return out.join('\n') + '\n';
}

function fence(s: string): string {
  const ticks = s.includes('```') ? '````' : '```';
  return `${ticks}spl\n${s}\n${ticks}\n`;
}

function markdown(r: HuntResult, o: ReportOptions): string {
  const L: string[] = [];
  L.push(`# Hunt: ${r.title} (\`${r.hunt}\`)`, '');
  L.push(`ATT&CK: ${r.techniques.map((t) => `${t.id} ${t.name}`).join('; ')}  `);
  L.push(`Index: \`${r.index}\`${r.earliest ? `, earliest ${r.earliest}` : ''}${r.latest ? `, latest ${r.latest}` : ''}; ran ${r.started} in ${r.ms} ms; sourcetypes that served: ${r.sourcetypes.join(', ') || 'none'}`, '');
  L.push(`**Hypothesis.** ${r.hypothesis}`, '', '**Questions.**', ...r.questions.map((q) => `- ${q}`), '');
  L.push('## Findings', '');
  if (r.findings.length) {
    L.push(mdTable(['role', 'value', 'score', 'why'], r.findings.slice(0, 60).map((f) => ({ role: f.role, value: f.value, score: f.score, why: f.why })), o));
    if (r.findings.length > 60) L.push(`… and ${r.findings.length - 60} more findings (see the JSON report).`, '');
  } else L.push('No findings: the hypothesis is not supported by this data.', '');
  L.push('## Steps', '');
  r.steps.forEach((s, i) => {
    L.push(`### ${i + 1}. ${s.title}`, '', s.why, '', fence(s.search));
    L.push(`_${s.status}${s.message ? `: ${s.message}` : ''}; ${s.total_rows} rows in ${s.ms} ms_`, '');
    for (const n of s.notes) L.push(`- ${n}`);
    if (s.notes.length) L.push('');
    if (s.status === 'ok') {
      const t = tableOf(s);
      L.push(mdTable(t.fields, t.rows, o), `_${t.caption}_`, '');
    }
    const picked = Object.entries(s.picked);
    if (picked.length) L.push(`Hands on: ${picked.map(([k, v]) => `\`${k}\` = ${Array.isArray(v) ? `${v.slice(0, 8).join(', ')}${v.length > 8 ? ` … (${v.length})` : ''}` : v}`).join('; ')}`, '');
  });
  L.push('## Diamond model', '');
  L.push(`- **Adversary:** ${r.diamond.adversary}`, `- **Capability:** ${r.diamond.capability}`, `- **Infrastructure:** ${r.diamond.infrastructure.join('; ') || '—'}`, `- **Victim:** ${r.diamond.victim.join('; ') || '—'}`, '');
  L.push('## Operationalize', '');
  for (const d of r.detections) L.push(`- **${d.name}** (${d.schedule}; fires when ${d.threshold.field} ${d.threshold.op} ${d.threshold.value}): ${d.description}`, '', fence(d.spl));
  if (r.iocs.length) L.push('Indicators to watch:', ...r.iocs.slice(0, 50).map((i) => `- ${i.role}: \`${i.value}\``), '');
  return L.join('\n');
}

// ---------- HTML ----------

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}h3{margin-top:1.4em}
pre{background:#f5f5f5;border:1px solid #ddd;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;margin:.5em 0;font-size:12px;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f0f0f0}
.meta{color:#555}.skipped{color:#a60}.error{color:#b00}.score{font-weight:bold}
.diamond{display:grid;grid-template-columns:1fr 1fr;gap:.6em}.diamond div{border:1px solid #ccc;padding:.6em;border-radius:4px}
.note{color:#444;margin:.2em 0}`;

function hTable(fields: string[], rows: Row[], o: ReportOptions): string {
  if (!fields.length) return '<p><em>no rows</em></p>';
  const head = `<tr>${fields.map((f) => `<th>${esc(f)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${fields.map((f) => `<td>${esc(cell(f, r[f], o))}</td>`).join('')}</tr>`).join('\n');
  return `<table>${head}\n${body}</table>`;
}

function html(r: HuntResult, o: ReportOptions): string {
  const H: string[] = [];
  H.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', `<title>${esc(`Quarry hunt: ${r.title}`)}</title>`, `<style>${CSS}</style></head><body>`);
  H.push(`<h1>${esc(r.title)} <small class="meta">(${esc(r.hunt)})</small></h1>`);
  H.push(`<p class="meta">ATT&amp;CK ${esc(r.techniques.map((t) => `${t.id} ${t.name}`).join('; '))} · index ${esc(r.index)}${r.earliest ? ` · earliest ${esc(r.earliest)}` : ''}${r.latest ? ` · latest ${esc(r.latest)}` : ''} · ran ${esc(r.started)} in ${esc(r.ms)} ms · sourcetypes that served: ${esc(r.sourcetypes.join(', ') || 'none')}</p>`);
  H.push(`<p><strong>Hypothesis.</strong> ${esc(r.hypothesis)}</p>`, '<ul>', ...r.questions.map((q) => `<li>${esc(q)}</li>`), '</ul>');
  H.push('<h2>Findings</h2>');
  if (r.findings.length) {
    H.push(hTable(['role', 'value', 'score', 'why'], r.findings.slice(0, 100).map((f) => ({ role: f.role, value: f.value, score: f.score, why: f.why })), o));
    if (r.findings.length > 100) H.push(`<p class="meta">… and ${esc(r.findings.length - 100)} more findings (JSON report).</p>`);
  } else H.push('<p>No findings: the hypothesis is not supported by this data.</p>');
  H.push('<h2>Steps</h2>');
  r.steps.forEach((s, i) => {
    H.push(`<h3>${esc(`${i + 1}. ${s.title}`)}</h3>`, `<p>${esc(s.why)}</p>`, `<pre>${esc(s.search)}</pre>`);
    H.push(`<p class="meta ${esc(s.status)}">${esc(`${s.status}${s.message ? `: ${s.message}` : ''} · ${s.total_rows} rows in ${s.ms} ms`)}</p>`);
    for (const n of s.notes) H.push(`<p class="note">• ${esc(n)}</p>`);
    if (s.chart) H.push(`<figure>${s.chart.svg}<figcaption class="meta">${esc(s.chart.title)}</figcaption></figure>`);
    if (s.status === 'ok') {
      const t = tableOf(s);
      H.push(hTable(t.fields, t.rows, o), `<p class="meta">${esc(t.caption)}</p>`);
    }
    const picked = Object.entries(s.picked);
    if (picked.length) H.push(`<p class="note">Hands on: ${esc(picked.map(([k, v]) => `${k} = ${Array.isArray(v) ? `${v.slice(0, 8).join(', ')}${v.length > 8 ? ` … (${v.length})` : ''}` : v}`).join('; '))}</p>`);
  });
  H.push('<h2>Diamond model</h2><div class="diamond">');
  H.push(`<div><strong>Adversary</strong><br>${esc(r.diamond.adversary)}</div>`);
  H.push(`<div><strong>Infrastructure</strong><br>${r.diamond.infrastructure.map(esc).join('<br>') || '—'}</div>`);
  H.push(`<div><strong>Capability</strong><br>${esc(r.diamond.capability)}</div>`);
  H.push(`<div><strong>Victim</strong><br>${r.diamond.victim.map(esc).join('<br>') || '—'}</div>`);
  H.push('</div>', '<h2>Detections to operationalize</h2>');
  for (const d of r.detections) H.push(`<h3>${esc(d.name)}</h3><p>${esc(d.description)} <span class="meta">(schedule ${esc(d.schedule)}; fires when ${esc(`${d.threshold.field} ${d.threshold.op} ${d.threshold.value}`)})</span></p><pre>${esc(d.spl)}</pre>`);
  if (r.iocs.length) H.push('<h3>Indicators to watch</h3><ul>', ...r.iocs.slice(0, 50).map((i) => `<li>${esc(`${i.role}: ${i.value}`)}</li>`), '</ul>');
  H.push('</body></html>');
  return H.join('\n') + '\n';
}
