#!/usr/bin/env node
// Bundle the workbench page (src/web) into dist/web: index.html, assets/app.js, assets/app.css.
// Everything is local: no CDN, no fonts or scripts from elsewhere.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
mkdirSync(join(out, 'assets'), { recursive: true });
const dev = process.argv.includes('--dev');

await build({
  entryPoints: { app: join(root, 'src/web/main.ts'), 'app-style': join(root, 'src/web/style.css') },
  outdir: join(out, 'assets'),
  entryNames: '[name]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: !dev,
  sourcemap: dev ? 'inline' : 'linked',
  legalComments: 'linked',
  tsconfig: join(root, 'src/web/tsconfig.json'),
  logLevel: 'warning',
});
// esbuild names the CSS entry after its key; keep one stylesheet name
copyFileSync(join(out, 'assets', 'app-style.css'), join(out, 'assets', 'app.css'));
copyFileSync(join(root, 'src/web/index.html'), join(out, 'index.html'));
console.log('built dist/web');
