
import { join } from 'node:path';
import { generateFrothly, type Manifest } from '../../src/gen/index.js';
import { tempDir } from '../util.js';

const cache = new Map<string, Promise<{ dir: string; manifest: Manifest }>>();

/** Generate once per option set per test process (small scale keeps the tests quick). */
export function generated(opts: { scale?: number; seed?: string; variant?: string; zeek?: boolean } = {}): Promise<{ dir: string; manifest: Manifest }> {
  const key = JSON.stringify(opts);
  let p = cache.get(key);
  if (!p) {
    const dir = tempDir('frothly-');
    p = generateFrothly({ out: dir, scale: opts.scale ?? 0.05, seed: opts.seed ?? 'test-seed', variant: opts.variant, zeek: opts.zeek }).then((manifest) => ({ dir, manifest }));
    cache.set(key, p);
  }
  return p;
}

/** Split the multi-line WinEventLog text into events: a blank line followed by a header timestamp. */
export function splitWinEvents(text: string): string[] {
  return text.replace(/\n$/, '').split(/\n\n(?=\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d [AP]M\n)/);
}

/** CSV split with double-quote escaping, as PAN-OS writes it. */
export function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else q = false; } else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
