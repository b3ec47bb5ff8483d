/**
 * Generation benchmark: events/s and peak memory of `generateFrothly` at a given scale (default 10).
 *   node dist/bench/gen.js [--scale N] [--variant NAME] [--zeek] [--keep DIR]
 * Prints one JSON line; `benchGen()` returns the same object for the project's bench runner.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFrothly } from '../src/gen/index.js';

export interface GenBenchResult {
  name: 'gen.frothly'; scale: number; variant: string; zeek: boolean; events: number; bytes: number;
  seconds: number; cpu_seconds: number; events_per_sec: number; mb_per_sec: number; peak_rss_mb: number;
  sourcetypes: Record<string, number>;
}

export async function benchGen(opts: { scale?: number; variant?: string; zeek?: boolean; out?: string } = {}): Promise<GenBenchResult> {
  const scale = opts.scale ?? 10;
  const out = opts.out ?? mkdtempSync(join(tmpdir(), 'quarry-bench-gen-'));
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  try {
    const m = await generateFrothly({ out, scale, seed: 'bench', variant: opts.variant ?? 'default', zeek: opts.zeek });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    return {
      name: 'gen.frothly', scale, variant: m.variant, zeek: m.zeek, events: m.events, bytes: m.bytes,
      seconds: round(seconds), cpu_seconds: round((cpu.user + cpu.system) / 1e6), events_per_sec: Math.round(m.events / seconds),
      mb_per_sec: round(m.bytes / 1e6 / seconds), peak_rss_mb: Math.round(peak / 1e6), sourcetypes: m.sourcetypes,
    };
  } finally {
    clearInterval(timer);
    if (!opts.out) rmSync(out, { recursive: true, force: true });
  }
}

function round(x: number): number { return Math.round(x * 100) / 100; }

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const a = process.argv.slice(2);
  const val = (k: string): string | undefined => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : undefined; };
  benchGen({ scale: Number(val('--scale') ?? 10), variant: val('--variant'), zeek: a.includes('--zeek'), out: val('--keep') })
    .then((r) => { process.stdout.write(JSON.stringify(r) + '\n'); })
    .catch((e) => { process.stderr.write(String(e?.stack ?? e) + '\n'); process.exitCode = 1; });
}
