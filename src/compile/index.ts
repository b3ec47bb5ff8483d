/**
 * Compiling a parsed pipeline: each command lowers itself onto the builder in turn. The result is
 * one SQL query (a chain of CTEs) valid on the search's connection.
 */
import type { Pipeline } from '../spl/ast.js';
import { SplError } from '../spl/errors.js';
import { Builder } from './builder.js';
import { Schema } from './schema.js';
import { command } from './commands/index.js';
import { fieldsReadFrom } from './needed.js';
import type { CompileContext } from './context.js';

export { Builder } from './builder.js';
export type { CompileContext, Row } from './context.js';
export { commandNames, grammars } from './commands/index.js';
export { jsValueExpr } from './rows.js';

export async function compilePipeline(p: Pipeline, ctx: CompileContext): Promise<Builder> {
  const b = new Builder(ctx);
  for (const [i, cmd] of p.commands.entries()) {
    const spec = command(cmd.name);
    if (!spec) throw new SplError(`unknown command "${cmd.name}"`, cmd.nameSpan);
    if (!b.started && !spec.generating) {
      // `| stats count` and other searches that start with a non-generating command: no events
      b.push(`SELECT CAST(NULL AS TIMESTAMP) AS "_time" WHERE FALSE`, Schema.of([{ name: '_time', column: '_time', type: 'time' }]), []);
    }
    b.laterFields = fieldsReadFrom(p.commands, i + 1);
    try {
      await spec.compile(cmd.args, b, cmd);
    } catch (e) {
      if (e instanceof SplError) throw e;
      throw new SplError(`${cmd.name}: ${(e as Error).message}`, cmd.span);
    }
  }
  return b;
}
