/** The SPL engine the search jobs run on: src/search/index.ts (compileSearch, readRows). */
import type { SearchEngine } from '../search/job.js';

export async function loadEngine(): Promise<SearchEngine> {
  const spec = '../search/index.js';
  const m = (await import(spec)) as Pick<SearchEngine, never> & {
    compileSearch: SearchEngine['compile'];
    readRows: SearchEngine['readRows'];
  };
  return { compile: m.compileSearch, readRows: m.readRows };
}
