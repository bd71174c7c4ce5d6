#!/usr/bin/env node
// Where a one-shot command's start-up goes (docs/benchmarks-startup.md): each part
// measured in fresh processes, medians over --runs N (default 15).
//   node              spawn + Node bootstrap (`node -e 0`, wall time from here)
//   bundle (cache)    dist/otshell.cjs read and run through V8's code cache, as
//                     bin/otshell.js does (bin/load-bundle.js), in-process
//   bundle (no cache) the same source compiled without the cache: the reference
//   one-shot work     main() of `network list --json` in-process, output to a sink:
//                     options, registry, target, state file, command, JSON
//   ink runtime       import of dist/ink-runtime.mjs: Ink, React, yoga's wasm
//                     (the interactive shell only, behind its first prompt)
//   history read      a full history file (1000 lines) read and split (in-process)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const at = process.argv.indexOf('--runs');
const RUNS = at > 0 ? Math.max(5, Number(process.argv[at + 1])) : 15;
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const env = { ...process.env };
for (const key of ['CI', 'NODE_OPTIONS', 'COLUMNS', 'LINES']) delete env[key];

function wall(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return { ms: performance.now() - t, stdout: String(r.stdout) };
}

const bundle = join(dist, 'otshell.cjs');
// In-process, in a fresh node each run (CommonJS, like bin/otshell.js): the bundle
// loaded through bin/load-bundle.js (with the code cache), the same source compiled
// without the cache (the reference), the one-shot's own work (main() for network
// list --json, output to a sink), Ink's ES module, and a history file read.
const probe = `
const { performance } = require('node:perf_hooks');
const { loadBundle } = require(${JSON.stringify(join(root, 'bin', 'load-bundle.js'))});
const { Writable, Readable } = require('node:stream');
const [mode, stateDir, history] = process.argv.slice(1);
(async () => {
  if (mode === 'no-cache') {
    const vm = require('node:vm'), fs = require('node:fs'), { wrap } = require('node:module');
    const t0 = performance.now();
    const script = new vm.Script(wrap(fs.readFileSync(${JSON.stringify(bundle)}, 'latin1')), { filename: ${JSON.stringify(bundle)} });
    const m = { exports: {} };
    script.runInThisContext()(m.exports, require, m, ${JSON.stringify(bundle)}, ${JSON.stringify(dist)});
    return console.log(JSON.stringify({ noCache: performance.now() - t0 }));
  }
  const t0 = performance.now();
  const { exports, cacheUsed } = loadBundle(${JSON.stringify(bundle)});
  if (!cacheUsed) throw new Error('the code cache was not used: rebuild (npm run build)');
  const t1 = performance.now();
  const sink = new Writable({ write(_c, _e, done) { done(); } });
  const code = await exports.main(['--state-dir', stateDir, 'network', 'list', '--json'], { LANG: 'C.UTF-8', PATH: process.env.PATH }, { stdin: Readable.from([]), stdout: sink, stderr: sink, exit: () => {} });
  if (code !== 0) throw new Error('network list exited ' + code);
  const t2 = performance.now();
  await import(require('node:url').pathToFileURL(${JSON.stringify(join(dist, 'ink-runtime.mjs'))}).href);
  const t3 = performance.now();
  (await require('node:fs/promises').readFile(history, 'utf8')).split('\\n').filter(Boolean).slice(-1000);
  const t4 = performance.now();
  console.log(JSON.stringify({ bundle: t1 - t0, run: t2 - t1, ink: t3 - t2, history: t4 - t3 }));
})().catch((e) => { console.error(e.message); process.exit(1); });
`;
const dir = mkdtempSync(join(tmpdir(), 'otshell-breakdown-'));
try {
  const history = join(dir, 'history');
  writeFileSync(history, Array.from({ length: 1000 }, (_, i) => `network list eth${i % 4} --json`).join('\n') + '\n');
  const stateDir = join(dir, 'state');
  const oneShot = [bin(), '--state-dir', stateDir, 'network', 'list', '--json'];
  wall(oneShot); // creates the state
  const rows = { node: [], bundle: [], noCache: [], run: [], ink: [], history: [], oneShot: [] };
  for (let i = 0; i < RUNS; i++) {
    rows.node.push(wall(['-e', '0']).ms);
    const parts = JSON.parse(wall(['-e', probe, 'cache', stateDir, history]).stdout);
    for (const key of ['bundle', 'run', 'ink', 'history']) rows[key].push(parts[key]);
    rows.noCache.push(JSON.parse(wall(['-e', probe, 'no-cache']).stdout).noCache);
    rows.oneShot.push(wall(oneShot).ms);
  }
  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
  const line = (name, ms, note) => console.log(`  ${name.padEnd(16)} ${ms.toFixed(1).padStart(7)} ms  ${note}`);
  console.log(`otshell start-up breakdown: medians over ${RUNS} runs, node ${process.version}, ${cpus().length} cpus, load ${loadavg()[0].toFixed(2)}`);
  line('node', m.node, 'spawn + bootstrap (node -e 0)');
  line('bundle (cache)', m.bundle, 'dist/otshell.cjs read and run through V8\'s code cache (bin/load-bundle.js)');
  line('bundle (no cache)', m.noCache, 'the same bundle compiled without the cache: the reference');
  line('one-shot work', m.run, 'main() of network list --json in-process: options, registry, target, state, command, output');
  line('ink runtime', m.ink, 'import dist/ink-runtime.mjs: Ink + React + yoga wasm (interactive shell only)');
  line('history read', m.history, '1000-line history file');
  line('one-shot', m.oneShot, `network list --json, wall (${(m.oneShot / m.node).toFixed(2)}x node; the rest is process exit and output)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
function bin() {
  return join(root, 'bin', 'otshell.js');
}
