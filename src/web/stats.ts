/**
 * The Statistics tab: the result table, sortable by any column (on the values, while
 * `fieldformat` values are what is shown), paged.
 */
import type { Results, Row } from './api.js';
import { h, replace } from './dom.js';
import { fmtCount, fmtDateTime, valueText } from './util.js';

const PER_PAGE = 100;

export function createStatsView(o: { tz(): string; addTerm(field: string, value: string, negate: boolean): void }) {
  const pager = h('div', { class: 'st-pager' });
  const wrap = h('div', { class: 'st-wrap' });
  const el = h('div', { class: 'stats' }, pager, wrap);
  let res: Results | null = null;
  let order: number[] = [];
  let sortBy: { field: string; dir: 1 | -1 } | null = null;
  let page = 0;

  function cellText(row: Row, disp: Record<string, string> | undefined, f: { name: string; type: string }): string {
    if (disp && disp[f.name] !== undefined) return disp[f.name]!;
    const v = row[f.name];
    if (f.name === '_time' && typeof v === 'number') return fmtDateTime(v, o.tz());
    return valueText(v);
  }

  function sortRows() {
    order = res ? res.rows.map((_, i) => i) : [];
    if (!res || !sortBy) return;
    const { field, dir } = sortBy;
    const rows = res.rows;
    order.sort((a, b) => {
      const va = rows[a]![field];
      const vb = rows[b]![field];
      if (va === undefined || va === null) return vb === undefined || vb === null ? 0 : 1;
      if (vb === undefined || vb === null) return -1;
      if (typeof va === 'number' && typeof vb === 'number') return (va - vb) * dir;
      const na = Number(va);
      const nb = Number(vb);
      if (!Array.isArray(va) && !Array.isArray(vb) && va !== '' && vb !== '' && Number.isFinite(na) && Number.isFinite(nb)) return (na - nb) * dir;
      return valueText(va).localeCompare(valueText(vb), undefined, { numeric: true }) * dir;
    });
  }

  function render() {
    if (!res) {
      replace(wrap, h('div', { class: 'empty muted' }, 'Run a search with a transforming command (stats, chart, timechart, top…) to see a table.'));
      replace(pager);
      return;
    }
    const fields = res.fields;
    const pages = Math.max(1, Math.ceil(res.rows.length / PER_PAGE));
    page = Math.min(page, pages - 1);
    const head = h(
      'tr',
      null,
      ...fields.map((f) => {
        const active = sortBy?.field === f.name;
        return h(
          'th',
          { class: `${isNumType(f.type) ? 'num ' : ''}${active ? 'sorted' : ''}`, title: `Sort by ${f.name}` },
          h('button', {
            class: 'th-btn',
            type: 'button',
            on: {
              click: () => {
                sortBy = active ? { field: f.name, dir: sortBy!.dir === 1 ? -1 : 1 } : { field: f.name, dir: isNumType(f.type) ? -1 : 1 };
                sortRows();
                page = 0;
                render();
              },
            },
          }, f.name, h('span', { class: 'sort-ind' }, active ? (sortBy!.dir === 1 ? ' ▲' : ' ▼') : ' ⇅')),
        );
      }),
    );
    const body = h('tbody');
    for (const i of order.slice(page * PER_PAGE, (page + 1) * PER_PAGE)) {
      const row = res.rows[i]!;
      const disp = res.display?.[i];
      body.appendChild(
        h(
          'tr',
          null,
          ...fields.map((f) => {
            const v = row[f.name];
            const text = cellText(row, disp, f);
            const numeric = typeof v === 'number';
            return h('td', { class: numeric ? 'num' : Array.isArray(v) ? 'mv' : '' }, text);
          }),
        ),
      );
    }
    replace(wrap, h('table', { class: 'st-table', dataset: { rows: String(res.rows.length) } }, h('thead', null, head), body));
    replace(
      pager,
      h('span', { class: 'muted' }, `${fmtCount(res.total)} results${res.total > res.rows.length ? ` (first ${fmtCount(res.rows.length)} shown)` : ''}`),
      h('span', { class: 'grow' }),
      pages > 1 ? h('button', { class: 'btn small', type: 'button', disabled: page === 0, on: { click: () => ((page = Math.max(0, page - 1)), render()) } }, '‹ Prev') : null,
      pages > 1 ? h('span', { class: 'muted small' }, `page ${page + 1} of ${pages}`) : null,
      pages > 1 ? h('button', { class: 'btn small', type: 'button', disabled: page >= pages - 1, on: { click: () => ((page = Math.min(pages - 1, page + 1)), render()) } }, 'Next ›') : null,
    );
  }

  return {
    el,
    set(r: Results | null) {
      res = r;
      sortBy = null;
      page = 0;
      sortRows();
      render();
      el.dataset.state = r ? 'ready' : 'empty';
    },
  };
}

export function isNumType(t: string): boolean {
  return t === 'num' || t === 'int';
}
