/**
 * The hunts page: the list of hunts; running one shows each step with its SPL (a link opens it
 * in the search page), its table, and the findings. Reads whatever shape the hunts module
 * returns defensively: `{ steps: [{ title, spl, fields, rows, findings }], findings }`.
 */
import { api, ApiError, type Row } from './api.js';
import { h, replace } from './dom.js';
import { valueText } from './util.js';

type Any = Record<string, unknown>;

export function createHuntsPage(o: { openSearch(spl: string): void; range(): { earliest: string; latest: string; tz: string } }) {
  const list = h('div', { class: 'hn-list' });
  const out = h('div', { class: 'hn-out' });
  const el = h('div', { class: 'hunts' }, h('h1', null, 'Hunts'), h('p', { class: 'muted' }, 'Each hunt is a chain of searches: a hypothesis, steps whose results pick what the next step looks at, and findings.'), list, out);

  function table(fields: string[], rows: Row[]) {
    return h(
      'table',
      { class: 'st-table' },
      h('thead', null, h('tr', null, ...fields.map((f) => h('th', null, f)))),
      h('tbody', null, ...rows.slice(0, 50).map((r) => h('tr', null, ...fields.map((f) => h('td', { class: typeof r[f] === 'number' ? 'num' : '' }, valueText(r[f])))))),
    );
  }

  function renderResult(res: Any) {
    const steps = Array.isArray(res.steps) ? (res.steps as Any[]) : [];
    const findings = Array.isArray(res.findings) ? (res.findings as unknown[]) : [];
    replace(
      out,
      ...steps.map((s, i) => {
        const spl = String(s.spl ?? s.search ?? '');
        const rows = (Array.isArray(s.rows) ? s.rows : Array.isArray(s.results) ? s.results : []) as Row[];
        const fields = Array.isArray(s.fields) ? (s.fields as unknown[]).map((f) => (typeof f === 'string' ? f : String((f as Any).name))) : rows[0] ? Object.keys(rows[0]) : [];
        return h(
          'section',
          { class: 'card hn-step', dataset: { step: String(i + 1) } },
          h('h3', null, `${i + 1}. ${String(s.title ?? s.name ?? 'Step')}`),
          s.why || s.description ? h('p', { class: 'muted small' }, String(s.why ?? s.description)) : null,
          spl ? h('div', { class: 'hn-spl' }, h('code', { class: 'mono' }, spl), h('button', { class: 'link small', type: 'button', on: { click: () => o.openSearch(spl) } }, 'Open in search')) : null,
          rows.length ? table(fields, rows) : h('p', { class: 'muted small' }, 'No rows.'),
          Array.isArray(s.findings) && s.findings.length ? h('ul', { class: 'hn-findings' }, ...(s.findings as unknown[]).map((f) => h('li', null, typeof f === 'string' ? f : JSON.stringify(f)))) : null,
        );
      }),
      findings.length ? h('section', { class: 'card' }, h('h2', null, 'Findings'), h('ul', { class: 'hn-findings' }, ...findings.map((f) => h('li', null, typeof f === 'string' ? f : JSON.stringify(f))))) : null,
      typeof res.report === 'string' && res.report.startsWith('/') ? h('p', null, h('a', { href: res.report }, 'Open the saved HTML report')) : null,
    );
  }

  async function load() {
    replace(out);
    try {
      const { hunts } = await api.hunts();
      replace(
        list,
        ...hunts.map((hu) =>
          h(
            'div',
            { class: 'card hn-item' },
            h('div', null, h('b', null, String(hu.title ?? hu.id)), hu.technique ? h('span', { class: 'chip' }, String(hu.technique)) : null),
            hu.description ? h('p', { class: 'muted small' }, String(hu.description)) : null,
            h('button', {
              class: 'btn primary',
              type: 'button',
              on: {
                click: async () => {
                  replace(out, h('p', { class: 'muted' }, `Running ${hu.id}…`));
                  try {
                    renderResult((await api.runHunt(hu.id, o.range())) as Any);
                  } catch (e) {
                    replace(out, h('p', { class: 'err' }, (e as Error).message));
                  }
                },
              },
            }, 'Run hunt'),
          ),
        ),
      );
    } catch (e) {
      replace(list, h('p', { class: 'muted' }, e instanceof ApiError && e.status === 501 ? 'Hunts are not installed in this build yet.' : `Could not list hunts: ${(e as Error).message}`));
    }
  }

  return { el, load };
}
