import type { Command } from '../../spl/ast.js';
import type { Cursor } from '../../spl/cursor.js';
import type { Builder } from '../builder.js';

/** One SPL command: its grammar and its lowering. Each lives in its own module in this folder. */
export interface CommandSpec<A = any> {
  name: string;
  aliases?: string[];
  /** may start a search after a leading pipe (`| makeresults`) */
  generating?: boolean;
  help: string;
  parse(c: Cursor): A;
  compile(args: A, b: Builder, cmd: Command<A>): Promise<void> | void;
}
