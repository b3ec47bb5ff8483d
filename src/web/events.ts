/**
 * The Events tab: newest first, the raw event with the search terms highlighted (DOM text
 * nodes and <mark>, never HTML), expandable into its fields, fetched in pages and virtualised:
 * only the rows in view exist in the DOM, so 100k events scroll smoothly.
 */
import { api, type Row } from './api.js';
import { h, replace } from './dom.js';
import { fmtCount, fmtEventTime, highlighted, valueText } from './util.js';

export interface EventsOptions {
  tz(): string;
  selected(): string[];
  addTerm(field: string, value: string, negate: boolean): void;
}

const ROW_H = 68;
const PAGE = 200;
const RAW_CLIP = 2000;
const INTERNAL = new Set(['_raw', '_time']);

export function createEventsView(o: EventsOptions) {
  const spacer = h('div', { class: 'ev-spacer' });
  const scroller = h('div', { class: 'ev-scroll', tabindex: '0', 'aria-label': 'Events' }, spacer);
  const header = h('div', { class: 'ev-head' }, h('span', { class: 'ev-c-exp' }), h('span', { class: 'ev-c-time' }, 'Time'), h('span', null, 'Event'));
  const el = h('div', { class: 'events' }, header, scroller);

  let sid: string | null = null;
  let total = 0;
  let re: RegExp | null = null;
  let pages = new Map<number, Row[]>();
  let head: Row[] = []; // the job's first rows, answered before the full page
  let loading = new Set<number>();
  let expanded = new Map<number, number>(); // index → measured height
  let rendered = new Map<number, HTMLElement>();
  let gen = 0;
  let raf = 0;

  const sortedExpanded = () => [...expanded.keys()].sort((a, b) => a - b);
  function offsetOf(i: number): number {
    let y = i * ROW_H;
    for (const [k, hgt] of expanded) if (k < i) y += hgt - ROW_H;
    return y;
  }
  function heightOf(i: number): number {
    return expanded.get(i) ?? ROW_H;
  }
  function indexAt(y: number): number {
    let extra = 0;
    for (const e of sortedExpanded()) {
      const i = Math.floor((y - extra) / ROW_H);
      if (i < e) return i;
      const top = e * ROW_H + extra;
      const hgt = expanded.get(e)!;
      if (y < top + hgt) return e;
      extra += hgt - ROW_H;
    }
    return Math.floor((y - extra) / ROW_H);
  }
  const totalHeight = () => offsetOf(total);

  function rowAt(i: number): Row | undefined {
    return pages.get(Math.floor(i / PAGE))?.[i % PAGE] ?? head[i];
  }

  async function load(page: number) {
    if (!sid || pages.has(page) || loading.has(page)) return;
    const my = gen;
    loading.add(page);
    try {
      const r = await api.events(sid, page * PAGE, PAGE);
      if (my !== gen) return;
      pages.set(page, r.rows);
      if (r.total !== null && r.total !== undefined && page === 0 && total === 0) total = r.total;
      if (page === 0 && total < r.rows.length) total = r.rows.length;
      schedule(true);
    } catch {
      /* the job went away: leave the rows empty */
    } finally {
      loading.delete(page);
    }
  }

  function fieldsLine(row: Row): HTMLElement {
    const line = h('div', { class: 'ev-fields' });
    for (const name of o.selected()) {
      const v = row[name];
      if (v === undefined || v === null) continue;
      const text = valueText(v);
      line.appendChild(
        h('span', { class: 'kv' }, h('span', { class: 'k' }, name), ' = ', h('button', { class: 'v link', type: 'button', title: `Add ${name}="${text}" to the search`, on: { click: () => o.addTerm(name, text, false) } }, text)),
      );
    }
    return line;
  }

  function detail(row: Row): HTMLElement {
    const names = Object.keys(row).filter((k) => !INTERNAL.has(k)).sort((a, b) => a.localeCompare(b));
    const body = h('tbody');
    for (const n of names) {
      const vals = Array.isArray(row[n]) ? (row[n] as unknown[]).map(valueText) : [valueText(row[n])];
      body.appendChild(
        h(
          'tr',
          null,
          h('td', { class: 'ev-dk' }, n),
          h('td', { class: 'ev-dv' }, ...vals.map((v) => h('button', { class: 'link v', type: 'button', title: `Add ${n}="${v}" to the search`, on: { click: () => o.addTerm(n, v, false) } }, v))),
        ),
      );
    }
    return h('table', { class: 'ev-detail' }, h('thead', null, h('tr', null, h('th', null, 'Field'), h('th', null, 'Value'))), body);
  }

  function buildRow(i: number): HTMLElement {
    const row = rowAt(i);
    const isOpen = expanded.has(i);
    const el = h('div', { class: `ev-row${isOpen ? ' open' : ''}${i % 2 ? ' odd' : ''}`, dataset: { index: String(i) } });
    el.style.top = `${offsetOf(i)}px`;
    if (!isOpen) el.style.height = `${ROW_H}px`;
    if (!row) {
      el.appendChild(h('div', { class: 'ev-loading muted' }, 'Loading…'));
      return el;
    }
    const tm = typeof row._time === 'number' ? fmtEventTime(row._time, o.tz()) : null;
    const raw = valueText(row._raw ?? '');
    const rawText = isOpen ? raw : raw.slice(0, RAW_CLIP);
    el.append(
      h('button', {
        class: 'ev-exp icon',
        type: 'button',
        'aria-label': isOpen ? 'Collapse event' : 'Show all fields',
        'aria-expanded': String(isOpen),
        on: { click: () => toggle(i) },
      }, isOpen ? '▾' : '▸'),
      h('div', { class: 'ev-time mono' }, tm ? h('span', null, tm.date) : null, tm ? h('span', null, tm.time) : null),
      h('div', { class: 'ev-main' }, h('div', { class: `ev-raw mono${isOpen ? ' full' : ''}` }, raw ? highlighted(rawText, re) : h('span', { class: 'muted' }, '(no _raw)')), fieldsLine(row), isOpen ? detail(row) : null),
    );
    return el;
  }

  function toggle(i: number) {
    if (expanded.has(i)) expanded.delete(i);
    else expanded.set(i, ROW_H * 4);
    rendered.get(i)?.remove();
    rendered.delete(i);
    render(true);
  }

  function render(force = false) {
    const top = scroller.scrollTop;
    const bottom = top + scroller.clientHeight;
    const first = Math.max(0, indexAt(top) - 4);
    const last = Math.min(total - 1, indexAt(bottom) + 4);
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last) / PAGE); p++) {
      if (total > 0 && !(p === 0 && last < head.length)) void load(p);
    }
    for (const [i, node] of rendered) {
      if (i < first || i > last || force) {
        node.remove();
        rendered.delete(i);
      }
    }
    for (let i = first; i <= last; i++) {
      if (rendered.has(i)) continue;
      const node = buildRow(i);
      spacer.appendChild(node);
      rendered.set(i, node);
      if (expanded.has(i)) {
        const hgt = node.offsetHeight;
        if (hgt && hgt !== expanded.get(i)) {
          expanded.set(i, hgt);
          // heights below changed: lay out again
          queueMicrotask(() => render(true));
        }
      }
    }
    spacer.style.height = `${totalHeight()}px`;
    el.dataset.rows = String(rendered.size);
    el.dataset.total = String(total);
    if (total === 0 && sid) {
      replace(spacer, h('div', { class: 'empty muted' }, 'No events.'));
      rendered.clear();
    }
  }

  function schedule(force = false) {
    if (raf) cancelAnimationFrame(raf);
    raf = requestAnimationFrame(() => {
      raf = 0;
      render(force);
    });
  }

  scroller.addEventListener('scroll', () => schedule(false));
  new ResizeObserver(() => schedule(true)).observe(scroller);

  return {
    el,
    /** a new search: forget rows; `firstPage` is the job's first page when already fetched */
    reset(newSid: string | null, regex: RegExp | null) {
      gen++;
      sid = newSid;
      re = regex;
      total = 0;
      pages = new Map();
      head = [];
      loading = new Set();
      expanded = new Map();
      rendered = new Map();
      replace(spacer);
      scroller.scrollTop = 0;
      el.dataset.state = 'empty';
    },
    setFirstPage(rows: Row[], knownTotal: number | null) {
      head = rows.slice(0, PAGE);
      total = Math.max(knownTotal ?? rows.length, rows.length);
      el.dataset.state = 'ready';
      render(true);
    },
    setTotal(n: number) {
      if (n !== total) {
        total = n;
        render(true);
      }
    },
    refresh: () => render(true),
    label: () => fmtCount(total),
  };
}
