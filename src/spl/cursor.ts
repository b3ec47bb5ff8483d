/**
 * A scanner over one command's argument text. Command grammars are built from these pieces,
 * so every argument keeps its exact span in the search text.
 */
import type { Pipeline } from './ast.js';
import { SplError, type Span } from './errors.js';

export interface Word {
  value: string;
  quoted: boolean;
  span: Span;
}

/** Parses a nested pipeline (subsearch body) between offsets; supplied by the pipeline parser. */
export type SubParser = (start: number, end: number) => Pipeline;

export class Cursor {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
    readonly end: number,
    readonly command: string,
    readonly subparse: SubParser,
  ) {
    this.pos = start;
  }

  error(message: string, span?: Span, hint?: string): SplError {
    return new SplError(message, span ?? { start: this.pos, end: Math.min(this.pos + 1, this.end) }, hint);
  }

  skipWs(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.end;
  }

  peek(n = 0): string {
    return this.pos + n < this.end ? this.text[this.pos + n]! : '';
  }

  /** Does the upcoming text (after spaces) start with `s`? Keywords match case-insensitively, whole word. */
  lookingAt(s: string, word = /^[a-z]/i.test(s)): boolean {
    this.skipWs();
    const got = this.text.slice(this.pos, this.pos + s.length);
    if (got.toLowerCase() !== s.toLowerCase()) return false;
    if (!word) return true;
    const next = this.text[this.pos + s.length];
    return this.pos + s.length >= this.end || next === undefined || !/[\w.:{}\-*]/.test(next);
  }

  /** Consume `s` if it comes next (see lookingAt). */
  accept(s: string, word?: boolean): Span | undefined {
    if (!this.lookingAt(s, word)) return undefined;
    const span = { start: this.pos, end: this.pos + s.length };
    this.pos += s.length;
    return span;
  }

  expect(s: string, what?: string): Span {
    const span = this.accept(s);
    if (!span) throw this.error(`expected ${what ?? `"${s}"`}${this.atEnd() ? ' but the command ended' : ''}`);
    return span;
  }

  /** A double-quoted string: `\"` and `\\` are escapes, other backslashes are kept as written. */
  quoted(): Word {
    const start = this.pos;
    if (this.text[this.pos] !== '"') throw this.error('expected a quoted string');
    let i = this.pos + 1;
    let out = '';
    while (i < this.end && this.text[i] !== '"') {
      const ch = this.text[i]!;
      if (ch === '\\' && (this.text[i + 1] === '"' || this.text[i + 1] === '\\')) {
        out += this.text[i + 1];
        i += 2;
      } else {
        out += ch;
        i++;
      }
    }
    if (i >= this.end) throw new SplError('unterminated quoted string', { start, end: this.end }, 'close it with "');
    this.pos = i + 1;
    return { value: out, quoted: true, span: { start, end: this.pos } };
  }

  /**
   * A bare word: everything up to white space or one of `stops`; or a quoted string.
   * Returns undefined at the end of the command.
   */
  word(stops = '()[]|,="'): Word | undefined {
    this.skipWs();
    if (this.pos >= this.end) return undefined;
    if (this.text[this.pos] === '"') return this.quoted();
    const start = this.pos;
    while (this.pos < this.end) {
      const ch = this.text[this.pos]!;
      if (ch === '|' && this.text.slice(start, this.pos).includes('$')) {
        // a dashboard token with a filter inside a word: $tok|s$
        const m = /^\|[a-z]+\$/.exec(this.text.slice(this.pos, Math.min(this.end, this.pos + 12)));
        if (m) {
          this.pos += m[0].length;
          continue;
        }
      }
      if (/\s/.test(ch) || stops.includes(ch)) break;
      this.pos++;
    }
    if (this.pos === start) return undefined;
    return { value: this.text.slice(start, this.pos), quoted: false, span: { start, end: this.pos } };
  }

  /**
   * A field name (bare, or in single or double quotes); wildcards `*` allowed when `wild`.
   * Quoted and bare pieces written together make one name, as Splunk's tokenizer joins them:
   * `"All_Changes".*` (what `drop_dm_object_name("All_Changes")` expands to) is `All_Changes.*`.
   */
  fieldName(wild = false): Word | undefined {
    this.skipWs();
    const start = this.pos;
    const re = wild ? /[\w.:{}@$*\-\/#&]/ : /[\w.:{}@$\-\/#&]/;
    let value = '';
    let quoted = false;
    while (this.pos < this.end) {
      const ch = this.peek();
      if (ch === "'" || ch === '"') {
        const close = this.text.indexOf(ch, this.pos + 1);
        if (close < 0 || close >= this.end) throw new SplError('unterminated quoted field name', { start: this.pos, end: this.end });
        value += this.text.slice(this.pos + 1, close);
        this.pos = close + 1;
        quoted = true;
        continue;
      }
      const from = this.pos;
      while (this.pos < this.end && re.test(this.text[this.pos]!)) this.pos++;
      if (this.pos === from) break;
      value += this.text.slice(from, this.pos);
    }
    if (this.pos === start) return undefined;
    return { value, quoted, span: { start, end: this.pos } };
  }

  /** A comma- and/or space-separated list of field names, stopping at a keyword in `stopWords`. */
  fieldList(stopWords: string[] = [], wild = true): Word[] {
    const out: Word[] = [];
    for (;;) {
      this.skipWs();
      if (this.pos >= this.end || stopWords.some((w) => this.lookingAt(w, true))) break;
      if (this.accept(',', false)) continue;
      const f = this.fieldName(wild);
      if (!f) break;
      out.push(f);
    }
    return out;
  }

  /** `name=value` options at the current position, while they come (`limit=10 useother=f`). */
  options(allowed: readonly string[]): Map<string, Word & { keySpan: Span }> {
    const out = new Map<string, Word & { keySpan: Span }>();
    for (;;) {
      this.skipWs();
      const m = /^([A-Za-z_][\w.]*)\s*=/.exec(this.text.slice(this.pos, this.end));
      if (!m) break;
      const key = m[1]!.toLowerCase();
      if (!allowed.includes(key)) break;
      const keySpan = { start: this.pos, end: this.pos + m[1]!.length };
      this.pos += m[0].length;
      this.skipWs();
      const v = this.word('()[]|,');
      if (!v) throw this.error(`option ${key}= needs a value`);
      out.set(key, { ...v, keySpan });
    }
    return out;
  }

  /** A `[ ... ]` block: its inner offsets (nesting and quotes respected). */
  bracket(): { start: number; end: number; span: Span } {
    this.skipWs();
    const open = this.pos;
    if (this.text[open] !== '[') throw this.error('expected [');
    let depth = 0;
    let i = open;
    let inQ = false;
    for (; i < this.end; i++) {
      const ch = this.text[i];
      if (inQ) {
        if (ch === '\\') i++;
        else if (ch === '"') inQ = false;
        continue;
      }
      if (ch === '"') inQ = true;
      else if (ch === '[') depth++;
      else if (ch === ']' && --depth === 0) break;
    }
    if (i >= this.end) throw new SplError('unclosed [', { start: open, end: open + 1 }, 'close the subsearch with ]');
    this.pos = i + 1;
    return { start: open + 1, end: i, span: { start: open, end: i + 1 } };
  }

  /** The rest of the command's text, raw. */
  rest(): { value: string; span: Span } {
    this.skipWs();
    const start = this.pos;
    this.pos = this.end;
    return { value: this.text.slice(start, this.end).trimEnd(), span: { start, end: this.end } };
  }

  /** Fail if anything is left: a command grammar calls this last. */
  done(): void {
    this.skipWs();
    if (this.pos < this.end) {
      const w = this.text.slice(this.pos, this.end).split(/\s/)[0]!;
      throw new SplError(`${this.command}: unexpected "${w}"`, { start: this.pos, end: this.pos + w.length });
    }
  }
}
