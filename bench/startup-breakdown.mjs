#!/usr/bin/env node
// Where the time to the first prompt goes (docs/benchmarks-startup.md): each part
// measured in fresh processes, medians over --runs N (default 15).
//   node         spawn + Node bootstrap (`node -e 0`, wall time from here)
//   entry        import of dist/main.js and its static chunks (in-process): all the
//                sensor shell's first prompt needs
//   commands     import of the session chunk (src/cli/session-run.ts: the command
//                registry with every command's zod result schema, targets, readline)
//   ink chunk    import of the interactive chunk: Ink, React, yoga's wasm (in-process)
//   state read   the simulator's state file read and checked (the one-shot's time
//                minus node, entry and commands: target open, state, command, output)
//   history read a full history file (1000 lines) read and split (in-process)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

const chunk = (name) => join(dist, readdirSync(dist).find((f) => new RegExp(`^${name}-.*\\.js$`).test(f)));
const interactiveChunk = chunk('interactive');
const sessionChunk = chunk('session-run');
const probe = `
const t0 = performance.now();
await import(${JSON.stringify(join(dist, 'main.js'))});
const t1 = performance.now();
await import(${JSON.stringify(sessionChunk)});
const t1b = performance.now();
await import(${JSON.stringify(interactiveChunk)});
const t2 = performance.now();
const { readFile } = await import('node:fs/promises');
const t3 = performance.now();
(await readFile(process.argv[1], 'utf8')).split('\\n').filter(Boolean).slice(-1000);
const t4 = performance.now();
console.log(JSON.stringify({ main: t1 - t0, commands: t1b - t1, ink: t2 - t1b, history: t4 - t3 }));
`;
const dir = mkdtempSync(join(tmpdir(), 'otshell-breakdown-'));
try {
  const history = join(dir, 'history');
  writeFileSync(history, Array.from({ length: 1000 }, (_, i) => `network list eth${i % 4} --json`).join('\n') + '\n');
  const oneShot = [bin(), '--state-dir', join(dir, 'state'), 'network', 'list', '--json'];
  wall(oneShot); // creates the state
  const rows = { node: [], main: [], commands: [], ink: [], history: [], oneShot: [] };
  for (let i = 0; i < RUNS; i++) {
    rows.node.push(wall(['-e', '0']).ms);
    const parts = JSON.parse(wall(['--input-type=module', '-e', probe, history]).stdout);
    rows.main.push(parts.main);
    rows.commands.push(parts.commands);
    rows.ink.push(parts.ink);
    rows.history.push(parts.history);
    rows.oneShot.push(wall(oneShot).ms);
  }
  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
  const state = m.oneShot - m.node - m.main - m.commands;
  const line = (name, ms, note) => console.log(`  ${name.padEnd(14)} ${ms.toFixed(1).padStart(7)} ms  ${note}`);
  console.log(`otshell start-up breakdown: medians over ${RUNS} runs, node ${process.version}, ${cpus().length} cpus, load ${loadavg()[0].toFixed(2)}`);
  line('node', m.node, 'spawn + bootstrap (node -e 0)');
  line('entry', m.main, 'import dist/main.js + static chunks: all the sensor shell\'s first prompt needs');
  line('commands', m.commands, 'import the session chunk: registry, commands and their zod schemas, targets');
  line('ink chunk', m.ink, 'import Ink + React + yoga wasm (interactive only)');
  line('state read', state, 'one-shot minus node, entry and commands: target, state file, command, output');
  line('history read', m.history, '1000-line history file');
  line('one-shot', m.oneShot, `network list --json, wall (${(m.oneShot / m.node).toFixed(2)}x node)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
function bin() {
  return join(root, 'bin', 'otshell.js');
}
