import type { Expr } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import { parseExpr } from '../../spl/expr.js';
import { compileExpr } from '../expr.js';
import type { CommandSpec } from './spec.js';

export const where: CommandSpec<Expr> = {
  name: 'where',
  help: 'where <condition>: keep the results for which the eval condition is true (null counts as false).',
  parse(c) {
    const e = parseExpr(c);
    c.done();
    return e;
  },
  compile(e, b) {
    const t = compileExpr(e, { schema: b.schema, tz: b.ctx.tz, now: b.ctx.now });
    if (t.type !== 'bool' && t.type !== 'null') {
      throw new SplError('where needs a condition', e.span, 'e.g. where count > 10 or where isnotnull(user)');
    }
    b.push(`SELECT * FROM ${b.from} WHERE coalesce(${t.sql}, FALSE)`, b.schema);
  },
};
