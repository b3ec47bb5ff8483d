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

// The URL Toolbox (Splunkbase app 2734), with the stanza names and arguments of its macros.conf.
// Splunk runs them as external lookups; here they expand to internal commands backed by UDFs.
builtinMacros.add('ut_parse_extended(2)', '_ut_parse extended $url$ $list$', ['url', 'list']);
builtinMacros.add('ut_parse(2)', '`ut_parse_extended($url$, $list$)`', ['url', 'list']);
builtinMacros.add('ut_parse_simple(1)', '_ut_parse simple $url$', ['url']);
builtinMacros.add('ut_shannon(1)', '_ut_shannon $word$', ['word']);
builtinMacros.add('ut_levenshtein(2)', '_ut_levenshtein $w1$ $w2$', ['w1', 'w2']);
builtinMacros.add('ut_countset(2)', '_ut_countset $word$ $set$', ['word', 'set']);

// Splunk_SA_CIM / ES defaults that security content calls (macros.conf of those apps).
builtinMacros.add('drop_dm_object_name(1)', 'rename "$object$.*" as *', ['object']);
builtinMacros.add('summariesonly', 'summariesonly=false', []);
builtinMacros.add('security_content_summariesonly', 'summariesonly=false allow_old_summaries=true fillnull_value=null', []);
builtinMacros.add('security_content_ctime(1)', 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)', ['field']);

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
