// The NTP and backup commands against hostile input: arguments starting with
// "-", control bytes, 1 MB values, path traversal, hostile names inside a
// backup and in the audit log. One specific line each, a documented exit code,
// no raw control byte on screen, nothing changed.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';
import { ALL } from './escape-helpers.js';

const MB = 'x'.repeat(1024 * 1024);
/** The most one argv word may hold on Linux is 128 KiB (MAX_ARG_STRLEN): huge values on the command line are this big. */
const HUGE_ARG = 'x'.repeat(120_000);

async function fresh() {
  const temp = tempStateDir();
  const first = await runOtshell(['system', 'backup', 'create'], { stateDir: temp.dir });
  expect(first.exitCode).toBe(0);
  return temp;
}

function stateOf(dir: string): string {
  return readFileSync(join(dir, 'simulator.json'), 'utf8');
}

async function hostileTar(name: string): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  pack.entry({ name }, Buffer.from('x'));
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('ntp and backup commands with hostile input', () => {
  const cases: { args: string[]; exit: number; message: RegExp }[] = [
    { args: ['ntp', 'enable', '-x'], exit: 64, message: /unknown option -x/ },
    { args: ['ntp', 'enable', '--', '-10.1.0.4'], exit: 64, message: /is not an NTP server address/ },
    { args: ['ntp', 'disable', '--', '--help'], exit: 64, message: /is not an NTP server address/ },
    { args: ['ntp', 'enable', ALL.raw], exit: 64, message: /is not an NTP server address/ },
    { args: ['ntp', 'enable', HUGE_ARG], exit: 64, message: /more characters\]" is not an NTP server address/ },
    { args: ['cyberx-xsense-ntp-enable', '10.1.0.4;reboot'], exit: 64, message: /is not an NTP server address/ },
    { args: ['system', 'backup', 'path', 'relative'], exit: 64, message: /must be an absolute path/ },
    { args: ['system', 'backup', 'path', `/tmp/${ALL.raw}`], exit: 64, message: /control or invisible characters/ },
    { args: ['system', 'backup', 'path', `/${HUGE_ARG}`], exit: 64, message: /longer than 4096 characters/ },
    { args: ['system', 'backup', 'path', '--keep', '-1'], exit: 64, message: /--keep/ },
    { args: ['system', 'backup', 'path', '--keep', HUGE_ARG], exit: 64, message: /--keep takes a whole number/ },
    { args: ['system', 'restore', '--yes', '--', '../../../etc/passwd'], exit: 65, message: /must be a file in the backup folder/ },
    { args: ['system', 'restore', '--yes', '/etc/passwd'], exit: 65, message: /must be a file in the backup folder/ },
    { args: ['system', 'restore', '--yes', ALL.raw], exit: 65, message: /control characters or is too long/ },
    { args: ['system', 'restore', '--yes', HUGE_ARG], exit: 65, message: /control characters or is too long/ },
    { args: ['cyberx-xsense-system-restore', '-f'], exit: 64, message: /needs a value|missing its value/ },
  ];

  // Concurrent: each case has its own state directory and its own CLI processes.
  it.concurrent.each(cases)('$args.0 $args.1 $args.2 ... -> exit $exit', async ({ args, exit, message }) => {
    const temp = await fresh();
    try {
      const before = stateOf(temp.dir);
      const result = await runOtshell(args, { stateDir: temp.dir });
      const seen = `${result.stdout}\n${result.stderr}`;
      expectExit(result.exitCode, exit);
      expect(result.stderr).toMatch(message);
      expect(seen).not.toMatch(RAW_CONTROL);
      expect(seen.length).toBeLessThan(2000);
      expectNoStackTrace(seen);
      expect(stateOf(temp.dir)).toBe(before);
    } finally {
      temp.cleanup();
    }
  });

  it('a 1 MB line typed (piped) to ntp enable is one line, cut, exit 64', async () => {
    const temp = await fresh();
    try {
      const before = stateOf(temp.dir);
      const result = await runOtshell([], { stateDir: temp.dir, input: `ntp enable ${MB}\n` });
      const seen = `${result.stdout}\n${result.stderr}`;
      expect(seen).toMatch(/more characters\]" is not an NTP server address/);
      expect(seen.length).toBeLessThan(2000);
      expectNoStackTrace(seen);
      expect(stateOf(temp.dir)).toBe(before);
    } finally {
      temp.cleanup();
    }
  });

  it('a backup holding a hostile entry name is refused, the name shown escaped', async () => {
    const temp = await fresh();
    try {
      const folder = join(temp.dir, 'backups');
      writeFileSync(join(folder, 'evil.tar'), await hostileTar(`../${ALL.raw}`));
      const before = stateOf(temp.dir);
      const result = await runOtshell(['system', 'restore', 'evil.tar', '--yes'], { stateDir: temp.dir });
      expectExit(result.exitCode, 65);
      expect(result.stderr).toContain('holds a file outside the backup');
      expect(result.stderr).not.toMatch(RAW_CONTROL);
      expect(stateOf(temp.dir)).toBe(before);
    } finally {
      temp.cleanup();
    }
  });

  it('a backup file with a hostile name is listed escaped', async () => {
    const temp = await fresh();
    try {
      writeFileSync(join(temp.dir, 'backups', `${ALL.raw}.tar`), 'x');
      const result = await runOtshell(['system', 'backup', 'list'], { stateDir: temp.dir });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`${ALL.shown}.tar`);
      expect(result.stdout).not.toMatch(RAW_CONTROL);
    } finally {
      temp.cleanup();
    }
  });

  it('an audit action line with hostile fields is shown escaped', async () => {
    const temp = await fresh();
    try {
      appendFileSync(join(temp.dir, 'audit.jsonl'), `${JSON.stringify({ time: ALL.raw, user: ALL.raw, target: 'simulator', action: 'ntp-enable', subject: ALL.raw, old: [ALL.raw], new: MB })}\n`);
      const result = await runOtshell(['system', 'audit'], { stateDir: temp.dir });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(ALL.shown);
      expect(result.stdout).not.toMatch(RAW_CONTROL);
      expect(result.stdout.length).toBeLessThan(5000);
    } finally {
      temp.cleanup();
    }
  });

  it('a 1 MB backup folder setting in a hand-edited state file is refused at load (exit 78), never shown', async () => {
    const temp = await fresh();
    try {
      const state = JSON.parse(stateOf(temp.dir));
      writeFileSync(join(temp.dir, 'simulator.json'), JSON.stringify({ ...state, backup: { folder: `/${MB}`, keep: 3 } }));
      const result = await runOtshell(['system', 'backup', 'list'], { stateDir: temp.dir });
      expectExit(result.exitCode, 78);
      expect(result.stderr).toContain('backup.folder');
      expect(result.stderr.length).toBeLessThan(1000);
      mkdirSync(join(temp.dir, 'x'));
      expect(readdirSync(temp.dir)).toContain('simulator.json');
    } finally {
      temp.cleanup();
    }
  });
});
