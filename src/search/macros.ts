/**
 * Macros available to a search: Quarry's built-ins (Splunk defaults that security content leans
 * on, the URL Toolbox) plus the user's, kept in the data directory as macros.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MacroTable } from '../spl/macros.js';

export const builtinMacros = new MacroTable();
// Splunk's own `comment(1)` macro: expands to nothing.
builtinMacros.add('comment(1)', '', ['text']);

interface StoredMacro {
  name: string;
  definition: string;
  args?: string[];
}

function file(dir: string): string {
  return join(dir, 'macros.json');
}

export function userMacros(dir: string): StoredMacro[] {
  const f = file(dir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as StoredMacro[]) : [];
}

export function saveUserMacro(dir: string, m: StoredMacro): void {
  new MacroTable().add(m.name, m.definition, m.args); // validates
  const list = userMacros(dir).filter((x) => x.name !== m.name);
  list.push(m);
  writeFileSync(file(dir), JSON.stringify(list, null, 2));
}

export function loadMacros(dir: string): MacroTable {
  const t = new MacroTable();
  for (const m of userMacros(dir)) t.add(m.name, m.definition, m.args);
  return builtinMacros.merged(t);
}
