import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { UserStore } from '../../src/server/auth.js';
import { tempDir } from '../util.js';

const cli = fileURLToPath(new URL('../../src/server/cli.js', import.meta.url));
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(cli)}); process.exitCode = await m.userCommand(${JSON.stringify(args)});`], {
    input,
    encoding: 'utf8',
  });

describe('quarry user', () => {
  it('adds a user from stdin, lists, makes a token, removes', async () => {
    const dir = tempDir('quarry-cli-');
    try {
      const add = run(['add', 'analyst', '--data', dir, '--password-stdin'], 'a long passphrase\n');
      assert.equal(add.status, 0, add.stderr);
      assert.match(add.stdout, /user analyst added/);
      assert.equal(statSync(join(dir, 'users.json')).mode & 0o777, 0o600);
      assert.equal(await new UserStore(dir).verify('analyst', 'a long passphrase'), 'analyst');
      assert.equal(run(['list', '--data', dir]).stdout.trim(), 'analyst');
      const tok = run(['token', 'analyst', '--data', dir]);
      assert.match(tok.stdout.trim(), /^qry_[0-9a-f]{8}_[\w-]{32}$/);
      assert.equal(new UserStore(dir).tokenUser(tok.stdout.trim()), 'analyst');
      const short = run(['add', 'bob', '--data', dir, '--password-stdin'], 'short\n');
      assert.equal(short.status, 1);
      assert.match(short.stderr, /at least 8/);
      assert.equal(run(['remove', 'analyst', '--data', dir]).status, 0);
      assert.equal(new UserStore(dir).tokenUser(tok.stdout.trim()), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
