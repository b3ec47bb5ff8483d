/**
 * Modules other parts of Quarry provide, loaded when present: the SPL engine's vocabulary, the
 * hunts runner and the HTTP Event Collector plugin. Each is looked up at run time so the
 * workbench builds and runs before (and without) them.
 */
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

export interface HuntInfo {
  id: string;
  title?: string;
  [k: string]: unknown;
}
export interface HuntsModule {
  listHunts(): Promise<HuntInfo[]> | HuntInfo[];
  runHunt(store: Store, id: string, opts: Record<string, unknown>): Promise<unknown>;
}

export function loadHunts(): Promise<HuntsModule | null> {
  return tryImport<HuntsModule>('../hunts/index.js');
}

/** The HEC plugin (src/server/hec.ts): a Fastify plugin taking `{ store }`. */
export async function loadHec(): Promise<unknown | null> {
  const m = await tryImport<{ default?: unknown; hecPlugin?: unknown }>('./hec.js');
  return m ? (m.default ?? m.hecPlugin ?? null) : null;
}

// Used until the engine's registries are there; the engine's own lists win when present.
const COMMANDS = `abstract addcoltotals addinfo addtotals append appendcols appendpipe bin bucket chart cluster collect convert dedup delta eval eventstats extract fieldformat fields fillnull foreach format head inputlookup iplocation join kv lookup makemv makeresults multisearch mvcombine mvexpand nomv outputlookup rare regex rename replace rest reverse rex search sort spath stats streamstats table tail timechart top transaction tstats uniq where xyseries`.split(' ');
const EVAL_FUNCTIONS = `abs case cidrmatch ceil ceiling coalesce commands exact exp floor if in isbool isint isnotnull isnull isnum isstr json_extract len like ln log lower ltrim match max md5 min mvappend mvcount mvdedup mvfilter mvfind mvindex mvjoin mvrange mvsort mvzip now null nullif pi pow random relative_time replace round rtrim searchmatch sha1 sha256 sigfig split sqrt strftime strptime substr time tonumber tostring trim typeof upper urldecode validate`.split(' ');
const STATS_FUNCTIONS = `avg count dc distinct_count earliest estdc first last latest list max mean median min mode p50 p90 p95 p99 perc range stdev stdevp sum sumsq values var varp`.split(' ');
const MACROS = `ut_parse_extended ut_parse ut_shannon ut_meaning ut_countset ut_suites ut_bayesian`.split(' ');

export interface Vocabulary {
  commands: string[];
  evalFunctions: string[];
  statsFunctions: string[];
  macros: string[];
}

export async function loadVocabulary(): Promise<Vocabulary> {
  const v: Vocabulary = { commands: COMMANDS, evalFunctions: EVAL_FUNCTIONS, statsFunctions: STATS_FUNCTIONS, macros: MACROS };
  const cmds = await tryImport<{ commandNames?: () => string[] }>('../compile/commands/index.js').catch(() => null);
  if (cmds?.commandNames) v.commands = [...cmds.commandNames()].sort();
  const fns = await tryImport<{ evalFunctionNames?: () => string[]; statsFunctionNames?: () => string[] }>(
    '../functions/index.js',
  ).catch(() => null);
  if (fns?.evalFunctionNames) v.evalFunctions = [...fns.evalFunctionNames()].sort();
  if (fns?.statsFunctionNames) v.statsFunctions = [...fns.statsFunctionNames()].sort();
  const search = await tryImport<{ macroNames?: () => string[] }>('../search/index.js').catch(() => null);
  if (search?.macroNames) v.macros = [...search.macroNames()].sort();
  return v;
}
