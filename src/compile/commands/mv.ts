/** Multivalue commands: makemv, mvexpand, mvcombine, nomv. */
import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import { pcre, RegexError } from '../regex.js';
import { tsOperator, valuesOf } from '../rows.js';
import { toList, toStr } from '../typed.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, intOpt, optionsAmong, rejectOptions, type Options } from './util.js';

interface FieldArgs {
  field: Word;
  opts: Options;
}

function parseOneField(allowed: string[]) {
  return (c: import('../../spl/cursor.js').Cursor): FieldArgs => {
    let field: Word | undefined;
    const opts = optionsAmong(c, allowed, (c) => {
      if (field) throw c.error(`${c.command} takes one field`);
      field = c.fieldName();
      if (!field) throw c.error(`${c.command} needs a field`);
      return 'next';
    });
    c.done();
    if (!field) throw c.error(`${c.command} needs a field`);
    return { field, opts };
  };
}

export const makemv: CommandSpec<FieldArgs> = {
  name: 'makemv',
  help: 'makemv [delim=" "] [tokenizer=regex] [allowempty=f] field: split a field into a multivalue field.',
  parse: parseOneField(['delim', 'tokenizer', 'allowempty', 'setsv']),
  async compile(a, b) {
    rejectOptions(a.opts, ['setsv'], 'makemv');
    const f = b.schema.get(a.field.value);
    if (!f) return;
    const allowempty = boolOpt(a.opts, 'allowempty', false);
    const tok = a.opts.get('tokenizer');
    if (tok) {
      let re: RegExp;
      try {
        re = pcre(tok.value, 'g');
      } catch (e) {
        if (e instanceof RegexError) throw new SplError(e.message, tok.span);
        throw e;
      }
      const name = a.field.value;
      await tsOperator(b, (fields, rows) => {
        for (const r of rows) {
          const vals = valuesOf(r[name]);
          if (!vals.length) continue;
          const out: string[] = [];
          for (const v of vals) {
            re.lastIndex = 0;
            let m: RegExpExecArray | null;
            while ((m = re.exec(v))) {
              if (m[0] === '') re.lastIndex++;
              const t = m.length > 1 ? m[1] : m[0];
              if (t !== undefined && (allowempty || t !== '')) out.push(t);
            }
          }
          if (out.length) r[name] = out;
          else delete r[name];
        }
        return { fields: fields.map((x) => (x.name === name ? { name, type: 'mv' as const } : x.name)), rows };
      });
      return;
    }
    const delim = a.opts.get('delim')?.value ?? ' ';
    const col = quoteIdent(f.column);
    const s = toStr({ sql: col, type: f.type });
    const split = f.type === 'mv' ? `flatten(list_transform(${col}, lambda v: string_split(v, ${sqlString(delim)})))` : `string_split(${s}, ${sqlString(delim)})`;
    const filtered = allowempty ? split : `list_filter(${split}, lambda v: v <> '')`;
    const schema = b.schema.clone();
    schema.get(a.field.value)!.type = 'mv';
    b.push(`SELECT * REPLACE (CASE WHEN ${col} IS NULL THEN NULL ELSE nullif(${filtered}, []) END AS ${col}) FROM ${b.from}`, schema);
  },
};

export const mvexpand: CommandSpec<FieldArgs> = {
  name: 'mvexpand',
  help: 'mvexpand field [limit=N]: one result per value of a multivalue field.',
  parse: parseOneField(['limit']),
  compile(a, b) {
    const f = b.schema.get(a.field.value);
    if (!f || f.type !== 'mv') return; // a single value expands to itself
    const limit = intOpt(a.opts, 'limit', 0);
    const seq = b.ensureSeq();
    const col = quoteIdent(f.column);
    const n = limit > 0 ? `least(coalesce(len(${col}), 1), ${limit})` : `greatest(coalesce(len(${col}), 1), 1)`;
    const s1 = b.schema.clone();
    s1.set('_q_i', 'int').column = '_q_i';
    b.push(`SELECT *, unnest(generate_series(1, ${n})) AS "_q_i" FROM ${b.from}`, s1);
    const s2 = s1.clone();
    s2.get(a.field.value)!.type = 'str';
    s2.remove('_q_i');
    s2.remove('_q_seq');
    s2.set('_q_seq', 'int').column = '_q_seq';
    b.push(
      `SELECT * EXCLUDE ("_q_i", "_q_seq") REPLACE (${col}["_q_i"] AS ${col}), row_number() OVER (ORDER BY ${seq}, "_q_i") AS "_q_seq" FROM ${b.from}`,
      s2,
      [{ sql: '"_q_seq"', desc: false }],
    );
  },
};

export const mvcombine: CommandSpec<FieldArgs> = {
  name: 'mvcombine',
  help: 'mvcombine [delim=" "] field: merge results identical except for field into one, field multivalue.',
  parse: parseOneField(['delim']),
  compile(a, b) {
    const f = b.schema.get(a.field.value);
    if (!f) return;
    const seq = b.ensureSeq();
    const col = quoteIdent(f.column);
    const others = b.schema.fields.filter((x) => x.name !== a.field.value && x.name !== '_q_seq');
    const list = f.type === 'mv' ? `flatten(list(${col} ORDER BY ${seq}) FILTER (WHERE ${col} IS NOT NULL))` : `list(${toStr({ sql: col, type: f.type })} ORDER BY ${seq}) FILTER (WHERE ${col} IS NOT NULL)`;
    const schema = b.schema.clone();
    schema.get(a.field.value)!.type = 'mv';
    const cols = schema.fields.map((x) =>
      x.name === a.field.value ? `nullif(${list}, []) AS ${col}` : x.name === '_q_seq' ? `min(${seq}) AS "_q_seq"` : quoteIdent(x.column),
    );
    const group = others.map((x) => quoteIdent(x.column)).join(', ');
    b.push(`SELECT ${cols.join(', ')} FROM ${b.from}${group ? ` GROUP BY ${group}` : ''}`, schema, [{ sql: '"_q_seq"', desc: false }]);
  },
};

export const nomv: CommandSpec<FieldArgs> = {
  name: 'nomv',
  help: 'nomv field: a multivalue field as one value (values joined by newlines).',
  parse: parseOneField([]),
  compile(a, b) {
    const f = b.schema.get(a.field.value);
    if (!f || f.type !== 'mv') return;
    const col = quoteIdent(f.column);
    const schema = b.schema.clone();
    schema.get(a.field.value)!.type = 'str';
    b.push(`SELECT * REPLACE (array_to_string(${col}, chr(10)) AS ${col}) FROM ${b.from}`, schema);
    void toList;
  },
};
