import type { Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import type { OrderKey } from '../builder.js';
import { isNumeric } from '../schema.js';
import type { CommandSpec } from './spec.js';

interface SortKey {
  field: string;
  desc: boolean;
  /** auto (numbers numerically, then text), num, str, ip */
  as: 'auto' | 'num' | 'str' | 'ip';
  span: Span;
}

interface SortArgs {
  limit: number;
  keys: SortKey[];
  desc: boolean;
}

export const sort: CommandSpec<SortArgs> = {
  name: 'sort',
  help: 'sort [N] [-|+]field ... [desc]: order the results; keeps 10000 unless N is given (sort 0 keeps all).',
  parse(c) {
    let limit = 10000;
    const opts = c.options(['limit']);
    if (opts.has('limit')) limit = Number(opts.get('limit')!.value);
    c.skipWs();
    const n = /^\d+(?=\s|$)/.exec(c.text.slice(c.pos, c.end));
    if (n) {
      limit = Number(n[0]);
      c.pos += n[0].length;
    }
    const keys: SortKey[] = [];
    let pendingSign: boolean | undefined;
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      if (c.accept(',', false)) continue;
      if (c.lookingAt('desc', true) || c.lookingAt('d', true)) {
        // trailing "desc"/"d" reverses the whole order
        const save = c.pos;
        const w = c.word()!;
        c.skipWs();
        if (c.atEnd()) return { limit, keys, desc: true };
        c.pos = save;
        void w;
      }
      const ch = c.peek();
      if (ch === '-' || ch === '+') {
        pendingSign = ch === '-';
        c.pos++;
        continue;
      }
      const start = c.pos;
      const fn = /^(auto|num|str|ip)\(/i.exec(c.text.slice(c.pos, c.end));
      let as: SortKey['as'] = 'auto';
      if (fn) {
        as = fn[1]!.toLowerCase() as SortKey['as'];
        c.pos += fn[0].length;
      }
      const f = c.fieldName();
      if (!f) throw c.error('sort needs field names, e.g. sort - count');
      if (fn) c.expect(')', ') to close ' + as + '(');
      keys.push({ field: f.value, desc: pendingSign ?? false, as, span: { start, end: c.pos } });
      pendingSign = undefined;
    }
    if (!keys.length) throw c.error('sort needs at least one field');
    if (!Number.isInteger(limit) || limit < 0) throw new SplError('sort limit must be a whole number', { start: 0, end: 0 });
    return { limit, keys, desc: false };
  },
  compile(args, b) {
    const keys: OrderKey[] = [];
    for (const k of args.keys) {
      const f = b.schema.get(k.field);
      if (!f) continue; // sorting by a missing field changes nothing
      const desc = args.desc ? !k.desc : k.desc;
      const col = b.schema.col(k.field);
      const scalar = f.type === 'mv' ? `${col}[1]` : col;
      if (isNumeric(f.type) || f.type === 'time' || k.as === 'num') {
        keys.push({ sql: isNumeric(f.type) || f.type === 'time' ? col : `TRY_CAST(${scalar} AS DOUBLE)`, desc });
      } else if (k.as === 'str') {
        keys.push({ sql: scalar, desc });
      } else if (k.as === 'ip') {
        keys.push({ sql: `TRY_CAST(split_part(${scalar}, '.', 1) AS INTEGER) * 16777216 + TRY_CAST(split_part(${scalar}, '.', 2) AS INTEGER) * 65536 + TRY_CAST(split_part(${scalar}, '.', 3) AS INTEGER) * 256 + TRY_CAST(split_part(${scalar}, '.', 4) AS INTEGER)`, desc });
      } else {
        // auto: numbers numerically before text (ascending), text lexicographically
        keys.push({ sql: `(TRY_CAST(${scalar} AS DOUBLE) IS NULL)`, desc });
        keys.push({ sql: `TRY_CAST(${scalar} AS DOUBLE)`, desc });
        keys.push({ sql: scalar, desc });
      }
    }
    const limit = args.limit === 0 ? '' : ` LIMIT ${args.limit}`;
    b.push(`SELECT * FROM ${b.from}${b.orderBy(keys)}${limit}`, b.schema, keys);
  },
};
