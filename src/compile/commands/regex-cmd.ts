import type { Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import { sqlString } from '../../store/sql.js';
import { pcre, re2, RegexError } from '../regex.js';
import { toStr } from '../typed.js';
import type { CommandSpec } from './spec.js';

interface Args {
  field: string;
  negate: boolean;
  regex: string;
  span: Span;
}

/** regex: keep (=) or drop (!=) the results whose field matches the regular expression (unanchored). */
export const regexCommand: CommandSpec<Args> = {
  name: 'regex',
  help: 'regex [field=|field!=]"regex": keep results whose field (default _raw) matches; != drops them.',
  parse(c) {
    c.skipWs();
    let field = '_raw';
    let negate = false;
    const m = /^([A-Za-z_][\w.:{}@-]*)\s*(!=|=)\s*/.exec(c.text.slice(c.pos, c.end));
    if (m) {
      field = m[1]!;
      negate = m[2] === '!=';
      c.pos += m[0].length;
    }
    c.skipWs();
    let value: { value: string; span: Span };
    if (c.peek() === '"') value = c.quoted();
    else {
      const r = c.rest();
      if (!r.value) throw c.error('regex needs a regular expression');
      value = r;
    }
    c.done();
    try {
      pcre(value.value);
    } catch (e) {
      if (e instanceof RegexError) throw new SplError(e.message, value.span);
      throw e;
    }
    return { field, negate, regex: value.value, span: value.span };
  },
  async compile(a, b) {
    const f = b.schema.get(a.field);
    if (!f) {
      // no value: nothing matches
      if (!a.negate) b.push(`SELECT * FROM ${b.from} WHERE FALSE`, b.schema);
      return;
    }
    const col = { sql: b.schema.col(a.field), type: f.type };
    // RE2 (DuckDB's own) when it reads the pattern the same way; else the PCRE-like UDF
    const r2 = re2(a.regex);
    let native = false;
    if (r2) {
      try {
        await b.ctx.conn.run(`SELECT regexp_matches('', ${sqlString(r2.pattern)})`);
        native = true;
      } catch {
        native = false;
      }
    }
    const fn = (v: string) => (native ? `regexp_matches(${v}, ${sqlString(r2!.pattern)})` : `spl_regex_test(${v}, ${sqlString(a.regex)})`);
    const test = f.type === 'mv' ? `len(list_filter(${col.sql}, lambda v: ${fn('v')})) > 0` : fn(toStr(col));
    b.push(`SELECT * FROM ${b.from} WHERE ${a.negate ? `NOT coalesce(${test}, FALSE)` : `coalesce(${test}, FALSE)`}`, b.schema);
  },
};
