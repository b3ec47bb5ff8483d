/**
 * The shape of a hunt file (hunts/*.ts) and of a hunt's result. A hunt is data: SPL steps with
 * `$param$` slots, each naming a picker (src/hunts/pickers) that reads the step's rows and hands
 * values to the next steps and findings to the report. No hunt names an adversary value.
 */
import type { Row } from '../search/index.js';
import type { HuntFinding, HuntStep } from '../shared/api-types.js';

export type Role =
  | 'staging_host' | 'staging_source' | 'staging_flow' | 'staged_file'
  | 'exfil_source' | 'exfil_destination' | 'exfil_account' | 'exfil_file'
  | 'tunnel_domain' | 'tunnel_client' | 'tunnel_resolver';

export const ROLES: Role[] = [
  'staging_host', 'staging_source', 'staging_flow', 'staged_file',
  'exfil_source', 'exfil_destination', 'exfil_account', 'exfil_file',
  'tunnel_domain', 'tunnel_client', 'tunnel_resolver',
];

export type ParamValue = string | string[];
export type Params = Record<string, ParamValue>;

export interface StepDef {
  id: string;
  title: string;
  /** the narrative: what the step asks and why (shown in the report) */
  why: string;
  /** SPL with $param$ slots: $name$ is the value escaped for a quoted string, $name|raw$ unescaped,
   *  $name|or:field$ expands a list to (field="a" OR field="b") */
  spl: string;
  /** params that must be set (by an earlier step or --param) for the step to run */
  needs?: string[];
  /** the picker that reads the rows: a name in src/hunts/pickers plus its arguments */
  pick?: { use: string; with?: Record<string, unknown> };
  /** draw the rows as a chart: `_time` buckets × series (a timechart) */
  chart?: { x: string; series?: string; y: string; title: string; span?: string };
  /** rows kept for the report (default 50) */
  show?: number;
  /** rows read at most (default 100000) */
  limit?: number;
}

export interface DetectionDef {
  name: string;
  description: string;
  /** SPL with $index$; each result row is a candidate notable */
  spl: string;
  /** cron schedule */
  schedule: string;
  /** a row fires when `field` op `value` */
  threshold: { field: string; op: '>' | '>=' | '<' | '<=' | '=' | '!='; value: number | string };
  /** fields of a row that name the entities of the notable */
  entities: string[];
}

export interface HuntDef {
  id: string;
  title: string;
  techniques: { id: string; name: string }[];
  hypothesis: string;
  questions: string[];
  /** parameters an analyst may set with --param (defaults here) */
  params?: Record<string, { default?: string; help: string; /** --param NAME=v sets this hunt param instead */ alias_of?: string }>;
  steps: StepDef[];
  /** roles that map to each diamond-model vertex */
  diamond: { adversary: string; capability: string; infrastructure: Role[]; victim: Role[] };
  detections: DetectionDef[];
  /** indicators to watch: the roles whose values become the IOC list */
  iocs: Role[];
}

/** A finding as the API sends it (score: higher is more suspicious, comparable within a role), with its role typed. */
export interface Finding extends Omit<HuntFinding, 'role'> {
  role: Role;
}

export interface Table {
  fields: string[];
  rows: Row[];
}

/** A step as it ran: the API's step (src/shared/api-types.ts) with what only the runner keeps. */
export interface StepResult extends Omit<HuntStep, 'chart' | 'picked'> {
  /** values handed on to later steps */
  picked: Params;
  /** sourcetypes the step read (from its results or the census) */
  sourcetypes?: string[];
  /** the step's chart as SVG text (the API serves it at a URL instead) */
  chart?: { svg: string; title: string };
}

export interface HuntResult {
  hunt: string;
  title: string;
  techniques: { id: string; name: string }[];
  hypothesis: string;
  questions: string[];
  index: string;
  earliest?: string;
  latest?: string;
  started: string;
  ms: number;
  params: Params;
  steps: StepResult[];
  findings: Finding[];
  /** sourcetypes that served the hunt */
  sourcetypes: string[];
  diamond: { adversary: string; capability: string; infrastructure: string[]; victim: string[] };
  detections: DetectionDef[];
  iocs: { role: Role; value: string }[];
}

export interface RunOptions {
  index?: string;
  earliest?: string;
  latest?: string;
  tz?: string;
  now?: number;
  params?: Record<string, string>;
  /** where assets.csv / identities.csv live (default: the data directory, then its lookups/) */
  lookupsDir?: string;
  /** called as each step completes (ran, failed or skipped), in order, with the findings so far */
  onStep?: (step: StepResult, index: number) => void;
}
