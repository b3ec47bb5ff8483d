import type { Word } from '../../spl/cursor.js';
import { quoteIdent } from '../../store/sql.js';
import { Schema } from '../schema.js';
import type { Builder } from '../builder.js';
import type { CommandSpec } from './spec.js';

/** Expand a list of names with wildcards against the schema, keeping first occurrences in order. */
export function expandFieldList(b: Builder, words: Word[], keepMissing: boolean): string[] {
  const out: string[] = [];
  for (const w of words) {
    const names = w.value.includes('*') ? b.schema.match(w.value).map((f) => f.name) : keepMissing || b.schema.has(w.value) ? [w.value] : [];
    for (const n of names) if (!out.includes(n)) out.push(n);
  }
  return out;
}

export const table: CommandSpec<Word[]> = {
  name: 'table',
  help: 'table field ...: a table of just these columns, in this order (wildcards allowed).',
  parse(c) {
    const list = c.fieldList([], true);
    c.done();
    if (!list.length) throw c.error('table needs at least one field');
    return list;
  },
  compile(words, b) {
    const names = expandFieldList(b, words, true);
    const out = new Schema();
    const cols: string[] = [];
    for (const n of names) {
      const f = b.schema.get(n);
      const nf = out.set(n, f?.type ?? 'str');
      cols.push(f ? `${quoteIdent(f.column)} AS ${quoteIdent(nf.column)}` : `CAST(NULL AS VARCHAR) AS ${quoteIdent(nf.column)}`);
    }
    // keep the order keys the table still has
    b.ensureSeq();
    out.set('_q_seq', 'int').column = '_q_seq';
    cols.push('"_q_seq"');
    b.push(`SELECT ${cols.join(', ')} FROM ${b.from}`, out, [{ sql: '"_q_seq"', desc: false }]);
    b.tableView = true;
  },
};
