/**
 * Quarry's workbench page: the search page (search bar, time range, progress, timeline, fields
 * sidebar, Events / Statistics / Visualization), the landing view, hunts and the login form.
 */
import type { EditorView } from '@codemirror/view';
import { api, ApiError, type ApiErrorBody, type JobStatus, type Row } from './api.js';
import { h, replace } from './dom.js';
import { createEventsView } from './events.js';
import { createFieldsSidebar } from './fields.js';
import { createHuntsPage } from './hunts.js';
import { createLanding } from './landing.js';
import { createSearchBar, setDoc, setVocabulary, showError } from './spl.js';
import { createStatsView } from './stats.js';
import { createTimeline } from './timeline.js';
import { createTimePicker, isEpoch, rangeLabel, type TimeRange } from './timepicker.js';
import { addTerm, fmtCount, fmtDuration, searchTerms, termsRegex } from './util.js';
import { createVizView } from './viz.js';

type Tab = 'events' | 'stats' | 'viz';
interface HistoryEntry {
  q: string;
  earliest: string;
  latest: string;
  tz: string;
  label: string;
  at: number;
}

declare global {
  interface Window {
    __quarry: { marks: Record<string, number>; sid: string | null; runs: number };
  }
}
window.__quarry = { marks: {}, sid: null, runs: 0 };

const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
const store = {
  get<T>(k: string, d: T): T {
    try {
      const v = localStorage.getItem(`quarry.${k}`);
      return v ? (JSON.parse(v) as T) : d;
    } catch {
      return d;
    }
  },
  set(k: string, v: unknown) {
    try {
      localStorage.setItem(`quarry.${k}`, JSON.stringify(v));
    } catch {
      /* private mode */
    }
  },
};

const state = {
  range: { earliest: '', latest: '' } as TimeRange,
  tz: store.get<string>('tz', 'UTC'),
  tab: 'events' as Tab,
  selected: store.get<string[]>('selected', ['host', 'source', 'sourcetype']),
  job: null as JobStatus | null,
  sid: null as string | null,
  gen: 0,
  user: null as string | null,
  authRequired: false,
};

const app = document.getElementById('app')!;

// --- top bar -----------------------------------------------------------------------------------
const navSearch = h('a', { href: '/', class: 'nav-link' }, 'Search');
const navHunts = h('a', { href: '/hunts', class: 'nav-link' }, 'Hunts');
const userBox = h('span', { class: 'user' });
const topbar = h(
  'header',
  { class: 'topbar' },
  h('a', { href: '/', class: 'brand', 'aria-label': 'Quarry home' }, h('span', { class: 'logo' }, '◆'), 'Quarry'),
  h('nav', null, navSearch, navHunts),
  h('span', { class: 'grow' }),
  userBox,
);
for (const a of [navSearch, navHunts, topbar.querySelector('.brand') as HTMLElement]) {
  a.addEventListener('click', (ev) => {
    ev.preventDefault();
    const href = (ev.currentTarget as HTMLAnchorElement).getAttribute('href')!;
    history.pushState(null, '', href);
    route();
  });
}

// --- search view -------------------------------------------------------------------------------
const editorHost = h('div', { class: 'sb-editor' });
const runBtn = h('button', { class: 'btn primary sb-run', type: 'button', title: 'Search (Enter)', 'aria-label': 'Search' }, '⌕ Search');
/** A time picker's choice: the range for this page, the zone remembered across visits. */
function applyRange(range: typeof state.range, tz: string): void {
  state.range = range;
  if (tz !== state.tz) {
    state.tz = tz;
    store.set('tz', tz);
  }
}
const picker = createTimePicker({
  get: () => ({ range: state.range, tz: state.tz }),
  apply(range, tz) {
    applyRange(range, tz);
    picker.refresh();
    if (editor.state.doc.toString().trim()) void runSearch();
  },
});
const historyBtn = h('button', { class: 'btn', type: 'button', title: 'Search history', 'aria-expanded': 'false' }, 'History ▾');
const historyPanel = h('div', { class: 'hist-panel', role: 'menu' });
historyPanel.hidden = true;
const searchRow = h('div', { class: 'searchbar' }, editorHost, picker.el, runBtn, h('div', { class: 'hist' }, historyBtn, historyPanel));

const progressFill = h('div', { class: 'pg-fill' });
const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Search progress' }, progressFill);
const statusText = h('span', { class: 'st-text' });
const cancelBtn = h('button', { class: 'btn small danger', type: 'button', title: 'Stop this search' }, '■ Cancel');
const exportCsv = h('a', { class: 'btn small', download: 'quarry.csv', title: 'Export the results as CSV' }, '⇩ CSV');
const exportJson = h('a', { class: 'btn small', download: 'quarry.json', title: 'Export the results as JSON lines' }, '⇩ JSON');
const shareBtn = h('button', { class: 'btn small', type: 'button', title: 'Copy a link to this search' }, 'Share link');
const statusRow = h('div', { class: 'statusrow', id: 'status' }, statusText, h('span', { class: 'grow' }), cancelBtn, shareBtn, exportCsv, exportJson);
const errorBox = h('div', { class: 'errorbox', role: 'alert' });
errorBox.hidden = true;

const timeline = createTimeline({
  tz: () => state.tz,
  zoomTo(a, b) {
    state.range = { earliest: String(Math.floor(a / 1e6)), latest: String(Math.ceil(b / 1e6)) };
    picker.refresh();
    void runSearch();
  },
  zoomOut() {
    let e: number | null = null;
    let l: number | null = null;
    if (isEpoch(state.range.earliest) && isEpoch(state.range.latest)) {
      e = Number(state.range.earliest) * 1e6;
      l = Number(state.range.latest) * 1e6;
    } else {
      const x = timeline.extent();
      if (x) [e, l] = [x.earliest, x.latest];
    }
    if (e === null || l === null) return;
    const w = Math.max(60e6, l - e);
    state.range = { earliest: String(Math.floor((e - w / 2) / 1e6)), latest: String(Math.ceil((l + w / 2) / 1e6)) };
    picker.refresh();
    void runSearch();
  },
  canZoomOut: () => !(state.range.earliest === '' && state.range.latest === '') && !!state.job,
});

const fields = createFieldsSidebar({
  selected: () => state.selected,
  toggleSelected(name) {
    state.selected = state.selected.includes(name) ? state.selected.filter((x) => x !== name) : [...state.selected, name];
    store.set('selected', state.selected);
    events.refresh();
  },
  addTerm: (f, v, neg) => applyTerm(f, v, neg),
  runSearch(suffix) {
    const q = editor.state.doc.toString();
    const i = q.indexOf('|');
    const base = i >= 0 ? q.slice(0, i).trimEnd() : q.trimEnd();
    setDoc(editor, `${base} ${suffix}`);
    void runSearch();
  },
});
const events = createEventsView({ tz: () => state.tz, selected: () => state.selected, addTerm: (f, v, n) => applyTerm(f, v, n) });
const stats = createStatsView({ tz: () => state.tz, addTerm: (f, v, n) => applyTerm(f, v, n) });
const viz = createVizView({ tz: () => state.tz });

const tabBtn = (t: Tab, label: string) =>
  h('button', { class: 'tab', type: 'button', role: 'tab', dataset: { tab: t }, on: { click: () => setTab(t) } }, h('span', { class: 'tab-label' }, label), h('span', { class: 'tab-count' }));
const tabs = { events: tabBtn('events', 'Events'), stats: tabBtn('stats', 'Statistics'), viz: tabBtn('viz', 'Visualization') };
const panes = {
  events: h('div', { class: 'pane', role: 'tabpanel' }, events.el),
  stats: h('div', { class: 'pane', role: 'tabpanel' }, stats.el),
  viz: h('div', { class: 'pane', role: 'tabpanel' }, viz.el),
};
const results = h(
  'div',
  { class: 'results' },
  timeline.el,
  h('div', { class: 'main' }, fields.el, h('div', { class: 'content' }, h('div', { class: 'tabs', role: 'tablist' }, tabs.events, tabs.stats, tabs.viz), panes.events, panes.stats, panes.viz)),
);
const landing = createLanding({
  run: (q) => {
    setDoc(editor, q);
    void runSearch();
  },
  history: () => loadHistory(),
  openHunts: () => navigate('/hunts'),
});
const searchView = h('div', { class: 'view search-view' }, searchRow, progress, statusRow, errorBox, landing.el, results);
/** an in-app navigation: the URL changes and the view follows (a search URL runs its search) */
function navigate(url: string) {
  history.pushState(null, '', url);
  route();
}
const huntsPicker = createTimePicker({
  get: () => ({ range: state.range, tz: state.tz }),
  apply(range, tz) {
    applyRange(range, tz);
    huntsPicker.refresh();
    picker.refresh();
  },
});
const huntsPage = createHuntsPage({ picker: huntsPicker.el, navigate, range: () => ({ ...state.range, tz: state.tz }) });
const huntsView = h('div', { class: 'view hunts-view' }, huntsPage.el);

const editor: EditorView = createSearchBar({ parent: editorHost, doc: '', nonce, onSubmit: () => void runSearch() });

function setTab(t: Tab) {
  state.tab = t;
  for (const [k, b] of Object.entries(tabs)) b.setAttribute('aria-selected', String(k === t));
  for (const [k, p] of Object.entries(panes)) p.hidden = k !== t;
  if (t === 'viz') viz.show();
  if (t === 'events') events.refresh();
}

function setCounts(ev: number | null, res: number | null) {
  tabs.events.querySelector('.tab-count')!.textContent = ev === null ? '' : ` (${fmtCount(ev)})`;
  tabs.stats.querySelector('.tab-count')!.textContent = res === null ? '' : ` (${fmtCount(res)})`;
}

function applyTerm(field: string, value: string, negate: boolean) {
  setDoc(editor, addTerm(editor.state.doc.toString(), field, value, negate));
  void runSearch();
}

// --- history and URL ---------------------------------------------------------------------------
function loadHistory(): HistoryEntry[] {
  return store.get<HistoryEntry[]>('history', []);
}
function remember(q: string) {
  const e: HistoryEntry = { q, earliest: state.range.earliest, latest: state.range.latest, tz: state.tz, label: rangeLabel(state.range, state.tz), at: Date.now() };
  const list = [e, ...loadHistory().filter((x) => !(x.q === q && x.earliest === e.earliest && x.latest === e.latest))].slice(0, 50);
  store.set('history', list);
}
historyBtn.addEventListener('click', () => {
  if (!historyPanel.hidden) return void (historyPanel.hidden = true);
  const list = loadHistory();
  replace(
    historyPanel,
    list.length === 0
      ? h('div', { class: 'muted small pad' }, 'No searches yet.')
      : h('ul', null, ...list.slice(0, 25).map((x) =>
          h('li', null, h('button', {
            class: 'hist-item',
            type: 'button',
            on: {
              click: () => {
                historyPanel.hidden = true;
                state.range = { earliest: x.earliest, latest: x.latest };
                state.tz = x.tz || state.tz;
                picker.refresh();
                setDoc(editor, x.q);
                void runSearch();
              },
            },
          }, h('span', { class: 'mono' }, x.q), h('span', { class: 'muted small' }, x.label))),
        )),
    list.length ? h('button', { class: 'link small pad', type: 'button', on: { click: () => (store.set('history', []), (historyPanel.hidden = true)) } }, 'Clear history') : null,
  );
  historyPanel.hidden = false;
});
document.addEventListener('mousedown', (ev) => {
  if (!historyPanel.hidden && !(ev.target as HTMLElement).closest('.hist')) historyPanel.hidden = true;
});

function searchUrl(q: string): string {
  const p = new URLSearchParams();
  p.set('q', q);
  if (state.range.earliest) p.set('earliest', state.range.earliest);
  if (state.range.latest) p.set('latest', state.range.latest);
  if (state.tz !== 'UTC') p.set('tz', state.tz);
  return `/search?${p.toString()}`;
}

shareBtn.addEventListener('click', async () => {
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    shareBtn.textContent = 'Link copied';
  } catch {
    shareBtn.textContent = 'Copy from the address bar';
  }
  setTimeout(() => (shareBtn.textContent = 'Share link'), 2000);
});

// --- running a search --------------------------------------------------------------------------
function showApiError(err: ApiErrorBody, q: string) {
  errorBox.hidden = false;
  const expanded = err.text && err.text !== q ? err.text : null;
  replace(
    errorBox,
    h('b', null, 'Error in the search: '),
    err.message,
    err.hint ? h('div', { class: 'hint' }, 'Hint: ', err.hint) : null,
    expanded && err.span
      ? h('div', { class: 'mono small expanded' }, 'After macro expansion: ', expanded.slice(0, err.span.start), h('span', { class: 'cm-spl-error' }, expanded.slice(err.span.start, Math.max(err.span.end, err.span.start + 1))), expanded.slice(Math.max(err.span.end, err.span.start + 1)))
      : null,
  );
  if (err.span && !expanded) showError(editor, err.span);
}

function setStatus(st: JobStatus | null, extra?: string) {
  statusRow.dataset.state = st?.state ?? 'idle';
  // nothing to say before the first search: no empty band above the landing view
  statusRow.hidden = !st && !extra;
  const running = st?.state === 'running' || st?.state === 'parsing';
  cancelBtn.hidden = !running;
  const done = st?.state === 'done';
  exportCsv.hidden = exportJson.hidden = !done;
  shareBtn.hidden = !st;
  if (st && done) {
    exportCsv.setAttribute('href', api.exportUrl(st.sid, 'csv'));
    exportJson.setAttribute('href', api.exportUrl(st.sid, 'json'));
  }
  progressFill.style.width = `${Math.round((st ? (done ? 1 : st.progress) : 0) * 100)}%`;
  progress.dataset.state = st?.state ?? 'idle';
  if (!st) return void (statusText.textContent = extra ?? '');
  const range = rangeLabel(state.range, state.tz);
  if (st.state === 'failed') return void (statusText.textContent = 'Search failed');
  if (st.state === 'cancelled') return void (statusText.textContent = `Cancelled after ${fmtDuration(st.elapsedMs)}`);
  const what = st.transforming
    ? `${fmtCount(st.resultCount)} results`
    : `${fmtCount(st.eventCount)} events${st.truncated ? ` (first ${fmtCount(st.resultCount)} kept for paging)` : ''}`;
  statusText.textContent = running
    ? `${st.phase === 'materialize' || st.phase === 'preview' || st.phase === 'timeline' ? 'Searching' : 'Parsing'}… ${st.eventCount !== null ? `${fmtCount(st.eventCount)} events · ` : ''}${Math.round(st.progress * 100)}%`
    : `✓ ${what} · ${range} · ${fmtDuration(st.elapsedMs)}`;
}

cancelBtn.addEventListener('click', async () => {
  const sid = state.sid;
  if (!sid) return;
  state.gen++;
  try {
    await api.cancel(sid);
  } catch {
    /* gone already */
  }
  if (state.job) setStatus({ ...state.job, state: 'cancelled' });
});

async function runSearch(push = true) {
  const q = editor.state.doc.toString().trim();
  if (!q) return;
  const marks: Record<string, number> = { enter: performance.now() };
  window.__quarry.marks = marks;
  window.__quarry.runs++;
  const gen = ++state.gen;
  const prev = state.sid;
  // the previous job is no longer on screen: stop it and free its connection
  if (prev) void api.cancel(prev).catch(() => {});
  const url = searchUrl(q);
  if (push && location.pathname + location.search !== url) history.pushState(null, '', url);
  remember(q);
  document.title = `${q.slice(0, 60)} — Quarry`;
  landing.el.hidden = true;
  results.hidden = false;
  errorBox.hidden = true;
  showError(editor, null);
  state.job = null;
  state.sid = null;
  window.__quarry.sid = null;
  setStatus({ sid: '', search: q, state: 'parsing', progress: 0, phase: 'compile', tz: state.tz, transforming: false, eventCount: null, resultCount: null, truncated: false, elapsedMs: 0, fields: [], formats: {}, range: {} });
  setCounts(null, null);
  timeline.set(null);
  fields.set(null, true);
  events.reset(null, termsRegex(searchTerms(q)));
  stats.set(null);
  viz.set(null);

  let sid: string;
  try {
    sid = (await api.createJob(q, state.range.earliest, state.range.latest, state.tz)).sid;
  } catch (e) {
    if (gen !== state.gen) return;
    setStatus(null);
    fields.set(null);
    if (e instanceof ApiError) showApiError(e.body, q);
    else showApiError({ message: (e as Error).message }, q);
    statusRow.dataset.state = 'failed';
    return;
  }
  if (gen !== state.gen) return void api.cancel(sid).catch(() => {});
  state.sid = sid;
  window.__quarry.sid = sid;
  events.reset(sid, termsRegex(searchTerms(q)));

  // first page of events and the timeline as soon as the job has them, in parallel
  const first = api
    .events(sid, 0, 100)
    .then((r) => {
      if (gen !== state.gen) return;
      events.setFirstPage(r.rows as Row[], r.total);
      marks.firstEvents = performance.now();
      if (r.rows.length && state.tab !== 'events' && !state.job?.transforming) setTab('events');
    })
    .catch(() => {});
  const tl = api
    .timeline(sid)
    .then((t) => {
      if (gen !== state.gen) return;
      timeline.set(t);
      marks.timeline = performance.now();
    })
    .catch(() => {});

  // poll the job until it ends
  let delay = 60;
  for (;;) {
    let st: JobStatus;
    try {
      st = await api.job(sid);
    } catch {
      if (gen === state.gen) setStatus(null, 'The search job is gone.');
      return;
    }
    if (gen !== state.gen) return;
    state.job = st;
    setStatus(st);
    setCounts(st.transforming ? null : st.eventCount, st.transforming ? st.resultCount : null);
    timeline.refreshButtons();
    if (st.state === 'failed') {
      showApiError(st.error ?? { message: 'search failed' }, q);
      fields.set(null);
      return;
    }
    if (st.state === 'cancelled') return;
    if (st.state === 'done') break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(400, delay * 1.5);
  }
  marks.done = performance.now();
  const st = state.job!;
  if (st.transforming) {
    try {
      const res = await api.results(sid, 0, 10000);
      if (gen !== state.gen) return;
      stats.set(res);
      viz.set(res);
      marks.results = performance.now();
      setTab(state.tab === 'viz' && viz.available() ? 'viz' : 'stats');
    } catch (e) {
      showApiError({ message: (e as Error).message }, q);
    }
    fields.set(null);
    await Promise.all([first, tl]);
    return;
  }
  await Promise.all([first, tl]);
  if (gen !== state.gen) return;
  events.setTotal(st.resultCount ?? 0);
  if (state.tab !== 'events') setTab('events');
  try {
    const s = await api.summary(sid);
    if (gen !== state.gen) return;
    fields.set(s);
    marks.summary = performance.now();
  } catch {
    fields.set(null);
  }
}

// --- views and routing -------------------------------------------------------------------------
function loginView(message?: string) {
  const user = h('input', { class: 'inp', name: 'user', autocomplete: 'username', placeholder: 'User', 'aria-label': 'User' });
  const pass = h('input', { class: 'inp', name: 'password', type: 'password', autocomplete: 'current-password', placeholder: 'Password', 'aria-label': 'Password' });
  const err = h('div', { class: 'err small' }, message ?? '');
  const form = h(
    'form',
    { class: 'login card' },
    h('h1', null, h('span', { class: 'logo' }, '◆'), ' Quarry'),
    h('p', { class: 'muted small' }, 'Sign in to search this workbench.'),
    user,
    pass,
    h('button', { class: 'btn primary', type: 'submit' }, 'Sign in'),
    err,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api.login(user.value, pass.value);
      await boot();
    } catch (e) {
      err.textContent = (e as Error).message;
    }
  });
  replace(app, h('div', { class: 'login-wrap' }, form));
  user.focus();
}

function route() {
  const path = location.pathname;
  navSearch.classList.toggle('active', path !== '/hunts');
  navHunts.classList.toggle('active', path === '/hunts');
  if (path === '/hunts') {
    searchView.hidden = true;
    huntsView.hidden = false;
    document.title = 'Hunts — Quarry';
    huntsPicker.refresh();
    void huntsPage.load();
    return;
  }
  huntsView.hidden = true;
  searchView.hidden = false;
  const p = new URLSearchParams(location.search);
  const q = p.get('q') ?? '';
  state.range = { earliest: p.get('earliest') ?? '', latest: p.get('latest') ?? '' };
  if (p.get('tz')) state.tz = p.get('tz')!;
  picker.refresh();
  if (q) {
    if (editor.state.doc.toString() !== q) setDoc(editor, q);
    void runSearch(false);
  } else {
    state.gen++;
    setDoc(editor, '');
    state.job = null;
    setStatus(null);
    errorBox.hidden = true;
    results.hidden = true;
    landing.el.hidden = false;
    document.title = 'Quarry — search';
    void landing.load();
    editor.focus();
  }
}

async function boot() {
  let me: { user: string | null; authRequired: boolean };
  try {
    me = await api.me();
  } catch {
    me = { user: null, authRequired: true };
  }
  state.user = me.user;
  state.authRequired = me.authRequired;
  if (me.authRequired && !me.user) return loginView();
  replace(
    userBox,
    me.authRequired && me.user
      ? h('span', null, h('span', { class: 'muted' }, me.user), ' ', h('button', { class: 'link small', type: 'button', on: { click: async () => (await api.logout().catch(() => {}), loginView()) } }, 'Sign out'))
      : h('span', { class: 'muted small', title: 'Listening on loopback without a password' }, 'local'),
  );
  replace(app, topbar, searchView, huntsView);
  api.completions().then(setVocabulary).catch(() => {});
  setTab('events');
  route();
}

runBtn.addEventListener('click', () => void runSearch());
window.addEventListener('popstate', () => route());
window.addEventListener('quarry:unauthorized', () => {
  if (state.authRequired) loginView('Your session ended: sign in again.');
});
void boot();
