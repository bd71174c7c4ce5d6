#!/usr/bin/env node
'use strict';
// otshell entry: the bundled build lives in dist/ (made by `npm install` / `npm run build`).
// CommonJS (bin/package.json) and loaded through V8's code cache: start-up speed,
// see bin/load-bundle.js and docs/benchmarks-startup.md.
const { join } = require('node:path');
const { loadBundle } = require('./load-bundle.js');

const { main, standardStreams } = loadBundle(join(__dirname, '..', 'dist', 'otshell.cjs')).exports;
// The process's streams, each made only when used (src/cli/standard-streams.ts).
main(process.argv.slice(2), process.env, standardStreams()).then((code) => {
  process.exitCode = code;
  // Let pending writes drain, then leave even if a stray handle (stdin) is open.
  setImmediate(() => process.exit(code));
});
