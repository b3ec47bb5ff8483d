/**
 * Running a hunt: each step's SPL gets its $param$ slots filled from earlier steps (or --param),
 * runs through the ordinary search path, and its picker turns the rows into values for the next
 * steps and findings. Missing inputs skip a step (and say why) rather than guess.
 */
import { compileSearch, readRows, retryWithoutGuesses } from '../search/index.js';
import type { Store } from '../store/index.js';
import { contextOf, loadAssets, type Assets } from './assets.js';
import { svgChart } from './chart.js';
import { fill, isSet, slotsOf } from './params.js';
import { PICKERS } from './pickers/index.js';
import type { Finding, HuntDef, HuntResult, Params, RunOptions, StepResult } from './types.js';

const DEFAULT_TZ = 'America/Los_Angeles';

export async function executeHunt(store: Store, hunt: HuntDef, opts: RunOptions = {}, assetsIn?: Assets): Promise<HuntResult> {
  const t0 = Date.now();
  const tz = opts.tz ?? DEFAULT_TZ;
  const index = opts.index ?? '*';
  const assets = assetsIn ?? loadAssets([opts.lookupsDir, store.dir].filter((d): d is string => !!d));
  const aliasOf = (k: string) => hunt.params?.[k]?.alias_of ?? k;
  const pinned = new Set(Object.keys(opts.params ?? {}).map(aliasOf));
  const params: Params = { index };
  for (const [k, p] of Object.entries(hunt.params ?? {})) if (p.default !== undefined && !p.alias_of) params[k] = p.default;
  for (const [k, v] of Object.entries(opts.params ?? {})) params[aliasOf(k)] = v.includes(',') ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  const state = new Map<string, unknown>();
  const steps: StepResult[] = [];
  const findings = new Map<string, Finding>();
  const served = new Set<string>();

  // one connection for every step (UDFs registered once)
  const conn = await store.connect();
  try {
    for (const def of hunt.steps) {
      const st: StepResult = { id: def.id, title: def.title, why: def.why, search: def.spl, status: 'ok', fields: [], rows: [], total_rows: 0, ms: 0, picked: {}, notes: [] };
      steps.push(st);
      const missing = [...new Set([...(def.needs ?? []), ...slotsOf(def.spl)])].filter((n) => !isSet(params[n]));
      if (missing.length) {
        st.status = 'skipped';
        st.message = `skipped: no value for ${missing.map((m) => '$' + m + '$').join(', ')} (an earlier step found nothing to pivot on; set it with --param ${missing[0]}=...)`;
        opts.onStep?.(st, steps.length - 1);
        continue;
      }
      const t = Date.now();
      try {
        st.search = fill(def.spl, params);
        const search = st.search;
        const res = await retryWithoutGuesses(true, async (guesses) => {
          const compiled = await compileSearch(store, conn, search, { tz, earliest: opts.earliest, latest: opts.latest, now: opts.now, guesses });
          return { fields: compiled.fields.map((f) => f.name), rows: await readRows(conn, compiled.sql, compiled.fields, def.limit ?? 100000) };
        });
        st.fields = res.fields;
        st.total_rows = res.rows.length;
        st.rows = res.rows;
        if (def.pick) {
          const picker = PICKERS[def.pick.use];
          if (!picker) throw new Error(`unknown picker "${def.pick.use}"`);
          const out = picker({ rows: res.rows, fields: res.fields, params, args: def.pick.with ?? {}, assets, search: st.search, state });
          for (const [k, v] of Object.entries(out.params ?? {})) {
            if (pinned.has(k)) {
              if (JSON.stringify(v) !== JSON.stringify(params[k])) st.notes.push(`kept --param ${k} (the step would have picked ${Array.isArray(v) ? v.slice(0, 5).join(', ') : v})`);
              continue;
            }
            params[k] = v;
            st.picked[k] = v;
          }
          if (out.ranking) st.ranking = out.ranking;
          st.notes.push(...(out.notes ?? []));
          for (const s of out.sourcetypes ?? []) served.add(s);
          st.sourcetypes = out.sourcetypes;
          for (const f of out.findings ?? []) {
            const key = `${f.role}\u0000${f.value}`;
            const prev = findings.get(key);
            if (prev && prev.score >= f.score) continue;
            findings.set(key, {
              role: f.role, value: f.value, score: Math.round(f.score * 1000) / 1000, why: f.why,
              evidence: { search: st.search, rows: f.rows.slice(0, 50) },
              ...(contextOf(assets, f.value) ? { context: contextOf(assets, f.value) } : {}),
            });
          }
        }
        // a step without a picker grouped by sourcetype tells which ones served it
        if (!def.pick) for (const r of res.rows) if (typeof r.sourcetype === 'string') served.add(r.sourcetype);
        if (def.chart) {
          const svg = svgChart(res.rows, def.chart);
          if (svg) st.chart = { svg, title: def.chart.title };
        }
        st.rows = res.rows.slice(0, def.show ?? 50);
      } catch (e) {
        st.status = 'error';
        st.message = (e as Error).message;
      }
      st.ms = Date.now() - t;
      opts.onStep?.(st, steps.length - 1);
    }
  } finally {
    conn.closeSync();
  }

  const all = [...findings.values()];
  const order = new Map(hunt.diamond.infrastructure.concat(hunt.diamond.victim).map((r, i) => [r, i]));
  all.sort((a, b) => (order.get(a.role) ?? 99) - (order.get(b.role) ?? 99) || b.score - a.score || a.value.localeCompare(b.value));
  const valuesOf = (roles: string[]) => all.filter((f) => roles.includes(f.role)).map((f) => `${f.role}: ${f.value}${f.context?.host ? ` (${f.context.host})` : ''}`);
  return {
    hunt: hunt.id,
    title: hunt.title,
    techniques: hunt.techniques,
    hypothesis: hunt.hypothesis,
    questions: hunt.questions,
    index,
    ...(opts.earliest ? { earliest: opts.earliest } : {}),
    ...(opts.latest ? { latest: opts.latest } : {}),
    started: new Date(t0).toISOString(),
    ms: Date.now() - t0,
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) && v.length > 20 ? [...v.slice(0, 20), `… ${v.length - 20} more`] : v])),
    steps,
    findings: all,
    sourcetypes: [...served].sort(),
    diamond: {
      adversary: hunt.diamond.adversary,
      capability: hunt.diamond.capability,
      infrastructure: valuesOf(hunt.diamond.infrastructure).slice(0, 20),
      victim: valuesOf(hunt.diamond.victim).slice(0, 20),
    },
    detections: hunt.detections,
    iocs: all.filter((f) => hunt.iocs.includes(f.role)).map((f) => ({ role: f.role, value: f.value })),
  };
}
