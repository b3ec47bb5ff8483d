/**
 * The search grammar (the first command, and `search` later on). Juxtaposition is AND; OR binds
 * tighter than AND; NOT applies to the next term or group; operators must be upper case.
 */
import type { CompareOp, SearchArgs, SearchNode } from './ast.js';
import type { Cursor } from './cursor.js';
import { SplError, type Span } from './errors.js';

const WORD_STOPS = '()[]|"';
const OP_RE = /^([^=!<>\s]+?)(!=|<=|>=|=|<|>)(.*)$/s;

export function parseSearch(c: Cursor): SearchArgs {
  const args: SearchArgs = { node: { kind: 'all', span: { start: c.pos, end: c.pos } } };
  const start = c.pos;
  const items = andList(c, args, false);
  c.done();
  args.node = items.length === 0 ? { kind: 'all', span: { start, end: c.pos } } : items.length === 1 ? items[0]! : { kind: 'and', items, span: { start, end: c.pos } };
  return args;
}

function isOp(c: Cursor, op: string): boolean {
  return c.lookingAt(op, true) && c.text.slice(c.pos, c.pos + op.length) === op;
}

function andList(c: Cursor, args: SearchArgs, inGroup: boolean): SearchNode[] {
  const items: SearchNode[] = [];
  for (;;) {
    c.skipWs();
    if (c.pos >= c.end || (inGroup && c.peek() === ')')) break;
    if (isOp(c, 'AND')) {
      c.accept('AND', true);
      continue;
    }
    const before = c.pos;
    const n = orExpr(c, args);
    if (n) items.push(n);
    else if (c.pos === before) {
      const ch = c.peek();
      throw new SplError(`unexpected "${ch}" in the search`, { start: c.pos, end: c.pos + 1 }, ch === '|' ? 'a | inside a command must be quoted' : undefined);
    }
  }
  return items;
}

function orExpr(c: Cursor, args: SearchArgs): SearchNode | undefined {
  const first = notExpr(c, args);
  const items = first ? [first] : [];
  for (;;) {
    c.skipWs();
    if (!isOp(c, 'OR')) break;
    const opSpan = c.accept('OR', true)!;
    const n = notExpr(c, args);
    if (!n) throw new SplError('OR needs a term on its right', opSpan);
    items.push(n);
  }
  if (items.length <= 1) return items[0];
  return { kind: 'or', items, span: { start: items[0]!.span.start, end: items[items.length - 1]!.span.end } };
}

function notExpr(c: Cursor, args: SearchArgs): SearchNode | undefined {
  c.skipWs();
  if (isOp(c, 'NOT')) {
    const s = c.accept('NOT', true)!;
    const item = notExpr(c, args);
    if (!item) throw new SplError('NOT needs a term after it', s);
    return { kind: 'not', item, span: { start: s.start, end: item.span.end } };
  }
  return primary(c, args);
}

function primary(c: Cursor, args: SearchArgs): SearchNode | undefined {
  c.skipWs();
  const start = c.pos;
  const ch = c.peek();
  if (ch === '(') {
    c.pos++;
    const items = andList(c, args, true);
    const close = c.expect(')', ') to close the group');
    const span = { start, end: close.end };
    if (items.length === 0) return { kind: 'all', span };
    return items.length === 1 ? items[0] : { kind: 'and', items, span };
  }
  if (ch === ')') throw new SplError('unbalanced )', { start, end: start + 1 }, 'remove it or open the group with (');
  if (ch === '[') {
    const b = c.bracket();
    return { kind: 'subsearch', pipeline: c.subparse(b.start, b.end), span: b.span };
  }
  if (ch === ']') throw new SplError('unbalanced ]', { start, end: start + 1 });
  if (ch === '"') {
    const w = c.quoted();
    return { kind: 'term', value: w.value, quoted: true, span: w.span };
  }
  // a dashboard token with a filter, $tok|s$, is one term
  const tok = /^\$[\w.:]+\|[a-z]+\$/.exec(c.text.slice(c.pos, c.end));
  if (tok) {
    c.pos += tok[0].length;
    return { kind: 'term', value: tok[0], quoted: false, span: { start, end: c.pos } };
  }
  const w = c.word(WORD_STOPS);
  if (!w) return undefined;
  const upper = w.value.toUpperCase();
  if ((upper === 'TERM' || upper === 'CASE') && c.peek() === '(') {
    c.pos++;
    const inner = c.peek() === '"' ? c.quoted() : c.word(')');
    const close = c.expect(')', `) to close ${upper}(`);
    if (!inner) throw new SplError(`${upper}() needs a term`, { start, end: close.end });
    const span = { start, end: close.end };
    const m = upper === 'CASE' ? OP_RE.exec(inner.value) : null;
    if (m) return { kind: 'compare', field: m[1]!, op: m[2] as CompareOp, value: m[3]!, quoted: false, caseSensitive: true, span };
    return upper === 'TERM'
      ? { kind: 'term', value: inner.value, quoted: inner.quoted, term: true, span }
      : { kind: 'term', value: inner.value, quoted: inner.quoted, caseSensitive: true, span };
  }
  const m = OP_RE.exec(w.value);
  if (m) {
    const field = m[1]!;
    const op = m[2] as CompareOp;
    let value = m[3]!;
    let quoted = false;
    let end = w.span.end;
    if (value === '' && c.peek() === '"') {
      const q = c.quoted();
      value = q.value;
      quoted = true;
      end = q.span.end;
    } else if (value === 'CASE' && c.peek() === '(') {
      // host=CASE(LOCALHOST): the word stops at the parenthesis
      c.pos += 1;
      const inner = c.peek() === '"' ? c.quoted() : c.word(')');
      const close = c.expect(')', ') to close CASE(');
      return { kind: 'compare', field, op, value: inner?.value ?? '', quoted: !!inner?.quoted, caseSensitive: true, span: { start, end: close.end } };
    } else if (value === '' && /^\s+[^\s()|=<>!]/.test(c.text.slice(c.pos, c.end)) && !/^\s+(?:AND|OR|NOT)\b/.test(c.text.slice(c.pos, c.end))) {
      // `field= value`: Splunk tolerates white space after the operator
      c.skipWs();
      const v = c.peek() === '"' ? c.quoted() : c.word(WORD_STOPS);
      if (!v) throw new SplError(`${field}${op} needs a value`, w.span);
      value = v.value;
      quoted = v.quoted;
      end = v.span.end;
    } else if (value === '') {
      throw new SplError(`${field}${op} needs a value`, w.span, `write ${field}${op}"" to match an empty value, or ${field}=* for any value`);
    }
    const span: Span = { start, end };
    const lf = field.toLowerCase();
    if ((lf === 'earliest' || lf === 'latest') && op === '=') {
      args[lf] = { value, span };
      return { kind: 'all', span };
    }
    return { kind: 'compare', field, op, value, quoted, span };
  }
  // field IN (a, b, "c d")
  c.skipWs();
  if (c.lookingAt('IN', true) && c.text.slice(c.pos, c.pos + 2) === 'IN') {
    const save = c.pos;
    c.accept('IN', true);
    c.skipWs();
    if (c.peek() === '(') {
      c.pos++;
      const values: { value: string; quoted: boolean }[] = [];
      for (;;) {
        c.skipWs();
        if (c.accept(')', false)) break;
        if (c.accept(',', false)) continue;
        const v = c.word('(),[]|"');
        if (!v) throw c.error('expected a value or ) in IN (...)');
        values.push({ value: v.value, quoted: v.quoted });
      }
      return { kind: 'in', field: w.value, values, span: { start, end: c.pos } };
    }
    c.pos = save;
  }
  if (w.value === '*') return { kind: 'all', span: w.span };
  return { kind: 'term', value: w.value, quoted: false, span: w.span };
}
