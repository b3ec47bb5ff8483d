import type { Pipeline, Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import type { Row } from '../context.js';
import { tsOperator } from '../rows.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, intOpt, rejectOptions, subsearch, type Options } from './util.js';

interface SubArgs {
  opts: Options;
  pipeline: Pipeline;
  span: Span;
}

function parseSub(allowed: string[]) {
  return (c: import('../../spl/cursor.js').Cursor): SubArgs => {
    const opts = c.options(allowed);
    c.skipWs();
    if (c.peek() !== '[') {
      const m = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
      if (m) throw c.error(`${c.command}: unknown option ${m[1]}=`, { start: c.pos, end: c.pos + m[1]!.length }, `options: ${allowed.join(', ')}`);
      throw c.error(`${c.command} needs a subsearch in [ ]`);
    }
    const sub = subsearch(c);
    c.done();
    return { opts, ...sub };
  };
}

/** Merge field lists: first's order, then the new ones of the second. */
function unionFields(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const f of b) if (!out.includes(f)) out.push(f);
  return out;
}

export { unionFields };

export const append: CommandSpec<SubArgs> = {
  name: 'append',
  help: 'append [subsearch]: add the subsearch results after the current results.',
  parse: parseSub(['extendtimerange', 'maxtime', 'maxout', 'timeout']),
  async compile(a, b) {
    rejectOptions(a.opts, ['extendtimerange'], 'append');
    const maxout = intOpt(a.opts, 'maxout', 50000, 1);
    const { runSub } = await import('./util.js');
    const sub = await runSub(b, a.pipeline, maxout);
    const transforming = b.transforming;
    await tsOperator(b, (fields, rows) => ({
      fields: unionFields(fields.map((f) => f.name), sub.fields.map((f) => f.name)),
      rows: [...rows, ...sub.rows],
    }));
    b.transforming = transforming;
  },
};

export const appendcols: CommandSpec<SubArgs> = {
  name: 'appendcols',
  help: 'appendcols [override=f] [subsearch]: merge subsearch result i into result i (current values win unless override=t).',
  parse: parseSub(['override', 'extendtimerange', 'maxtime', 'maxout', 'timeout']),
  async compile(a, b) {
    rejectOptions(a.opts, ['extendtimerange'], 'appendcols');
    const override = boolOpt(a.opts, 'override', false);
    const { runSub } = await import('./util.js');
    const sub = await runSub(b, a.pipeline, intOpt(a.opts, 'maxout', 50000, 1));
    const transforming = b.transforming;
    await tsOperator(b, (fields, rows) => {
      const out: Row[] = [];
      const n = Math.max(rows.length, sub.rows.length);
      for (let i = 0; i < n; i++) {
        const main = rows[i];
        const s = sub.rows[i];
        if (!main) out.push({ ...s });
        else if (!s) out.push(main);
        else {
          const r: Row = { ...main };
          for (const [k, v] of Object.entries(s)) if (override || r[k] === undefined) r[k] = v;
          out.push(r);
        }
      }
      return { fields: unionFields(fields.map((f) => f.name), sub.fields.map((f) => f.name)), rows: out };
    });
    b.transforming = transforming;
  },
};

void SplError;
