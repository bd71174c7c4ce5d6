// For `npm run bench:real`: `network list` over a warm ssh master, as the
// interactive shell runs it after its first command, against `ssh host true`
// over the same master. Bundled by bench/real.mjs with esbuild and run as
//   node warm-ssh.js '{"target":..., "identityFile":..., "sshOptions":[...], "runs":N}'
// Prints one JSON line: the samples of both, in ms, interleaved.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openTarget } from '../../src/system/targets.js';

const request = JSON.parse(process.argv[2] ?? '{}') as { target: string; identityFile: string; sshOptions: string[]; runs: number; port: number };
const before = new Set(readdirSync(tmpdir()));
const system = await openTarget({ target: request.target, stateDir: '/tmp', sshOptions: request.sshOptions, identityFile: request.identityFile, env: process.env });
try {
  await system.listInterfaces(); // opens the master
  const dir = readdirSync(tmpdir()).find((name) => name.startsWith('otshell-ssh-') && !before.has(name));
  if (!dir) throw new Error('no otshell ControlPath directory found');
  const control = join(tmpdir(), dir, 'cm');
  const sshTrue = ['-o', `ControlPath=${control}`, '-o', 'BatchMode=yes', ...request.sshOptions.flatMap((o) => ['-o', o]), '-i', request.identityFile, '-p', String(request.port), 'root@127.0.0.1', 'true'];
  const list: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < request.runs; i += 1) {
    let t = performance.now();
    await system.listInterfaces();
    list.push(performance.now() - t);
    t = performance.now();
    execFileSync('ssh', sshTrue, { stdio: 'ignore' });
    truth.push(performance.now() - t);
  }
  process.stdout.write(`${JSON.stringify({ list, truth })}\n`);
} finally {
  await system.close();
}
