/** The SPL engine the search jobs run on: src/search/index.ts. */
import { compileSearch, readRows } from '../search/index.js';
import type { SearchEngine } from '../search/job.js';

export const splEngine: SearchEngine = {
  compile: (store, conn, spl, opts) => compileSearch(store, conn, spl, opts),
  readRows: (conn, sql, fields, limit) => readRows(conn, sql, fields as Parameters<typeof readRows>[2], limit),
};

/** Kept async for callers written before the engine was linked in statically. */
export async function loadEngine(): Promise<SearchEngine> {
  return splEngine;
}
