/**
 * A generated and ingested Frothly network (src/gen) for tests, built once and shared between test
 * files: `node --test` runs each file in its own process, so the network is cached on disk under
 * the temp dir, keyed by its options and a digest of the code that makes it (dist/src/gen, ingest,
 * store and the DuckDB version), so a code change builds a new one. A lock directory lets one
 * process build while the others wait. Each caller gets its own copy of the data directory (a
 * test may write notables into it, and DuckDB locks its file); the generated files are shared and
 * must be treated as read-only.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestPaths } from '../src/ingest/index.js';
import { Store } from '../src/store/index.js';
import { ROOT } from './util.js';

const DIST = join(ROOT, 'dist');
const GEN = join(DIST, 'src', 'gen', 'index.js');
const CACHE = join(tmpdir(), 'quarry-test-frothly');

/** Whether this build has the generator. */
export const haveGenerator = existsSync(GEN);

export interface FrothlyOptions {
  scale: number;
  seed: string;
  variant: string;
  /** generate the Zeek logs too and ingest only what a Zeek-only network has (Zeek + Windows) */
  zeekOnly?: boolean;
}

export interface FrothlyNet {
  /** the generator's output (raw files, truth.json, manifest.json, lookups): shared, read-only */
  gen: string;
  /** this caller's own temp dir (holds `data/`; put other outputs here) */
  dir: string;
  store: Store;
  truth: any;
  manifest: { tz: string; files: { path: string; sourcetype: string; source?: string; events: number }[]; events: number };
  /** ms spent generating and ingesting (0 when the network came from the cache) */
  buildMs: number;
  close(): void;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).sort().map((f) => join(dir, f));
}

/** Digest of the code a network depends on. */
function codeDigest(): string {
  const h = createHash('sha256');
  for (const d of ['gen', 'ingest', 'store']) for (const f of filesUnder(join(DIST, 'src', d))) h.update(f.slice(DIST.length)).update(readFileSync(f));
  h.update(readFileSync(join(ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json')));
  return h.digest('hex').slice(0, 16);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function build(o: FrothlyOptions, into: string): Promise<void> {
  const { generateFrothly } = (await import(GEN)) as { generateFrothly: (o: Record<string, unknown>) => Promise<{ files: { path: string; sourcetype: string }[] }> };
  const gen = join(into, 'gen');
  const m = await generateFrothly({ out: gen, scale: o.scale, seed: o.seed, variant: o.variant, zeek: !!o.zeekOnly });
  const store = await Store.open(join(into, 'data'));
  try {
    // a Zeek network: the Zeek logs and the endpoints' Windows logs, no Stream/Suricata/PAN-OS
    const paths = o.zeekOnly ? m.files.filter((f) => /^zeek:|sysmon|wineventlog/i.test(f.sourcetype)).map((f) => join(gen, f.path)) : [gen];
    await ingestPaths(store, paths, { index: 'botsv2', tz: 'America/Los_Angeles' });
  } finally {
    store.close();
  }
}

/** Remove cached networks other code versions left behind more than a day ago. */
function prune(keep: string): void {
  for (const name of readdirSync(CACHE)) {
    const p = join(CACHE, name);
    if (name === keep || name.startsWith(keep + '.')) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > 86_400_000) rmSync(p, { recursive: true, force: true });
    } catch {
      /* another process got there first */
    }
  }
}

/** The cached network's directory, building it if no other process has (or is). */
async function cached(o: FrothlyOptions): Promise<{ path: string; buildMs: number }> {
  const key = `${o.variant}-${o.seed}-${o.scale}${o.zeekOnly ? '-zeek' : ''}-${codeDigest()}`;
  const path = join(CACHE, key);
  const lock = path + '.lock';
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    if (existsSync(join(path, 'READY'))) return { path, buildMs: 0 };
    try {
      mkdirSync(lock);
    } catch {
      // someone else is building: wait for it, or take over if it died
      let owner = 0, age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* the lock went away, or its pid is not written yet */
      }
      if (owner ? !pidAlive(owner) : age > 60_000) rmSync(lock, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    writeFileSync(join(lock, 'pid'), String(process.pid));
    try {
      if (existsSync(join(path, 'READY'))) return { path, buildMs: 0 };
      const t = Date.now();
      const tmp = `${path}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      rmSync(path, { recursive: true, force: true });
      await build(o, tmp);
      writeFileSync(join(tmp, 'READY'), '');
      renameSync(tmp, path);
      prune(key);
      return { path, buildMs: Date.now() - t };
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** A Frothly network ingested into index botsv2 (tz America/Los_Angeles), in a data dir of the caller's own. */
export async function frothlyNetwork(o: FrothlyOptions): Promise<FrothlyNet> {
  const { path, buildMs } = await cached(o);
  const dir = join(tmpdir(), `quarry-frothly-${o.variant}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  cpSync(join(path, 'data'), join(dir, 'data'), { recursive: true });
  const store = await Store.open(join(dir, 'data'));
  const gen = join(path, 'gen');
  return {
    gen,
    dir,
    store,
    truth: JSON.parse(readFileSync(join(gen, 'truth.json'), 'utf8')),
    manifest: JSON.parse(readFileSync(join(gen, 'manifest.json'), 'utf8')),
    buildMs,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
