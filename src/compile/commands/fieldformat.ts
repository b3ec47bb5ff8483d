import { compileExpr } from '../expr.js';
import { toStr } from '../typed.js';
import type { CommandSpec } from './spec.js';
import { parseAssignments, type Assignment } from './eval.js';

/**
 * fieldformat: how a field is shown at the end of the search; the value later commands see is
 * unchanged. The expression is kept (compiled when the search finishes, over the final rows).
 */
export const fieldformat: CommandSpec<Assignment[]> = {
  name: 'fieldformat',
  help: 'fieldformat field=expression: change how a field is displayed (not its value).',
  parse: parseAssignments,
  compile(list, b) {
    for (const a of list) {
      // compile now to report errors at the expression; the SQL is recompiled over the final schema
      const t = compileExpr(a.expr, { schema: b.schema, tz: b.ctx.tz, now: b.ctx.now });
      void toStr(t);
      b.formatExprs.set(a.field, a.expr);
    }
  },
};
