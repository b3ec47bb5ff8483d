/**
 * Search text → Pipeline. The text is split into commands at top-level pipes; each command's
 * arguments are parsed by that command's own grammar (looked up in the grammar table the
 * caller supplies), so adding a command touches only its module.
 */
import type { Command, Pipeline } from './ast.js';
import { Cursor } from './cursor.js';
import { SplError, closest } from './errors.js';

export interface Grammar {
  /** Parse the arguments; the cursor stands after the command name. */
  parse(c: Cursor): unknown;
  /** A generating command may start a search (`| makeresults`); others need input. */
  generating?: boolean;
}

export interface GrammarTable {
  get(name: string): Grammar | undefined;
  names(): Iterable<string>;
}

/** Blank out ```comments``` (kept as spaces so offsets stay put). */
export function stripComments(text: string): string {
  return text.replace(/```[\s\S]*?```/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** A dashboard token with a filter, `$tok|s$`: its pipe is not a command separator. */
function isTokenFilter(text: string, i: number): boolean {
  return /\$[\w.:]+$/.test(text.slice(Math.max(0, i - 80), i)) && /^\|[a-z]+\$/.test(text.slice(i, i + 12));
}

/** A `'` that opens a quoted field name: at the start of a token, not an apostrophe in a word (O'Brien). */
function startsToken(text: string, i: number, start: number): boolean {
  return i === start || /[\s(,=!<>+\-*/%.|]/.test(text[i - 1]!);
}

/** Offsets of the top-level pipes in [start, end): outside quotes and brackets. */
function splitPipes(text: string, start: number, end: number): number[] {
  const cuts: number[] = [];
  let depth = 0;
  let inQ = false;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (inQ) {
      if (ch === '\\') i++;
      else if (ch === '"') inQ = false;
      continue;
    }
    if (ch === '"') inQ = true;
    else if (ch === "'" && startsToken(text, i, start)) {
      // a single-quoted field name ('a"b', 'x|y'): its double quotes and pipes are part of the name
      const close = text.indexOf("'", i + 1);
      if (close > i && close < end && !text.slice(i + 1, close).includes('\n')) i = close;
    } else if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '|' && depth === 0 && !isTokenFilter(text, i)) cuts.push(i);
  }
  return cuts;
}

export function parsePipeline(text: string, grammars: GrammarTable): Pipeline {
  const clean = stripComments(text);
  return parseRange(clean, 0, clean.length, grammars, true);
}

function parseRange(text: string, start: number, end: number, grammars: GrammarTable, top: boolean): Pipeline {
  const subparse = (s: number, e: number) => parseRange(text, s, e, grammars, false);
  const cuts = splitPipes(text, start, end);
  const bounds: [number, number][] = [];
  let from = start;
  for (const cut of cuts) {
    bounds.push([from, cut]);
    from = cut + 1;
  }
  bounds.push([from, end]);

  const commands: Command[] = [];
  const leadingPipe = text.slice(bounds[0]![0], bounds[0]![1]).trim() === '' && bounds.length > 1;
  bounds.forEach(([s, e], i) => {
    if (i === 0 && leadingPipe) return;
    const c = new Cursor(text, s, e, '', subparse);
    c.skipWs();
    const implicitSearch = i === 0 && !leadingPipe;
    if (c.pos >= e) {
      if (implicitSearch && bounds.length === 1) {
        if (top) throw new SplError('the search is empty', { start: s, end: Math.max(e, s + 1) }, 'type a search such as: index=botsv2 sourcetype=stream:dns');
        throw new SplError('the subsearch is empty', { start: s - 1, end: e + 1 });
      }
      throw new SplError('empty command between pipes', { start: Math.max(start, s - 1), end: Math.min(end, e + 1) }, 'remove the extra |');
    }
    const nameStart = c.pos;
    const m = /^[A-Za-z_][\w]*/.exec(text.slice(c.pos, e));
    let name = m ? m[0].toLowerCase() : '';
    let grammar = name ? grammars.get(name) : undefined;
    if (implicitSearch && (!grammar || name !== 'search')) {
      // The first segment without a leading pipe is an implicit `search`.
      name = 'search';
      grammar = grammars.get('search');
      c.pos = nameStart;
    } else {
      if (!m) throw new SplError('expected a command name after |', { start: c.pos, end: c.pos + 1 });
      c.pos += m[0].length;
      if (!grammar) {
        const hint = closest(name, grammars.names());
        throw new SplError(`unknown command "${m[0]}"`, { start: nameStart, end: c.pos }, hint ? `did you mean "${hint}"?` : undefined);
      }
      // A search may start with a non-generating command (`| stats count`, dashboard post-process
      // fragments): Splunk runs it on no events (`| stats count` gives count=0). The compiler
      // starts such a pipeline from an empty event set.
    }
    const cur = new Cursor(text, c.pos, e, name, subparse);
    const args = grammar!.parse(cur);
    commands.push({ name, nameSpan: { start: nameStart, end: implicitSearch ? nameStart : nameStart + name.length }, span: { start: nameStart, end: e }, args });
  });
  return { commands, span: { start, end }, text };
}
