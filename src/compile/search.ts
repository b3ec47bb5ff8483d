/**
 * The search grammar's meaning: bare terms match whole tokens of `_raw` case-insensitively (a
 * term must start and end at Splunk's major/minor breakers), `field=value` matches the whole
 * value case-insensitively with `*` wildcards, `f!=v` needs f to exist, `NOT f=v` does not.
 */
import type { SearchNode } from '../spl/ast.js';
import { SplError } from '../spl/errors.js';
import { quoteIdent, sqlString } from '../store/sql.js';
import type { CatalogEntry } from '../store/types.js';
import { isNumeric, type Schema, type FieldType } from './schema.js';

/** Splunk's default major and minor breakers (segmenters.conf), as one character class. */
const BREAKER_CLASS = `[\\s\\[\\]<>(){}|!;,'"*&?+/:=@.\\-$#%\\\\_]`;
const BREAKER_CHARS = /[\s[\]<>(){}|!;,'"*&?+/:=@.\-$#%\\_]/;

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** RE2 pattern for a term: its text (with `*` as any run) bounded by breakers where its own ends are not breakers. */
export function termRegex(term: string): string {
  const body = term.split('*').map(reEscape).join('.*');
  const first = term[0] ?? '';
  const last = term[term.length - 1] ?? '';
  const left = first === '*' || BREAKER_CHARS.test(first) ? '' : `(?:^|${BREAKER_CLASS})`;
  const right = last === '*' || BREAKER_CHARS.test(last) ? '' : `(?:$|${BREAKER_CLASS})`;
  return left + body + right;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/** A Splunk wildcard value as an ILIKE/LIKE pattern (escape char \). */
export function likePattern(value: string): string {
  return value.split('*').map(likeEscape).join('%');
}

function longestLiteral(term: string): string {
  return term.split('*').reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * SQL that is true when `textSql` matches a Splunk wildcard value (`*` any run), as LIKE/ILIKE
 * would, but with the plain string functions DuckDB runs several times faster where the value has
 * one literal part (`x`, `x*`, `*x`, `*x*`); case-insensitively unless asked.
 */
export function wildcardMatch(textSql: string, value: string, caseSensitive = false): string {
  const parts = value.split('*');
  const inner = parts.slice(1, -1);
  const simple = parts.length <= 3 && inner.every((p) => p !== '') && (parts.length < 3 || inner.length === 1);
  if (simple) {
    const text = caseSensitive ? textSql : `lower(${textSql})`;
    const lit = (s: string) => (caseSensitive ? sqlString(s) : `lower(${sqlString(s)})`);
    const [first, last] = [parts[0]!, parts[parts.length - 1]!];
    if (parts.length === 1) return `(${text} = ${lit(first)})`;
    if (parts.length === 2) {
      if (first === '' && last === '') return `(${textSql} IS NOT NULL)`;
      if (first === '') return `ends_with(${text}, ${lit(last)})`;
      if (last === '') return `starts_with(${text}, ${lit(first)})`;
    } else if (first === '' && last === '') return `contains(${text}, ${lit(inner[0]!)})`;
  }
  return `(${textSql} ${caseSensitive ? 'LIKE' : 'ILIKE'} ${sqlString(likePattern(value))} ESCAPE '\\')`;
}

/**
 * SQL that is true when `textSql` contains the term (or any of the terms) as Splunk would match
 * it. One RE2 `regexp_matches` alone: RE2 scans for the literal itself, and is faster than an
 * ILIKE or a contains(lower(...)) prefilter, which copy or case-fold the whole text first
 * (measured on Sysmon _raw: ILIKE 4.4 s, regex 1.6 s; several OR'ed terms in one alternation
 * 1.1 s against 1.9 s for one regex each).
 */
export function termMatch(textSql: string, term: string | string[], caseSensitive = false): string {
  const terms = Array.isArray(term) ? term : [term];
  if (terms.some((t) => t === '*' || t === '')) return `(${textSql} IS NOT NULL)`;
  const res = terms.map(termRegex);
  const re = (caseSensitive ? '' : '(?i)') + (res.length === 1 ? res[0]! : `(?:${res.join('|')})`);
  return `regexp_matches(${textSql}, ${sqlString(re)})`;
}

const isNumberText = (v: string) => /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v);

/** `field op value` for one column of a given type. */
export function fieldCompare(colSql: string, type: FieldType, op: string, value: string, caseSensitive = false): string {
  if (type === 'null') return 'FALSE';
  if (type === 'mv') {
    const inner = fieldCompare('v', 'str', op === '!=' ? '=' : op, value, caseSensitive);
    // one value equal to a literal: list_contains over the (lower-cased) list, about twice as fast
    // as a lambda per value that compares. (Looking for the typed, lower and upper spellings first,
    // list_has_any OR the lower-cased list, is faster alone but made the DNS bench's whole filter
    // 10% slower: DuckDB then evaluated the _raw regex first.)
    const exact = (op === '=' || op === '!=') && !value.includes('*');
    const any = exact
      ? `coalesce(list_contains(${caseSensitive ? colSql : `list_transform(${colSql}, lambda v: lower(v))`}, ${sqlString(caseSensitive ? value : value.toLowerCase())}), FALSE)`
      : `coalesce(list_bool_or(list_transform(${colSql}, lambda v: ${inner})), FALSE)`;
    return op === '!=' ? `(${colSql} IS NOT NULL AND NOT ${any})` : any;
  }
  if (op === '!=') return `(${colSql} IS NOT NULL AND NOT coalesce(${fieldCompare(colSql, type, '=', value, caseSensitive)}, FALSE))`;
  const text = type === 'str' ? colSql : type === 'time' ? `CAST(epoch(${colSql}) AS VARCHAR)` : isNumeric(type) ? `spl_num_str(CAST(${colSql} AS DOUBLE))` : colSql;
  if (op === '=') {
    if (value === '*') return `(${colSql} IS NOT NULL)`;
    if (value.includes('*')) return wildcardMatch(text, value, caseSensitive);
    if (isNumeric(type) && isNumberText(value)) return `(${colSql} = ${Number(value)})`;
    if (type === 'time' && isNumberText(value)) return `(epoch(${colSql}) = ${Number(value)})`;
    return caseSensitive ? `(${text} = ${sqlString(value)})` : `(lower(${text}) = ${sqlString(value.toLowerCase())})`;
  }
  // < <= > >=: numerically when the value is a number, else as text
  if (isNumberText(value)) {
    const n = isNumeric(type) ? colSql : type === 'time' ? `epoch(${colSql})` : `TRY_CAST(trim(${colSql}) AS DOUBLE)`;
    return `(${n} ${op} ${Number(value)})`;
  }
  return `(${text} ${op} ${sqlString(value)})`;
}

export interface SearchCompileEnv {
  schema: Schema;
  /** Subsearch results already turned into search nodes, by node identity. */
  subsearches: Map<SearchNode, SearchNode>;
  /**
   * Fields known to hold one value in every row (a sourcetype table's `sourcetype`, its `index`
   * when it holds one): `=`/`!=`/IN on them are decided at compile time, not per row.
   */
  constants?: Record<string, string>;
}

/** Does a constant value match `field=value` (Splunk: case-insensitive unless asked, `*` wildcards)? */
function constantMatches(actual: string, value: string, caseSensitive = false): boolean {
  return new RegExp('^' + value.split('*').map(reEscape).join('.*') + '$', caseSensitive ? 's' : 'is').test(actual);
}

function knownValue(env: SearchCompileEnv, field: string): string | undefined {
  return env.constants && Object.hasOwn(env.constants, field) ? env.constants[field] : undefined;
}

/** Compile a search tree to a SQL condition over the schema's columns. */
export function compileSearchNode(node: SearchNode, env: SearchCompileEnv): string {
  const { schema } = env;
  switch (node.kind) {
    case 'all':
      return 'TRUE';
    case 'and':
    case 'or': {
      // constants fold: TRUE/FALSE items decided at compile time drop out
      const [unit, zero] = node.kind === 'and' ? ['TRUE', 'FALSE'] : ['FALSE', 'TRUE'];
      let items = node.items;
      const merged: string[] = [];
      // (a OR b OR c) over _raw: one regex scan instead of one per term
      const raw = schema.get('_raw');
      if (node.kind === 'or' && raw) {
        for (const cs of [false, true]) {
          const group = items.filter((n) => n.kind === 'term' && !!n.caseSensitive === cs);
          if (group.length < 2) continue;
          items = items.filter((n) => !group.includes(n));
          merged.push(termMatch(quoteIdent(raw.column), group.map((n) => (n as { value: string }).value), cs));
        }
      }
      const parts = [...items.map((n) => compileSearchNode(n, env)), ...merged].filter((p) => p !== unit);
      if (parts.includes(zero)) return zero;
      if (!parts.length) return unit;
      return parts.length === 1 ? parts[0]! : `(${parts.join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not': {
      const inner = compileSearchNode(node.item, env);
      if (inner === 'TRUE' || inner === 'FALSE') return inner === 'TRUE' ? 'FALSE' : 'TRUE';
      return `(NOT coalesce(${inner}, FALSE))`;
    }
    case 'term': {
      const raw = schema.get('_raw');
      if (raw) return termMatch(quoteIdent(raw.column), node.value, node.caseSensitive);
      // After a transforming command there is no _raw: match any field's value.
      const parts = schema.fields
        .filter((f) => !f.name.startsWith('_'))
        .map((f) => termMatch(f.type === 'mv' ? `array_to_string(${quoteIdent(f.column)}, ' ')` : f.type === 'str' ? quoteIdent(f.column) : `CAST(${quoteIdent(f.column)} AS VARCHAR)`, node.value, node.caseSensitive));
      return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
    }
    case 'compare': {
      const f = schema.get(node.field);
      if (!f) return 'FALSE';
      const known = knownValue(env, node.field);
      if (known !== undefined && (node.op === '=' || node.op === '!=')) {
        return constantMatches(known, node.value, node.caseSensitive) === (node.op === '=') ? 'TRUE' : 'FALSE';
      }
      return fieldCompare(quoteIdent(f.column), f.type, node.op, node.value, node.caseSensitive);
    }
    case 'in': {
      const f = schema.get(node.field);
      if (!f) return 'FALSE';
      const known = knownValue(env, node.field);
      if (known !== undefined) return node.values.some((v) => constantMatches(known, v.value)) ? 'TRUE' : 'FALSE';
      return `(${node.values.map((v) => fieldCompare(quoteIdent(f.column), f.type, '=', v.value)).join(' OR ') || 'FALSE'})`;
    }
    case 'subsearch': {
      const replaced = env.subsearches.get(node);
      if (!replaced) throw new SplError('internal: subsearch was not run', node.span);
      return compileSearchNode(replaced, env);
    }
  }
}

/** Three-valued evaluation against one catalog entry: false only when index/sourcetype rule it out. */
function mayMatch(node: SearchNode, e: CatalogEntry, subs: Map<SearchNode, SearchNode>): boolean | undefined {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and': {
      let r: boolean | undefined = true;
      for (const n of node.items) {
        const v = mayMatch(n, e, subs);
        if (v === false) return false;
        if (v === undefined) r = undefined;
      }
      return r;
    }
    case 'or': {
      let r: boolean | undefined = false;
      for (const n of node.items) {
        const v = mayMatch(n, e, subs);
        if (v === true) return true;
        if (v === undefined) r = undefined;
      }
      return r;
    }
    case 'not': {
      const v = mayMatch(node.item, e, subs);
      return v === undefined ? undefined : !v;
    }
    case 'compare':
    case 'in': {
      const f = node.field.toLowerCase();
      if (f !== 'index' && f !== 'sourcetype') return undefined;
      const actual = f === 'index' ? e.index : e.sourcetype;
      const values = node.kind === 'in' ? node.values.map((v) => v.value) : [node.value];
      const hit = values.some((v) => new RegExp('^' + v.split('*').map(reEscape).join('.*') + '$', 'i').test(actual));
      if (node.kind === 'in') return hit;
      if (node.op === '=') return hit;
      if (node.op === '!=') return !hit;
      return undefined;
    }
    case 'subsearch': {
      const r = subs.get(node);
      return r ? mayMatch(r, e, subs) : undefined;
    }
    default:
      return undefined;
  }
}

/** The catalog entries (index × sourcetype) a search can match. */
export function scope(node: SearchNode, catalog: CatalogEntry[], subs: Map<SearchNode, SearchNode>): CatalogEntry[] {
  return catalog.filter((e) => mayMatch(node, e, subs) !== false);
}
