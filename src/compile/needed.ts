/**
 * Which fields the rest of a pipeline can read: lets a step that materialises rows (a temp table)
 * carry only those columns instead of every field (a DNS search copies `_raw` for nothing
 * otherwise). Conservative: a command this does not know, a wildcard, or a pipeline whose end
 * shows its events means "every field" (undefined).
 */
import type { Command, Expr } from '../spl/ast.js';
import type { Word } from '../spl/cursor.js';
import type { Aggregate, StatsArgs } from './commands/stats.js';
import type { Assignment } from './commands/eval.js';

function exprFields(e: Expr | undefined, out: Set<string>): void {
  if (!e) return;
  switch (e.kind) {
    case 'field':
      out.add(e.name);
      return;
    case 'call':
      // searchmatch reads _raw and any field its search names
      if (e.name.toLowerCase() === 'searchmatch') out.add('*');
      for (const a of e.args) exprFields(a, out);
      return;
    case 'unary':
      exprFields(e.operand, out);
      return;
    case 'binary':
      exprFields(e.left, out);
      exprFields(e.right, out);
      return;
    case 'in':
      exprFields(e.operand, out);
      for (const v of e.values) exprFields(v, out);
      return;
    default:
      return;
  }
}

interface Operand {
  value: string;
  literal: boolean;
}

/**
 * The fields that commands[from..] read, or undefined when that cannot be told (then every field
 * must be kept). `_time` is always among them (earliest/latest and the result order use it).
 */
export function fieldsReadFrom(commands: readonly Command[], from: number): Set<string> | undefined {
  const out = new Set<string>(['_time']);
  const add = (name: string | undefined): boolean => {
    if (name === undefined) return true;
    if (name.includes('*')) return false;
    out.add(name);
    return true;
  };
  for (let i = from; i < commands.length; i++) {
    const cmd = commands[i]!;
    const args = cmd.args as unknown;
    switch (cmd.name) {
      case 'eval':
        for (const a of args as Assignment[]) exprFields(a.expr, out);
        if (out.has('*')) return undefined;
        break;
      case 'where':
        exprFields(args as Expr, out);
        if (out.has('*')) return undefined;
        break;
      case '_ut_shannon': {
        const o = args as Operand;
        if (!o.literal && !add(o.value)) return undefined;
        break;
      }
      case '_ut_parse': {
        const a = args as { url: Operand; list?: Operand };
        for (const o of [a.url, a.list]) if (o && !o.literal && !add(o.value)) return undefined;
        break;
      }
      case 'sort':
        for (const k of (args as { keys: { field: string }[] }).keys) if (!add(k.field)) return undefined;
        break;
      case 'stats': {
        // after stats only its results exist
        const s = args as StatsArgs;
        for (const a of s.aggs as Aggregate[]) {
          if (!add(a.field)) return undefined;
          exprFields(a.expr, out);
        }
        if (out.has('*')) return undefined;
        for (const w of s.by as Word[]) if (!add(w.value)) return undefined;
        return out;
      }
      case 'table': {
        for (const w of args as Word[]) if (!add(w.value)) return undefined;
        return out;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}
