/** The store's DuckDB memory cap: given sizes are applied, anything else is refused before DuckDB sees it. */
import assert from 'node:assert/strict';

import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../util.js';

test('Store.open caps DuckDB memory when asked, and refuses a limit that is not a size', async () => {
  const dir = tempDir('quarry-mem-');
  const store = await Store.open(dir, { memoryLimit: '256MB' });
  try {
    const r = await store.conn.runAndReadAll(`SELECT current_setting('memory_limit') AS m`);
    // DuckDB reports the limit in its own units (256MB = 244.1 MiB)
    assert.match(String(r.getRowObjectsJS()[0]!.m), /^(244\.1 MiB|256\.0 MB)$/);
  } finally {
    store.close();
  }
  await assert.rejects(Store.open(dir, { memoryLimit: "1GB'); DROP TABLE x; --" }), /expected a size such as 2GB/);
});
