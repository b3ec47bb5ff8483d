/**
 * The eval/where expression grammar. Precedence, lowest first: XOR, OR, AND, NOT, comparison
 * (= == != < <= > >= LIKE IN), additive (+ - .), multiplicative (* / %), unary (- +), primary.
 */
import type { BinaryOp, Expr } from './ast.js';
import type { Cursor } from './cursor.js';
import { SplError, type Span } from './errors.js';

const span = (a: Span, b: Span): Span => ({ start: a.start, end: b.end });

/** Parse one expression; stops before a top-level `,` or `)` it does not own, or the end of the command. */
export function parseExpr(c: Cursor): Expr {
  const e = xor(c);
  return e;
}

function binaryLevel(c: Cursor, ops: string[], next: (c: Cursor) => Expr, word: boolean): Expr {
  let left = next(c);
  for (;;) {
    c.skipWs();
    const op = ops.find((o) => (word ? c.lookingAt(o, true) && isUpperAt(c, o) : c.lookingAt(o, false)));
    if (!op) return left;
    // `.` directly between identifier characters is part of a field name, handled in primary().
    c.accept(op, word);
    const right = next(c);
    left = { kind: 'binary', op: op as BinaryOp, left, right, span: span(left.span, right.span) };
  }
}

/**
 * The search manual asks for upper-case boolean operators, but eval/where accept `and`/`or` as
 * well (security content relies on it, and a bare word between two expressions has no other
 * meaning in an expression), so any case is an operator here.
 */
function isUpperAt(_c: Cursor, _op: string): boolean {
  return true;
}

const xor = (c: Cursor) => binaryLevel(c, ['XOR'], or, true);
const or = (c: Cursor) => binaryLevel(c, ['OR'], and, true);
const and = (c: Cursor) => binaryLevel(c, ['AND'], not, true);

function not(c: Cursor): Expr {
  c.skipWs();
  if (c.lookingAt('NOT', true) && isUpperAt(c, 'NOT')) {
    const s = c.accept('NOT', true)!;
    const operand = not(c);
    return { kind: 'unary', op: 'NOT', operand, span: span(s, operand.span) };
  }
  return comparison(c);
}

const CMP_OPS = ['==', '!=', '<=', '>=', '=', '<', '>'];

function comparison(c: Cursor): Expr {
  const left = additive(c);
  c.skipWs();
  if (c.lookingAt('LIKE', true)) {
    c.accept('LIKE', true);
    const right = additive(c);
    return { kind: 'binary', op: 'LIKE', left, right, span: span(left.span, right.span) };
  }
  if (c.lookingAt('IN', true)) {
    c.accept('IN', true);
    c.expect('(', '( after IN');
    const values: Expr[] = [];
    c.skipWs();
    if (!c.lookingAt(')', false)) {
      do values.push(parseExpr(c));
      while (c.accept(',', false));
    }
    const close = c.expect(')', ') to close IN (...)');
    return { kind: 'in', operand: left, values, span: span(left.span, close) };
  }
  const op = CMP_OPS.find((o) => c.lookingAt(o, false));
  if (!op) return left;
  c.accept(op, false);
  const right = additive(c);
  return { kind: 'binary', op: op as BinaryOp, left, right, span: span(left.span, right.span) };
}

function additive(c: Cursor): Expr {
  let left = multiplicative(c);
  for (;;) {
    c.skipWs();
    const ch = c.peek();
    if (ch !== '+' && ch !== '-' && ch !== '.') return left;
    // "." followed by a digit after white space would be a number, but SPL has no such juxtaposition.
    c.pos++;
    const right = multiplicative(c);
    left = { kind: 'binary', op: ch as BinaryOp, left, right, span: span(left.span, right.span) };
  }
}

function multiplicative(c: Cursor): Expr {
  let left = unary(c);
  for (;;) {
    c.skipWs();
    const ch = c.peek();
    if (ch !== '*' && ch !== '/' && ch !== '%') return left;
    c.pos++;
    const right = unary(c);
    left = { kind: 'binary', op: ch as BinaryOp, left, right, span: span(left.span, right.span) };
  }
}

function unary(c: Cursor): Expr {
  c.skipWs();
  const ch = c.peek();
  if (ch === '-' || ch === '+') {
    const s = { start: c.pos, end: c.pos + 1 };
    c.pos++;
    const operand = unary(c);
    if (operand.kind === 'num' && ch === '-') return { kind: 'num', value: -operand.value, span: span(s, operand.span) };
    return { kind: 'unary', op: ch, operand, span: span(s, operand.span) };
  }
  return primary(c);
}

const NUM_RE = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w])/;
const IDENT_RE = /^[A-Za-z_@$][\w{}@$]*(?:\.[A-Za-z_{}][\w{}@$]*)*/;

function primary(c: Cursor): Expr {
  c.skipWs();
  const start = c.pos;
  const ch = c.peek();
  if (ch === '') throw c.error('expected an expression but the command ended');
  if (ch === '(') {
    c.pos++;
    const e = parseExpr(c);
    const close = c.expect(')', ') to close (');
    return { ...e, span: { start, end: close.end } };
  }
  if (ch === '"') {
    const w = c.quoted();
    return { kind: 'str', value: w.value, span: w.span };
  }
  if (ch === "'") {
    const close = c.text.indexOf("'", c.pos + 1);
    if (close < 0 || close >= c.end) throw new SplError("unterminated 'field name'", { start, end: c.end });
    c.pos = close + 1;
    return { kind: 'field', name: c.text.slice(start + 1, close), span: { start, end: c.pos } };
  }
  const rest = c.text.slice(c.pos, c.end);
  // a dashboard token ($tok$, $tok|s$) stands for a value the dashboard substitutes
  const tok = /^\$[\w.:]+(?:\|[a-z]+)?\$/.exec(rest);
  if (tok) {
    c.pos += tok[0].length;
    return { kind: 'str', value: tok[0], span: { start, end: c.pos } };
  }
  const num = NUM_RE.exec(rest);
  if (num) {
    c.pos += num[0].length;
    return { kind: 'num', value: Number(num[0]), span: { start, end: c.pos } };
  }
  const id = IDENT_RE.exec(rest);
  if (id) {
    c.pos += id[0].length;
    const nameSpan = { start, end: c.pos };
    c.skipWs();
    if (c.peek() === '(' && !id[0].includes('.')) {
      c.pos++;
      const args: Expr[] = [];
      c.skipWs();
      if (c.peek() !== ')') {
        do args.push(parseExpr(c));
        while (c.accept(',', false));
      }
      const close = c.expect(')', `) to close ${id[0]}(`);
      return { kind: 'call', name: id[0], args, span: { start, end: close.end }, nameSpan };
    }
    return { kind: 'field', name: id[0], span: nameSpan };
  }
  throw new SplError(`unexpected "${ch}" in expression`, { start, end: start + 1 }, 'an expression is a field, a "string", a number, a function call or an operator');
}
