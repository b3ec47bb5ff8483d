/**
 * CSV lookup tables kept in the data directory: <data>/lookups/NAME.csv. Read with DuckDB's
 * read_csv (every column as text, the header gives the field names).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sqlString } from '../store/sql.js';

export function lookupDir(dataDir: string): string {
  return join(dataDir, 'lookups');
}

/** A lookup name as written (`users`, `users.csv`) → its file name. */
export function lookupFile(dataDir: string, name: string): string {
  if (!/^[\w.\-]+$/.test(name) || name.includes('..')) throw new Error(`bad lookup name "${name}": use letters, digits, _ - .`);
  const file = name.toLowerCase().endsWith('.csv') ? name : `${name}.csv`;
  return join(lookupDir(dataDir), file);
}

export function lookupExists(dataDir: string, name: string): boolean {
  try {
    return existsSync(lookupFile(dataDir, name));
  } catch {
    return false;
  }
}

/** SQL relation of a lookup file: text columns, header names kept as written, file order in _q_row. */
export function lookupRelation(path: string): string {
  return `(SELECT *, row_number() OVER () AS "_q_row" FROM read_csv(${sqlString(path)}, header = true, all_varchar = true, normalize_names = false, auto_detect = true))`;
}

/** The header of a lookup file (field names in order). */
export function lookupHeader(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const out: string[] = [];
  let cell = '';
  let inQ = false;
  for (let i = 0; i < first.length; i++) {
    const ch = first[i]!;
    if (inQ) {
      if (ch === '"' && first[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') inQ = false;
      else cell += ch;
    } else if (ch === '"') inQ = true;
    else if (ch === ',') out.push(cell), (cell = '');
    else cell += ch;
  }
  out.push(cell);
  return out.map((s) => s.replace(/^\uFEFF/, ''));
}

export function addLookup(dataDir: string, name: string, csvPath: string): string {
  const dest = lookupFile(dataDir, name);
  mkdirSync(lookupDir(dataDir), { recursive: true });
  const header = lookupHeader(csvPath);
  if (!header.length || header.every((h) => !h)) throw new Error(`${csvPath} has no header line`);
  copyFileSync(csvPath, dest);
  return dest;
}

export function listLookups(dataDir: string): { name: string; file: string; bytes: number; fields: string[] }[] {
  const dir = lookupDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => ({ name: basename(f, '.csv'), file: join(dir, f), bytes: statSync(join(dir, f)).size, fields: lookupHeader(join(dir, f)) }));
}
