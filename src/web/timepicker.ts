/**
 * The time range picker: presets, relative, date & time range (in the chosen zone) and
 * advanced (Splunk time modifiers), plus the zone itself.
 */
import { h, replace } from './dom.js';
import { epochToWall, fmtDateTime, wallToEpochMs } from './util.js';

export interface TimeRange {
  earliest: string;
  latest: string;
}

export const PRESETS: { label: string; earliest: string; latest: string }[] = [
  { label: 'Last 15 minutes', earliest: '-15m', latest: 'now' },
  { label: 'Last 60 minutes', earliest: '-60m@m', latest: 'now' },
  { label: 'Last 4 hours', earliest: '-4h@m', latest: 'now' },
  { label: 'Last 24 hours', earliest: '-24h@h', latest: 'now' },
  { label: 'Last 7 days', earliest: '-7d@h', latest: 'now' },
  { label: 'Last 30 days', earliest: '-30d@d', latest: 'now' },
  { label: 'Today', earliest: '@d', latest: 'now' },
  { label: 'Yesterday', earliest: '-1d@d', latest: '@d' },
  { label: 'Year to date', earliest: '@y', latest: 'now' },
  { label: 'All time', earliest: '', latest: '' },
];

export const ZONES = ['UTC', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney'];

const UNIT_NAMES: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mon: 'month', y: 'year' };

export function isEpoch(s: string): boolean {
  return /^\d{9,}(\.\d+)?$/.test(s);
}

/** What a range reads as: a preset's name, "Last 3 hours", or the absolute dates. */
export function rangeLabel(r: TimeRange, tz: string): string {
  const p = PRESETS.find((x) => x.earliest === r.earliest && x.latest === r.latest);
  if (p) return p.label;
  if (r.earliest === '' && (r.latest === '' || r.latest === 'now')) return 'All time';
  const rel = /^-(\d+)(s|m|h|d|w|mon|y)(@\w+)?$/.exec(r.earliest);
  if (rel && (r.latest === 'now' || r.latest === '')) {
    const n = Number(rel[1]);
    return `Last ${n} ${UNIT_NAMES[rel[2]!]}${n === 1 ? '' : 's'}`;
  }
  if (isEpoch(r.earliest) && isEpoch(r.latest)) {
    return `${fmtDateTime(Number(r.earliest) * 1e6, tz)} to ${fmtDateTime(Number(r.latest) * 1e6, tz)}`;
  }
  if (isEpoch(r.earliest) && !r.latest) return `Since ${fmtDateTime(Number(r.earliest) * 1e6, tz)}`;
  return `${r.earliest || 'beginning'} to ${r.latest || 'now'}`;
}

export interface PickerOptions {
  get(): { range: TimeRange; tz: string };
  apply(range: TimeRange, tz: string): void;
}

export function createTimePicker(o: PickerOptions): { el: HTMLElement; refresh(): void } {
  const label = h('span', { class: 'tp-label' });
  const button = h('button', { class: 'btn tp-button', type: 'button', 'aria-expanded': 'false', title: 'Time range' }, label, h('span', { class: 'caret' }, '▾'));
  const panel = h('div', { class: 'tp-panel', role: 'dialog', 'aria-label': 'Time range picker' });
  panel.hidden = true;
  const el = h('div', { class: 'tp' }, button, panel);

  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  };
  const refresh = () => {
    const { range, tz } = o.get();
    label.textContent = rangeLabel(range, tz);
    button.title = `${rangeLabel(range, tz)} (${tz})`;
  };

  const build = () => {
    const { range, tz } = o.get();
    const zoneSel = h('select', { class: 'tp-zone', 'aria-label': 'Time zone' });
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const z of [...new Set([tz, local, ...ZONES])]) zoneSel.appendChild(h('option', { value: z }, z === local ? `${z} (browser)` : z));
    zoneSel.value = tz;
    const zone = () => zoneSel.value;

    const presets = h(
      'div',
      { class: 'tp-presets' },
      ...PRESETS.map((p) =>
        h('button', { class: 'chip', type: 'button', on: { click: () => (close(), o.apply({ earliest: p.earliest, latest: p.latest }, zone())) } }, p.label),
      ),
    );

    const relN = h('input', { class: 'inp num', type: 'number', value: '24', 'aria-label': 'Amount' });
    const relU = h('select', { class: 'inp', 'aria-label': 'Unit' }, ...['m', 'h', 'd', 'w', 'mon', 'y'].map((u) => h('option', { value: u }, `${UNIT_NAMES[u]}s ago`)));
    relU.value = 'h';
    const relSnap = h('input', { type: 'checkbox', 'aria-label': 'Snap to the unit' });
    const relative = h(
      'div',
      { class: 'tp-row' },
      h('span', { class: 'muted' }, 'Last'),
      relN,
      relU,
      h('label', { class: 'muted small' }, relSnap, ' snap to start of unit'),
      h('button', {
        class: 'btn primary',
        type: 'button',
        on: {
          click: () => {
            const n = Math.max(1, Math.floor(Number(relN.value) || 1));
            close();
            o.apply({ earliest: `-${n}${relU.value}${relSnap.checked ? `@${relU.value}` : ''}`, latest: 'now' }, zone());
          },
        },
      }, 'Apply'),
    );

    const absE = h('input', { class: 'inp', type: 'datetime-local', step: '1', 'aria-label': 'Earliest' });
    const absL = h('input', { class: 'inp', type: 'datetime-local', step: '1', 'aria-label': 'Latest' });
    if (isEpoch(range.earliest)) absE.value = epochToWall(Number(range.earliest) * 1e6, tz);
    if (isEpoch(range.latest)) absL.value = epochToWall(Number(range.latest) * 1e6, tz);
    const absErr = h('span', { class: 'err small' });
    const absolute = h(
      'div',
      { class: 'tp-row' },
      h('span', { class: 'muted' }, 'Between'),
      absE,
      h('span', { class: 'muted' }, 'and'),
      absL,
      h('button', {
        class: 'btn primary',
        type: 'button',
        on: {
          click: () => {
            const e = absE.value ? wallToEpochMs(absE.value, zone()) : null;
            const l = absL.value ? wallToEpochMs(absL.value, zone()) : null;
            if (e === null && l === null) return void (absErr.textContent = 'Set at least one date.');
            if (e !== null && l !== null && l <= e) return void (absErr.textContent = 'The end must be after the start.');
            close();
            o.apply({ earliest: e === null ? '' : String(Math.floor(e / 1000)), latest: l === null ? '' : String(Math.ceil(l / 1000)) }, zone());
          },
        },
      }, 'Apply'),
      absErr,
    );

    const advE = h('input', { class: 'inp mono', value: range.earliest, placeholder: '-24h@h', 'aria-label': 'Earliest modifier' });
    const advL = h('input', { class: 'inp mono', value: range.latest, placeholder: 'now', 'aria-label': 'Latest modifier' });
    const advanced = h(
      'div',
      { class: 'tp-row' },
      h('span', { class: 'muted' }, 'Earliest'),
      advE,
      h('span', { class: 'muted' }, 'Latest'),
      advL,
      h('button', { class: 'btn primary', type: 'button', on: { click: () => (close(), o.apply({ earliest: advE.value.trim(), latest: advL.value.trim() }, zone())) } }, 'Apply'),
    );

    replace(
      panel,
      h('div', { class: 'tp-section' }, h('h4', null, 'Presets'), presets),
      h('div', { class: 'tp-section' }, h('h4', null, 'Relative'), relative),
      h('div', { class: 'tp-section' }, h('h4', null, 'Date & time range'), absolute),
      h('div', { class: 'tp-section' }, h('h4', null, 'Advanced'), advanced, h('div', { class: 'muted small' }, 'Splunk time modifiers: -7d@d, @w0, 08/23/2017:00:00:00, epoch seconds.')),
      h('div', { class: 'tp-section tp-zone-row' }, h('h4', null, 'Time zone'), zoneSel, h('button', { class: 'btn', type: 'button', on: { click: () => (close(), o.apply(o.get().range, zone())) } }, 'Use zone')),
    );
  };

  button.addEventListener('click', () => {
    if (panel.hidden) {
      build();
      panel.hidden = false;
      button.setAttribute('aria-expanded', 'true');
    } else close();
  });
  document.addEventListener('mousedown', (ev) => {
    if (!panel.hidden && !el.contains(ev.target as Node)) close();
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') close();
  });
  refresh();
  return { el, refresh };
}
