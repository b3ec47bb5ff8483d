#!/usr/bin/env node
// The built CLI lives in dist/ (npm install runs `prepare`, which compiles it).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code ?? 0; },
  (err) => { console.error(err?.stack ?? String(err)); process.exitCode = 1; },
);
