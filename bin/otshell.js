#!/usr/bin/env node
'use strict';
// otshell entry: the bundled build lives in dist/ (made by `npm install` / `npm run build`).
// CommonJS (bin/package.json) and loaded through V8's code cache: start-up speed,
// see bin/load-bundle.js and docs/benchmarks-startup.md.
const { join } = require('node:path');
const { fstatSync } = require('node:fs');
const { loadBundle } = require('./load-bundle.js');

/**
 * Whether stdin is a terminal, without building process.stdin. Only a character device
 * can be one: a pipe or a file is answered by fstat alone, and node:tty (node:net with it)
 * loads only when it has to look.
 */
function stdinIsTTY() {
  try {
    if (!fstatSync(0).isCharacterDevice()) return false;
  } catch {
    return false; // no stdin at all
  }
  return require('node:tty').isatty(0);
}

const { main } = loadBundle(join(__dirname, '..', 'dist', 'otshell.cjs')).exports;
main(process.argv.slice(2), process.env, {
  // Made on first use: most one-shot commands never read stdin (Streams in src/cli/main.ts).
  get stdin() {
    return process.stdin;
  },
  stdinIsTTY: stdinIsTTY(),
  stdout: process.stdout,
  stderr: process.stderr,
}).then((code) => {
  process.exitCode = code;
  // Let pending writes drain, then leave even if a stray handle (stdin) is open.
  setImmediate(() => process.exit(code));
});
