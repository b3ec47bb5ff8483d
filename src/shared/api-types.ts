/**
 * The JSON shapes of the workbench API, shared by the server (src/search, src/server) and the
 * page (src/web). Types only, and no imports: the page's bundle takes nothing else from the
 * server side (src/web/tsconfig.json type-checks this file with DOM types and no Node types,
 * so an import of a server module here would fail the build).
 */

/** a result row in Splunk's shape: numbers as numbers, multivalues as arrays, `_time` in epoch µs */
export type Row = Record<string, unknown>;

/** the compiler's field types: num, int, str, mv, time, bool, null (kept open for new ones) */
export type FieldKind = string;

export type JobState = 'parsing' | 'running' | 'done' | 'failed' | 'cancelled';

/** an error answer: `{message}`, with the span of a malformed search */
export interface ApiErrorBody {
  message: string;
  span?: { start: number; end: number };
  hint?: string;
  /** the search after macro expansion that `span` refers to */
  text?: string;
}

/** GET /api/search/jobs/:sid */
export interface JobStatus {
  sid: string;
  search: string;
  earliest?: string;
  latest?: string;
  tz: string;
  state: JobState;
  /** 0..1 */
  progress: number;
  /** what the job is doing: compile, preview, timeline, materialize, summary, done */
  phase: string;
  transforming: boolean;
  /** events matched (event searches); null until known */
  eventCount: number | null;
  /** rows in the result table (= events kept for event searches, capped at maxEvents) */
  resultCount: number | null;
  /** true when eventCount > events kept for paging */
  truncated: boolean;
  elapsedMs: number;
  fields: { name: string; type: FieldKind }[];
  formats: Record<string, string>;
  /** epoch µs */
  range: { earliest?: number; latest?: number };
  error?: ApiErrorBody;
}

export interface TimelineBucket {
  /** bucket start, epoch µs */
  t: number;
  count: number;
}

/** GET /api/search/jobs/:sid/timeline */
export interface Timeline {
  /** bucket width in seconds */
  span: number;
  earliest: number | null;
  latest: number | null;
  buckets: TimelineBucket[];
  available: boolean;
}

export interface FieldSummary {
  name: string;
  type: FieldKind;
  count: number;
  distinctCount: number;
  /** share of events having the field, 0..100 */
  coverage: number;
  interesting: boolean;
  topValues: { value: string; count: number; percent: number }[];
  numeric?: { min: number; max: number; mean: number };
}

/** GET /api/search/jobs/:sid/summary */
export interface Summary {
  /** events the summary is computed over (the newest ones kept by the job) */
  eventCount: number;
  /** true when the search matched more events than were kept */
  sampled: boolean;
  fields: FieldSummary[];
}

// --- hunts -------------------------------------------------------------------------------------

/** What a hunt is, as the hunts module lists it (src/hunts listHunts adds its params) */
export interface HuntOutline {
  id: string;
  title: string;
  techniques: { id: string; name: string }[];
  hypothesis: string;
  questions: string[];
  steps: { id: string; title: string }[];
}

/** GET /api/hunts: one hunt */
export interface HuntInfo extends HuntOutline {
  /** the last saved HTML report of this hunt (DATA/reports/<id>.html), when there is one */
  report: { url: string; saved: string } | null;
}

/** a step of a hunt run, as it completed */
export interface HuntStep {
  id: string;
  title: string;
  why: string;
  /** the SPL as run (params filled) */
  search: string;
  status: 'ok' | 'skipped' | 'error';
  message?: string;
  fields: string[];
  /** the first rows (at most the step's `show`) */
  rows: Row[];
  total_rows: number;
  ms: number;
  /** the picker's ranked view of the rows, when it has one */
  ranking?: { fields: string[]; rows: Row[] };
  notes: string[];
  /** values handed on to later steps */
  picked: Record<string, string | string[]>;
  /** the step's chart as an SVG image (served as image/svg+xml, never inserted as markup) */
  chart?: { title: string; url: string };
}

export interface HuntFinding {
  role: string;
  value: string;
  /** higher = more suspicious; comparable within a role */
  score: number;
  /** one line */
  why: string;
  evidence: { search: string; rows: Row[] };
  /** asset/identity context (host name, owner...) */
  context?: Record<string, string>;
}

/** POST /api/hunts/:id/runs → {rid}; GET /api/hunts/runs/:rid */
export interface HuntRun {
  rid: string;
  hunt: string;
  title: string;
  state: 'running' | 'done' | 'failed';
  started: string;
  elapsedMs: number;
  /** what the hunt ran over: its searches open in the search page with the same range */
  index: string;
  earliest: string;
  latest: string;
  tz: string;
  /** every step of the hunt, in order; `steps` holds the ones completed so far */
  plan: { id: string; title: string }[];
  steps: HuntStep[];
  /** when done */
  findings: HuntFinding[];
  /** the saved HTML report, when done */
  report: string | null;
  error?: string;
}
