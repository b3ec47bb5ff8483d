/**
 * What the compiler knows about the rows at each point of a pipeline: the fields, in Splunk's
 * order, each with the SQL column that holds it and its type.
 */
import { quoteIdent } from '../store/sql.js';

/**
 * num: DOUBLE; int: BIGINT; str: VARCHAR (may hold numeric text, as Splunk's extracted fields do);
 * mv: VARCHAR[] (multivalue); time: TIMESTAMP (only `_time`); bool: a condition (never stored);
 * null: the NULL literal.
 */
export type FieldType = 'num' | 'int' | 'str' | 'mv' | 'time' | 'bool' | 'null';

export interface Field {
  name: string;
  column: string;
  type: FieldType;
  /**
   * The values are read straight from the store (set by the first search; cleared when a command
   * assigns the field). A hint for cost only, never for meaning: a test on a stored field is cheap
   * in the scan, while a test on a computed one makes DuckDB compute its expression again.
   */
  stored?: boolean;
}

export const isNumeric = (t: FieldType) => t === 'num' || t === 'int';

export class Schema {
  private list: Field[] = [];
  private byName = new Map<string, Field>();

  static of(fields: Field[]): Schema {
    const s = new Schema();
    for (const f of fields) s.put(f);
    return s;
  }

  get fields(): readonly Field[] {
    return this.list;
  }

  names(): string[] {
    return this.list.map((f) => f.name);
  }

  get(name: string): Field | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  clone(): Schema {
    return Schema.of(this.list.map((f) => ({ ...f })));
  }

  private put(f: Field): void {
    this.list.push(f);
    this.byName.set(f.name, f);
  }

  /**
   * A column name for a new field: the field name itself unless another column already has it
   * up to case (DuckDB resolves identifiers case-insensitively; Splunk's names are case-sensitive).
   */
  freshColumn(name: string): string {
    const taken = new Set(this.list.map((f) => f.column.toLowerCase()));
    let col = name;
    for (let n = 2; taken.has(col.toLowerCase()); n++) col = `${name}~${n}`;
    return col;
  }

  /** Add a field (or retype an existing one in place). Returns it. */
  set(name: string, type: FieldType): Field {
    const have = this.byName.get(name);
    if (have) {
      have.type = type;
      delete have.stored; // assigned: no longer the stored values
      return have;
    }
    const f = { name, column: this.freshColumn(name), type };
    this.put(f);
    return f;
  }

  remove(name: string): void {
    const f = this.byName.get(name);
    if (!f) return;
    this.byName.delete(name);
    this.list = this.list.filter((x) => x !== f);
  }

  /** Reorder/keep only these fields (the ones that exist). */
  keep(names: string[]): void {
    const kept = names.map((n) => this.byName.get(n)).filter((f): f is Field => !!f);
    this.list = kept;
    this.byName = new Map(kept.map((f) => [f.name, f]));
  }

  /** Fields whose names match a Splunk wildcard pattern (`*` any run), in schema order. */
  match(pattern: string, includeInternal = false): Field[] {
    if (!pattern.includes('*')) {
      const f = this.byName.get(pattern);
      return f ? [f] : [];
    }
    const re = wildcardRegExp(pattern);
    return this.list.filter((f) => re.test(f.name) && (includeInternal || !f.name.startsWith('_') || pattern.startsWith('_')));
  }

  col(name: string): string {
    const f = this.byName.get(name);
    if (!f) throw new Error(`internal: no field ${name}`);
    return quoteIdent(f.column);
  }
}

export function wildcardRegExp(pattern: string, flags = ''): RegExp {
  return new RegExp('^' + pattern.split('*').map(escapeRegExp).join('(.*)') + '$', flags);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
