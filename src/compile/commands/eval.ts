import type { Expr, Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import { parseExpr } from '../../spl/expr.js';
import { quoteIdent } from '../../store/sql.js';
import { compileExpr } from '../expr.js';
import type { Builder } from '../builder.js';
import type { Typed } from '../typed.js';
import type { CommandSpec } from './spec.js';

export interface Assignment {
  field: string;
  fieldSpan: Span;
  expr: Expr;
}

export function parseAssignments(c: import('../../spl/cursor.js').Cursor): Assignment[] {
  const out: Assignment[] = [];
  do {
    const f = c.fieldName();
    if (!f) throw c.error(`${c.command} needs field=expression`);
    c.expect('=', `= after ${f.value}`);
    out.push({ field: f.value, fieldSpan: f.span, expr: parseExpr(c) });
  } while (c.accept(',', false));
  c.done();
  return out;
}

/** Set a field to a typed SQL value in a new step (a new column, or a replaced one). */
export function assign(b: Builder, field: string, t: Typed, span?: Span): void {
  if (t.type === 'bool') {
    throw new SplError(`a field cannot hold a condition: wrap it as if(..., "true", "false")`, span ?? { start: 0, end: 0 }, 'Splunk: "Fields cannot be assigned a boolean result"');
  }
  const schema = b.schema.clone();
  const existing = schema.get(field);
  if (field === '_time') {
    // _time stays a timestamp column; eval gives it epoch seconds.
    const f = schema.get('_time') ?? schema.set('_time', 'time');
    f.type = 'time';
    const sql = `make_timestamp(CAST(${t.type === 'time' ? `epoch_us(${t.sql})` : `(${t.sql}) * 1000000`} AS BIGINT))`;
    b.push(existing ? `SELECT * REPLACE (${sql} AS "_time") FROM ${b.from}` : `SELECT *, ${sql} AS "_time" FROM ${b.from}`, schema);
    return;
  }
  const type = t.type === 'null' ? (existing?.type ?? 'str') : t.type === 'time' ? 'num' : t.type;
  const sql = t.type === 'time' ? `epoch_us(${t.sql}) / 1000000.0` : t.type === 'null' ? `CAST(NULL AS ${existing ? sqlType(existing.type) : 'VARCHAR'})` : t.sql;
  if (existing) {
    existing.type = type;
    b.push(`SELECT * REPLACE (${sql} AS ${quoteIdent(existing.column)}) FROM ${b.from}`, schema);
  } else {
    const f = schema.set(field, type);
    b.push(`SELECT *, ${sql} AS ${quoteIdent(f.column)} FROM ${b.from}`, schema);
  }
}

function sqlType(t: string): string {
  return ({ num: 'DOUBLE', int: 'BIGINT', mv: 'VARCHAR[]', time: 'TIMESTAMP' } as Record<string, string>)[t] ?? 'VARCHAR';
}

export const evalCommand: CommandSpec<Assignment[]> = {
  name: 'eval',
  help: 'eval field=expression[, field=expression ...]: compute fields; later assignments see earlier ones.',
  parse: parseAssignments,
  compile(list, b) {
    for (const a of list) {
      const t = compileExpr(a.expr, { schema: b.schema, tz: b.ctx.tz, now: b.ctx.now });
      assign(b, a.field, t, a.expr.span);
    }
  },
};
