// src/cli/standard-streams.ts on the real build: the process's streams made no sooner than
// needed. With stdin from /dev/null and output to a pipe, neither node:tty nor node:net
// loads and stdout is written through its descriptor; on a terminal, Node's own streams.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

const PROBE = `
const { loadBundle } = require(${JSON.stringify(join(REPO_ROOT, 'bin/load-bundle.js'))});
const { standardStreams } = loadBundle(${JSON.stringify(join(REPO_ROOT, 'dist/otshell.cjs'))}).exports;
const streams = standardStreams();
const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
// Read before anything touches process.stdout (which would build it, and load node:net).
const report = { stdinIsTTY: streams.stdinIsTTY, tty: loaded('tty'), net: loaded('net'), stdoutIsFd: !('_writableState' in streams.stdout), stderrIsFd: !('_writableState' in streams.stderr), stdoutIsTTY: Boolean(streams.stdout.isTTY) };
streams.stdout.write(JSON.stringify(report) + '\\n');
`;

describe('the process streams otshell builds', () => {
  it('stdin /dev/null, output to pipes: no node:tty, no node:net, stdout and stderr through their descriptors', async () => {
    const run = await execa('node', ['-e', PROBE], { stdin: 'ignore' });
    expect(JSON.parse(run.stdout)).toEqual({ stdinIsTTY: false, tty: false, net: false, stdoutIsFd: true, stderrIsFd: true, stdoutIsTTY: false });
  });

  it('stdin a pipe, stdout a file: the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-streams-'));
    try {
      const out = join(dir, 'out');
      await execa('sh', ['-c', 'node -e "$1" > "$2"', 'sh', PROBE, out], { input: 'x\n' });
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ stdinIsTTY: false, tty: false, net: false, stdoutIsFd: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on a terminal (a pty): stdin is one, stdout and stderr are Node's own", async () => {
    const pty = `import os, pty, sys\npid, fd = pty.fork()\nif pid == 0:\n    os.execvp('node', ['node', '-e', sys.argv[1]])\nout = b''\nwhile True:\n    try:\n        data = os.read(fd, 4096)\n    except OSError:\n        break\n    if not data:\n        break\n    out += data\nos.waitpid(pid, 0)\nsys.stdout.write(out.decode())\n`;
    const run = await execa('python3', ['-c', pty, PROBE]);
    const line = run.stdout.split(/\r?\n/).find((l) => l.startsWith('{'))!;
    expect(JSON.parse(line)).toEqual({ stdinIsTTY: true, tty: true, net: true, stdoutIsFd: false, stderrIsFd: false, stdoutIsTTY: true });
  });
});
