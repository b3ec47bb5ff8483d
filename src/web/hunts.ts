/**
 * The hunts page: the list of hunts (hypothesis, ATT&CK techniques, steps, the last saved
 * report); running one shows each step as it completes (polled), with its SPL (a link opens it in
 * the search page over the same time range), its chart and table, then the findings (role, value,
 * score, why, evidence) and a link to the saved HTML report.
 */
import { api, ApiError, type HuntFinding, type HuntInfo, type HuntRun, type HuntStep, type Row } from './api.js';
import { h, replace } from './dom.js';
import { rangeLabel } from './timepicker.js';
import { fmtCount, fmtDateTime, fmtDuration, valueText } from './util.js';

export interface HuntsPageOptions {
  /** the time range picker (shared with the search page) */
  picker: HTMLElement;
  range(): { earliest: string; latest: string; tz: string };
  /** go to a page of the workbench (an in-app navigation) */
  navigate(url: string): void;
}

const POLL_MS = 300;
/** columns that hold times: `_time` in epoch µs, stats min/max(_time) in epoch seconds */
const TIME_FIELDS = /^(_time|first|last|earliest|latest|first_seen|last_seen|start|end)$/;

export function createHuntsPage(o: HuntsPageOptions) {
  const list = h('div', { class: 'hn-list' });
  const out = h('div', { class: 'hn-out' });
  const el = h(
    'div',
    { class: 'hunts' },
    h(
      'div',
      { class: 'hn-head' },
      h('div', null,
        h('h1', null, 'Hunts'),
        h('p', { class: 'muted' }, 'A hunt is a chain of searches: a hypothesis, steps whose results pick what the next step looks at, and findings with a score and the reason. Run one over the time range on the right; each step’s search opens in the search page.'),
      ),
      h('div', { class: 'hn-range' }, h('span', { class: 'muted small' }, 'Time range'), o.picker),
    ),
    list,
    out,
  );
  let gen = 0;
  let current: HuntRun | null = null;
  /** the hunt whose run is shown */
  let selected: string | null = null;

  function searchUrl(spl: string, run: HuntRun): string {
    const p = new URLSearchParams({ q: spl });
    if (run.earliest) p.set('earliest', run.earliest);
    if (run.latest) p.set('latest', run.latest);
    p.set('tz', run.tz);
    return `/search?${p.toString()}`;
  }

  /** an in-app link: a plain click navigates inside the page, Ctrl/⌘-click opens a tab */
  function appLink(url: string, cls: string, ...text: string[]) {
    return h('a', {
      href: url,
      class: cls,
      on: {
        click: (ev) => {
          if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
          ev.preventDefault();
          o.navigate(url);
        },
      },
    }, ...text);
  }

  function cell(field: string, v: unknown, tz: string): string {
    let x = v;
    if (typeof x === 'string' && TIME_FIELDS.test(field) && /^\d{9,16}(\.\d+)?$/.test(x)) x = Number(x);
    if (typeof x === 'number' && TIME_FIELDS.test(field)) {
      if (x > 1e12) return fmtDateTime(x, tz);
      if (x > 1e8 && x < 1e11) return fmtDateTime(x * 1e6, tz);
    }
    if (typeof x === 'number' && !Number.isInteger(x)) return String(Math.round(x * 1000) / 1000);
    return valueText(x);
  }

  function table(fields: string[], rows: Row[], tz: string, cls = '') {
    return h(
      'div',
      { class: 'hn-table-wrap' },
      h(
        'table',
        { class: `st-table hn-table ${cls}` },
        h('thead', null, h('tr', null, ...fields.map((f) => h('th', { class: typeof rows[0]?.[f] === 'number' ? 'num' : '' }, h('span', { class: 'hn-th' }, f))))),
        h('tbody', null, ...rows.map((r) => h('tr', null, ...fields.map((f) => {
          const text = cell(f, r[f], tz);
          return h('td', { class: typeof r[f] === 'number' ? 'num' : '', title: text.length > 60 ? text : undefined }, text);
        })))),
      ),
    );
  }

  function stepCard(run: HuntRun, i: number) {
    const plan = run.plan[i]!;
    const s: HuntStep | undefined = run.steps[i];
    const n = `${i + 1}.`;
    if (!s) {
      const next = run.state === 'running' && i === run.steps.filter(Boolean).length;
      return h('section', { class: `card hn-step pending${next ? ' next' : ''}`, dataset: { step: String(i + 1), status: next ? 'running' : 'waiting' } },
        h('div', { class: 'hn-step-head' }, h('span', { class: 'hn-n' }, n), h('h3', null, plan.title), h('span', { class: 'hn-badge' }, next ? 'running…' : run.state === 'running' ? 'waiting' : 'not run')),
      );
    }
    const tbl = s.ranking ?? { fields: s.fields.filter((f) => !f.startsWith('_q_') && f !== '_raw'), rows: s.rows };
    const shown = tbl.rows.slice(0, 20);
    const picked = Object.entries(s.picked);
    return h(
      'section',
      { class: `card hn-step ${s.status}`, dataset: { step: String(i + 1), status: s.status } },
      h('div', { class: 'hn-step-head' },
        h('span', { class: 'hn-n' }, n),
        h('h3', null, s.title),
        h('span', { class: `hn-badge ${s.status}` }, s.status === 'ok' ? `${fmtCount(s.total_rows)} rows · ${fmtDuration(s.ms)}` : s.status),
      ),
      h('p', { class: 'hn-why' }, s.why),
      h('div', { class: 'hn-spl' }, h('code', { class: 'mono' }, s.search), appLink(searchUrl(s.search, run), 'btn small hn-open', 'Open in search ↗')),
      s.message ? h('p', { class: s.status === 'error' ? 'err small' : 'muted small' }, s.message) : null,
      s.notes.length ? h('ul', { class: 'hn-notes muted small' }, ...s.notes.map((x) => h('li', null, x))) : null,
      s.chart ? h('figure', { class: 'hn-chart' }, h('img', { src: s.chart.url, alt: s.chart.title, title: s.chart.title })) : null,
      s.status === 'ok'
        ? shown.length
          ? h('div', null,
              table(tbl.fields, shown, run.tz),
              h('p', { class: 'muted small' }, s.ranking ? `ranked by the step’s picker: ${shown.length} of ${fmtCount(s.ranking.rows.length)}` : `${shown.length} of ${fmtCount(s.total_rows)} rows`),
            )
          : h('p', { class: 'muted small' }, 'No rows.')
        : null,
      picked.length
        ? h('p', { class: 'hn-picked small' }, h('span', { class: 'muted' }, 'Hands on to the next steps: '),
            ...picked.flatMap(([k, v], j) => [j ? '; ' : '', h('code', null, k), ' = ', Array.isArray(v) ? `${v.slice(0, 6).join(', ')}${v.length > 6 ? ` … (${v.length})` : ''}` : v]))
        : null,
    );
  }

  function findingsCard(run: HuntRun) {
    if (run.state === 'running') return h('section', { class: 'card hn-findings-card' }, h('h2', null, 'Findings'), h('p', { class: 'muted' }, 'The findings appear when the last step has run.'));
    if (run.state === 'failed') return h('section', { class: 'card hn-findings-card' }, h('h2', null, 'Findings'), h('p', { class: 'err' }, `The hunt failed: ${run.error ?? 'unknown error'}`));
    if (!run.findings.length) return h('section', { class: 'card hn-findings-card' }, h('h2', null, 'Findings'), h('p', null, 'No findings: the hypothesis is not supported by this data in this time range.'));
    const row = (f: HuntFinding) =>
      h('tr', { dataset: { role: f.role } },
        h('td', { class: 'hn-role' }, h('span', { class: `role-chip role-${f.role.split('_')[0]}` }, f.role)),
        h('td', { class: 'hn-value mono' }, f.value, f.context?.host && f.context.host !== f.value ? h('span', { class: 'muted' }, ` (${f.context.host})`) : null),
        h('td', { class: 'num hn-score' }, String(f.score)),
        h('td', { class: 'hn-whyf' }, f.why),
        h('td', null, appLink(searchUrl(f.evidence.search, run), 'link small', 'evidence ↗')),
      );
    return h(
      'section',
      { class: 'card hn-findings-card' },
      h('h2', null, `Findings (${run.findings.length})`),
      h('div', { class: 'hn-table-wrap' },
        h('table', { class: 'st-table hn-findings' },
          h('thead', null, h('tr', null, ...['role', 'value', 'score', 'why', ''].map((x) => h('th', { class: x === 'score' ? 'num' : '' }, h('span', { class: 'hn-th' }, x))))),
          h('tbody', null, ...run.findings.map(row)),
        ),
      ),
    );
  }

  function renderRun(run: HuntRun) {
    const done = run.steps.filter(Boolean).length;
    const status =
      run.state === 'running'
        ? `Running step ${Math.min(done + 1, run.plan.length)} of ${run.plan.length}… ${fmtDuration(run.elapsedMs)}`
        : run.state === 'done'
          ? `✓ ${run.plan.length} steps in ${fmtDuration(run.elapsedMs)} · ${run.findings.length} findings`
          : 'Failed';
    replace(
      out,
      h('div', { class: 'hn-run', dataset: { state: run.state, hunt: run.hunt } },
        h('div', { class: 'hn-run-head' },
          h('h2', { class: 'hn-run-title' }, run.title),
          h('span', { class: 'muted small' }, `index=${run.index} · ${rangeLabel({ earliest: run.earliest, latest: run.latest }, run.tz)} · ${run.tz}`),
          h('span', { class: 'grow' }),
          h('span', { class: 'hn-status small' }, status),
          run.report ? h('a', { href: run.report, class: 'btn small hn-report', target: '_blank', rel: 'noopener' }, 'Open the saved HTML report ↗') : null,
        ),
        h('div', { class: 'progress', dataset: { state: run.state } }, h('div', { class: 'pg-fill', dataset: { w: String(done) } })),
        findingsCard(run),
        h('h2', { class: 'hn-steps-title' }, 'Steps'),
        ...run.plan.map((_, i) => stepCard(run, i)),
      ),
    );
    const fill = out.querySelector<HTMLElement>('.pg-fill');
    if (fill) fill.style.width = `${Math.round((run.state === 'running' ? done / Math.max(1, run.plan.length) : 1) * 100)}%`;
  }

  async function run(hu: HuntInfo) {
    const g = ++gen;
    selected = hu.id;
    for (const c of list.querySelectorAll<HTMLElement>('.hn-item')) c.classList.toggle('active', c.dataset.hunt === hu.id);
    replace(out, h('p', { class: 'muted' }, `Starting ${hu.title}…`));
    let rid: string;
    try {
      rid = (await api.startHunt(hu.id, o.range())).rid;
    } catch (e) {
      if (g === gen) replace(out, h('p', { class: 'err' }, (e as Error).message));
      return;
    }
    let shown = '';
    for (;;) {
      let st: HuntRun;
      try {
        st = await api.huntRun(rid);
      } catch (e) {
        if (g === gen) replace(out, h('p', { class: 'err' }, (e as Error).message));
        return;
      }
      if (g !== gen) return;
      current = st;
      // redraw when a step completed or the run ended, not on every poll
      const key = `${st.state}:${st.steps.filter(Boolean).length}`;
      if (key !== shown) renderRun(st);
      else out.querySelector('.hn-status')!.textContent = `Running step ${Math.min(st.steps.filter(Boolean).length + 1, st.plan.length)} of ${st.plan.length}… ${fmtDuration(st.elapsedMs)}`;
      shown = key;
      if (st.state !== 'running') {
        void load(false);
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  function huntCard(hu: HuntInfo) {
    return h(
      'div',
      { class: `card hn-item${hu.id === selected ? ' active' : ''}`, dataset: { hunt: hu.id } },
      h('h3', null, hu.title),
      h('div', { class: 'hn-techs' }, ...hu.techniques.map((t) => h('span', { class: 'tag', title: t.name }, t.id))),
      h('p', { class: 'hn-hyp small' }, hu.hypothesis),
      h('ol', { class: 'hn-plan muted small' }, ...hu.steps.map((s) => h('li', null, s.title))),
      h('div', { class: 'hn-actions' },
        h('button', { class: 'btn primary', type: 'button', on: { click: () => void run(hu) } }, '▶ Run hunt'),
        hu.report
          ? h('a', { href: hu.report.url, class: 'link small', target: '_blank', rel: 'noopener', title: `saved ${hu.report.saved}` }, 'Last report ↗')
          : h('span', { class: 'muted small' }, 'no saved report yet'),
      ),
    );
  }

  /** list the hunts; `fresh` also clears the last run (a visit to the page) */
  async function load(fresh = true) {
    if (fresh && !current) replace(out, h('p', { class: 'muted hn-empty' }, 'Pick a hunt and press Run: its steps appear here as they complete, then its findings.'));
    try {
      const { hunts } = await api.hunts();
      replace(list, ...(hunts.length ? hunts.map(huntCard) : [h('p', { class: 'muted' }, 'No hunts in this build.')]));
    } catch (e) {
      replace(list, h('p', { class: 'muted' }, e instanceof ApiError && e.status === 501 ? 'Hunts are not installed in this build yet.' : `Could not list hunts: ${(e as Error).message}`));
    }
  }

  return { el, load };
}
