/** A source range in the (macro-expanded) search text: [start, end) character offsets. */
export interface Span {
  start: number;
  end: number;
}

/** A search that cannot be run as written: where, what was expected, and a hint when there is one. */
export class SplError extends Error {
  /** the search text the span refers to (after macro expansion), when known */
  text?: string;
  constructor(
    message: string,
    readonly span: Span,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SplError';
  }
}

/** line:column (1-based) of an offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** The error as a person reads it: position, message, the line of the search and a caret under the span. */
export function formatSplError(err: SplError, text: string): string {
  const { line, column } = lineCol(text, err.span.start);
  const lines = text.split('\n');
  const src = lines[line - 1] ?? '';
  const width = Math.max(1, Math.min(err.span.end - err.span.start, src.length - column + 1));
  const caret = ' '.repeat(column - 1) + '^'.repeat(width);
  const hint = err.hint ? `\nhint: ${err.hint}` : '';
  return `error at ${line}:${column}: ${err.message}\n  ${src}\n  ${caret}${hint}`;
}

/** The closest of `candidates` to `name` (Levenshtein), for "did you mean" hints. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const a = name.toLowerCase();
  for (const c of candidates) {
    const d = levenshtein(a, c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
