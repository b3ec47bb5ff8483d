import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { quoteIdent } from '../../store/sql.js';
import { wildcardRegExp } from '../schema.js';
import type { CommandSpec } from './spec.js';

interface Pair {
  from: Word;
  to: Word;
}

export const rename: CommandSpec<Pair[]> = {
  name: 'rename',
  help: 'rename old AS new[, ...]: rename fields; a * in both names carries the matched part.',
  parse(c) {
    const pairs: Pair[] = [];
    do {
      const from = c.fieldName(true);
      if (!from) throw c.error('rename needs: old AS new');
      if (!c.accept('as', true)) throw c.error(`expected AS after ${from.value}`);
      const to = c.fieldName(true);
      if (!to) throw c.error('AS needs a new name');
      pairs.push({ from, to });
      c.skipWs();
    } while (c.accept(',', false) || (!c.atEnd() && c.peek() !== ''));
    c.done();
    return pairs;
  },
  compile(pairs, b) {
    for (const { from, to } of pairs) {
      const schema = b.schema.clone();
      const moves: [string, string][] = [];
      if (from.value.includes('*')) {
        const re = wildcardRegExp(from.value);
        for (const f of schema.fields) {
          const m = re.exec(f.name);
          if (!m) continue;
          let i = 1;
          moves.push([f.name, to.value.replace(/\*/g, () => m[i++] ?? '')]);
        }
      } else if (schema.has(from.value)) moves.push([from.value, to.value]);
      else if (to.value.includes('*')) throw new SplError('a wildcard in the new name needs one in the old name', to.span);
      if (!moves.length) continue;
      const cols: string[] = [];
      const out = schema.clone();
      for (const [old, nu] of moves) {
        // renaming onto an existing field replaces it
        if (nu !== old && out.has(nu)) out.remove(nu);
      }
      for (const [old, nu] of moves) {
        const f = out.get(old)!;
        out.remove(old);
        const nf = out.set(nu, f.type);
        cols.push(`${quoteIdent(f.column)} AS ${quoteIdent(nf.column)}`);
      }
      const moved = new Set(moves.map(([o]) => o));
      const rest = b.schema.fields.filter((f) => !moved.has(f.name) && out.has(f.name) && out.get(f.name)!.column === f.column).map((f) => quoteIdent(f.column));
      b.push(`SELECT ${[...rest, ...cols].join(', ')} FROM ${b.from}`, out);
    }
  },
};
