import type { DuckDBConnection } from '@duckdb/node-api';
import type { Pipeline } from '../spl/ast.js';
import type { CatalogEntry } from '../store/types.js';
import type { Store } from '../store/index.js';

/** A row as the engine hands it out: field → value (numbers, strings, string[] for multivalue). */
export type Row = Record<string, unknown>;

/** What every command compiler may use. */
export interface CompileContext {
  store: Store;
  conn: DuckDBConnection;
  catalog: CatalogEntry[];
  /** IANA zone for time modifiers, strftime and bins */
  tz: string;
  /** "now" of this search, epoch ms (fixed for the whole search, as in Splunk) */
  now: number;
  /** The time range from the caller (time picker / --earliest --latest), as given */
  earliest?: string;
  latest?: string;
  nextId(): number;
  /** Whether commands may compile on guesses about the data, checked at run time (src/compile/guesses.ts). */
  guesses: boolean;
  /** Run a nested pipeline (subsearch, append, join) to rows. */
  runPipeline(p: Pipeline, opts?: { earliest?: string; latest?: string }): Promise<{ fields: string[]; rows: Row[] }>;
  /** Compile a nested pipeline into a builder of its own (for append/join lowered to SQL). */
  compilePipeline(p: Pipeline): Promise<import('./builder.js').Builder>;
}
