/**
 * The fields sidebar: selected fields and interesting fields (in ≥ 20 % of events); a field
 * opens its top values with count and percent, and a value adds `field="value"` to the search.
 */
import type { FieldSummary, Summary } from './api.js';
import { h, replace } from './dom.js';
import { fmtCount } from './util.js';

export interface FieldsOptions {
  selected(): string[];
  toggleSelected(name: string): void;
  addTerm(field: string, value: string, negate: boolean): void;
  runSearch(suffix: string): void;
  /** the events search a pivot starts from (the search before any transforming pipe) */
}

const typeMark = (f: FieldSummary) => (f.type === 'num' || f.type === 'int' ? '#' : f.type === 'mv' ? '≡' : 'a');

export function createFieldsSidebar(o: FieldsOptions) {
  const body = h('div', { class: 'fs-body' });
  const pop = h('div', { class: 'fs-pop', role: 'dialog' });
  pop.hidden = true;
  const el = h('aside', { class: 'fields', 'aria-label': 'Fields' }, body, pop);
  let summary: Summary | null = null;
  let showAll = false;
  let open: string | null = null;

  function closePop() {
    pop.hidden = true;
    open = null;
  }

  function fieldRow(f: FieldSummary) {
    const sel = o.selected().includes(f.name);
    return h(
      'li',
      { class: `fs-field${open === f.name ? ' open' : ''}`, dataset: { field: f.name } },
      h('button', {
        class: 'fs-name',
        type: 'button',
        title: `${f.name}: ${fmtCount(f.count)} events (${f.coverage}%), ${fmtCount(f.distinctCount)} values`,
        on: { click: (ev) => showPop(f, (ev.currentTarget as HTMLElement).closest('li')!) },
      },
        h('span', { class: 'fs-type' }, typeMark(f)),
        h('span', { class: 'fs-label' }, f.name),
        h('span', { class: 'fs-dc' }, fmtCount(f.distinctCount)),
      ),
      h('button', {
        class: `fs-pin${sel ? ' on' : ''}`,
        type: 'button',
        title: sel ? 'Remove from selected fields' : 'Add to selected fields (shown under each event)',
        'aria-label': sel ? `Unselect ${f.name}` : `Select ${f.name}`,
        on: { click: () => (o.toggleSelected(f.name), render()) },
      }, sel ? '★' : '☆'),
    );
  }

  function showPop(f: FieldSummary, anchor: HTMLElement) {
    if (open === f.name && !pop.hidden) return closePop();
    open = f.name;
    const rows = f.topValues.map((v) =>
      h(
        'tr',
        null,
        h('td', { class: 'fv-val' }, h('button', { class: 'link', type: 'button', title: `Add ${f.name}="${v.value}" to the search`, on: { click: () => (closePop(), o.addTerm(f.name, v.value, false)) } }, v.value === '' ? '(empty)' : v.value)),
        h('td', { class: 'num' }, fmtCount(v.count)),
        h('td', { class: 'num' }, `${v.percent.toFixed(2)}%`),
        h('td', { class: 'fv-bar' }, barEl(v.percent)),
        h('td', null, h('button', { class: 'icon', type: 'button', title: `Exclude ${f.name}="${v.value}"`, 'aria-label': 'Exclude value', on: { click: () => (closePop(), o.addTerm(f.name, v.value, true)) } }, '⊘')),
      ),
    );
    const numeric = f.numeric
      ? h('div', { class: 'fv-num muted small' }, `min ${fmtNum(f.numeric.min)} · max ${fmtNum(f.numeric.max)} · avg ${fmtNum(f.numeric.mean)}`)
      : null;
    const fq = /^[A-Za-z_][\w.]*$/.test(f.name) ? f.name : `'${f.name}'`;
    replace(
      pop,
      h('div', { class: 'fv-head' }, h('b', null, f.name), h('button', { class: 'icon', type: 'button', 'aria-label': 'Close', on: { click: closePop } }, '×')),
      h('div', { class: 'muted small' }, `${fmtCount(f.count)} events (${f.coverage}%) · ${fmtCount(f.distinctCount)} distinct values`),
      numeric,
      h(
        'div',
        { class: 'fv-actions' },
        h('button', { class: 'chip', type: 'button', on: { click: () => (closePop(), o.runSearch(`| top limit=20 ${fq}`)) } }, 'Top values'),
        h('button', { class: 'chip', type: 'button', on: { click: () => (closePop(), o.runSearch(`| timechart count by ${fq} limit=10`)) } }, 'Top values by time'),
        h('button', { class: 'chip', type: 'button', on: { click: () => (closePop(), o.runSearch(`| rare limit=20 ${fq}`)) } }, 'Rare values'),
        h('button', { class: 'chip', type: 'button', on: { click: () => (closePop(), o.addTerm(f.name, '*', false)) } }, 'Events with this field'),
      ),
      h('table', { class: 'fv-table' }, h('thead', null, h('tr', null, h('th', null, `Top ${f.topValues.length} values`), h('th', { class: 'num' }, 'Count'), h('th', { class: 'num' }, '%'), h('th'), h('th'))), h('tbody', null, ...rows)),
    );
    pop.hidden = false;
    const top = anchor.offsetTop - body.scrollTop;
    pop.style.top = `${Math.max(0, top)}px`;
    render();
  }

  function render() {
    if (!summary) {
      replace(body, h('div', { class: 'muted small pad' }, 'Fields appear when the search has events.'));
      return;
    }
    const selectedNames = o.selected();
    const byName = new Map(summary.fields.map((f) => [f.name, f]));
    const selected = selectedNames.map((n) => byName.get(n)).filter((f): f is FieldSummary => !!f);
    const rest = summary.fields.filter((f) => !selectedNames.includes(f.name));
    const interesting = rest.filter((f) => f.interesting).sort((a, b) => a.name.localeCompare(b.name));
    const others = rest.filter((f) => !f.interesting).sort((a, b) => a.name.localeCompare(b.name));
    replace(
      body,
      summary.sampled ? h('div', { class: 'muted small pad' }, `Fields of the newest ${fmtCount(summary.eventCount)} events`) : null,
      h('h3', null, 'Selected fields'),
      h('ul', { class: 'fs-list', dataset: { list: 'selected' } }, ...selected.map(fieldRow)),
      h('h3', null, 'Interesting fields'),
      h('ul', { class: 'fs-list', dataset: { list: 'interesting' } }, ...interesting.map(fieldRow)),
      others.length
        ? h('button', { class: 'link small pad', type: 'button', on: { click: () => ((showAll = !showAll), render()) } }, showAll ? `Hide ${others.length} other fields` : `+ ${others.length} more fields`)
        : null,
      showAll ? h('ul', { class: 'fs-list', dataset: { list: 'other' } }, ...others.map(fieldRow)) : null,
    );
  }

  document.addEventListener('mousedown', (ev) => {
    if (!pop.hidden && !pop.contains(ev.target as Node) && !(ev.target as HTMLElement).closest?.('.fs-name')) closePop();
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') closePop();
  });

  return {
    el,
    set(s: Summary | null, loading = false) {
      summary = s;
      closePop();
      if (loading) replace(body, h('div', { class: 'muted small pad' }, 'Summarising fields…'));
      else render();
    },
    render,
  };
}

function barEl(pct: number): HTMLElement {
  const outer = h('span', { class: 'bar' });
  const inner = h('span', { class: 'bar-in' });
  inner.style.width = `${Math.max(1, Math.min(100, pct))}%`;
  outer.appendChild(inner);
  return outer;
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
