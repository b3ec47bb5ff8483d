import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genCmd } from '../../src/cli/commands/gen.js';
import { UsageError } from '../../src/cli/args.js';
import { tempDir } from '../util.js';

test('quarry gen frothly writes a folder with a manifest; bad options are usage errors', async () => {
  const out = join(tempDir('frothly-cli-'), 'data');
  const write = process.stdout.write.bind(process.stdout);
  let printed = '';
  process.stdout.write = ((s: string) => { printed += s; return true; }) as typeof process.stdout.write;
  try {
    assert.equal(await genCmd.run(['frothly', '--out', out, '--scale', '0.01', '--seed', '7', '--quiet']), 0);
  } finally { process.stdout.write = write; }
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(m.seed, '7'); assert.equal(m.scale, 0.01); assert.equal(m.variant, 'default');
  assert.match(printed, /events/);
  await assert.rejects(genCmd.run(['frothly']), UsageError);
  await assert.rejects(genCmd.run(['other', '--out', out]), UsageError);
  await assert.rejects(genCmd.run(['frothly', '--out', out, '--variant', 'nope']), UsageError);
  await assert.rejects(genCmd.run(['frothly', '--out', out, '--scale', '-1']), UsageError);
});
