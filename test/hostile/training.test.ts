// Training mode against hostile input: scenario ids that are paths, absolute
// paths, a symlinked training folder, huge files, control bytes in a title or
// a key, arguments starting with "-", 1 MB values, and real targets. Each is
// refused in one line (or harmless), with its documented exit code, and
// nothing lands outside <stateDir>/training/.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempStateDir } from '../helpers/cli.js';
import { startPipedSession } from '../helpers/training-session.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';
import { ALL } from './escape-helpers.js';
import { EXIT } from '../../src/errors.js';

let state: ReturnType<typeof tempStateDir>;
let elsewhere: ReturnType<typeof tempStateDir>;
afterEach(() => {
  state?.cleanup();
  elsewhere?.cleanup();
});

/** The run folders under <stateDir>/training (none when it was never made). */
function runs(): string[] {
  const dir = join(state.dir, 'training');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** One line piped into a fresh session: its output and exit code. */
async function run(line: string, args: string[] = []) {
  const session = startPipedSession(state.dir, args);
  await session.type([line], /\n/);
  const result = await session.end();
  expectNoStackTrace(result.stdout + result.stderr);
  expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL);
  return result;
}

const SCENARIO = (title: string, extra = '') => `id: drill
title: ${title}
story: Something broke.
faults:
  - fault: service
    name: Web Apps
    status: stopped
goal:
  - check: all-services-running
timeLimitMinutes: 5
points: 10
hintPenalty: 1
roles: [support]
${extra}`;

describe('training: hostile input', () => {
  it.each([
    ['a relative path as the id', 'training start ../../../etc/passwd'],
    ['an absolute path as the id', 'training start /etc/passwd'],
    ['a traversal hidden in a slug-like id', 'training start wrong-address/../../x'],
  ])('%s is refused (exit 64) and nothing is created', async (_, line) => {
    state = tempStateDir();
    const result = await run(line);
    expectExit(result.exitCode, EXIT.USAGE);
    expect(result.stderr).toContain('A scenario id is a slug');
    expect(runs()).toEqual([]);
  });

  it('an id that is a slug but no built-in is refused', async () => {
    state = tempStateDir();
    const result = await run('training start no-such-drill');
    expectExit(result.exitCode, EXIT.USAGE);
    expect(result.stderr).toBe('There is no built-in scenario "no-such-drill"; "training list" shows them.\n');
  });

  it('arguments starting with "-" are refused as options or values', async () => {
    state = tempStateDir();
    expectExit((await run('training start -x')).exitCode, EXIT.USAGE);
    const outside = startPipedSession(state.dir);
    await outside.type(['training start gui-cable'], 'The shell now runs against');
    await outside.type(['training outside move-cable -eth0'], 'training outside: unknown option -e.');
    await outside.type(['training outside open-firewall 10.1.0.10 -1'], /unknown option -1|training outside takes one of/);
    await outside.type(['training outside move-cable eth0/../x'], 'training outside takes one of');
    const result = await outside.end();
    expectExit(result.exitCode, EXIT.USAGE);
  });

  it('a symlinked training folder is refused: nothing is written where it points', async () => {
    state = tempStateDir();
    elsewhere = tempStateDir();
    symlinkSync(elsewhere.dir, join(state.dir, 'training'));
    const result = await run('training start gui-cable');
    expectExit(result.exitCode, EXIT.CONFIG);
    expect(result.stderr).toContain('is not a directory (a symbolic link is refused)');
    expect(readdirSync(elsewhere.dir)).toEqual([]);
  });

  it('a 1 MB scenario file is refused without being read whole; a FIFO or a directory is refused', async () => {
    state = tempStateDir();
    const huge = join(state.dir, 'huge.yaml');
    writeFileSync(huge, SCENARIO('Huge', `# ${'x'.repeat(1024 * 1024)}\n`));
    const result = await run(`training validate ${huge}`);
    expectExit(result.exitCode, EXIT.DATA);
    expect(result.stdout).toBe(`${huge}: (file): larger than 64 KiB\n`);
    const dir = join(state.dir, 'a-dir.yaml');
    mkdirSync(dir);
    expect((await run(`training validate ${dir}`)).stdout).toBe(`${dir}: (file): not a regular file\n`);
  });

  it('control bytes in a title are refused by field, the title never shown; in a key they are shown escaped', async () => {
    state = tempStateDir();
    const file = join(state.dir, 'evil.yaml');
    writeFileSync(file, SCENARIO(JSON.stringify(`Drill${ALL.raw}`), `${JSON.stringify(ALL.raw)}: 1\n`));
    const result = await run(`training start --file ${file}`);
    expectExit(result.exitCode, EXIT.DATA);
    expect(result.stderr).toContain(`${file} line 2: title: expected printable text (no control characters)`);
    expect(result.stderr).toContain(`${file} line 14: ${ALL.shown}: not a scenario field`);
    expect(result.stderr).not.toContain('Drilln');
    expect(runs()).toEqual([]);
  });

  it('a 1 MB argument is refused in one short line', async () => {
    state = tempStateDir();
    const result = await run(`training start ${'a'.repeat(1024 * 1024)}`);
    expectExit(result.exitCode, EXIT.USAGE);
    expect(result.stderr.length).toBeLessThan(300);
    const validate = await run(`training validate ${'b'.repeat(1024 * 1024)}`);
    expectExit(validate.exitCode, EXIT.DATA);
    expect(validate.stdout.length).toBeLessThan(400);
  });

  it('a run lives in its own folder directly under <stateDir>/training, named from the slug', async () => {
    state = tempStateDir();
    const session = startPipedSession(state.dir);
    await session.type(['training start ntp'], 'The shell now runs against');
    await session.type(['ntp enable 10.1.0.4'], 'enabled');
    await session.end();
    const runs = readdirSync(join(state.dir, 'training'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^ntp-\d{8}t\d{6}z-[0-9a-f]{6}$/);
    expect(readdirSync(join(state.dir, 'training', runs[0]!)).sort()).toEqual(['audit.jsonl', 'scenario.json', 'simulator.json', 'site.yaml']);
  });

  it('a roles list that leaves the caller out refuses the start (exit 77)', async () => {
    state = tempStateDir();
    const file = join(state.dir, 'root-only.yaml');
    writeFileSync(file, SCENARIO('Root only').replace('roles: [support]', 'roles: [root]'));
    const result = await run(`training start --file ${file}`);
    expectExit(result.exitCode, EXIT.NO_PERMISSION);
    expect(result.stderr).toBe('The scenario "drill" is played with the root role; you are signed in as support.\n');
  });

  it('on a real target training is refused in one line', async () => {
    state = tempStateDir();
    const result = await run('training list', ['--target', 'local']);
    expectExit(result.exitCode, EXIT.USAGE);
    expect(result.stderr).toBe('training runs on the simulated sensor only; this session\'s target is local.\n');
    expect(existsSync(join(state.dir, 'training'))).toBe(false);
  });
});
