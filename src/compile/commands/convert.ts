import type { Span } from '../../spl/ast.js';
import { SplError } from '../../spl/errors.js';
import type { Row } from '../context.js';
import { asNumber, tsOperator, valuesOf } from '../rows.js';
import { wildcardRegExp } from '../schema.js';
import { strftime, strptime } from '../strftime.js';
import type { CommandSpec } from './spec.js';

const FNS = ['auto', 'ctime', 'dur2sec', 'memk', 'mktime', 'mstime', 'none', 'num', 'rmcomma', 'rmunit'];

interface Conversion {
  fn: string;
  field: string;
  as?: string;
  span: Span;
}

interface Args {
  timeformat: string;
  conversions: Conversion[];
}

const numRe = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function convertOne(fn: string, v: unknown, fmt: string, tz: string): unknown {
  const s = typeof v === 'number' ? String(v) : String(v);
  switch (fn) {
    case 'auto':
      return numRe.test(s) ? Number(s) : (convertOne('rmcomma', v, fmt, tz) ?? convertOne('rmunit', v, fmt, tz) ?? v);
    case 'num': {
      if (numRe.test(s)) return Number(s);
      const r = convertOne('rmcomma', v, fmt, tz) ?? convertOne('rmunit', v, fmt, tz);
      return r;
    }
    case 'rmcomma': {
      const t = s.replace(/,/g, '');
      return numRe.test(t) ? Number(t) : undefined;
    }
    case 'rmunit': {
      const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s);
      return m ? Number(m[1]) : undefined;
    }
    case 'ctime': {
      const n = asNumber(v);
      return n === undefined ? v : strftime(n, fmt, tz);
    }
    case 'mktime': {
      const t = strptime(s, fmt, tz);
      return t === undefined ? v : t;
    }
    case 'dur2sec': {
      const m = /^\s*(?:(\d+)\+)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$/.exec(s);
      if (!m) return numRe.test(s) ? Number(s) : v;
      return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
    }
    case 'mstime': {
      const m = /^\s*(?:(\d+):)?(\d+(?:\.\d+)?)\s*$/.exec(s);
      if (!m) return v;
      return Number(m[1] ?? 0) * 60 + Number(m[2]);
    }
    case 'memk': {
      const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG])?[bB]?\s*$/.exec(s);
      if (!m) return v;
      const mult = { k: 1, m: 1024, g: 1024 * 1024 }[(m[2] ?? 'k').toLowerCase() as 'k'];
      return Number(m[1]) * mult;
    }
    default:
      return v;
  }
}

export const convert: CommandSpec<Args> = {
  name: 'convert',
  help: 'convert [timeformat="%m/%d/%Y %H:%M:%S"] fn(field) [AS new] ...: ctime, mktime, dur2sec, mstime, memk, rmunit, rmcomma, num, auto, none.',
  parse(c) {
    const opts = c.options(['timeformat']);
    const conversions: Conversion[] = [];
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      if (c.accept(',', false)) continue;
      const start = c.pos;
      const m = /^([A-Za-z_]\w*)\s*\(/.exec(c.text.slice(c.pos, c.end));
      if (!m) {
        const o = /^([A-Za-z_]\w*)\s*=/.exec(c.text.slice(c.pos, c.end));
        if (o) throw c.error(`convert: unknown option ${o[1]}=`, { start: c.pos, end: c.pos + o[1]!.length }, 'options: timeformat');
        throw c.error('convert needs fn(field), e.g. convert ctime(_time)', undefined, `functions: ${FNS.join(', ')}`);
      }
      const fn = m[1]!.toLowerCase();
      if (!FNS.includes(fn)) throw new SplError(`unknown convert function "${m[1]}"`, { start, end: start + m[1]!.length }, `functions: ${FNS.join(', ')}`);
      c.pos += m[0].length;
      const f = c.fieldName(true);
      if (!f) throw c.error(`${fn}() needs a field`);
      c.expect(')', `) to close ${fn}(`);
      let as: string | undefined;
      if (c.accept('as', true)) {
        const a = c.fieldName();
        if (!a) throw c.error('AS needs a name');
        as = a.value;
      }
      conversions.push({ fn, field: f.value, as, span: { start, end: c.pos } });
    }
    c.done();
    if (!conversions.length) throw c.error('convert needs at least one conversion, e.g. convert ctime(_time)');
    for (const cv of conversions) if (cv.as && cv.field.includes('*')) throw new SplError('AS cannot follow a wildcard', cv.span);
    const tf = opts.get('timeformat')?.value ?? '%m/%d/%Y %H:%M:%S';
    return { timeformat: tf, conversions };
  },
  async compile(a, b) {
    const tz = b.ctx.tz;
    await tsOperator(b, (fields, rows) => {
      const names = fields.map((f) => f.name);
      const done = new Set<string>(); // a field named by an earlier conversion is not converted again by a wildcard
      const plan: { fn: string; field: string; as: string }[] = [];
      for (const cv of a.conversions) {
        const matched = cv.field.includes('*') ? names.filter((n) => wildcardRegExp(cv.field).test(n) && !n.startsWith('_')) : names.includes(cv.field) ? [cv.field] : [];
        for (const n of matched) {
          if (cv.field.includes('*') && done.has(n)) continue;
          done.add(n);
          plan.push({ fn: cv.fn, field: n, as: cv.as ?? n });
        }
      }
      for (const p of plan) if (!names.includes(p.as)) names.push(p.as);
      for (const r of rows) {
        for (const p of plan) {
          const v = (r as Row)[p.field];
          if (v === undefined || v === null) continue;
          if (p.fn === 'none') {
            if (p.as !== p.field) r[p.as] = v;
            continue;
          }
          const vals = Array.isArray(v) ? v : [v];
          const out = vals.map((x) => convertOne(p.fn, x, a.timeformat, tz)).filter((x) => x !== undefined);
          if (!out.length) {
            if (p.as === p.field) delete r[p.field];
            continue;
          }
          r[p.as] = Array.isArray(v) ? out.map(String) : out[0];
        }
      }
      void valuesOf;
      return { fields: names, rows };
    });
  },
};
