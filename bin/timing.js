'use strict';
const { performance } = require('node:perf_hooks');
const marks = [['boot', performance.now()]];
globalThis.__m = (n) => marks.push([n, performance.now()]);
const { join } = require('node:path');
const { loadBundle } = require('./load-bundle.js');
const b = loadBundle(join(__dirname, '..', 'dist', 'otshell.cjs'));
__m('bundle loaded');
b.exports.main(process.argv.slice(2), process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  __m('done');
  process.stderr.write(marks.map(([n, t], i) => `${n} ${(i ? t - marks[i - 1][1] : t).toFixed(1)}`).join(' | ') + '\n');
  process.exit(code);
});
