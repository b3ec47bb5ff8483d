/** Filling `$param$` slots of a step's SPL. */
import type { Params } from './types.js';

/** Escape a value for the inside of a double-quoted SPL string. */
export function splQuote(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

const SLOT = /\$([A-Za-z_][A-Za-z0-9_]*)(?:\|([a-z]+)(?::([A-Za-z0-9_.{}-]+))?)?\$/g;

/** Params a search mentions. */
export function slotsOf(spl: string): string[] {
  return [...spl.matchAll(SLOT)].map((m) => m[1]!);
}

/**
 * $name$ → the value escaped for a quoted string (a list: its first value);
 * $name|raw$ → as is (a list: space-joined);
 * $name|or:field$ → (field="a" OR field="b") for a list, field="a" for one value.
 */
export function fill(spl: string, params: Params): string {
  return spl.replace(SLOT, (whole, name: string, mode?: string, arg?: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for $${name}$`);
    const list = Array.isArray(v) ? v : [v];
    if (mode === 'raw') return list.join(' ');
    if (mode === 'or') {
      if (!arg) throw new Error(`${whole}: or needs a field (\$${name}|or:field\$)`);
      if (list.length === 0) return `${arg}="__none__"`;
      const parts = list.map((x) => `${arg}="${splQuote(x)}"`);
      return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
    }
    return splQuote(list[0] ?? '');
  });
}

export function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  return String(v) !== '';
}
