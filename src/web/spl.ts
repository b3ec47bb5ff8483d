/**
 * The SPL search bar: CodeMirror 6 with SPL highlighting, completion of commands, functions,
 * fields, macros, indexes and sourcetypes, and the server's error span underlined.
 */
import {
  acceptCompletion,
  autocompletion,
  closeBrackets,
  closeCompletion,
  moveCompletionSelection,
  startCompletion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap, placeholder, type DecorationSet } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { Completions } from './api.js';

interface SplState {
  /** next word is a command name */
  expectCommand: boolean;
  /** inside a ``` comment ``` */
  comment: boolean;
  bracket: number;
}

const LOGIC = new Set(['AND', 'OR', 'NOT', 'XOR', 'by', 'BY', 'as', 'AS', 'over', 'OVER', 'limit', 'span', 'WHERE']);

const splMode = {
  name: 'spl',
  startState: (): SplState => ({ expectCommand: false, comment: false, bracket: 0 }),
  token(stream: StringStream, state: SplState): string | null {
    if (state.comment) {
      if (stream.skipTo('```')) {
        stream.match('```');
        state.comment = false;
      } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('```')) {
      state.comment = true;
      return 'comment';
    }
    if (stream.eat('|')) {
      state.expectCommand = true;
      return 'operator';
    }
    if (stream.eat('[')) {
      state.bracket++;
      state.expectCommand = true;
      return 'bracket';
    }
    if (stream.eat(']')) {
      state.bracket = Math.max(0, state.bracket - 1);
      return 'bracket';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) {
      state.expectCommand = false;
      return 'string';
    }
    if (stream.match(/^`[^`]*`?/)) {
      state.expectCommand = false;
      return 'macroName';
    }
    if (stream.match(/^'(?:[^'\\]|\\.)*'?/)) return 'variableName';
    if (stream.match(/^-?\d+(\.\d+)?([eE][-+]?\d+)?(?![\w.])/)) return 'number';
    if (stream.match(/^(==|!=|<=|>=|[=<>+\-*/%.,()])/)) return 'operator';
    const word = stream.match(/^[\w.{}:*@$\\-]+/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (state.expectCommand) {
        state.expectCommand = false;
        return 'keyword';
      }
      if (LOGIC.has(w)) return 'logicOperator';
      if (stream.peek() === '(') return 'function';
      if (/^\s*!?=/.test(stream.string.slice(stream.pos)) || /^\s*[<>]/.test(stream.string.slice(stream.pos))) return 'propertyName';
      return null;
    }
    stream.next();
    return null;
  },
  languageData: { closeBrackets: { brackets: ['(', '[', '"'] } },
};

export const splLanguage = StreamLanguage.define(splMode);

const splHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#6cb6ff', fontWeight: '600' },
  { tag: t.operator, color: '#f47067' },
  { tag: t.logicOperator, color: '#f69d50', fontWeight: '600' },
  { tag: t.string, color: '#96d0ff' },
  { tag: t.number, color: '#8ddb8c' },
  { tag: t.function(t.variableName), color: '#dcbdfb' },
  { tag: t.propertyName, color: '#e0c27a' },
  { tag: t.macroName, color: '#f69d50', fontStyle: 'italic' },
  { tag: t.comment, color: '#768390', fontStyle: 'italic' },
  { tag: t.variableName, color: '#e0c27a' },
  { tag: t.bracket, color: '#adbac7' },
]);

// --- the error underline ---------------------------------------------------------------------
export const setError = StateEffect.define<{ from: number; to: number } | null>();
const errorMark = Decoration.mark({ class: 'cm-spl-error' });
const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    if (tr.docChanged) deco = Decoration.none;
    for (const e of tr.effects) {
      if (e.is(setError)) {
        if (!e.value) deco = Decoration.none;
        else {
          const len = tr.state.doc.length;
          const from = Math.max(0, Math.min(e.value.from, len));
          let to = Math.max(from, Math.min(e.value.to, len));
          if (to === from) {
            // an empty span (e.g. at the end): underline the character before, or after
            if (to < len) to++;
            else if (from > 0) return Decoration.set([errorMark.range(from - 1, to)]);
            else return Decoration.none;
          }
          deco = Decoration.set([errorMark.range(from, to)]);
        }
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// --- completion ------------------------------------------------------------------------------
let vocab: Completions = { commands: [], evalFunctions: [], statsFunctions: [], macros: [], fields: [], indexes: [], sourcetypes: [] };
export function setVocabulary(v: Completions): void {
  vocab = v;
}

const STATS_COMMANDS = new Set(['stats', 'eventstats', 'streamstats', 'timechart', 'chart', 'tstats', 'top', 'rare', 'geostats']);
const EVAL_COMMANDS = new Set(['eval', 'where', 'fieldformat']);

function splComplete(ctx: CompletionContext): CompletionResult | null {
  const before = ctx.state.doc.sliceString(0, ctx.pos);
  // `macro
  const macro = /`([\w]*)$/.exec(before);
  if (macro) {
    return {
      from: ctx.pos - macro[1]!.length,
      options: vocab.macros.map((m) => ({ label: m, type: 'constant', detail: 'macro', apply: `${m}` })),
      validFor: /^\w*$/,
    };
  }
  const word = ctx.matchBefore(/[\w.{}:-]*$/);
  if (!word) return null;
  const text = before.slice(0, word.from);
  // index=… / sourcetype=…
  const kv = /\b(index|sourcetype)\s*=\s*"?$/i.exec(text);
  if (kv) {
    const list = kv[1]!.toLowerCase() === 'index' ? vocab.indexes : vocab.sourcetypes;
    return { from: word.from, options: list.map((v) => ({ label: v, type: 'enum' })), validFor: /^[\w.:-]*$/ };
  }
  if (word.from === word.to && !ctx.explicit) return null;
  // after a pipe (or the start of a subsearch): a command
  if (/(\||\[)\s*$/.test(text)) {
    return { from: word.from, options: vocab.commands.map((c) => ({ label: c, type: 'keyword', detail: 'command' })), validFor: /^\w*$/ };
  }
  // which command are we in?
  const lastPipe = Math.max(text.lastIndexOf('|'), text.lastIndexOf('['));
  const cmd = lastPipe >= 0 ? (/^\s*(\w+)/.exec(text.slice(lastPipe + 1))?.[1] ?? '').toLowerCase() : 'search';
  const fieldOpts = vocab.fields.map((f) => ({ label: f, type: 'property', boost: -1 }));
  if (STATS_COMMANDS.has(cmd)) {
    const fns = vocab.statsFunctions.map((f) => ({ label: f, type: 'function', detail: 'stats', apply: `${f}(` }));
    const noArg = new Set(['count', 'c']);
    for (const o of fns) if (noArg.has(o.label)) o.apply = o.label;
    return { from: word.from, options: [...fns, ...fieldOpts, { label: 'by', type: 'keyword' }, { label: 'as', type: 'keyword' }], validFor: /^[\w.]*$/ };
  }
  if (EVAL_COMMANDS.has(cmd)) {
    const fns = vocab.evalFunctions.map((f) => ({ label: f, type: 'function', detail: 'eval', apply: `${f}(` }));
    return { from: word.from, options: [...fns, ...fieldOpts], validFor: /^[\w.]*$/ };
  }
  return {
    from: word.from,
    options: [...fieldOpts, ...['AND', 'OR', 'NOT'].map((l) => ({ label: l, type: 'keyword', boost: -2 }))],
    validFor: /^[\w.{}:-]*$/,
  };
}

export interface SearchBarOptions {
  parent: HTMLElement;
  doc: string;
  nonce: string;
  onSubmit(): void;
  onChange?(doc: string): void;
}

export function createSearchBar(o: SearchBarOptions): EditorView {
  // Enter always runs the search (as in Splunk's bar); Tab or a click takes a completion.
  const submit = keymap.of([
    {
      key: 'Enter',
      run: (v) => {
        closeCompletion(v);
        o.onSubmit();
        return true;
      },
    },
    { key: 'Shift-Enter', run: (v) => (v.dispatch(v.state.replaceSelection('\n')), true) },
  ]);
  const extensions: Extension[] = [
    EditorView.cspNonce.of(o.nonce),
    history(),
    closeBrackets(),
    autocompletion({ override: [splComplete], activateOnTyping: true, icons: false, maxRenderedOptions: 60, defaultKeymap: false }),
    keymap.of([
      { key: 'Ctrl-Space', run: startCompletion },
      { key: 'Escape', run: closeCompletion },
      { key: 'ArrowDown', run: moveCompletionSelection(true) },
      { key: 'ArrowUp', run: moveCompletionSelection(false) },
      { key: 'PageDown', run: moveCompletionSelection(true, 'page') },
      { key: 'PageUp', run: moveCompletionSelection(false, 'page') },
      { key: 'Tab', run: acceptCompletion },
    ]),
    submit,
    keymap.of([...defaultKeymap, ...historyKeymap]),
    splLanguage,
    syntaxHighlighting(splHighlight),
    errorField,
    EditorView.lineWrapping,
    placeholder('Search with SPL, e.g. index=botsv2 sourcetype=stream:dns | stats count by query'),
    EditorView.contentAttributes.of({ 'aria-label': 'Search', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange?.(u.state.doc.toString());
    }),
  ];
  return new EditorView({ parent: o.parent, state: EditorState.create({ doc: o.doc, extensions }) });
}

export function setDoc(view: EditorView, doc: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc }, selection: { anchor: doc.length } });
}

export function showError(view: EditorView, span: { start: number; end: number } | null): void {
  view.dispatch({ effects: setError.of(span ? { from: span.start, to: span.end } : null) });
}
