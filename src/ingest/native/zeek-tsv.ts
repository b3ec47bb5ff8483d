/**
 * Zeek TSV read by DuckDB itself. Why: on the JavaScript path every line is split, typed, given
 * its CIM aliases and copied into DuckDB's vectors on the one JS thread, which caps a Zeek conn
 * log at ~40,000-70,000 events/s while DuckDB can write the same rows several times faster. Here
 * DuckDB's multi-threaded `read_csv` reads the file (one column: the whole line), and SQL does
 * what src/ingest/formats/zeek.ts and src/ingest/cim.ts do (the aliases are compiled from the
 * same rule list, ZEEK_CIM), so the stored table, catalog, field list and progress rows are the
 * ones the JavaScript path stores, as a search reads them: the aliases planDerived allows are left
 * to the search (test/ingest/zeek-native.test.ts compares both paths).
 *
 * Only files this path reproduces exactly take it; anything else returns a reason and the driver
 * reads the file in JavaScript as before. Checked by a byte scan of the file, which runs while
 * DuckDB inserts (its header and first 4 MiB before): plain (not gzip) UTF-8 without CR, NUL or
 * \x01, Zeek's default separators, a `#fields` header with a `ts` column and no header change
 * once data started. The column types and order come from the
 * JavaScript path's own typing of the first lines; every row is checked against them while it is
 * inserted (a line JavaScript would quarantine, a wider type, a new field, a number JavaScript
 * reads differently: DuckDB's error() fails the statement), and when one does not fit, a first SQL
 * pass over the whole file learns its types before the insert runs again. The insert, catalog and
 * progress (the file's end offset) are one transaction: a crash leaves the store as before or after
 * the whole file.
 */
import { isUtf8 } from 'node:buffer';
import type { DuckDBConnection } from '@duckdb/node-api';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { EventBatch, TableRows } from '../../store/batch.js';
import { widen, type ColumnType } from '../../store/types.js';
import { quoteIdent, sqlString, type BatchProgress, type Store } from '../../store/index.js';
import { RESERVED, addCimAliases, zeekCimRules } from '../cim.js';
import { ReadFailed, Unsupported, appendUnordered, baseColumns, catalogInserted, compileAliases, planDerived, insertUnordered, nativeOutcome, countOf, fieldColumns, isInt, jsPrefix, present, reading, type NativeInput, type NativeResult, type Prefix, type TableTypes, type Val } from './common.js';
import { ZeekTsvHeader, kindOf, zeekPathFromFileName, zeekTsv } from '../formats/zeek.js';
import type { EventRecord } from '../event.js';
import { openInput, readLines } from '../lines.js';


// ------------------------------------------------------------------------------ header + byte scan

/** The header state the JavaScript parser keeps (ZeekTsvParser.header), for the same lines. */
class HeaderState extends ZeekTsvHeader {
  state(): string {
    return JSON.stringify([this.sep, this.setSep, this.emptyField, this.unsetField, this.path, this.fields, this.types]);
  }
}

interface Scan {
  header: HeaderState;
  /** the header state where the data starts (what readHead saw, and the SQL was built from) */
  startState: string;
  /** lines neither blank nor header lines: the rows DuckDB must insert */
  dataLines: number;
  size: number;
  /** byte offset just after the last data line (what the JavaScript path records as progress) */
  lastDataEnd: number;
}

const CHUNK = 4 << 20;

/** What in these whole lines' bytes the native path does not read as the JavaScript path does. */
function byteProblem(chunk: Buffer): string | undefined {
  if (chunk.indexOf(13) >= 0) return 'carriage returns (CRLF or a bare CR)';
  if (chunk.indexOf(0) >= 0) return 'a NUL byte';
  if (chunk.indexOf(1) >= 0) return 'a \\x01 byte';
  if (!isUtf8(chunk)) return 'bytes that are not UTF-8';
  return undefined;
}

/**
 * One pass over the file's bytes (indexOf and isUtf8, no per-line JavaScript for data lines):
 * the header, where the last data line ends, and whether anything rules the native path out.
 */
function scanFile(path: string, fileName: string): Scan | string {
  const fd = openSync(path, 'r');
  try {
    const header = new HeaderState(zeekPathFromFileName(fileName));
    let headerDone = false;
    let startState = '';
    let changedAt = Infinity;
    let lastDataEnd = 0;
    let lines = 0, skipped = 0; // all lines, blank and header lines
    let base = 0; // file offset of data[0]
    let carry: Buffer = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let pos = 0; ;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      pos += n;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const cut = n === 0 ? data.length : data.lastIndexOf(10) + 1;
      if (n > 0 && cut === 0) {
        if (data.length > 64 << 20) return 'a line longer than 64 MiB';
        carry = Buffer.from(data);
        continue;
      }
      const chunk = data.subarray(0, cut);
      const bad = byteProblem(chunk);
      if (bad) return bad;
      lines += countOf(chunk, '\n') + (n === 0 && cut > 0 && chunk[cut - 1] !== 10 ? 1 : 0);
      if (chunk.length) skipped += countOf(chunk, '\n\n') + countOf(chunk, '\n#') + (chunk[0] === 10 || chunk[0] === 35 ? 1 : 0);
      let at = 0;
      // header lines (and blank lines) up to the first data line
      while (!headerDone && at < chunk.length) {
        let nl = chunk.indexOf(10, at);
        if (nl < 0) nl = chunk.length;
        if (nl > at) {
          const c0 = chunk[at]!;
          if (c0 === 35) header.apply(chunk.toString('utf8', at, nl));
          else if (c0 === 9 || c0 === 32 || c0 === 123) return 'a line before the data starting with a blank or {';
          else {
            headerDone = true;
            startState = header.state();
            break;
          }
        }
        at = nl + 1;
      }
      if (headerDone) {
        // header lines after the data started: harmless only if they change nothing (a repeated
        // header of a concatenated log) or no data follows them (#close)
        for (let h = at === 0 && chunk[0] === 35 ? 0 : chunk.indexOf('\n#', at); h >= 0 && h < chunk.length; h = chunk.indexOf('\n#', h + 1)) {
          const s = chunk[h] === 10 ? h + 1 : h;
          let e = chunk.indexOf(10, s);
          if (e < 0) e = chunk.length;
          header.apply(chunk.toString('utf8', s, e));
          if (header.state() !== startState && base + s < changedAt) changedAt = base + s;
          if (h + 1 >= chunk.length) break;
        }
        // the last data line of this chunk: the last one neither blank nor a header line
        let end = chunk.length;
        while (end > at) {
          const body = chunk[end - 1] === 10 ? end - 1 : end;
          const s = body > 0 ? chunk.lastIndexOf(10, body - 1) + 1 : 0;
          if (body > s && chunk[s] !== 35) {
            if (s >= at) lastDataEnd = base + end;
            break;
          }
          end = s;
        }
      }
      base += cut;
      carry = Buffer.from(data.subarray(cut));
      if (n === 0) break;
    }
    if (!headerDone) return 'no data lines';
    if (changedAt < lastDataEnd) return 'a header that changes mid-file';
    return { header, startState, lastDataEnd, dataLines: lines - skipped, size: base };
  } finally {
    closeSync(fd);
  }
}


/**
 * The header lines before the first data line, from the file's first chunk, with scanFile's byte
 * checks on that chunk: enough to build the SQL, and to send a CRLF log the JavaScript way before
 * DuckDB reads it. scanFile checks the whole file while the insert runs.
 */
function readHead(path: string, fileName: string): HeaderState | string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const n = readSync(fd, buf, 0, CHUNK, 0);
    const chunk = buf.subarray(0, n < CHUNK ? n : buf.lastIndexOf(10, n - 1) + 1);
    const bad = byteProblem(chunk);
    if (bad) return bad;
    const header = new HeaderState(zeekPathFromFileName(fileName));
    for (let at = 0; at < chunk.length;) {
      let nl = chunk.indexOf(10, at);
      if (nl < 0) nl = chunk.length;
      if (nl > at) {
        const c0 = chunk[at]!;
        if (c0 !== 35) return c0 === 9 || c0 === 32 || c0 === 123 ? 'a line before the data starting with a blank or {' : header;
        header.apply(chunk.toString('utf8', at, nl));
      }
      at = nl + 1;
    }
    return n < CHUNK ? 'no data lines' : 'a header longer than 4 MiB';
  } finally {
    closeSync(fd);
  }
}


// ------------------------------------------------------------------------------ values as SQL


const NUM_RE = '-?[0-9]+(?:\\.[0-9]+)?';
const TS_RE = '[0-9]{1,12}(?:\\.[0-9]+)?';
/** Tokens of zeekUnescape's left-to-right scan: \\, \xHH, a run without backslashes, a lone backslash. */
const UNESC_RE = sqlString('\\\\\\\\|\\\\x[0-9a-fA-F]{2}|[^\\\\]+|\\\\');

function unescapeSql(x: string, lineHas = 'true'): string {
  return `CASE WHEN ${lineHas} AND contains(${x}, '\\') THEN array_to_string(list_transform(regexp_extract_all(${x}, ${UNESC_RE}), t -> CASE WHEN t = '\\\\' THEN '\\' WHEN length(t) = 4 AND starts_with(t, '\\x') THEN chr(('0x' || substr(t, 3, 2))::INTEGER) ELSE t END), '') ELSE ${x} END`;
}


// ------------------------------------------------------------------------------ the ingest

export function ingestZeekTsvNative(store: Store, input: NativeInput): Promise<NativeResult> {
  return nativeOutcome(() => run(store, input));
}

async function run(store: Store, input: NativeInput): Promise<NativeResult> {
  const no = (reason: string): NativeResult => ({ ok: false, reason });
  if (/[*?[\]{}]/.test(input.realPath) || !input.realPath.startsWith('/')) return no('a path DuckDB would read as a pattern');
  const t0 = Date.now();
  const lap = (what: string) => { if (process.env.QUARRY_NATIVE_TIMING) process.stderr.write(`zeek-native ${what}: ${Date.now() - t0} ms\n`); };
  const h = readHead(input.realPath, input.path);
  if (typeof h === 'string') return no(h);
  if (h.sep !== '\t' || h.setSep !== ',' || h.emptyField !== '(empty)' || h.unsetField !== '-') return no('separators other than Zeek\'s defaults');
  if (h.fields === undefined) return no('no #fields header');
  const st = input.sourcetype ?? 'zeek:' + (h.path ?? 'unknown');
  if (!st.startsWith('zeek:')) return no(`sourcetype ${st} is not zeek:*`);
  const names = h.fields.split('\t');
  const types = h.types !== undefined ? h.types.split('\t') : [];
  if (new Set(names).size !== names.length) return no('a field named twice in #fields');
  if (names.some((n) => /^(?:0|[1-9][0-9]*)$/.test(n))) return no('a field named by a number');
  if (RESERVED.some((r) => names.includes(r) && names.includes('extracted_' + r))) return no('a field and its extracted_ name');
  const tsIndex = names.indexOf('ts');
  if (tsIndex < 0) return no('no ts field');

  // ---- layer 1: the native fields (raw text r_i from the split line; set/vector items c_i)
  // _esc: the line has a backslash (one search a line, not one a text field)
  const sel1: string[] = ['_raw', '_esc', 'len(f) AS _nf'];
  const sel2: string[] = ['_raw'];
  /**
   * What every line must pass (else the file goes the JavaScript way): its column count, ts and
   * numeric columns as JavaScript reads them. `quick`: the column count, ts's form, and each
   * number as DuckDB casts it, finite, in a line without `_` or `+` (DuckDB reads "1_000" and
   * "+-5" as numbers, JavaScript's Number() does not; on every other text it reads as a finite
   * number the two agree: test/ingest/zeek-native.test.ts tries 250,000 short texts). A line that
   * fails it gets `lineRe`, one regular expression over the whole line that checks the same
   * stricter (plain decimals only), which cost 0.5 core-s a million lines when every line took it.
   */
  const quick: string[] = [];
  const lineRe: string[] = [];
  const checks: string[] = [];
  const asciiNeeded = new Set<string>();
  const env = new Map<string, Val>();
  const keyName = (k: string) => (RESERVED.includes(k) ? 'extracted_' + k : k);
  names.forEach((name, i) => {
    const r = `r${i}`;
    const n0 = lineRe.length;
    sel1.push(`f[${i + 1}] AS ${r}`);
    const v: Val = {};
    if (i === tsIndex) {
      sel2.push(`TRY_CAST(${r} AS DOUBLE) AS v${i}_n`);
      sel2.push(`TRY_CAST(split_part(${r}, '.', 1) AS BIGINT) * 1000000 + TRY_CAST(rpad(left(split_part(${r}, '.', 2), 6), 6, '0') AS BIGINT) AS _us`);
      lineRe.push(TS_RE);
      quick.push(`regexp_full_match(${r}, ${sqlString(TS_RE)})`);
      v.n = `v${i}_n`;
      env.set(keyName(name), v);
      return;
    }
    const { kind, container } = kindOf(types[i] ?? 'string');
    const numeric = kind === 1 || kind === 2 || kind === 4;
    if (!container) {
      if (numeric) {
        sel2.push(`TRY_CAST(${r} AS DOUBLE) AS v${i}_n`); // NULL for '-'
        lineRe.push(`(?:-|${NUM_RE})`);
        quick.push(`(${r} = '-' OR isfinite(TRY_CAST(${r} AS DOUBLE)))`);
        v.n = `v${i}_n`;
      } else if (kind === 3) {
        sel2.push(`CASE ${r} WHEN '-' THEN NULL WHEN 'T' THEN 'true' WHEN 'F' THEN 'false' WHEN '(empty)' THEN '' ELSE ${r} END AS v${i}_s`);
        v.s = `v${i}_s`;
      } else {
        sel2.push(`CASE ${r} WHEN '-' THEN NULL WHEN '(empty)' THEN '' ELSE ${unescapeSql(r, '_esc')} END AS v${i}_s`);
        v.s = `v${i}_s`;
      }
    } else {
      const c = `c${i}`;
      sel1.push(`CASE WHEN f[${i + 1}] <> '-' AND f[${i + 1}] <> '(empty)' THEN string_split(f[${i + 1}], ',') END AS ${c}`);
      const one = `len(${c}) = 1`, many = `len(${c}) > 1`;
      if (numeric) {
        sel2.push(`CASE WHEN ${one} THEN TRY_CAST(${c}[1] AS DOUBLE) END AS v${i}_n`);
        sel2.push(`CASE WHEN ${many} THEN list_transform(${c}, x -> CAST(CAST(TRY_CAST(x AS DOUBLE) AS BIGINT) AS VARCHAR)) END AS v${i}_l`);
        lineRe.push(`(?:-|\\(empty\\)|${NUM_RE}(?:,${NUM_RE})*)`);
        quick.push('false'); // a list of numbers: the regular expression
        // a multivalue's numbers become text: only integers are written alike by both paths
        checks.push(`(${c} IS NULL OR ${one} OR list_bool_and(list_transform(${c}, x -> ${isInt('TRY_CAST(x AS DOUBLE)')})))`);
        v.n = `v${i}_n`;
      } else {
        const conv = (x: string) => (kind === 3 ? `CASE ${x} WHEN 'T' THEN 'true' WHEN 'F' THEN 'false' ELSE ${x} END` : unescapeSql(x));
        sel2.push(`CASE WHEN ${one} THEN ${conv(`${c}[1]`)} END AS v${i}_s`);
        sel2.push(`CASE WHEN ${many} THEN list_transform(${c}, x -> ${conv('x')}) END AS v${i}_l`);
        v.s = `v${i}_s`;
      }
      v.l = `v${i}_l`;
    }
    if (lineRe.length === n0) lineRe.push('[^\t]*');
    env.set(keyName(name), v);
  });
  const quickOk = ['_nf = ' + names.length, "NOT contains(_raw, '_')", "NOT contains(_raw, '+')", ...quick].join(' AND ');
  checks.unshift(`CASE WHEN coalesce(${quickOk}, false) THEN true ELSE regexp_full_match(_raw, ${sqlString(lineRe.join('\t'))}) END`);
  sel2.push(`coalesce(${checks.join(' AND ')}, false) AS _ok`);

  // ---- layers 3 and 4: the aliases, compiled from the same rules the JavaScript path runs
  const rules = zeekCimRules(st.slice(5));
  const { sel3, sel4, final } = compileAliases(env, rules, ['_raw', '_us', '_ok'], asciiNeeded);

  const source = `read_csv(${sqlString(input.realPath)}, columns = {'line': 'VARCHAR'}, delim = E'\\x01', quote = '', escape = '', header = false, auto_detect = false, compression = 'none')`;
  const from =
    `(SELECT ${sel4.join(', ')} FROM (SELECT ${sel3.join(', ')} FROM (SELECT ${sel2.join(', ')} FROM (SELECT ${sel1.join(', ')} FROM ` +
    `(SELECT line AS _raw, contains(line, '\\') AS _esc, string_split(line, chr(9)) AS f FROM ${source} WHERE line IS NOT NULL AND NOT starts_with(line, '#'))))))`;

  /** The file's progress row: where its last data line ends, known once the scan is done. */
  const progress: BatchProgress | undefined = input.key ? { key: input.key, offset: 0, headHash: '', resetTables: input.resetTables } : undefined;
  let scan: Scan | undefined;
  /** The byte scan of the whole file (once): what it rules out fails the transaction. */
  const scanned = (): Scan => {
    if (scan) return scan;
    const r = scanFile(input.realPath, input.path);
    lap('scan');
    if (typeof r === 'string') throw new Unsupported(r);
    if (r.startState !== h.state()) throw new Unsupported('the header changed while the file was read');
    if (progress) Object.assign(progress, { offset: r.lastDataEnd, headHash: input.headHash(r.lastDataEnd), tables: { [st]: r.lastDataEnd } });
    return (scan = r);
  };
  /**
   * The insert, with the byte scan done on this thread meanwhile (the statement runs on DuckDB's
   * threads; the scan was ~0.2 s a million lines before the insert).
   */
  const insertScanning = async (conn: DuckDBConnection, sql: string): Promise<number> => {
    const inserting = insertUnordered(conn, sql);
    inserting.catch(() => undefined); // awaited below
    try {
      scanned();
    } catch (err) {
      conn.interrupt(); // the file goes the JavaScript way: the rest of the insert is wasted
      await inserting.catch(() => undefined);
      throw err;
    }
    return inserting;
  };

  /**
   * The INSERT of every row, each field as the JavaScript path stores it in a column of type
   * `typeOf` (widened with the table's own). `guarded`: a row that the JavaScript path would
   * quarantine, or whose value would not fit `typeOf` as JavaScript types it, or that has a field
   * not in `typeOf`, fails the statement (DuckDB's error()), so the transaction stores nothing.
   * `order` lacks the derived fields (planDerived); `guards` are theirs.
   */
  const insertSql = (order: string[], typeOf: Map<string, ColumnType>, guarded: boolean, guards: string[]): string => {
    const guard = (bad: string, e: string, what: string) => (guarded && bad !== 'false' ? `CASE WHEN ${bad} THEN error(${sqlString(GUARD + what)}) ELSE ${e} END` : e);
    const others = [...final.keys()].filter((k) => !typeOf.has(k)).map((k) => present(final.get(k)!));
    const rowBad = ['NOT (_ok AND _ascii)', ...others, ...guards].join(' OR ');
    const base = baseColumns(store, st, guard(rowBad, 'make_timestamp(_us)', 'a line the JavaScript path reads otherwise'), input);
    const cols = base.map(([c]) => c);
    const exprs = base.map(([, e]) => e);
    for (const [col, e] of fieldColumns(store, st, order, typeOf, final, guard)) {
      cols.push(col);
      exprs.push(e);
    }
    const sql = `INSERT INTO ${quoteIdent(store.tableOf(st)!)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${from}`;
    if (process.env.QUARRY_NATIVE_SQL) process.stderr.write(sql + '\n');
    return sql;
  };
  /** The file DuckDB read is the one scanned (not grown or rewritten since): else nothing is stored. */
  const unchanged = (inserted: number) => {
    const { dataLines, size } = scanned();
    if (inserted !== dataLines || statSync(input.realPath).size !== size) {
      throw new ReadFailed(`the file changed while it was read (${inserted} rows, ${dataLines} lines scanned)`);
    }
  };
  /** The batch shape the store makes its columns from (planDerived's `shape`). */
  const shapeOf = (order: string[], typeOf: Map<string, ColumnType>) => {
    const shape = new EventBatch();
    const table = new TableRows(st);
    shape.tables.set(st, table);
    for (const k of order) table.fields.set(k, { values: [], type: typeOf.get(k)! });
    return { shape, table };
  };
  const natives = new Set(env.keys());

  // ---- one pass: the types of the first lines, as the JavaScript path types them, checked on
  // every row while it is inserted
  const prefix = oneTable(await jsPrefix(zeekTsv, input, (_tables, events) => events >= PREFIX_EVENTS), st);
  if (typeof prefix === 'string') return no(prefix);
  lap('first lines in JavaScript');
  const known = new Set(final.keys());
  const stray = prefix.order.find((k) => !known.has(k));
  if (stray) return no(`the JavaScript parser has a field the SQL lacks: ${stray}`);
  {
    const plan = planDerived(store, st, rules, natives, prefix.order, final, prefix.types);
    const { shape, table } = shapeOf(plan.shape, prefix.types);
    try {
      await appendUnordered(store, shape, async (conn) => {
        const derived = plan.render();
        const inserted = await insertScanning(conn, insertSql(plan.writes, prefix.types, true, plan.guards));
        unchanged(inserted);
        await store.setDerived(conn, st, derived);
        await catalogInserted(conn, store, table, input, inserted, plan.fields);
      }, progress);
      lap('insert + commit');
      const events = Number(table.catalog.get(input.index)!.count);
      return { ok: true, events, bySourcetype: { [st]: events }, bytes: scanned().lastDataEnd };
    } catch (err) {
      if (!(err instanceof ReadFailed && err.message.includes(GUARD))) throw err;
      lap(`guard: ${(err as Error).message}`);
    }
  }

  // ---- the first lines were not typical: a first pass learns the types of the whole file
  const keys = [...final.keys()];
  const aggs: string[] = ['count(*) AS n', 'min(_us) AS lo', 'max(_us) AS hi', 'count_if(NOT _ok) AS bad', 'count_if(NOT _ascii) AS nonascii'];
  keys.forEach((k, i) => {
    const v = final.get(k)!;
    aggs.push(`bool_or(${present(v)}) AS p${i}`);
    for (const x of ['n', 's', 'l'] as const) aggs.push(v[x] ? `bool_or(${v[x]} IS NOT NULL) AS ${x}${i}` : `false AS ${x}${i}`);
    aggs.push(v.n ? `coalesce(bool_or(${v.n} IS NOT NULL AND NOT ${isInt(v.n)}), false) AS d${i}` : `false AS d${i}`);
  });
  // on a connection of its own: the store's may be in another writer's transaction (HEC)
  scanned(); // a file the scan rules out is not worth a pass
  const conn = await store.connect();
  let stats: Record<string, unknown>;
  try {
    stats = (await reading(() => conn.runAndReadAll(`SELECT ${aggs.join(', ')} FROM ${from}`))).getRowObjectsJS()[0]!;
  } finally {
    conn.closeSync();
  }
  lap('pass 1');
  const count = Number(stats.n);
  if (count === 0) return no('no events');
  if (Number(stats.bad) > 0) return no(`${stats.bad} lines the JavaScript path would quarantine or type differently`);
  if (Number(stats.nonascii) > 0) return no('non-ASCII text in a field an alias changes the case of');
  const typeOf = new Map<string, ColumnType>();
  keys.forEach((k, i) => {
    if (!stats[`p${i}`]) return;
    const t: ColumnType = stats[`l${i}`] ? 'VARCHAR[]' : stats[`s${i}`] ? 'VARCHAR' : stats[`d${i}`] ? 'DOUBLE' : 'BIGINT';
    const existing = store.columnOf(st, k)?.type;
    const to = existing ? widen(existing, t) : t;
    if ((to === 'VARCHAR' || to === 'VARCHAR[]') && stats[`d${i}`]) throw new Unsupported(`${k}: fractional numbers mixed with text`);
    typeOf.set(k, t);
  });

  // the column order: the order in which the JavaScript path first meets each field
  const full = oneTable(await jsPrefix(zeekTsv, input, (tables) => (tables.get(st)?.fields.size ?? 0) >= typeOf.size), st);
  if (typeof full === 'string') return no(full);
  if (full.order.length !== typeOf.size || full.order.some((k) => !typeOf.has(k))) return no('the JavaScript parser disagrees on the fields');
  lap('column order');
  const plan = planDerived(store, st, rules, natives, full.order, final, typeOf);
  const { shape, table } = shapeOf(plan.shape, typeOf);
  table.catalog.set(input.index, { index: input.index, count, earliest: Number(stats.lo as bigint), latest: Number(stats.hi as bigint), fields: new Set(plan.fields) });
  // still guarded: a row the first pass did not see (the file grew) cannot slip through
  await appendUnordered(store, shape, async (conn) => {
    const derived = plan.render();
    unchanged(await insertUnordered(conn, insertSql(plan.writes, typeOf, true, plan.guards)));
    await store.setDerived(conn, st, derived);
  }, progress);
  lap('insert + commit');
  return { ok: true, events: count, bySourcetype: { [st]: count }, bytes: scanned().lastDataEnd };
}

/** Lines the JavaScript path types before the native insert (the rest are checked against them). */
const PREFIX_EVENTS = 5_000;
/** The text every guard's error starts with. */
const GUARD = 'zeek-native guard: ';

/** A Zeek log's events are all of one sourcetype. */
function oneTable(p: Prefix | string, st: string): TableTypes | string {
  if (typeof p === 'string') return p;
  const other = [...p.tables.keys()].find((t) => t !== st);
  if (other) return `the JavaScript parser disagrees: sourcetype ${other}, expected ${st}`;
  return p.tables.get(st) ?? 'no events';
}
