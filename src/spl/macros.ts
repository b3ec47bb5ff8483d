/**
 * Search macros: `name` and `name(a, b)` expand textually before parsing, as in Splunk. A macro
 * with arguments is defined as "name(N)" with $arg$ slots. Expansion is repeated for nested
 * macros, with a depth limit against recursion.
 */
import { SplError } from './errors.js';

export interface MacroDef {
  /** name without arity, e.g. "ut_parse_extended" */
  name: string;
  args: string[];
  definition: string;
}

export class MacroTable {
  private defs = new Map<string, MacroDef>();

  /** key is "name" or "name(N)" as in macros.conf */
  add(key: string, definition: string, argNames?: string[]): void {
    const m = /^\s*([^\s(]+)\s*(?:\((\d+)\))?\s*$/.exec(key);
    if (!m) throw new Error(`bad macro name "${key}": use name or name(N)`);
    const n = Number(m[2] ?? 0);
    let args = argNames ?? [];
    if (!argNames) {
      // Without declared names, take the $slots$ in order of first appearance.
      const seen: string[] = [];
      for (const s of definition.matchAll(/\$(\w+)\$/g)) if (!seen.includes(s[1]!)) seen.push(s[1]!);
      args = seen.slice(0, n);
    }
    if (args.length !== n) throw new Error(`macro ${key} declares ${n} arguments but names ${args.length}`);
    this.defs.set(`${m[1]}(${n})`, { name: m[1]!, args, definition });
  }

  get(name: string, arity: number): MacroDef | undefined {
    const d = this.defs.get(`${name}(${arity})`);
    if (d) return d;
    // Splunk security content ends every detection with `<name>_filter`, shipped as `search *`
    // for users to tune: an undefined one is that no-op.
    if (arity === 0 && /_filter$/.test(name)) return { name, args: [], definition: 'search *' };
    return undefined;
  }

  has(name: string): boolean {
    for (const k of this.defs.keys()) if (k.startsWith(name + '(')) return true;
    return false;
  }

  names(): string[] {
    return [...new Set([...this.defs.values()].map((d) => d.name))];
  }

  merged(other: MacroTable): MacroTable {
    const t = new MacroTable();
    for (const [k, v] of this.defs) t.defs.set(k, v);
    for (const [k, v] of other.defs) t.defs.set(k, v);
    return t;
  }
}

/** Split macro call arguments at top-level commas (quotes and parentheses respected). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inQ = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inQ) {
      cur += ch;
      if (ch === '\\') cur += s[++i] ?? '';
      else if (ch === '"') inQ = false;
      continue;
    }
    if (ch === '"') inQ = true;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '' || out.length) out.push(cur.trim());
  return out;
}

/** Find the matching ")" for the "(" at `open`. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  let inQ = false;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (inQ) {
      if (ch === '\\') i++;
      else if (ch === '"') inQ = false;
      continue;
    }
    if (ch === '"') inQ = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function substitute(def: MacroDef, given: string[]): string {
  let values = given;
  // named arguments, `iis_search(fragment=TM)`: by name when every argument names a declared one
  const named = given.map((v) => /^(\w+)\s*=\s*([\s\S]*)$/.exec(v));
  if (given.length && named.every((m) => m && def.args.includes(m[1]!)) && new Set(named.map((m) => m![1])).size === given.length) {
    values = def.args.map((a) => named.find((m) => m![1] === a)![2]!.trim());
  }
  let out = def.definition;
  def.args.forEach((a, i) => {
    const v = values[i] ?? '';
    // a quoted argument inside a quoted slot ("$a$") is not quoted twice
    const q = /^"((?:[^"\\]|\\.)*)"$/.exec(v);
    if (q) out = out.split(`"$${a}$"`).join(`"${q[1]}"`);
    out = out.split(`$${a}$`).join(v);
  });
  return out;
}

export interface ExpandOptions {
  /** Names callable without backticks, as the seeds call the URL Toolbox: `| ut_shannon(x)`. */
  bareCommands?: (name: string) => boolean;
}

/** Expand every macro in the text. Unknown macros are an error with their position. */
export function expandMacros(text: string, macros: MacroTable, opts: ExpandOptions = {}, depth = 0): string {
  if (depth > 20) throw new SplError('macro expansion is nested more than 20 deep (a macro that calls itself?)', { start: 0, end: text.length });
  let out = '';
  let changed = false;
  let i = 0;
  let inQ = false;
  while (i < text.length) {
    const ch = text[i]!;
    // ```comments``` are not macros
    if (!inQ && text.startsWith('```', i)) {
      const close = text.indexOf('```', i + 3);
      const stop = close < 0 ? text.length : close + 3;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '"') {
      // backslash escapes inside quotes
      let j = i - 1;
      let bs = 0;
      while (j >= 0 && text[j] === '\\') (bs++, j--);
      if (bs % 2 === 0) inQ = !inQ;
    }
    if (ch === '`' && !inQ) {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new SplError('unclosed ` (macro call)', { start: i, end: i + 1 }, 'close the macro name with `');
      const call = text.slice(i + 1, close).trim();
      const m = /^([\w:.-]+)\s*(?:\(([\s\S]*)\))?$/.exec(call);
      if (!m) throw new SplError(`bad macro call \`${call}\``, { start: i, end: close + 1 });
      const args = m[2] !== undefined ? splitArgs(m[2]) : [];
      const def = macros.get(m[1]!, args.length);
      if (!def) {
        const hint = macros.has(m[1]!) ? `${m[1]} is defined with another number of arguments` : undefined;
        throw new SplError(`unknown macro \`${m[1]}(${args.length})\``, { start: i, end: close + 1 }, hint ?? 'define it with: quarry macro add');
      }
      out += substitute(def, args);
      changed = true;
      i = close + 1;
      continue;
    }
    // Bare calls `| name(args)` for names the caller allows (URL Toolbox style in the seeds).
    if (!inQ && ch === '|' && opts.bareCommands) {
      const m = /^\|\s*([A-Za-z_]\w*)\s*\(/.exec(text.slice(i));
      if (m && opts.bareCommands(m[1]!)) {
        const open = i + m[0].length - 1;
        const close = matchParen(text, open);
        if (close > 0) {
          const args = splitArgs(text.slice(open + 1, close));
          const def = macros.get(m[1]!, args.length);
          if (def) {
            out += '| ' + substitute(def, args);
            changed = true;
            i = close + 1;
            continue;
          }
        }
      }
    }
    out += ch;
    i++;
  }
  return changed ? expandMacros(out, macros, opts, depth + 1) : out;
}
