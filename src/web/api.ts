/** The workbench API, as the page calls it (the shapes the server shares are in src/shared/api-types.ts). */

import type { ApiErrorBody, HuntInfo, HuntRun, JobStatus, Row, Summary, Timeline } from '../shared/api-types.js';

export type { ApiErrorBody, FieldSummary, HuntFinding, HuntInfo, HuntRun, HuntStep, JobStatus, Row, Summary, Timeline } from '../shared/api-types.js';
export interface Results {
  fields: { name: string; type: string }[];
  offset: number;
  total: number;
  rows: Row[];
  display?: Record<string, string>[];
}
export interface IndexInfo {
  index: string;
  eventCount: number;
  earliest: number | null;
  latest: number | null;
  sourcetypes: { sourcetype: string; eventCount: number; earliest: number | null; latest: number | null; fields: { name: string }[] }[];
}
export interface Completions {
  commands: string[];
  evalFunctions: string[];
  statsFunctions: string[];
  macros: string[];
  fields: string[];
  indexes: string[];
  sourcetypes: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

async function call<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text };
  }
  if (!res.ok) {
    if (res.status === 401 && url !== '/api/auth/login') window.dispatchEvent(new CustomEvent('quarry:unauthorized'));
    throw new ApiError(res.status, (data as ApiErrorBody) ?? { message: res.statusText });
  }
  return data as T;
}

export const api = {
  me: () => call<{ user: string | null; authRequired: boolean }>('GET', '/api/auth/me'),
  login: (user: string, password: string) => call<{ user: string }>('POST', '/api/auth/login', { user, password }),
  logout: () => call<unknown>('POST', '/api/auth/logout', {}),
  indexes: () => call<{ indexes: IndexInfo[] }>('GET', '/api/indexes'),
  completions: () => call<Completions>('GET', '/api/completions'),
  hunts: () => call<{ hunts: HuntInfo[] }>('GET', '/api/hunts'),
  startHunt: (id: string, body: { earliest: string; latest: string; tz: string }) => call<{ rid: string }>('POST', `/api/hunts/${encodeURIComponent(id)}/runs`, body),
  huntRun: (rid: string) => call<HuntRun>('GET', `/api/hunts/runs/${encodeURIComponent(rid)}`),
  createJob: (search: string, earliest: string, latest: string, tz: string) =>
    call<{ sid: string }>('POST', '/api/search/jobs', { search, earliest, latest, tz }),
  job: (sid: string) => call<JobStatus>('GET', `/api/search/jobs/${sid}`),
  events: (sid: string, offset: number, count: number, signal?: AbortSignal) =>
    call<{ offset: number; total: number | null; rows: Row[] }>('GET', `/api/search/jobs/${sid}/events?offset=${offset}&count=${count}`, undefined, signal),
  results: (sid: string, offset: number, count: number) => call<Results>('GET', `/api/search/jobs/${sid}/results?offset=${offset}&count=${count}`),
  timeline: (sid: string) => call<Timeline>('GET', `/api/search/jobs/${sid}/timeline`),
  summary: (sid: string) => call<Summary>('GET', `/api/search/jobs/${sid}/summary`),
  cancel: (sid: string) => call<unknown>('DELETE', `/api/search/jobs/${sid}`),
  exportUrl: (sid: string, format: 'csv' | 'json') => `/api/search/jobs/${sid}/export?format=${format}`,
};
