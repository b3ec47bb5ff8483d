/**
 * Splunk Stream JSON read by DuckDB itself. Why: on the JavaScript path each line is JSON-parsed,
 * flattened, given its CIM aliases and laid out into DuckDB's vectors on one JS thread, which caps
 * Stream at ~40,000 events/s. Here DuckDB's `read_csv` reads the file (one column: the whole line)
 * and SQL does what src/ingest/formats/generic.ts (StreamParser, streamSourcetype) and
 * src/ingest/cim.ts (STREAM_CIM, compiled from the same rule list) do, so the tables, catalog,
 * field list and progress rows are the ones the JavaScript path stores
 * (test/ingest/stream-native.test.ts compares both paths).
 *
 * Only files this path reproduces exactly take it; anything else returns a reason and the driver
 * reads the file in JavaScript. Up front (a byte scan): plain UTF-8 without CR, NUL or \x01, every
 * line a JSON object on its own (no blank lines). The first lines are read the JavaScript way:
 * they give each table's columns (order and types) and each top-level key's JSON kind (text,
 * boolean, number, array of texts, array of numbers; nested objects and other arrays are not
 * taken). Every row is then checked while it is inserted, and a row that does not fit fails the
 * statement (DuckDB's error()): an unknown or repeated key, a value of another kind, a key written
 * with escapes, a number JavaScript would store differently (non-integral where the column is
 * text, beyond 2^53, not finite), what DuckDB's JSON reader accepts and JSON.parse does not (NaN,
 * trailing commas), \u escapes of surrogates or NUL, a time other than ISO 8601 with a zone (what
 * isoToMicros reads on its fast path). Then the whole file is read the JavaScript way to learn its
 * columns and the insert runs once more; a second failure: the JavaScript path.
 *
 * Each sourcetype's rows are one INSERT (rows filtered by their sourcetype, computed as
 * streamSourcetype does); the inserts, catalog and progress are one transaction.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { EventBatch, TableRows } from '../../store/batch.js';
import { quoteIdent, sqlString, type BatchProgress, type Store } from '../../store/index.js';
import { RESERVED, streamCimRules } from '../cim.js';
import { STREAM_APPS, stream, streamSourcetype } from '../formats/generic.js';
import {
  MAX_SAFE, ReadFailed, Unsupported, appendUnordered, baseColumns, catalogInserted, compileAliases, planDerived, insertUnordered, nativeOutcome, countOf, fieldColumns, isInt, jsPrefix, present, reading,
  type NativeInput, type NativeResult, type Prefix, type Val,
} from './common.js';

// ------------------------------------------------------------------------------ byte scan

const CHUNK = 4 << 20;

/** Lines (all of them data lines) and the size, or why the file is not for this path. */
function scanFile(path: string): { lines: number; size: number } | string {
  const fd = openSync(path, 'r');
  try {
    let lines = 0, starts = 0, base = 0;
    const buf = Buffer.allocUnsafe(CHUNK);
    // each chunk starts at a line's start and ends after a newline (or at the end of the file)
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, base);
      if (n === 0) break;
      const whole = n < CHUNK ? n : buf.lastIndexOf(10, n - 1) + 1;
      if (whole === 0) return 'a line longer than 4 MiB';
      const part = buf.subarray(0, whole);
      if (part.indexOf(13) >= 0) return 'carriage returns (CRLF or a bare CR)';
      if (part.indexOf(0) >= 0) return 'a NUL byte';
      if (part.indexOf(1) >= 0) return 'a \\x01 byte';
      if (!isUtf8(part)) return 'bytes that are not UTF-8';
      lines += countOf(part, '\n') + (part[whole - 1] === 10 ? 0 : 1);
      starts += countOf(part, '\n{') + (part[0] === 123 ? 1 : 0);
      base += whole;
      if (n < CHUNK) break;
    }
    if (base === 0) return 'no data lines';
    // every line a JSON object: it starts with "{" (a blank or other line is quarantined)
    if (starts !== lines) return 'a line that does not start with {';
    return { lines, size: base };
  } finally {
    closeSync(fd);
  }
}

// ------------------------------------------------------------------------------ key kinds

/** The JSON kind of a top-level key's values: what the SQL reads it as. */
type Kind = 'str' | 'bool' | 'num' | 'arrs' | 'arrn' | 'null';

function kindOfValue(v: unknown): Kind | 'arr0' | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return 'str';
    case 'boolean': return 'bool';
    case 'number': return 'num';
    case 'object':
      if (!Array.isArray(v)) return undefined;
      if (v.length === 0) return 'arr0';
      if (v.every((x) => typeof x === 'string')) return 'arrs';
      if (v.every((x) => typeof x === 'number')) return 'arrn';
      return undefined;
    default: return undefined;
  }
}

/**
 * Kinds of the keys of the lines seen, per sourcetype (`forced`, else streamSourcetype's); a key
 * of two kinds in one sourcetype (or nested values): why not taken.
 */
class KeyKinds {
  readonly bySourcetype = new Map<string, Map<string, Kind | 'arr0'>>();
  problem: string | undefined;
  constructor(private readonly forced: string | undefined) {}
  line(text: string): void {
    if (this.problem) return;
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch {
      return; // the parser quarantines it: jsPrefix says so
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
    const st = this.forced ?? streamSourcetype(o as Record<string, unknown>);
    let kinds = this.bySourcetype.get(st);
    if (!kinds) this.bySourcetype.set(st, (kinds = new Map()));
    for (const [k, v] of Object.entries(o)) {
      const kind = kindOfValue(v);
      if (kind === undefined) { this.problem = `${k}: a nested object or an array of mixed or nested values`; return; }
      const had = kinds.get(k);
      if (had === undefined || had === 'null' || (had === 'arr0' && (kind === 'arrs' || kind === 'arrn'))) kinds.set(k, kind);
      else if (kind !== had && kind !== 'null' && !(kind === 'arr0' && (had === 'arrs' || had === 'arrn'))) {
        this.problem = `${k}: values of two JSON kinds (${had}, ${kind}) in ${st}`;
        return;
      }
    }
  }
}

// ------------------------------------------------------------------------------ SQL pieces

/** RE2 text matching `s` literally. */
const reLiteral = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => '\\' + c);
const WS = '[ \\t]*';
const STR = '"(?:[^"\\\\]|\\\\.)*"';
const NUM = '-?[0-9][0-9.eE+-]*';

/**
 * One regular expression that matches a line this path must not take: a known key with a value of
 * another kind, a key written with escapes, \u escapes of surrogates or NUL, a trailing comma,
 * NaN or Infinity (DuckDB reads those, JSON.parse does not).
 */
function violations(kinds: Map<string, Kind>): string {
  const groups = new Map<Kind, string[]>();
  for (const [k, kind] of kinds) (groups.get(kind) ?? groups.set(kind, []).get(kind)!).push(reLiteral(k));
  const bad: Record<Kind, string> = {
    str: `[^"n \\t]`,
    bool: '[^tfn \\t]',
    num: '[^-0-9n \\t]',
    null: '[^n \\t]',
    arrs: `(?:[^\\[n \\t]|\\[(?:${WS}${STR}${WS},)*${WS}[^" \\t\\]])`,
    arrn: `(?:[^\\[n \\t]|\\[(?:${WS}${NUM}${WS},)*${WS}[^-0-9 \\t\\]])`,
  };
  const alts = [...groups].map(([kind, keys]) => `"(?:${keys.join('|')})"${WS}:${WS}${bad[kind]}`);
  alts.push(`\\\\(?:[^"\\\\]|\\\\.)*"${WS}:`, '\\\\u(?:[dD][89a-fA-F]|0000)', `,${WS}[}\\]]`, `[:,\\[]${WS}-?(?:[nN][aA][nN]|[iI][nN][fF])`);
  return alts.join('|');
}

/** isoToMicros's fast path ("YYYY-MM-DDTHH:MM:SS[.f](Z|±hh:mm|±hhmm)"); other times are not taken. */
const ISO_RE = '^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4})$';

/** Epoch µs of the parts of ISO_RE in `p` (a struct), as Date.UTC computes them; NULL when out of range. */
function isoMicros(p: string): string {
  const i = (x: string) => `TRY_CAST(${p}.${x} AS BIGINT)`;
  const off = `CASE WHEN ${p}.z = 'Z' THEN 0 ELSE (CASE WHEN starts_with(${p}.z, '-') THEN -1 ELSE 1 END) * (CAST(substr(${p}.z, 2, 2) AS BIGINT) * 60 + CAST(right(${p}.z, 2) AS BIGINT)) END`;
  const frac = `CASE WHEN ${p}.f = '' THEN 0 ELSE CAST(rpad(left(${p}.f, 6), 6, '0') AS BIGINT) END`;
  // years below 100 are 19xx to Date.UTC: not taken
  const ok = `${i('y')} >= 100 AND ${i('mo')} BETWEEN 1 AND 12 AND ${i('d')} BETWEEN 1 AND 31 AND ${i('h')} <= 23 AND ${i('mi')} <= 59 AND ${i('s')} <= 60`;
  return `CASE WHEN ${ok} THEN (date_diff('day', DATE '1970-01-01', make_date(${i('y')}, ${i('mo')}, 1)) + ${i('d')} - 1) * 86400000000 + ${i('h')} * 3600000000 + ${i('mi')} * 60000000 + ${i('s')} * 1000000 + ${frac} - (${off}) * 60000000 END`;
}

/**
 * streamSourcetype in SQL: the last part of protocol_stack that names an app, else the keys the
 * line has. `keys` is the line's keys, `ps` and `transport` their text values or undefined when
 * JavaScript never reads them as text (not text in the file: a row where it is, fails the kind
 * check).
 */
function sourcetypeOf(keys: string, ps: string | undefined, transport: string): string {
  const has = (k: string) => `list_contains(${keys}, ${sqlString(k)})`;
  const byKeys =
    `CASE WHEN ${has('query')} AND (${has('message_type')} OR ${has('reply_code')} OR ${has('query_type')}) THEN 'stream:dns' ` +
    `WHEN ${has('http_method')} OR ${has('uri_path')} OR ${has('site')} THEN 'stream:http' ` +
    `WHEN ${has('loadway')} OR ${has('ftp_index')} OR (${has('method')} AND ${has('reply_content')}) THEN 'stream:ftp' ` +
    `WHEN ${has('dialect')} OR (${has('command')} AND ${has('nt_status')}) THEN 'stream:smb' ` +
    `WHEN ${transport} = 'udp' THEN 'stream:udp' ELSE 'stream:tcp' END`;
  if (!ps) return byKeys;
  const st = `list_filter(list_transform(string_split(lower(${ps}), ':'), x -> ${APP_MAP}[x]), x -> x IS NOT NULL)[-1]`;
  return `coalesce(CASE WHEN ${ps} <> '' THEN ${st} END, ${byKeys})`;
}

/**
 * Which lines are a sourcetype's (every line is read once per sourcetype, so this must be cheap):
 * the last part of protocol_stack when it names an app (looked up in a map: a CASE over every app
 * name cost more than the JSON parse), else sourcetypeOf over the parsed line. `exact`: the checks
 * of a row in its sourcetype's pass, sourcetypeOf over from_json's values among them (a line
 * filtered otherwise fails there).
 */
function sourcetypeSql(textPs: boolean): { filter: (st: string) => string; exact: (kinds: Map<string, Kind>, st: string) => [string, string][] } {
  const lineT = `json_extract_string(_raw, '$.transport')`; // ["udp"] reads '["udp"]': never 'udp'
  const linePs = `json_extract_string(_raw, '$.protocol_stack')`;
  const slow = sourcetypeOf('json_keys(_raw)', textPs ? linePs : undefined, lineT);
  const exact = (kinds: Map<string, Kind>, st: string): [string, string][] => {
    // from_json's values, where the sourcetype's lines have them as text
    const ps = kinds.get('protocol_stack') === 'str' ? `_j."protocol_stack"` : 'NULL::VARCHAR';
    const t = kinds.get('transport') === 'str' ? `_j."transport"` : lineT;
    const full = `${sourcetypeOf('_keys', textPs ? ps : undefined, t)} = ${sqlString(st)}`;
    const last = lastPart(ps);
    const same: [string, string] = ['a sourcetype the line filter read otherwise', textPs ? `coalesce(${APP_MAP}[${last}] = ${sqlString(st)}, ${full})` : full];
    if (!textPs) return [same];
    // lower() agrees with toLowerCase() on ASCII only
    return [same, ['a protocol_stack not ASCII', `(${ps} IS NULL OR strlen(${ps}) = length(${ps}))`]];
  };
  if (!textPs) return { filter: (st) => `${slow} = ${sqlString(st)}`, exact };
  // one JSON extract a line: a filter is not factored (the last part written twice, as two
  // list_contains, cost 3.0 core-s per 1M lines; the map and coalesce, which reads on only for
  // lines without a known app, 0.9)
  const filter = (st: string) => `coalesce(${APP_MAP}[${lastPart(linePs)}], ${slow}) = ${sqlString(st)}`;
  return { filter, exact };
}
/** The last part of a protocol_stack, lowercased ('' for none); split_part(.., -1) cost 0.6 s more per 1M. */
const lastPart = (ps: string) => `coalesce(lower(string_split(${ps}, ':')[-1]), '')`;
/** App name → sourcetype, as an SQL map. */
const APP_MAP = `MAP {${Object.entries(STREAM_APPS).map(([k, v]) => `${sqlString(k)}: ${sqlString('stream:' + v)}`).join(', ')}}`;

// ------------------------------------------------------------------------------ the ingest

export function ingestStreamJsonNative(store: Store, input: NativeInput): Promise<NativeResult> {
  return nativeOutcome(() => run(store, input));
}

/** Lines the JavaScript path types before the native insert (the rest are checked against them). */
const PREFIX_EVENTS = 5_000;
/** The text every guard's error starts with. */
const GUARD = 'stream-native guard: ';

async function run(store: Store, input: NativeInput): Promise<NativeResult> {
  const no = (reason: string): NativeResult => ({ ok: false, reason });
  if (/[*?[\]{}]/.test(input.realPath) || !input.realPath.startsWith('/')) return no('a path DuckDB would read as a pattern');
  const t0 = Date.now();
  const lap = (what: string) => { if (process.env.QUARRY_NATIVE_TIMING) process.stderr.write(`stream-native ${what}: ${Date.now() - t0} ms\n`); };
  const scan = scanFile(input.realPath);
  lap('scan');
  if (typeof scan === 'string') return no(scan);
  if (input.sourcetype !== undefined && !input.sourcetype.startsWith('stream:')) return no(`sourcetype ${input.sourcetype} is not stream:*`);

  const learn = async (whole: boolean): Promise<{ prefix: Prefix; kinds: KeyKinds }> => {
    const kinds = new KeyKinds(input.sourcetype);
    const prefix = await jsPrefix(stream, input, (_t, events) => !whole && events >= PREFIX_EVENTS, (text) => kinds.line(text));
    if (typeof prefix === 'string') throw new Unsupported(prefix);
    if (kinds.problem) throw new Unsupported(kinds.problem);
    return { prefix, kinds };
  };

  let { prefix, kinds } = await learn(false);
  lap('first lines in JavaScript');
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await insertAll(store, input, scan, prefix, kinds);
      lap('insert + commit');
      return r;
    } catch (err) {
      if (attempt > 0 || !(err instanceof ReadFailed && (err.message.includes(GUARD) || err.message.includes('rows of sourcetypes')))) throw err;
      lap(`guard: ${(err as Error).message.split('\n')[0]}`);
    }
    // the first lines were not typical: the whole file the JavaScript way gives the columns
    ({ prefix, kinds } = await learn(true));
    lap('whole file in JavaScript');
  }
}

/**
 * The rows of one sourcetype as a query (layers as in zeek-tsv.ts: the line, its values, the
 * aliases, the generic aliases), with every field's columns in the last layer (`final`).
 * `rows` is the query of the sourcetype's lines.
 */
function planFor(st: string, seen: Map<string, Kind | 'arr0'>, rows: string, stChecks: (kinds: Map<string, Kind>) => [string, string][]): { sql: string; final: Map<string, Val>; natives: Set<string> } {
  // ---- the keys and what SQL reads each as
  const kinds = new Map<string, Kind>();
  for (const [k, kind] of seen) {
    if (/["\\\u0000-\u001f]/.test(k)) throw new Unsupported(`a key with a quote, backslash or control character`);
    if (/^(?:0|[1-9][0-9]*)$/.test(k) || k === '__proto__') throw new Unsupported(`a key named ${k}`);
    kinds.set(k, kind === 'arr0' ? 'arrs' : kind);
  }
  const lower = new Set<string>();
  for (const k of kinds.keys()) {
    if (lower.has(k.toLowerCase())) throw new Unsupported('two keys that differ only in case');
    lower.add(k.toLowerCase());
  }
  if (RESERVED.some((r) => kinds.has(r) && kinds.has('extracted_' + r))) throw new Unsupported('a field and its extracted_ name');
  const timeKeys = ['endtime', 'timestamp', '_time'].filter((k) => kinds.has(k) && kinds.get(k) !== 'null');
  for (const k of timeKeys) if (kinds.get(k) !== 'str') throw new Unsupported(`${k} is not text`);
  if (!timeKeys.length) throw new Unsupported('no endtime/timestamp field');

  // ---- layer 2: each key's value as the JavaScript path holds it after flattenJsonInPlace
  const keys = [...kinds.keys()];
  const structType: Record<string, string> = {};
  const sel2: string[] = ['_raw'];
  /** what every row must pass: [what a failure means, the condition] */
  const checks: [string, string][] = [];
  const env = new Map<string, Val>();
  const keyName = (k: string) => (RESERVED.includes(k) ? 'extracted_' + k : k);
  keys.forEach((k, i) => {
    const kind = kinds.get(k)!;
    const j = `_j.${quoteIdent(k)}`;
    const v: Val = {};
    switch (kind) {
      case 'str': case 'bool':
        structType[k] = 'VARCHAR';
        sel2.push(`${j} AS v${i}_s`);
        v.s = `v${i}_s`;
        if (kind === 'bool') v.bool = true;
        break;
      case 'num':
        structType[k] = 'DOUBLE';
        sel2.push(`${j} AS v${i}_n`);
        // Infinity, and integers JavaScript reads inexactly: not taken
        checks.push([`${k}: a number JavaScript reads otherwise`, `(${j} IS NULL OR (isfinite(${j}) AND NOT (${j} = trunc(${j}) AND abs(${j}) > ${MAX_SAFE})))`]);
        v.n = `v${i}_n`;
        break;
      case 'arrs':
        structType[k] = 'VARCHAR[]';
        sel2.push(`CASE WHEN len(${j}) = 1 THEN ${j}[1] END AS v${i}_s`, `CASE WHEN len(${j}) > 1 THEN ${j} END AS v${i}_l`);
        v.s = `v${i}_s`;
        v.l = `v${i}_l`;
        break;
      case 'arrn':
        structType[k] = 'DOUBLE[]';
        sel2.push(`CASE WHEN len(${j}) = 1 THEN ${j}[1] END AS v${i}_n`, `CASE WHEN len(${j}) > 1 THEN list_transform(${j}, x -> CAST(CAST(x AS BIGINT) AS VARCHAR)) END AS v${i}_l`);
        // a multivalue's numbers become text: only integers are written alike by both paths
        checks.push([`${k}: a number JavaScript writes otherwise`, `(${j} IS NULL OR len(${j}) <= 1 OR list_bool_and(list_transform(${j}, x -> ${isInt('x')})))`]);
        checks.push([`${k}: a number JavaScript reads otherwise`, `(${j} IS NULL OR len(${j}) <> 1 OR (isfinite(${j}[1]) AND NOT (${j}[1] = trunc(${j}[1]) AND abs(${j}[1]) > ${MAX_SAFE})))`]);
        v.n = `v${i}_n`;
        v.l = `v${i}_l`;
        break;
      case 'null':
        structType[k] = 'VARCHAR';
        break;
    }
    env.set(keyName(k), v);
  });
  const tsText = `coalesce(${timeKeys.map((k) => `_j.${quoteIdent(k)}`).join(', ')})`;
  sel2.push(`${isoMicros('_tp')} AS _us`);
  const keyList = `[${keys.map(sqlString).join(', ')}]`;
  // every key known and none twice: the fast test counts the keys from_json found (a value, even
  // [], is not NULL); a line with a null value takes the slow one
  const found = keys.map((k) => `(_j.${quoteIdent(k)} IS NOT NULL)::INTEGER`).join(' + ');
  const keysOk = `CASE WHEN len(_keys) = ${found} THEN true ELSE list_has_all(${keyList}, _keys) AND len(_keys) = len(list_distinct(_keys)) END`;
  checks.unshift(['a value of another JSON kind, an escaped key, NaN or a trailing comma', `NOT regexp_matches(_raw, ${sqlString(violations(kinds))})`], ['a key not in the first lines, or a key twice', keysOk]);

  const { sel3, sel4, final } = compileAliases(env, streamCimRules(st.slice(7)), ['_raw', '_us', '_bad'], new Set());
  const natives = new Set(env.keys());
  // the first check a row fails, or NULL
  const all: [string, string][] = [...checks, ...stChecks(kinds), ['a time isoToMicros does not read on its fast path', '_us IS NOT NULL']];
  const ok = `CASE ${all.map(([what, c]) => `WHEN NOT coalesce(${c}, false) THEN ${sqlString(what)}`).join(' ')} END`;
  const layer1 = `SELECT _raw, from_json(_raw, ${sqlString(JSON.stringify(structType))}) AS _j, json_keys(_raw) AS _keys FROM (${rows})`;
  const layer1b = `SELECT *, regexp_extract(${tsText}, ${sqlString(ISO_RE)}, ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z']) AS _tp FROM (${layer1})`;
  const layer2 = `SELECT ${sel2.join(', ')}, ${ok} AS _bad FROM (${layer1b})`;
  return { sql: `(SELECT ${sel4.join(', ')} FROM (SELECT ${sel3.join(', ')} FROM (${layer2})))`, final, natives };
}

async function insertAll(store: Store, input: NativeInput, scan: { lines: number; size: number }, prefix: Prefix, keyKinds: KeyKinds): Promise<NativeResult> {
  const source = `read_csv(${sqlString(input.realPath)}, columns = {'line': 'VARCHAR'}, delim = E'\\x01', quote = '', escape = '', header = false, auto_detect = false, compression = 'none')`;
  // the sourcetype filter is one for all passes (every line in exactly one): protocol_stack is
  // text in every sourcetype that has it, or in none
  const kindsOf = (k: string) => new Set([...keyKinds.bySourcetype.values()].map((m) => m.get(k)).filter((x) => x !== undefined && x !== 'null'));
  const psKinds = kindsOf('protocol_stack');
  if (psKinds.size > 1) throw new Unsupported('protocol_stack: values of two JSON kinds');
  const textPs = psKinds.has('str');
  const { filter, exact } = sourcetypeSql(textPs);
  const forced = input.sourcetype !== undefined;
  const sts = [...prefix.tables.keys()];
  // One sourcetype among the first lines (a file per sourcetype, as Stream writes them): no filter,
  // every line goes to its one insert, where the per-row check fails a line of another sourcetype
  // (then the whole file is learnt and the inserts run again, filtered). Saves the filter's JSON
  // read of every line (0.9 core-s per 1M lines).
  const unfiltered = forced || sts.length === 1;
  const rowsOf = (st: string) => (unfiltered ? `SELECT line AS _raw FROM ${source}` : `SELECT _raw FROM (SELECT line AS _raw FROM ${source}) WHERE ${filter(st)}`);
  const stChecks = (st: string) => (kinds: Map<string, Kind>) => (forced ? [] : exact(kinds, st));

  // ---- the tables: each sourcetype's columns as the JavaScript path adds them
  if (input.sourcetype !== undefined && (sts.length !== 1 || sts[0] !== input.sourcetype)) throw new Unsupported('the JavaScript parser disagrees on the sourcetype');
  const shape = new EventBatch();
  const plans = sts.map((st) => {
    const { order, types } = prefix.tables.get(st)!;
    const seen = keyKinds.bySourcetype.get(st);
    if (!seen) throw new Unsupported(`no lines of ${st} among those read`);
    const { sql, final, natives } = planFor(st, seen, rowsOf(st), stChecks(st));
    const stray = order.find((k) => !final.has(k));
    if (stray) throw new Unsupported(`the JavaScript parser has a field the SQL lacks: ${stray}`);
    // the columns the insert writes (the derived fields get none)
    const derived = planDerived(store, st, streamCimRules(st.slice(7)), natives, order, final, types);
    const table = new TableRows(st);
    shape.tables.set(st, table);
    for (const k of derived.shape) table.fields.set(k, { values: [], type: types.get(k)! });
    return { st, order: derived.writes, types, sql, final, derived, table };
  });

  let progress: BatchProgress | undefined;
  const tEnds = Date.now();
  if (input.key) {
    const ends = input.sourcetype !== undefined ? { [sts[0]!]: scan.size } : lastLineEnds(input.realPath, scan.size, sts);
    progress = { key: input.key, offset: scan.size, headHash: input.headHash(scan.size), tables: ends, resetTables: input.resetTables };
  }
  if (process.env.QUARRY_NATIVE_TIMING) process.stderr.write(`stream-native last line of each sourcetype: ${Date.now() - tEnds} ms\n`);

  const bySourcetype: Record<string, number> = {};
  let tInserted = 0;
  await appendUnordered(store, shape, async (conn) => {
    let total = 0;
    for (const p of plans) {
      const guard = (bad: string, e: string, what: string) => (bad !== 'false' ? `CASE WHEN ${bad} THEN error(${sqlString(GUARD + what)}) ELSE ${e} END` : e);
      const others = [...p.final.keys()].filter((k) => !p.types.has(k)).map((k) => present(p.final.get(k)!));
      const derived = p.derived.render();
      const arms = [
        `WHEN _bad IS NOT NULL THEN error(${sqlString(GUARD)} || _bad)`,
        ...(others.length ? [`WHEN ${others.join(' OR ')} THEN error(${sqlString(GUARD + 'a field not in the first lines')})`] : []),
        ...(p.derived.guards.length ? [`WHEN ${p.derived.guards.join(' OR ')} THEN error(${sqlString(GUARD + 'an alias JavaScript would type otherwise')})`] : []),
      ];
      const timeCol = `CASE ${arms.join(' ')} ELSE make_timestamp(_us) END`;
      const base = baseColumns(store, p.st, timeCol, input);
      const cols = base.map(([c]) => c);
      const exprs = base.map(([, e]) => e);
      for (const [col, e] of fieldColumns(store, p.st, p.order, p.types, p.final, guard)) {
        cols.push(col);
        exprs.push(e);
      }
      const sql = `INSERT INTO ${quoteIdent(store.tableOf(p.st)!)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${p.sql}`;
      const t = Date.now();
      if (process.env.QUARRY_NATIVE_SQL) process.stderr.write(sql + '\n');
      const inserted = await insertUnordered(conn, sql);
      if (process.env.QUARRY_NATIVE_TIMING) process.stderr.write(`stream-native insert ${p.st}: ${inserted} rows, ${Date.now() - t} ms\n`);
      await store.setDerived(conn, p.st, derived);
      total += inserted;
      bySourcetype[p.st] = inserted;
      await catalogInserted(conn, store, p.table, input, inserted, p.derived.fields);
    }
    // every line is in one of the tables, and the file is the one scanned
    if (total !== scan.lines) throw new ReadFailed(`${scan.lines - total} rows of sourcetypes the first lines did not have, or the file changed while it was read (${total} rows, ${scan.lines} lines scanned)`);
    if (statSync(input.realPath).size !== scan.size) throw new ReadFailed('the file changed while it was read');
    tInserted = Date.now();
  }, progress);
  if (process.env.QUARRY_NATIVE_TIMING) process.stderr.write(`stream-native catalog, progress, commit: ${Date.now() - tInserted} ms\n`);
  return { ok: true, events: scan.lines, bySourcetype, bytes: scan.size };
}

/**
 * Where the last line of each sourcetype ends (the JavaScript path's per-table progress), read
 * from the end of the file backwards until every sourcetype has been seen.
 */
function lastLineEnds(path: string, size: number, sts: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const fd = openSync(path, 'r');
  try {
    let start = size; // the file offset of data[0]
    let pending = Buffer.alloc(0); // the start of a line whose beginning is not read yet
    while (start > 0 && Object.keys(out).length < sts.length) {
      const n = Math.min(CHUNK, start);
      const buf = Buffer.allocUnsafe(n);
      readSync(fd, buf, 0, n, start - n);
      start -= n;
      const data = pending.length ? Buffer.concat([buf, pending]) : buf;
      let hi = data.length; // just after a line's newline (or the end of the file)
      while (hi > 0 && Object.keys(out).length < sts.length) {
        const end = data[hi - 1] === 10 ? hi - 1 : hi;
        const nl = end > 0 ? data.lastIndexOf(10, end - 1) : -1;
        if (nl < 0 && start > 0) break; // the line's start is in the chunk before
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(data.toString('utf8', nl + 1, end)) as Record<string, unknown>;
        } catch {
          // a line cut short at the end of a live log, say: the JavaScript path quarantines it
          throw new Unsupported('a line near the end that is not JSON (the JavaScript path quarantines it)');
        }
        const st = streamSourcetype(obj);
        if (out[st] === undefined) out[st] = start + hi;
        hi = nl + 1;
      }
      pending = Buffer.from(data.subarray(0, hi));
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
