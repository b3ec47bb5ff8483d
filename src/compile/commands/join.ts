import type { Pipeline, Span } from '../../spl/ast.js';
import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import type { Row } from '../context.js';
import { tsOperator, valuesOf } from '../rows.js';
import { unionFields } from './append.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, intOpt, rejectOptions, runSub, subsearch, type Options } from './util.js';

interface Args {
  opts: Options;
  fields: Word[];
  pipeline: Pipeline;
  span: Span;
}

const OPTS = ['type', 'max', 'overwrite', 'usetime', 'earlier', 'left', 'right', 'where'];

export const join: CommandSpec<Args> = {
  name: 'join',
  help: 'join [type=inner|left|outer] [max=1] [overwrite=t] field ... [subsearch]: add the fields of matching subsearch results.',
  parse(c) {
    const opts: Options = new Map();
    const fields: Word[] = [];
    for (;;) {
      c.skipWs();
      if (c.atEnd()) throw c.error('join needs a subsearch in [ ]');
      const o = c.options(OPTS);
      for (const [k, v] of o) opts.set(k, v);
      if (o.size) continue;
      if (c.peek() === '[') break;
      if (c.accept(',', false)) continue;
      const m = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
      if (m) throw c.error(`join: unknown option ${m[1]}=`, { start: c.pos, end: c.pos + m[1]!.length }, `options: ${OPTS.join(', ')}`);
      const f = c.fieldName(false);
      if (!f) throw c.error('join: expected a field name or [subsearch]');
      fields.push(f);
    }
    const sub = subsearch(c);
    c.done();
    const type = opts.get('type');
    if (type && !['inner', 'left', 'outer'].includes(type.value.toLowerCase())) throw new SplError('join type= is inner, left or outer', type.span);
    rejectOptions(opts, ['usetime', 'earlier', 'left', 'right', 'where'], 'join');
    return { opts, fields, ...sub };
  },
  async compile(a, b) {
    const type = (a.opts.get('type')?.value ?? 'inner').toLowerCase();
    const max = intOpt(a.opts, 'max', 1);
    const overwrite = boolOpt(a.opts, 'overwrite', true);
    const sub = await runSub(b, a.pipeline, 50000);
    const transforming = b.transforming;
    await tsOperator(b, (fields, rows) => {
      const mainNames = fields.map((f) => f.name);
      const subNames = sub.fields.map((f) => f.name);
      const keys = a.fields.length ? a.fields.map((w) => w.value) : mainNames.filter((n) => subNames.includes(n) && !n.startsWith('_'));
      const keyOf = (r: Row) => {
        const parts: string[] = [];
        for (const k of keys) {
          const v = valuesOf(r[k]);
          if (!v.length) return undefined;
          parts.push(v.join('\n'));
        }
        return JSON.stringify(parts);
      };
      const index = new Map<string, Row[]>();
      for (const r of sub.rows) {
        const k = keyOf(r);
        if (k === undefined) continue;
        const list = index.get(k) ?? index.set(k, []).get(k)!;
        if (max === 0 || list.length < max) list.push(r);
      }
      const out: Row[] = [];
      for (const r of rows) {
        const k = keyOf(r);
        const matches = k === undefined ? undefined : index.get(k);
        if (!matches?.length) {
          if (type !== 'inner') out.push(r);
          continue;
        }
        for (const m of matches) {
          const merged: Row = { ...r };
          for (const [f, v] of Object.entries(m)) if (overwrite || merged[f] === undefined) merged[f] = v;
          out.push(merged);
        }
      }
      return { fields: unionFields(mainNames, subNames), rows: out };
    });
    b.transforming = transforming;
  },
};
