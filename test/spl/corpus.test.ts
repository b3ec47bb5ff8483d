/**
 * The real-world corpus (/work/shared/corpus or $QUARRY_CORPUS): the share of its searches that
 * `quarry parse` accepts with the corpus macros loaded. Prints the rate and the failures grouped
 * by cause; fails below 95%. Skipped when the corpus is not on this machine.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { macrosFrom } from '../../src/cli/commands/parse.js';
import { parseSearch } from '../../src/search/index.js';
import { builtinMacros } from '../../src/search/macros.js';
import { MacroTable } from '../../src/spl/macros.js';
import { SplError } from '../../src/spl/errors.js';

const DIR = process.env.QUARRY_CORPUS ?? '/work/shared/corpus';
const CORPUS = join(DIR, 'spl-corpus.jsonl');
const MACROS = join(DIR, 'spl-macros.jsonl');

/** A failure's cause: the message with quoted names and numbers generalised. */
export function cause(message: string): string {
  return message
    .replace(/`[^`]*`/g, '`M`')
    .replace(/"[^"]*"/g, '"X"')
    .replace(/\d+/g, 'N');
}

test('corpus parse rate ≥ 95%', { skip: !existsSync(CORPUS) && 'corpus not found' }, async () => {
  const extra = new MacroTable();
  await macrosFrom(MACROS, extra);
  const macros = builtinMacros.merged(extra);
  const lines = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim());
  let ok = 0;
  const causes = new Map<string, number>();
  for (const line of lines) {
    const { spl } = JSON.parse(line) as { spl: string };
    try {
      parseSearch(spl, macros);
      ok++;
    } catch (e) {
      assert.ok(e instanceof SplError, `not an SplError: ${(e as Error).stack}`);
      const k = cause(e.message);
      causes.set(k, (causes.get(k) ?? 0) + 1);
    }
  }
  const rate = ok / lines.length;
  const top = [...causes].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`corpus: ${ok}/${lines.length} searches parse (${(rate * 100).toFixed(1)}%)`);
  for (const [k, n] of top) console.log(`  ${String(n).padStart(4)}  ${k}`);
  assert.ok(rate >= 0.95, `parse rate ${(rate * 100).toFixed(1)}% is below 95%`);
});
