import type { Word } from '../../spl/cursor.js';
import { quoteIdent } from '../../store/sql.js';
import { expandFieldList } from './table.js';
import type { CommandSpec } from './spec.js';

interface FieldsArgs {
  remove: boolean;
  list: Word[];
}

export const fields: CommandSpec<FieldsArgs> = {
  name: 'fields',
  help: 'fields [+|-] field ...: keep (or with -, remove) fields; wildcards allowed.',
  parse(c) {
    c.skipWs();
    let remove = false;
    if (c.peek() === '-') (remove = true), c.pos++;
    else if (c.peek() === '+') c.pos++;
    const list = c.fieldList([], true);
    c.done();
    if (!list.length) throw c.error('fields needs at least one field');
    return { remove, list };
  },
  compile(args, b) {
    const named = expandFieldList(b, args.list, false);
    const schema = b.schema.clone();
    if (args.remove) {
      for (const n of named) schema.remove(n);
    } else {
      // internal fields (_time, _raw, _q_*) stay unless removed explicitly
      const keep = [...named, ...schema.names().filter((n) => n.startsWith('_') && !named.includes(n))];
      schema.keep(keep);
    }
    // order keys may refer to removed columns: number rows first
    if (b.order.length) b.ensureSeq();
    if (b.schema.has('_q_seq') && !schema.has('_q_seq')) schema.set('_q_seq', 'int').column = '_q_seq';
    b.push(`SELECT ${schema.fields.map((f) => quoteIdent(f.column)).join(', ') || '1 AS "_q_empty"'} FROM ${b.from}`, schema);
  },
};
