/**
 * Guesses about the data that let a command compile to faster SQL, checked row by row while the
 * query runs. A multivalue field usually holds one value per row (Stream's DNS `query` after
 * mvdedup), and single values are far cheaper than lists in every later step; but only the data
 * can tell, and asking it first would mean running the search twice. So the compiler guesses, the
 * SQL raises an error at the first row that contradicts the guess, and the caller compiles again
 * without guesses and runs that (retryWithoutGuesses). Every row a guessing query returns has
 * passed the check, so a partial result (a preview, a LIMIT) is right too.
 */
import { sqlString } from '../store/sql.js';

const MISS = 'quarry: a compile-time guess did not hold';

/**
 * The one value of a list, as SQL; raises the guess-miss error for a row with several values
 * (null or an empty list gives null).
 */
export function guessSingleValue(list: string, what: string): string {
  return `CASE WHEN len(${list}) > 1 THEN error(${sqlString(`${MISS}: ${what} has several values in a row`)}) ELSE (${list})[1] END`;
}

/** Whether an error is a guess that the data contradicted (the search is still fine). */
export function isGuessMiss(e: unknown): boolean {
  const m = (e as { message?: unknown })?.message;
  return typeof m === 'string' && m.includes(MISS);
}

/**
 * Run `attempt` with guesses allowed (unless `guesses` is false already); when the data
 * contradicts one, run it once more without.
 */
export async function retryWithoutGuesses<T>(guesses: boolean | undefined, attempt: (guesses: boolean) => Promise<T>): Promise<T> {
  if (guesses === false) return attempt(false);
  try {
    return await attempt(true);
  } catch (e) {
    if (!isGuessMiss(e)) throw e;
    return attempt(false);
  }
}
