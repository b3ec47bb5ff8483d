/**
 * Fuzzing the parser and compiler with random and mutated searches (seeded, fixed count, fast):
 * nothing may crash or hang, and every rejection must be an SplError whose span lies inside the
 * text it refers to. Inputs: the corpus when present (mutated), else a built-in set of searches.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { parseSearch, runSearch } from '../../src/search/index.js';
import { builtinMacros } from '../../src/search/macros.js';
import { SplError } from '../../src/spl/errors.js';
import { NOW, T0, withStore } from './harness.js';

const SEED_SEARCHES = [
  'index=botsv2 sourcetype=stream:dns query=*.hildegardsfarm.com | eval query=mvdedup(query) | eval list="mozilla" | ut_parse_extended(query,list) | ut_shannon(ut_subdomain) | table src dest query ut_subdomain ut_shannon',
  'search * | stats count avg(bytes) as b dc(src) by host | where count > 1 | sort - count | head 5',
  '| tstats `security_content_summariesonly` count min(_time) as firstTime from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest | `drop_dm_object_name(Processes)`',
  'index=main (error OR fail*) NOT status=200 | eval x=if(match(_raw, "\\d+"), substr(host, 1, 3), null()) | rename x AS "y z" | fields - _raw',
  '| makeresults count=3 | eval n=mvrange(0, 5), s=mvjoin(n, ",") | mvexpand n | stats values(n) as v list(s) by s',
  'sourcetype=x [search sourcetype=y | fields user | head 3] | timechart span=1h count by user',
  '| inputlookup foo.csv | lookup bar key OUTPUT val | append [| makeresults | eval a="b"] | dedup a | table a val',
  'search a=1 | eval t=strftime(_time, "%Y-%m-%d %H:%M:%S.%3N"), r=relative_time(now(), "-1d@d") | where t > "2017" AND r < _time',
];

/** mulberry32: a small seeded PRNG */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['|', '[', ']', '(', ')', '"', "'", '`', '=', '!=', ',', ' ', '\\', '$', '*', 'AND', 'OR', 'NOT', 'by', 'as', 'eval', 'stats', 'where', ' | ', '"\\"', '```', '{', '}', '%', '.', '-', 'tok|s$', 'x(', 'count(eval(', '\n'];

export function mutate(src: string, r: () => number): string {
  let s = src;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * (s.length + 1));
    const j = Math.min(s.length, i + Math.floor(r() * 12));
    switch (Math.floor(r() * 6)) {
      case 0: // delete a range
        s = s.slice(0, i) + s.slice(j);
        break;
      case 1: // insert a token
        s = s.slice(0, i) + ALPHABET[Math.floor(r() * ALPHABET.length)] + s.slice(i);
        break;
      case 2: // truncate
        s = s.slice(0, i);
        break;
      case 3: // duplicate a range
        s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        break;
      case 4: // replace a character with a random printable one
        s = s.slice(0, i) + String.fromCharCode(32 + Math.floor(r() * 95)) + s.slice(i + 1);
        break;
      default: // random junk
        s = Array.from({ length: Math.floor(r() * 40) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join(r() < 0.5 ? '' : ' ');
    }
  }
  return s;
}

function inputs(): string[] {
  const corpus = process.env.QUARRY_CORPUS ?? '/work/shared/corpus';
  const f = `${corpus}/spl-corpus.jsonl`;
  if (!existsSync(f)) return SEED_SEARCHES;
  return [...SEED_SEARCHES, ...readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { spl: string }).spl)];
}

function checkRejection(e: unknown, spl: string): string | undefined {
  if (!(e instanceof SplError)) return `not an SplError: ${(e as Error)?.stack ?? String(e)}`;
  const text = e.text ?? spl;
  const { start, end } = e.span;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= Math.max(text.length, 1))) return `span ${start}-${end} outside the text (${text.length} chars): ${e.message}`;
  return undefined;
}

const PARSE_CASES = 3000;
const PER_CASE_MS = 2000;

if (!isMainThread && workerData?.fuzz) {
  // the parse fuzz runs in a worker so a hang can be cut off and reported
  const all = inputs();
  const r = rng(20170825);
  const problems: string[] = [];
  for (let i = 0; i < PARSE_CASES; i++) {
    const spl = mutate(all[Math.floor(r() * all.length)]!, r);
    parentPort!.postMessage({ started: i, spl });
    const t0 = Date.now();
    try {
      parseSearch(spl, builtinMacros);
    } catch (e) {
      const p = checkRejection(e, spl);
      if (p) problems.push(`${p}\n  search: ${JSON.stringify(spl)}`);
    }
    const ms = Date.now() - t0;
    if (ms > PER_CASE_MS) problems.push(`took ${ms} ms: ${JSON.stringify(spl)}`);
  }
  parentPort!.postMessage({ done: true, problems });
}

if (isMainThread) {
  test(`fuzz: ${PARSE_CASES} mutated searches parse or fail with a located SplError, none hangs`, async () => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { fuzz: true } });
    let last: { started: number; spl: string } | undefined;
    const result = await new Promise<string[]>((resolve, reject) => {
      const limit = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`fuzz hung at case ${last?.started}: ${JSON.stringify(last?.spl)}`));
      }, 60_000);
      worker.on('message', (m: { started?: number; spl?: string; done?: boolean; problems?: string[] }) => {
        if (m.done) {
          clearTimeout(limit);
          void worker.terminate();
          resolve(m.problems!);
        } else last = m as { started: number; spl: string };
      });
      worker.on('error', (e) => {
        clearTimeout(limit);
        reject(e);
      });
    });
    assert.deepEqual(result.slice(0, 10), []);
  });

  test('fuzz: 150 mutated searches compile and run, or fail with a located SplError', async () => {
    const r = rng(42);
    const problems: string[] = [];
    await withStore(
      [
        { _time: T0 + 1, host: 'a', bytes: 10, src: '10.0.0.1', query: ['x.example.com'] },
        { _time: T0 + 2, host: 'b', bytes: 20, src: '10.0.0.2', _raw: 'error host=b' },
      ],
      async (store) => {
        for (let i = 0; i < 150; i++) {
          const spl = mutate(SEED_SEARCHES[Math.floor(r() * SEED_SEARCHES.length)]!, r);
          const t0 = Date.now();
          try {
            await runSearch(store, spl, { tz: 'UTC', now: NOW, macros: builtinMacros, limit: 100 });
          } catch (e) {
            const p = checkRejection(e, spl);
            if (p) problems.push(`${p}\n  search: ${JSON.stringify(spl)}`);
          }
          if (Date.now() - t0 > 5000) problems.push(`took ${Date.now() - t0} ms: ${JSON.stringify(spl)}`);
        }
      },
    );
    assert.deepEqual(problems.slice(0, 10), []);
  });
}
