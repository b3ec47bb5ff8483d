import type { Row } from '../../search/index.js';
import type { Assets } from '../assets.js';
import type { Params, Role, Table } from '../types.js';

export interface PickContext {
  rows: Row[];
  fields: string[];
  params: Params;
  args: Record<string, unknown>;
  assets: Assets;
  /** the search as run */
  search: string;
  /** state pickers share across steps of one run (e.g. the staged file list) */
  state: Map<string, unknown>;
}

export interface PickedFinding {
  role: Role;
  value: string;
  score: number;
  why: string;
  rows: Row[];
}

export interface PickResult {
  params?: Params;
  findings?: PickedFinding[];
  ranking?: Table;
  notes?: string[];
  sourcetypes?: string[];
}

export type Picker = (ctx: PickContext) => PickResult;
