/** Every SPL command Quarry knows. A new command is a module in this folder and one line here. */
import type { Grammar, GrammarTable } from '../../spl/parser.js';
import { evalCommand } from './eval.js';
import { fields } from './fields.js';
import { head, reverse, tail } from './head.js';
import { rename } from './rename.js';
import { search } from './search.js';
import { sort } from './sort.js';
import type { CommandSpec } from './spec.js';
import { stats } from './stats.js';
import { table } from './table.js';
import { tstats } from './tstats.js';
import { URL_TOOLBOX_COMMANDS } from './urltoolbox.js';
import { unsupportedCommands } from './unsupported.js';
import { where } from './where.js';
import { makeresults } from './makeresults.js';
import { eventstats } from './eventstats.js';
import { streamstats } from './streamstats.js';
import { fieldformat } from './fieldformat.js';
import { fillnull } from './fillnull.js';
import { dedup } from './dedup.js';
import { rare, top } from './top.js';
import { rex } from './rex.js';
import { regexCommand } from './regex-cmd.js';
import { bin } from './bin.js';
import { chart, timechart } from './timechart.js';
import { foreach } from './foreach.js';
import { append, appendcols } from './append.js';
import { join } from './join.js';
import { format, returnCommand } from './format.js';
import { makemv, mvcombine, mvexpand, nomv } from './mv.js';
import { spath, xmlkv } from './spath.js';
import { convert } from './convert.js';
import { inputlookup, lookup, outputlookup } from './lookup.js';
import { transaction } from './transaction.js';
import { eventcount, metadata } from './catalog-cmds.js';
import { appendpipe } from './appendpipe.js';

export type { CommandSpec } from './spec.js';

const RUNNING: CommandSpec[] = [search, where, evalCommand, stats, sort, table, fields, rename, head, tail, reverse,
  makeresults, eventstats, streamstats, fieldformat, fillnull, dedup, top, rare,
  rex, regexCommand, bin, timechart, chart,
  foreach, append, appendcols, join, returnCommand, format,
  makemv, mvexpand, mvcombine, nomv, spath, xmlkv, convert,
  lookup, inputlookup, outputlookup, transaction, eventcount, metadata, tstats, appendpipe,
  ...URL_TOOLBOX_COMMANDS,
];
// Parsed but not run yet: only names no running command has.
const ALL: CommandSpec[] = [...RUNNING, ...unsupportedCommands((n) => RUNNING.some((c) => c.name === n || (c.aliases ?? []).includes(n)))];

const byName = new Map<string, CommandSpec>();
for (const c of ALL) {
  byName.set(c.name, c);
  for (const a of c.aliases ?? []) byName.set(a, c);
}

export function command(name: string): CommandSpec | undefined {
  return byName.get(name.toLowerCase());
}

export function commandNames(): string[] {
  return [...byName.keys()].sort();
}

/** The commands as the parser sees them. */
export const grammars: GrammarTable = {
  get: (name: string): Grammar | undefined => byName.get(name.toLowerCase()),
  names: () => byName.keys(),
};
