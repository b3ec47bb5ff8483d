/**
 * `npm run bench`: every benchmark in turn, each printing a table of its medians and ratios
 * against a baseline measured in the same run. Pick some with: npm run bench -- spine gen
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['spine', 'formats', 'gen', 'dns-entropy', 'hunts', 'workbench'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of wanted) {
  const file = join(here, `${name}.js`);
  if (!existsSync(file)) {
    console.log(`\n(${name}: no such benchmark)`);
    continue;
  }
  const r = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
