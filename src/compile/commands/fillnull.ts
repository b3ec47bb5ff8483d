import type { Word } from '../../spl/cursor.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import type { CommandSpec } from './spec.js';
import { expandFieldList } from './table.js';
import { optionsAmong } from './util.js';

interface Args {
  value: string;
  fields: Word[];
}

/** fillnull: null → value, in the named fields (created when missing) or in every known field. */
export const fillnull: CommandSpec<Args> = {
  name: 'fillnull',
  help: 'fillnull [value=0] [field ...] [value=0]: replace null values (in every field, or in the listed ones).',
  parse(c) {
    // value= before or after the fields: Splunk's own searches write both (splunk/security_content)
    const fields: Word[] = [];
    const opts = optionsAmong(c, ['value'], (c) => {
      if (c.accept(',', false)) return 'next';
      const f = c.fieldName(true);
      if (!f) return 'stop';
      fields.push(f);
      return 'next';
    });
    c.done();
    return { value: opts.get('value')?.value ?? '0', fields };
  },
  compile(a, b) {
    const schema = b.schema.clone();
    const names = a.fields.length ? expandFieldList(b, a.fields, true) : b.schema.fields.filter((f) => !f.name.startsWith('_')).map((f) => f.name);
    const isNum = /^-?\d+(\.\d+)?$/.test(a.value);
    const replace: string[] = [];
    const add: string[] = [];
    for (const n of names) {
      const f = schema.get(n);
      if (!f) {
        const nf = schema.set(n, isNum ? 'num' : 'str');
        add.push(`${isNum ? a.value : sqlString(a.value)} AS ${quoteIdent(nf.column)}`);
        continue;
      }
      const col = quoteIdent(f.column);
      if (f.type === 'num' || f.type === 'int') {
        if (isNum) replace.push(`coalesce(${col}, ${a.value}) AS ${col}`);
        else {
          f.type = 'str';
          replace.push(`coalesce(spl_num_str(CAST(${col} AS DOUBLE)), ${sqlString(a.value)}) AS ${col}`);
        }
      } else if (f.type === 'mv') replace.push(`coalesce(${col}, [${sqlString(a.value)}]) AS ${col}`);
      else if (f.type === 'str' || f.type === 'null') {
        f.type = 'str';
        replace.push(`coalesce(${col}, ${sqlString(a.value)}) AS ${col}`);
      }
    }
    if (!replace.length && !add.length) return;
    b.push(`SELECT *${replace.length ? ` REPLACE (${replace.join(', ')})` : ''}${add.length ? ', ' + add.join(', ') : ''} FROM ${b.from}`, schema);
  },
};
