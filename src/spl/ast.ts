import type { Span } from './errors.js';

export type { Span } from './errors.js';

/** A whole search: commands joined by pipes. */
export interface Pipeline {
  commands: Command[];
  span: Span;
  /** the text the spans refer to (after macro expansion) */
  text: string;
}

/** One command: its name and the arguments its own grammar produced. */
export interface Command<A = unknown> {
  name: string;
  nameSpan: Span;
  span: Span;
  args: A;
}

// ---- eval / where expressions -------------------------------------------------------------

export type Expr =
  | { kind: 'num'; value: number; span: Span }
  | { kind: 'str'; value: string; span: Span }
  | { kind: 'field'; name: string; span: Span }
  | { kind: 'call'; name: string; args: Expr[]; span: Span; nameSpan: Span }
  | { kind: 'unary'; op: 'NOT' | '-' | '+'; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'in'; operand: Expr; values: Expr[]; span: Span };

export type BinaryOp =
  | 'OR' | 'XOR' | 'AND'
  | '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE'
  | '+' | '-' | '.' | '*' | '/' | '%';

// ---- search expressions (the `search` command and the implicit first command) ------------

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SearchNode =
  | { kind: 'and'; items: SearchNode[]; span: Span }
  | { kind: 'or'; items: SearchNode[]; span: Span }
  | { kind: 'not'; item: SearchNode; span: Span }
  /** a bare term or quoted phrase matched against _raw (TERM()/CASE() set the flags) */
  | { kind: 'term'; value: string; quoted: boolean; term?: boolean; caseSensitive?: boolean; span: Span }
  | { kind: 'compare'; field: string; op: CompareOp; value: string; quoted: boolean; caseSensitive?: boolean; span: Span }
  | { kind: 'in'; field: string; values: { value: string; quoted: boolean }[]; span: Span }
  | { kind: 'subsearch'; pipeline: Pipeline; span: Span }
  /** matches everything (an empty search, or `*`) */
  | { kind: 'all'; span: Span };

/** What a search command's text parses to: the predicate and any in-search time modifiers. */
export interface SearchArgs {
  node: SearchNode;
  earliest?: { value: string; span: Span };
  latest?: { value: string; span: Span };
}
