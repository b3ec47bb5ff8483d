/**
 * What the workbench takes from other parts of Quarry: the SPL engine's vocabulary for
 * completion, and, when present, the hunts runner and the HTTP Event Collector plugin (looked up
 * at run time, so the workbench builds and runs before and without them).
 */
import { commandNames } from '../compile/commands/index.js';
import { evalFunctionNames } from '../functions/eval.js';
import { statsFunctionNames } from '../functions/stats.js';
import { loadMacros } from '../search/macros.js';
import type { Store } from '../store/index.js';

async function tryImport<T>(spec: string): Promise<T | null> {
  try {
    return (await import(spec)) as T;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return null;
    throw e;
  }
}

export interface HuntListEntry {
  id: string;
  title: string;
  [k: string]: unknown;
}
/** what src/hunts/index.ts offers the server */
export interface HuntsModule {
  listHunts(): Promise<HuntListEntry[]> | HuntListEntry[];
  /** opts: index, earliest, latest, tz, and onStep(step, i) called as each step completes */
  runHunt(store: Store, id: string, opts: Record<string, unknown>): Promise<unknown>;
  /** writes the report as OUTDIR/<hunt>.html and returns its path */
  saveReport?(store: Store, result: unknown, o: { outDir: string; format?: 'html'; tz?: string }): string;
}

export function loadHunts(): Promise<HuntsModule | null> {
  return tryImport<HuntsModule>('../hunts/index.js');
}

/** The HEC plugin (src/server/hec.ts): a Fastify plugin taking `{ store }`. */
export async function loadHec(): Promise<unknown | null> {
  const m = await tryImport<{ default?: unknown; hecPlugin?: unknown }>('./hec.js');
  return m ? (m.default ?? m.hecPlugin ?? null) : null;
}

export interface Vocabulary {
  commands: string[];
  evalFunctions: string[];
  statsFunctions: string[];
  macros: string[];
}

/** Names for completion, from the engine's own registries (the data dir's macros included). */
export function loadVocabulary(dataDir: string): Vocabulary {
  const macros = loadMacros(dataDir).names();
  return {
    commands: [...commandNames()].sort(),
    evalFunctions: [...evalFunctionNames()].sort(),
    statsFunctions: [...statsFunctionNames()].sort(),
    macros: [...new Set(macros)].sort(),
  };
}
