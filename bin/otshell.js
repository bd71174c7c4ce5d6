#!/usr/bin/env node
// otshell entry: the bundled build lives in dist/ (made by `npm install` / `npm run build`).
import { main } from '../dist/main.js';

const code = await main(process.argv.slice(2), process.env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;
// Let pending writes drain, then leave even if a stray handle (stdin) is open.
setImmediate(() => process.exit(code));
