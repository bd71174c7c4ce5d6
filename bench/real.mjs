#!/usr/bin/env node
// Real-target benchmark (`npm run bench:real`): in one run, medians over
// repeated runs of
//   1. bare `ip -j addr` (the floor of a local read);
//   2. one-shot `otshell --target local network list --json`;
//   3. bare `ssh host true` over a warm ControlMaster;
//   4. network list's read over otshell's own warm master (the interactive shell
//      after its first command) next to `ssh host true` over the same master
//      (bench/lib/warm-ssh.ts), target <= 1.5x;
//   5. the same without a master (otshell opens and closes its own).
// The ssh host is a private sshd on 127.0.0.1 with throwaway keys (needs root
// and openssh-server); without them the ssh lines say why they were skipped.
//   6. an apply over ssh: its round trips (target <= 2) and time, from the real-host
//      test that counts them, next to `ssh host true`.
// Options: --runs N (default 15), --json, --no-apply.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/otshell.js');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Math.max(10, Number(process.argv[runsAt + 1])) : 15;
const asJson = process.argv.includes('--json');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time(command, args, env = {}) {
  const samples = [];
  for (let i = 0; i < RUNS + 1; i += 1) {
    const started = performance.now();
    const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${String(result.stderr).trim()}`);
    if (i > 0) samples.push(elapsed); // the first run warms caches
  }
  return { medianMs: median(samples), minMs: Math.min(...samples), runs: samples.length };
}

const results = [];

/** Runs bench/lib/warm-ssh.ts (bundled here with esbuild) and returns its samples. */
function warmSsh(request) {
  const out = join(mkdtempSync(join(tmpdir(), 'otshell-bench-warm-')), 'warm-ssh.mjs');
  try {
    const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
    execFileSync(esbuild, [join(root, 'bench/lib/warm-ssh.ts'), '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${out}`, '--log-level=error',
      "--banner:js=import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);"], { stdio: 'inherit' });
    const run = spawnSync('node', [out, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    if (run.status !== 0) throw new Error(`warm-ssh failed: ${String(run.stderr).trim().split('\n').filter((l) => /Error|error/.test(l)).slice(0, 2).join(' ')}`);
    return JSON.parse(String(run.stdout).trim().split('\n').at(-1));
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}
const add = (name, measured) => results.push({ name, ...measured });

if (!existsSync(join(root, 'dist/otshell.cjs'))) execFileSync('node', [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
add('ip -j addr (bare)', time('ip', ['-j', 'addr']));
const stateDir = mkdtempSync(join(tmpdir(), 'otshell-bench-'));
add('otshell --target local network list --json', time('node', [bin, '--state-dir', stateDir, '--target', 'local', 'network', 'list', '--json']));

let sshSkip = null;
if (process.getuid?.() !== 0) sshSkip = 'needs root to run a private sshd';
else if (!existsSync('/usr/sbin/sshd')) sshSkip = 'openssh-server is not installed';
if (sshSkip) {
  results.push({ name: 'ssh lines', skipped: sshSkip });
} else {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-bench-sshd-'));
  chmodSync(dir, 0o700);
  const port = 45000 + (process.pid % 10000);
  execFileSync('mkdir', ['-p', '/run/sshd']);
  for (const key of ['host_key', 'user_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, key)]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  writeFileSync(
    join(dir, 'sshd_config'),
    `ListenAddress 127.0.0.1\nPort ${port}\nHostKey ${join(dir, 'host_key')}\nAuthorizedKeysFile ${join(dir, 'authorized_keys')}\nStrictModes no\nUsePAM no\nPidFile ${join(dir, 'sshd.pid')}\nMaxSessions 20\n`,
  );
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  execFileSync('/usr/sbin/sshd', ['-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')]);
  const control = join(dir, 'cm');
  const sshArgs = ['-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'IdentitiesOnly=yes', '-i', join(dir, 'user_key'), '-o', 'BatchMode=yes', '-p', String(port)];
  try {
    for (let i = 0; i < 50 && !existsSync(join(dir, 'sshd.pid')); i += 1) spawnSync('sleep', ['0.05']);
    // The warm master: started once, reused by every run below.
    execFileSync('ssh', [...sshArgs, '-o', `ControlPath=${control}`, '-M', '-N', '-f', 'root@127.0.0.1'], { stdio: 'ignore' });
    add('ssh host true (warm ControlMaster)', time('ssh', [...sshArgs, '-o', `ControlPath=${control}`, 'root@127.0.0.1', 'true']));
    const common = ['--state-dir', stateDir, '--target', `ssh://root@127.0.0.1:${port}`, '--identity-file', join(dir, 'user_key'),
      '--ssh-option', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '--ssh-option', 'IdentitiesOnly=yes'];
    // otshell owns its master (it refuses a caller's ControlPath), so "a warm master" is
    // the interactive shell's case: after its first command. bench/lib/warm-ssh.ts opens
    // the target once, then times network list's read (listInterfaces) and `ssh host true`
    // over that same master, interleaved.
    try {
      const warm = warmSsh({ target: `ssh://root@127.0.0.1:${port}`, identityFile: join(dir, 'user_key'), port,
        sshOptions: [`UserKnownHostsFile=${join(dir, 'known_hosts')}`, 'IdentitiesOnly=yes'], runs: RUNS });
      const list = { medianMs: median(warm.list), minMs: Math.min(...warm.list), runs: warm.list.length };
      const truth = { medianMs: median(warm.truth), minMs: Math.min(...warm.truth), runs: warm.truth.length };
      add('ssh host true (otshell\'s warm master)', truth);
      const ratio = list.medianMs / truth.medianMs;
      add(`network list in the shell (warm master)`, { ...list, note: `${ratio.toFixed(2)}x ssh host true  target <= 1.5x  ${ratio <= 1.5 ? 'PASS' : 'FAIL'}` });
    } catch (error) {
      results.push({ name: 'network list in the shell (warm master)', skipped: String(error.message).split('\n')[0].slice(0, 200) });
    }
    add('otshell --target ssh:// network list --json (own connection)', time('node', [bin, ...common, 'network', 'list', '--json']));
  } finally {
    spawnSync('ssh', ['-o', `ControlPath=${control}`, '-O', 'exit', 'root@127.0.0.1'], { stdio: 'ignore' });
    const pid = existsSync(join(dir, 'sshd.pid')) ? Number(readFileSync(join(dir, 'sshd.pid'), 'utf8')) : 0;
    if (pid) process.kill(pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(stateDir, { recursive: true, force: true });

// An apply over ssh changes interfaces, so it runs where the real-host test runs it:
// in a private network namespace with its own sshd. The test counts the ssh round
// trips and writes them here (issue #14: at most 2 after the connection).
if (!sshSkip && !process.argv.includes('--no-apply')) {
  const out = join(mkdtempSync(join(tmpdir(), 'otshell-bench-apply-')), 'apply.json');
  const vitest = join(root, 'node_modules', '.bin', 'vitest');
  const run = spawnSync(vitest, ['run', 'test/real-host/ssh.test.ts', '-t', 'counts its round trips'], {
    cwd: root, env: { ...process.env, OTSHELL_BENCH_APPLY_OUT: out, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000,
  });
  if (existsSync(out)) {
    const apply = JSON.parse(readFileSync(out, 'utf8'));
    results.push({ name: `apply over ssh: ${apply.roundTrips} round trips after the connection (target <= 2 ${apply.roundTrips <= 2 ? 'PASS' : 'FAIL'})`, medianMs: apply.applyMs, minMs: apply.applyMs, note: `${(apply.applyMs / apply.sshTrueMs).toFixed(2)}x ssh host true (own connection, same namespace, ${apply.sshTrueMs.toFixed(1)} ms); one run, node start-up included` });
  } else {
    results.push({ name: 'apply over ssh round trips', skipped: `the real-host test did not finish (exit ${run.status ?? run.signal}): ${String(run.stdout).split('\n').filter((l) => /Error|timed out/.test(l)).slice(0, 2).join(' ').slice(0, 300)}` });
  }
  rmSync(join(out, '..'), { recursive: true, force: true });
}

if (asJson) {
  process.stdout.write(`${JSON.stringify({ runs: RUNS, cpus: cpus().length, load: loadavg()[0], results })}\n`);
} else {
  console.log(`otshell real-target bench: medians over ${RUNS} runs (${cpus().length} cpus, load ${loadavg()[0].toFixed(2)})`);
  for (const r of results) {
    if (r.skipped) console.log(`  ${r.name.padEnd(66)} skipped: ${r.skipped}`);
    else console.log(`  ${r.name.padEnd(66)} ${r.medianMs.toFixed(1).padStart(8)} ms  (min ${r.minMs.toFixed(1)})${r.note ? `  ${r.note}` : ''}`);
  }
}
