/** Column types the store keeps, in widening order for scalars (BIGINT → DOUBLE → VARCHAR). */
export type ColumnType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'VARCHAR[]' | 'TIMESTAMP';

const scalarRank: Record<string, number> = { BIGINT: 0, DOUBLE: 1, VARCHAR: 2 };

/** The narrowest type that holds values of both types; never loses a value. */
export function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (a === 'VARCHAR[]' || b === 'VARCHAR[]') return 'VARCHAR[]';
  if (a === 'TIMESTAMP' || b === 'TIMESTAMP') return 'VARCHAR';
  return scalarRank[a]! >= scalarRank[b]! ? a : b;
}

export interface FieldInfo {
  name: string;
  type: ColumnType;
}

/** What the catalog knows of one index+sourcetype. */
export interface CatalogEntry {
  index: string;
  sourcetype: string;
  table: string;
  eventCount: number;
  /** epoch microseconds */
  earliest: number | null;
  latest: number | null;
  fields: FieldInfo[];
}

/** Columns every sourcetype table has, before the extracted fields. */
export const BASE_COLUMNS: FieldInfo[] = [
  { name: '_time', type: 'TIMESTAMP' },
  { name: 'index', type: 'VARCHAR' },
  { name: 'sourcetype', type: 'VARCHAR' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'host', type: 'VARCHAR' },
  { name: '_raw', type: 'VARCHAR' },
];
export const BASE_NAMES = new Set(BASE_COLUMNS.map((c) => c.name));
