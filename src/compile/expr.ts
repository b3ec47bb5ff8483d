/**
 * eval/where expressions → typed SQL over the current schema. Null rules: arithmetic,
 * concatenation and comparisons with a null operand are null; `where` drops a null condition.
 */
import type { Expr } from '../spl/ast.js';
import { SplError, closest } from '../spl/errors.js';
import { evalFunction, evalFunctionNames, type FnContext } from '../functions/eval.js';
import { quoteIdent, sqlString } from '../store/sql.js';
import { isNumeric, type Schema } from './schema.js';
import { NULL, num, str, toBool, toList, toNum, toStr, type Typed } from './typed.js';

export interface ExprEnv {
  schema: Schema;
  tz: string;
  now: number;
}

export function fieldRef(schema: Schema, name: string): Typed {
  const f = schema.get(name);
  if (!f) return NULL; // an unknown field is null in SPL, not an error
  return { sql: quoteIdent(f.column), type: f.type };
}

/** Compare two values with Splunk's rules: numbers numerically, else as text (case-sensitive). */
export function compare(a: Typed, op: string, b: Typed): string {
  const sqlOp = op === '==' ? '=' : op;
  if (a.type === 'null' || b.type === 'null') return 'CAST(NULL AS BOOLEAN)';
  if (a.type === 'mv' || b.type === 'mv') {
    // any value satisfies it
    const [m, other, flip] = a.type === 'mv' ? [a, b, false] : [b, a, true];
    const v: Typed = { sql: 'v', type: 'str' };
    const inner = flip ? compare(other, op, v) : compare(v, op, other);
    return `(len(list_filter(${m.sql}, lambda v: ${inner})) > 0)`;
  }
  if (a.type === 'bool' || b.type === 'bool') return `(${toBool(a)} ${sqlOp} ${toBool(b)})`;
  const numA = isNumeric(a.type) || a.type === 'time';
  const numB = isNumeric(b.type) || b.type === 'time';
  if (numA && numB) return `(${toNum(a)} ${sqlOp} ${toNum(b)})`;
  // A string literal against a number: compare as text (status="200" matches 200).
  if ((numA && b.literal !== undefined) || (numB && a.literal !== undefined)) return `(${toStr(a)} ${sqlOp} ${toStr(b)})`;
  if (numA || numB || a.type === 'str' || b.type === 'str') {
    // Text that reads as a number compares as a number (Splunk's extracted fields are text).
    const na = toNum(a);
    const nb = toNum(b);
    if (a.literal !== undefined && typeof a.literal === 'string' && b.literal === undefined && !numB) return `(${toStr(a)} ${sqlOp} ${toStr(b)})`;
    if (b.literal !== undefined && typeof b.literal === 'string' && a.literal === undefined && !numA) return `(${toStr(a)} ${sqlOp} ${toStr(b)})`;
    return `(CASE WHEN ${na} IS NOT NULL AND ${nb} IS NOT NULL THEN ${na} ${sqlOp} ${nb} ELSE ${toStr(a)} ${sqlOp} ${toStr(b)} END)`;
  }
  return `(${toStr(a)} ${sqlOp} ${toStr(b)})`;
}

export function compileExpr(e: Expr, env: ExprEnv): Typed {
  switch (e.kind) {
    case 'num':
      return num(e.value);
    case 'str':
      return str(e.value);
    case 'field':
      return fieldRef(env.schema, e.name);
    case 'unary': {
      const x = compileExpr(e.operand, env);
      if (e.op === 'NOT') {
        if (x.type !== 'bool' && x.type !== 'null') throw new SplError('NOT needs a condition', e.span);
        return { sql: `(NOT ${toBool(x)})`, type: 'bool' };
      }
      return { sql: e.op === '-' ? `(- ${toNum(x)})` : toNum(x), type: 'num' };
    }
    case 'in': {
      const x = compileExpr(e.operand, env);
      const parts = e.values.map((v) => compare(x, '=', compileExpr(v, env)));
      return { sql: parts.length ? `(${parts.join(' OR ')})` : 'FALSE', type: 'bool' };
    }
    case 'binary':
      return binary(e, env);
    case 'call':
      return call(e, env);
  }
}

function binary(e: Extract<Expr, { kind: 'binary' }>, env: ExprEnv): Typed {
  const a = compileExpr(e.left, env);
  const b = compileExpr(e.right, env);
  const cond = (t: Typed, side: Expr) => {
    if (t.type !== 'bool' && t.type !== 'null') throw new SplError(`${e.op} needs conditions on both sides`, side.span, 'compare values with = != < > or use a function such as isnotnull()');
    return toBool(t);
  };
  switch (e.op) {
    case 'AND':
    case 'OR':
      return { sql: `(${cond(a, e.left)} ${e.op} ${cond(b, e.right)})`, type: 'bool' };
    case 'XOR':
      return { sql: `(${cond(a, e.left)} != ${cond(b, e.right)})`, type: 'bool' };
    case '=':
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { sql: compare(a, e.op, b), type: 'bool' };
    case 'LIKE':
      return { sql: `(${toStr(a)} LIKE ${toStr(b)})`, type: 'bool' };
    case '.':
      return { sql: `(${toStr(a)} || ${toStr(b)})`, type: 'str' };
    case '+': {
      if ((isNumeric(a.type) || a.type === 'time') && (isNumeric(b.type) || b.type === 'time')) return { sql: `(${toNum(a)} + ${toNum(b)})`, type: 'num' };
      if (a.type === 'null' || b.type === 'null') return NULL;
      if (typeof a.literal === 'string' || typeof b.literal === 'string') return { sql: `(${toStr(a)} || ${toStr(b)})`, type: 'str' };
      // Text fields: add when both read as numbers, else concatenate (Splunk's + on two strings).
      const na = toNum(a);
      const nb = toNum(b);
      return { sql: `(CASE WHEN ${na} IS NOT NULL AND ${nb} IS NOT NULL THEN spl_num_str(${na} + ${nb}) ELSE ${toStr(a)} || ${toStr(b)} END)`, type: 'str' };
    }
    case '-':
    case '*':
      return { sql: `(${toNum(a)} ${e.op} ${toNum(b)})`, type: 'num' };
    case '/':
      return { sql: `(${toNum(a)} / nullif(${toNum(b)}, 0))`, type: 'num' };
    case '%':
      return { sql: `fmod(${toNum(a)}, nullif(${toNum(b)}, 0))`, type: 'num' };
  }
}

function call(e: Extract<Expr, { kind: 'call' }>, env: ExprEnv): Typed {
  const name = e.name.toLowerCase();
  const fn = evalFunction(name);
  if (!fn) {
    const hint = closest(name, evalFunctionNames());
    throw new SplError(`unknown function "${e.name}"`, e.nameSpan, hint ? `did you mean ${hint}()?` : undefined);
  }
  const [min, max] = fn.arity;
  if (e.args.length < min || e.args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new SplError(`${e.name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${e.args.length}`, e.span, fn.help);
  }
  if (name === 'mvfilter') return mvfilter(e, env);
  if (name === 'searchmatch') return searchmatch(e);
  const args = e.args.map((a) => compileExpr(a, env));
  const ctx: FnContext = {
    tz: env.tz,
    now: env.now,
    fail(message: string, arg?: number): never {
      throw new SplError(message, arg === undefined ? e.span : e.args[arg]!.span, fn.help);
    },
  };
  return fn.compile(args, ctx);
}

/** mvfilter(cond): cond is evaluated for each value of the one field it names. */
function mvfilter(e: Extract<Expr, { kind: 'call' }>, env: ExprEnv): Typed {
  const fields = new Set<string>();
  const walk = (x: Expr) => {
    if (x.kind === 'field') fields.add(x.name);
    if (x.kind === 'unary') walk(x.operand);
    if (x.kind === 'binary') (walk(x.left), walk(x.right));
    if (x.kind === 'call') x.args.forEach(walk);
    if (x.kind === 'in') (walk(x.operand), x.values.forEach(walk));
  };
  walk(e.args[0]!);
  if (fields.size !== 1) throw new SplError('mvfilter() condition must name exactly one field', e.args[0]!.span);
  const [field] = fields;
  const list = fieldRef(env.schema, field!);
  const inner = env.schema.clone();
  const f = inner.set(field!, 'str');
  const savedCol = f.column;
  f.column = '__v';
  const cond = compileExpr(e.args[0]!, { ...env, schema: inner });
  f.column = savedCol;
  return { sql: `nullif(list_filter(${toList(list)}, lambda "__v": ${toBool(cond)}), [])`, type: 'mv' };
}

function searchmatch(e: Extract<Expr, { kind: 'call' }>): Typed {
  throw new SplError('searchmatch() is not supported yet', e.span);
}

export { sqlString };
