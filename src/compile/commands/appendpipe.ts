import type { Pipeline, Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import { parsePipeline, type GrammarTable } from '../../spl/parser.js';
import { Builder } from '../builder.js';
import { readCurrent, tsOperator } from '../rows.js';
import { unionFields } from './append.js';
import type { CommandSpec } from './spec.js';
import { type Options } from './util.js';

interface Args {
  opts: Options;
  pipeline: Pipeline;
  span: Span;
}

/** A grammar table in which every command may come first (it runs on rows handed to it). */
export function continuingGrammars(grammars: GrammarTable): GrammarTable {
  return {
    get: (n) => {
      const g = grammars.get(n);
      return g && { parse: g.parse.bind(g), generating: true };
    },
    names: () => grammars.names(),
  };
}

/** Parse the body of [ ... ] as commands that continue the current results (no implicit search). */
export async function parseContinuation(text: string, start: number): Promise<Pipeline> {
  const { grammars } = await import('./index.js');
  const shift = start - 2;
  try {
    return parsePipeline('| ' + text, continuingGrammars(grammars));
  } catch (e) {
    if (e instanceof SplError) throw new SplError(e.message, { start: e.span.start + shift, end: e.span.end + shift }, e.hint);
    throw e;
  }
}

export const appendpipe: CommandSpec<Args & { body: string; bodyStart: number }> = {
  name: 'appendpipe',
  help: 'appendpipe [run_in_preview=f] [commands]: run the commands on the current results and append their output.',
  parse(c) {
    const opts = c.options(['run_in_preview']);
    c.skipWs();
    if (c.peek() !== '[') throw c.error('appendpipe needs commands in [ ]', undefined, 'e.g. appendpipe [stats count as total]');
    const br = c.bracket();
    c.done();
    return { opts, pipeline: { commands: [], span: br.span, text: '' }, span: br.span, body: c.text.slice(br.start, br.end), bodyStart: br.start };
  },
  async compile(a, b) {
    const p = await parseContinuation(a.body, a.bodyStart);
    const rel = await b.materialize();
    const sb = new Builder(b.ctx);
    sb.start(rel, b.schema.clone(), b.order);
    const { command } = await import('./index.js');
    for (const cmd of p.commands) {
      try {
        await command(cmd.name)!.compile(cmd.args, sb, cmd);
      } catch (e) {
        if (e instanceof SplError) {
          const shift = a.bodyStart - 2;
          throw new SplError(e.message, { start: e.span.start + shift, end: e.span.end + shift }, e.hint);
        }
        throw e;
      }
    }
    const sub = await readCurrent(sb);
    const transforming = b.transforming;
    await tsOperator(b, (fields, rows) => ({ fields: unionFields(fields.map((f) => f.name), sub.fields.map((f) => f.name)), rows: [...rows, ...sub.rows] }));
    b.transforming = transforming;
  },
};
