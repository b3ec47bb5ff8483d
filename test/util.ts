/** Test helpers: temp data dirs, running the CLI as a user would, ingesting small event lists. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestPaths } from '../src/ingest/index.js';
import { Store } from '../src/store/index.js';

/** The repository root (tests run from dist/test/...). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'quarry.js');
export const SAMPLES = join(ROOT, 'samples');

/** Temp dirs this test process made: removed when it exits, whatever the tests did with them. */
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'quarry-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: opts.input,
    env: { ...process.env, TZ: 'UTC', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A store holding these events (one JSON object per event) under one sourcetype. */
export async function storeWith(events: Record<string, unknown>[], opts: { sourcetype?: string; index?: string } = {}): Promise<{ store: Store; dir: string; cleanup: () => void }> {
  const dir = tempDir();
  const file = join(dir, 'events.json');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const store = await Store.open(join(dir, 'data'));
  await ingestPaths(store, [file], { index: opts.index ?? 'main', sourcetype: opts.sourcetype ?? 'test', tz: 'UTC' });
  return {
    store,
    dir,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
