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
import { where } from './where.js';

export type { CommandSpec } from './spec.js';

const ALL: CommandSpec[] = [search, where, evalCommand, stats, sort, table, fields, rename, head, tail, reverse];

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
