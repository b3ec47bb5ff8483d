/**
 * Eval functions: one entry each, with arity, lowering to SQL and help text. The compiler, `quarry
 * parse`, autocomplete and help all read this table.
 */
import { sqlString } from '../store/sql.js';
import type { FieldType } from '../compile/schema.js';
import { NULL, toBool, toList, toNum, toStr, type Typed } from '../compile/typed.js';

export interface FnContext {
  tz: string;
  /** epoch ms of the search's "now" */
  now: number;
  /** throw an error pointing at argument i (or the call when i is undefined) */
  fail(message: string, arg?: number): never;
}

export interface EvalFunction {
  name: string;
  /** [min, max] argument count; max Infinity for varargs */
  arity: [number, number];
  help: string;
  compile(args: Typed[], ctx: FnContext): Typed;
}

const fns = new Map<string, EvalFunction>();

export function defineEval(name: string, arity: [number, number], help: string, compile: EvalFunction['compile']): void {
  fns.set(name, { name, arity, help, compile });
}

export function evalFunction(name: string): EvalFunction | undefined {
  return fns.get(name.toLowerCase());
}

export function evalFunctionNames(): string[] {
  return [...fns.keys()].sort();
}

const n = (sql: string): Typed => ({ sql, type: 'num' });
const s = (sql: string): Typed => ({ sql, type: 'str' });
const b = (sql: string): Typed => ({ sql, type: 'bool' });
const mv = (sql: string): Typed => ({ sql, type: 'mv' });

/** Common type of two branches (if/case/coalesce): equal types stay, numbers widen, else text. */
export function unify(ts: Typed[]): { type: FieldType; cast: (t: Typed) => string } {
  const types = new Set(ts.map((t) => t.type).filter((t) => t !== 'null'));
  if (types.size === 0) return { type: 'null', cast: (t) => t.sql };
  if (types.size === 1) {
    const [t] = types as Set<FieldType>;
    if (t === 'bool') return { type: 'str', cast: toStr };
    return { type: t!, cast: (x) => (x.type === 'null' ? `CAST(NULL AS ${sqlTypeOf(t!)})` : x.sql) };
  }
  if ([...types].every((t) => t === 'num' || t === 'int')) return { type: 'num', cast: toNum };
  if (types.has('mv')) return { type: 'mv', cast: toList };
  return { type: 'str', cast: toStr };
}

export function sqlTypeOf(t: FieldType): string {
  return { num: 'DOUBLE', int: 'BIGINT', str: 'VARCHAR', mv: 'VARCHAR[]', time: 'TIMESTAMP', bool: 'BOOLEAN', null: 'VARCHAR' }[t];
}

// ---- conditional and informational ----------------------------------------------------------
defineEval('if', [3, 3], 'if(cond, then, else): then when cond is true, else otherwise (also when cond is null).', ([c, x, y], ctx) => {
  if (c!.type !== 'bool') ctx.fail('the first argument of if() must be a condition, e.g. x>1', 0);
  const u = unify([x!, y!]);
  return { sql: `CASE WHEN ${c!.sql} THEN ${u.cast(x!)} ELSE ${u.cast(y!)} END`, type: u.type };
});
defineEval('case', [2, Infinity], 'case(c1, v1, c2, v2, ...): the value of the first true condition; null when none is.', (args, ctx) => {
  if (args.length % 2) ctx.fail('case() takes condition/value pairs');
  const vals = args.filter((_, i) => i % 2 === 1);
  const u = unify(vals);
  let sql = 'CASE';
  for (let i = 0; i < args.length; i += 2) {
    if (args[i]!.type !== 'bool') ctx.fail('each odd argument of case() must be a condition', i);
    sql += ` WHEN ${args[i]!.sql} THEN ${u.cast(args[i + 1]!)}`;
  }
  return { sql: sql + ' END', type: u.type };
});
defineEval('coalesce', [1, Infinity], 'coalesce(a, b, ...): the first argument that is not null.', (args) => {
  const u = unify(args);
  return { sql: `coalesce(${args.map(u.cast).join(', ')})`, type: u.type };
});
defineEval('null', [0, 0], 'null(): the null value (assigning it removes the field).', () => NULL);
defineEval('true', [0, 0], 'true(): the boolean true.', () => b('TRUE'));
defineEval('false', [0, 0], 'false(): the boolean false.', () => b('FALSE'));
defineEval('isnull', [1, 1], 'isnull(x): true when x has no value.', ([x]) => b(`(${x!.sql} IS NULL)`));
defineEval('isnotnull', [1, 1], 'isnotnull(x): true when x has a value.', ([x]) => b(`(${x!.sql} IS NOT NULL)`));
defineEval('isnum', [1, 1], 'isnum(x): true when x is a number.', ([x]) => b(`(${toNum(x!)} IS NOT NULL)`));
defineEval('isint', [1, 1], 'isint(x): true when x is an integer.', ([x]) => b(`coalesce(${toNum(x!)} = trunc(${toNum(x!)}), false)`));
defineEval('isstr', [1, 1], 'isstr(x): true when x is a string (not a number).', ([x]) =>
  b(x!.type === 'str' || x!.type === 'mv' ? `(${toStr(x!)} IS NOT NULL AND ${toNum(x!)} IS NULL)` : 'FALSE'),
);
defineEval('typeof', [1, 1], 'typeof(x): "Number", "String", "Boolean" or "Invalid".', ([x]) => {
  if (x!.type === 'bool') return s(`'Boolean'`);
  if (x!.type === 'null') return s(`'Invalid'`);
  if (x!.type === 'num' || x!.type === 'int' || x!.type === 'time') return s(`CASE WHEN ${x!.sql} IS NULL THEN 'Invalid' ELSE 'Number' END`);
  return s(`CASE WHEN ${x!.sql} IS NULL THEN 'Invalid' WHEN ${toNum(x!)} IS NOT NULL THEN 'Number' ELSE 'String' END`);
});
defineEval('validate', [2, Infinity], 'validate(c1, s1, ...): the string of the first false condition; null when all hold.', (args, ctx) => {
  if (args.length % 2) ctx.fail('validate() takes condition/string pairs');
  let sql = 'CASE';
  for (let i = 0; i < args.length; i += 2) sql += ` WHEN NOT coalesce(${toBool(args[i]!)}, false) THEN ${toStr(args[i + 1]!)}`;
  return s(sql + ' END');
});

// ---- text -----------------------------------------------------------------------------------
for (const name of ['len', 'length']) {
  defineEval(name, [1, 1], `${name}(s): the number of characters in s.`, ([x]) => n(`CAST(length(${toStr(x!)}) AS DOUBLE)`));
}
defineEval('lower', [1, 1], 'lower(s): s in lower case.', ([x]) => (x!.type === 'mv' ? mv(`list_transform(${x!.sql}, lambda v: lower(v))`) : s(`lower(${toStr(x!)})`)));
defineEval('upper', [1, 1], 'upper(s): s in upper case.', ([x]) => (x!.type === 'mv' ? mv(`list_transform(${x!.sql}, lambda v: upper(v))`) : s(`upper(${toStr(x!)})`)));
defineEval('substr', [2, 3], 'substr(s, start[, length]): part of s; start is 1-based, negative counts from the end.', ([x, st, len]) => {
  const str = toStr(x!);
  const start = `CAST(${toNum(st!)} AS BIGINT)`;
  const from = `CASE WHEN ${start} < 0 THEN length(${str}) + ${start} + 1 WHEN ${start} = 0 THEN 1 ELSE ${start} END`;
  return s(len ? `substring(${str}, ${from}, greatest(CAST(${toNum(len)} AS BIGINT), 0))` : `substring(${str}, ${from})`);
});
const trimFn = (fn: string) => ([x, chars]: Typed[]) => s(chars ? `${fn}(${toStr(x!)}, ${toStr(chars)})` : `${fn}(${toStr(x!)}, ' \t')`);
defineEval('trim', [1, 2], 'trim(s[, chars]): s without leading and trailing spaces (or chars).', trimFn('trim'));
defineEval('ltrim', [1, 2], 'ltrim(s[, chars]): s without leading spaces (or chars).', trimFn('ltrim'));
defineEval('rtrim', [1, 2], 'rtrim(s[, chars]): s without trailing spaces (or chars).', trimFn('rtrim'));
defineEval('replace', [3, 3], 'replace(s, regex, replacement): every match of regex replaced; \\1 refers to groups.', ([x, re, rep]) =>
  s(`regexp_replace(${toStr(x!)}, ${toStr(re!)}, ${toStr(rep!)}, 'g')`),
);
defineEval('split', [2, 2], 'split(s, delim): a multivalue of the parts of s.', ([x, d]) => mv(`string_split(${toStr(x!)}, ${toStr(d!)})`));
defineEval('urldecode', [1, 1], 'urldecode(s): s with %XX escapes and + decoded.', ([x]) => s(`url_decode(replace(${toStr(x!)}, '+', ' '))`));
defineEval('tostring', [1, 2], 'tostring(x[, "hex"|"commas"|"duration"]): x as text.', ([x, fmt], ctx) => {
  if (!fmt) return s(toStr(x!));
  const f = String(fmt.literal ?? '').toLowerCase();
  const v = toNum(x!);
  if (f === 'hex') return s(`'0x' || upper(to_hex(CAST(${v} AS BIGINT)))`);
  if (f === 'commas') return s(`CASE WHEN ${v} = trunc(${v}) THEN format('{:,}', CAST(${v} AS BIGINT)) ELSE format('{:,.2f}', ${v}) END`);
  if (f === 'duration') {
    const secs = `CAST(${v} AS BIGINT)`;
    return s(
      `CASE WHEN ${v} IS NULL THEN NULL ELSE (CASE WHEN ${secs} >= 86400 THEN CAST(${secs} // 86400 AS VARCHAR) || '+' ELSE '' END) || lpad(CAST((${secs} % 86400) // 3600 AS VARCHAR), 2, '0') || ':' || lpad(CAST((${secs} % 3600) // 60 AS VARCHAR), 2, '0') || ':' || lpad(CAST(${secs} % 60 AS VARCHAR), 2, '0') END`,
    );
  }
  return ctx.fail('tostring() formats are "hex", "commas" and "duration"', 1);
});
defineEval('tonumber', [1, 2], 'tonumber(s[, base]): s as a number; null when it is not one.', ([x, base], ctx) => {
  if (!base) return n(toNum(x!));
  const bs = Number(base.literal);
  if (bs === 10) return n(toNum(x!));
  if (bs === 16) return n(`CAST(TRY_CAST('0x' || regexp_replace(${toStr(x!)}, '^0[xX]', '') AS BIGINT) AS DOUBLE)`);
  if (bs === 2) return n(`CAST(TRY_CAST('0b' || ${toStr(x!)} AS BIGINT) AS DOUBLE)`);
  return ctx.fail('tonumber() supports bases 2, 10 and 16 here', 1);
});
defineEval('printf', [1, Infinity], 'printf(format, args...): C-style formatting (%s %d %f %x %%).', ([f, ...rest]) =>
  s(`printf(${toStr(f!)}${rest.map((r) => ', ' + (r.type === 'num' || r.type === 'int' ? r.sql : toStr(r))).join('')})`),
);
defineEval('md5', [1, 1], 'md5(s): hex MD5 digest.', ([x]) => s(`md5(${toStr(x!)})`));
defineEval('sha1', [1, 1], 'sha1(s): hex SHA-1 digest.', ([x]) => s(`sha1(${toStr(x!)})`));
defineEval('sha256', [1, 1], 'sha256(s): hex SHA-256 digest.', ([x]) => s(`sha256(${toStr(x!)})`));

// ---- matching -------------------------------------------------------------------------------
defineEval('match', [2, 2], 'match(s, regex): true when regex matches anywhere in s.', ([x, re]) =>
  b(x!.type === 'mv' ? `len(list_filter(${x!.sql}, lambda v: regexp_matches(v, ${toStr(re!)}))) > 0` : `regexp_matches(${toStr(x!)}, ${toStr(re!)})`),
);
defineEval('like', [2, 2], 'like(s, pattern): SQL LIKE with % and _ (case-sensitive).', ([x, p]) => b(`(${toStr(x!)} LIKE ${toStr(p!)})`));
defineEval('cidrmatch', [2, 2], 'cidrmatch("10.0.0.0/8", ip): true when ip is in the CIDR block.', ([cidr, ip]) => b(`spl_cidrmatch(${toStr(cidr!)}, ${toStr(ip!)})`));
defineEval('in', [2, Infinity], 'in(x, v1, v2, ...): true when x equals one of the values.', ([x, ...vals]) =>
  b(`(${toStr(x!)} IN (${vals.map(toStr).join(', ')}))`),
);

// ---- numbers --------------------------------------------------------------------------------
defineEval('round', [1, 2], 'round(x[, digits]): x rounded half away from zero (to 0 or `digits` decimals).', ([x, d]) =>
  n(d ? `round(${toNum(x!)}, CAST(${toNum(d)} AS INTEGER))` : `round(${toNum(x!)})`),
);
defineEval('floor', [1, 1], 'floor(x): the largest integer not above x.', ([x]) => n(`floor(${toNum(x!)})`));
for (const name of ['ceiling', 'ceil']) defineEval(name, [1, 1], `${name}(x): the smallest integer not below x.`, ([x]) => n(`ceil(${toNum(x!)})`));
defineEval('abs', [1, 1], 'abs(x): absolute value.', ([x]) => n(`abs(${toNum(x!)})`));
defineEval('pow', [2, 2], 'pow(x, y): x to the power y.', ([x, y]) => n(`pow(${toNum(x!)}, ${toNum(y!)})`));
defineEval('sqrt', [1, 1], 'sqrt(x): square root (null for negatives).', ([x]) => n(`CASE WHEN ${toNum(x!)} >= 0 THEN sqrt(${toNum(x!)}) END`));
defineEval('exp', [1, 1], 'exp(x): e to the power x.', ([x]) => n(`exp(${toNum(x!)})`));
defineEval('ln', [1, 1], 'ln(x): natural logarithm (null for x <= 0).', ([x]) => n(`CASE WHEN ${toNum(x!)} > 0 THEN ln(${toNum(x!)}) END`));
defineEval('log', [1, 2], 'log(x[, base]): logarithm, base 10 by default.', ([x, base]) =>
  n(`CASE WHEN ${toNum(x!)} > 0 THEN ln(${toNum(x!)}) / ln(${base ? toNum(base) : '10'}) END`),
);
defineEval('pi', [0, 0], 'pi(): 3.14159…', () => n('pi()'));
defineEval('random', [0, 0], 'random(): a pseudo-random integer from 0 to 2^31-1.', () => n('floor(random() * 2147483647)'));
defineEval('exact', [1, 1], 'exact(x): x computed with full precision.', ([x]) => x!);
defineEval('sigfig', [1, 1], 'sigfig(x): x (significant-figure rounding is not applied).', ([x]) => x!);
const minmax = (fn: 'least' | 'greatest') => (args: Typed[]): Typed => {
  if (args.every((a) => a.type === 'num' || a.type === 'int')) return n(`${fn}(${args.map(toNum).join(', ')})`);
  // Splunk: numbers compare numerically and sort before strings.
  const nums = `${fn}(${args.map(toNum).join(', ')})`;
  const strs = `${fn}(${args.map((a) => `CASE WHEN ${toNum(a)} IS NULL THEN ${toStr(a)} END`).join(', ')})`;
  return s(fn === 'least' ? `coalesce(spl_num_str(${nums}), ${strs})` : `coalesce(${strs}, spl_num_str(${nums}))`);
};
defineEval('min', [1, Infinity], 'min(a, b, ...): the smallest (numbers before strings).', minmax('least'));
defineEval('max', [1, Infinity], 'max(a, b, ...): the largest (strings after numbers).', minmax('greatest'));

// ---- multivalue -----------------------------------------------------------------------------
defineEval('mvcount', [1, 1], 'mvcount(mv): the number of values (null when the field is null).', ([x]) => n(`CAST(len(${toList(x!)}) AS DOUBLE)`));
defineEval('mvindex', [2, 3], 'mvindex(mv, start[, end]): the value(s) at 0-based positions; negative counts from the end.', ([x, st, en]) => {
  const l = toList(x!);
  const i = (t: Typed) => `CAST(${toNum(t)} AS BIGINT)`;
  const pos = (t: Typed) => `(CASE WHEN ${i(t)} < 0 THEN len(${l}) + ${i(t)} ELSE ${i(t)} END)`;
  if (!en) return s(`${l}[${pos(st!)} + 1]`);
  return mv(`nullif(${l}[${pos(st!)} + 1 : ${pos(en)} + 1], [])`);
});
defineEval('mvjoin', [2, 2], 'mvjoin(mv, delim): the values joined into one string.', ([x, d]) => s(`array_to_string(${toList(x!)}, ${toStr(d!)})`));
defineEval('mvdedup', [1, 1], 'mvdedup(mv): the values without duplicates, in first-seen order.', ([x]) =>
  mv(`list_filter(${toList(x!)}, lambda v, i: list_position(${toList(x!)}, v) = i)`),
);
defineEval('mvappend', [1, Infinity], 'mvappend(a, b, ...): one multivalue of all the values (nulls skipped).', (args) =>
  mv(`nullif(flatten([${args.map((a) => `coalesce(${toList(a)}, [])`).join(', ')}]), [])`),
);
defineEval('mvsort', [1, 1], 'mvsort(mv): the values sorted lexicographically.', ([x]) => mv(`list_sort(${toList(x!)})`));
defineEval('mvzip', [2, 3], 'mvzip(a, b[, delim]): pairs of values joined with delim (default ",").', ([a, bb, d]) =>
  mv(`list_transform(list_zip(${toList(a!)}, ${toList(bb!)}), lambda p: p[1] || ${d ? toStr(d) : "','"} || p[2])`),
);
defineEval('mvfind', [2, 2], 'mvfind(mv, regex): 0-based index of the first value matching regex; null if none.', ([x, re]) =>
  n(`CAST(nullif(list_position(list_transform(${toList(x!)}, lambda v: regexp_matches(v, ${toStr(re!)})), true), 0) - 1 AS DOUBLE)`),
);
defineEval('mvfilter', [1, 1], 'mvfilter(cond): the values of the one field in cond for which cond holds.', () => {
  throw new Error('mvfilter is compiled by the expression compiler');
});
defineEval('mvrange', [2, 3], 'mvrange(start, end[, step]): numbers from start up to (not including) end.', ([a, e, st]) =>
  mv(`list_transform(range(CAST(${toNum(a!)} AS BIGINT), CAST(${toNum(e!)} AS BIGINT), CAST(${st ? toNum(st) : '1'} AS BIGINT)), lambda v: CAST(v AS VARCHAR))`),
);

// ---- time -----------------------------------------------------------------------------------
/** Splunk strftime format → DuckDB strftime format. */
export function strftimeFormat(fmt: string): string {
  return fmt
    .replace(/%(\d)?N/g, (_, d) => (d === '6' ? '%f' : d === '9' ? '%n' : '%g'))
    .replace(/%Q/g, '%g')
    .replace(/%k/g, '%-H')
    .replace(/%e/g, '%-d')
    .replace(/%T/g, '%H:%M:%S')
    .replace(/%F/g, '%Y-%m-%d')
    .replace(/%s/g, '%s');
}
defineEval('strftime', [2, 2], 'strftime(time, format): epoch seconds as text in the search time zone.', ([t, f], ctx) => {
  const fmt = f!.literal !== undefined ? sqlString(strftimeFormat(String(f!.literal))) : toStr(f!);
  return s(`strftime(timezone(${sqlString(ctx.tz)}, to_timestamp(${toNum(t!)})), ${fmt})`);
});
defineEval('strptime', [2, 2], 'strptime(text, format): text read as a time in the search time zone, as epoch seconds.', ([x, f], ctx) => {
  const fmt = f!.literal !== undefined ? sqlString(strftimeFormat(String(f!.literal))) : toStr(f!);
  return n(`epoch(timezone(${sqlString(ctx.tz)}, try_strptime(${toStr(x!)}, ${fmt})))`);
});
defineEval('now', [0, 0], 'now(): the time the search started, epoch seconds.', (_, ctx) => n(String(ctx.now / 1000)));
defineEval('time', [0, 0], 'time(): the wall-clock time, epoch seconds with microseconds.', () => n('epoch(current_timestamp)'));
defineEval('relative_time', [2, 2], 'relative_time(time, "-1d@d"): time moved by a relative time modifier.', ([t, spec], ctx) =>
  n(`spl_relative_time(${toNum(t!)}, ${toStr(spec!)}, ${sqlString(ctx.tz)})`),
);
