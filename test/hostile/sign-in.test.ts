// Hostile input to the simulator's sign-in: odd user names, huge passwords,
// option-like values, control bytes, and a state file tampered with. Each case:
// one clear line, a code from the table, nothing changed, no hash anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState, TEST_PASSWORD } from '../helpers/sign-in.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';
import { EXIT } from '../../src/errors.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { defaultUsers } from '../../src/system/simulator/accounts.js';

/** Every hash key and salt of the factory and test users: none may ever be shown. */
const SECRETS = [...defaultUsers().flatMap((u) => [u.hash.key, u.hash.salt]), 'a48b9bc0155c9106c9373a2ae6b3c17235e7ac5cc8f79c5cb00856b6d3ed8747'];

function expectOneClearLine(result: { stdout: string; stderr: string }, pattern: RegExp) {
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(RAW_CONTROL);
  expectNoStackTrace(result.stdout + result.stderr);
}

describe('sign-in: hostile options and input', () => {
  let state: ReturnType<typeof tempStateDir>;
  let before: string;
  beforeAll(() => {
    state = tempStateDir();
    prepareSignedInState(state.dir);
    before = readFileSync(join(state.dir, 'simulator.json'), 'utf8');
  });
  afterAll(() => state.cleanup());

  it.concurrent.each([
    ['--user with an option-like value', ['--user', '-x', 'network', 'list'], /^--user takes a user name/],
    ['--user with an escape sequence', ['--user', 'sup\u001b[31mport', 'network', 'list'], /^--user takes a user name/],
    ['--user with a newline', ['--user', 'support\nroot', 'network', 'list'], /^--user takes a user name/],
    ['--user 10 000 characters long', ['--user', 'a'.repeat(10_000), 'network', 'list'], /^--user takes a user name/],
    ['--user naming nobody on the sensor', ['--user', 'nobody', 'network', 'list'], /^There is no user "nobody" on this simulated sensor\.$/],
    ['--idle-timeout negative', ['--idle-timeout', '-5', 'network', 'list'], /^--idle-timeout takes a whole number of seconds from 1 to 86400, not "-5"\.$/],
    ['--idle-timeout huge', ['--idle-timeout', '1'.repeat(400), 'network', 'list'], /^--idle-timeout takes a whole number of seconds from 1 to 86400/],
    ['--idle-timeout with control bytes', ['--idle-timeout', '3\u0007\u009b', 'network', 'list'], /^--idle-timeout takes a whole number.*"3\?\?"\.$/],
    ['system unlock with an escape sequence', ['--user', 'cyberx', 'system', 'unlock', '\u001b]0;owned\u0007'], /^SOURCE is a terminal name or an address/],
  ])('%s: 64, one line, nothing changed', async (_name, args, message) => {
    const result = await runOtshell(args, { stateDir: state.dir });
    expectExit(result.exitCode, EXIT.USAGE);
    expectOneClearLine(result, message);
    expect(readFileSync(join(state.dir, 'simulator.json'), 'utf8')).toBe(before);
  });

  it.concurrent('a viewer is refused a support command, a support user a root command (77)', async () => {
    const viewer = await runOtshell(['--user', 'trainee', 'network', 'edit-settings'], { stateDir: state.dir });
    expectExit(viewer.exitCode, EXIT.NO_PERMISSION);
    expectOneClearLine(viewer, /^network edit-settings needs the support role; you are signed in as viewer\.$/);
    const support = await runOtshell(['system', 'unlock', 'console'], { stateDir: state.dir });
    expectExit(support.exitCode, EXIT.NO_PERMISSION);
    expectOneClearLine(support, /^system unlock needs the root role; you are signed in as support\.$/);
    const shell = await runOtshell(['--user', 'cyberx', 'system', 'shell'], { stateDir: state.dir });
    expectExit(shell.exitCode, EXIT.UNAVAILABLE);
    expectOneClearLine(shell, /^system shell opens a root shell on a real sensor only/);
  });

  it.concurrent('viewer help and one-shot help list no command it may not run', async () => {
    const help = await runOtshell(['--user', 'trainee', 'help', 'network'], { stateDir: state.dir });
    expectExit(help.exitCode, EXIT.OK);
    expect(help.stdout).toMatch(/^ {2}list /m);
    expect(help.stdout).not.toMatch(/edit-settings|confirm/);
    const sys = await runOtshell(['--user', 'trainee', 'help', 'system'], { stateDir: state.dir });
    expect(sys.stdout).not.toMatch(/reboot|shutdown|unlock|password|shell/);
    const root = await runOtshell(['--user', 'cyberx', 'help', 'system'], { stateDir: state.dir });
    expect(root.stdout).toMatch(/unlock/);
  });
});

describe('sign-in: passwords on stdin', () => {
  it('a 2 MB password on --password-stdin is refused as incorrect at once, counted, never echoed', async () => {
    const state = tempStateDir();
    try {
      prepareSignedInState(state.dir);
      const huge = 'P'.repeat(2_000_000);
      const started = Date.now();
      const result = await runOtshell(['--user', 'support', '--password-stdin', 'network', 'list'], { stateDir: state.dir, input: `${huge}\n` });
      expectExit(result.exitCode, EXIT.NO_PERMISSION);
      expectOneClearLine(result, /^Login incorrect\.$/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.stdout + result.stderr).not.toContain('PPPPPPPP');
      const ok = await runOtshell(['--user', 'support', '--password-stdin', 'network', 'list', '--json'], { stateDir: state.dir, input: `${TEST_PASSWORD}\n` });
      expectExit(ok.exitCode, EXIT.OK);
      const sessions = readFileSync(join(state.dir, 'sessions.jsonl'), 'utf8');
      expect(sessions).toMatch(/"kind":"failure","user":"support"/);
      expect(sessions).toMatch(/"kind":"sign-in","user":"support","role":"support","source":"pipe"/);
      expect(sessions).not.toContain('PPPP');
      expect(sessions).not.toContain(TEST_PASSWORD);
    } finally {
      state.cleanup();
    }
  });

  it('system password from a pipe: a weak password names its rules and changes nothing; hashes never shown', async () => {
    const state = tempStateDir();
    try {
      prepareSignedInState(state.dir);
      const path = join(state.dir, 'simulator.json');
      const before = readFileSync(path, 'utf8');
      const weak = await runOtshell(['system', 'password'], { stateDir: state.dir, input: `${TEST_PASSWORD}\n${'weakpass\n'.repeat(10)}` });
      expect(weak.stdout).toContain('The new password needs an uppercase letter, a digit, a symbol (such as ! # % or -).');
      expect(weak.exitCode).not.toBe(EXIT.OK);
      expect(readFileSync(path, 'utf8')).toBe(before);
      const wrongCurrent = await runOtshell(['system', 'password'], { stateDir: state.dir, input: 'not-it\nNew-Pass1\nNew-Pass1\n' });
      expectExit(wrongCurrent.exitCode, EXIT.NO_PERMISSION);
      expect(wrongCurrent.stderr).toContain('The current password is not correct. Nothing was changed.');
      expect(readFileSync(path, 'utf8')).toBe(before);
      const good = await runOtshell(['system', 'password'], { stateDir: state.dir, input: `${TEST_PASSWORD}\nNew-Pass1\nNew-Pass1\n` });
      expectExit(good.exitCode, EXIT.OK);
      expect(good.stdout).toContain('The password of support was changed.');
      const after = readFileSync(path, 'utf8');
      expect(after).not.toBe(before);
      expect(after).not.toContain('New-Pass1');
      const outputs = [weak, wrongCurrent, good];
      for (const args of [['system', 'audit', '--sessions', '--json'], ['system', 'audit', '--sessions'], ['network', 'list', '--json'], ['system', 'audit', '--json']]) {
        outputs.push(await runOtshell(args, { stateDir: state.dir }));
      }
      const newKey = (JSON.parse(after) as { users: { name: string; hash: { key: string; salt: string } }[] }).users.find((u) => u.name === 'support')!.hash;
      const shown = outputs.map((o) => o.stdout + o.stderr).join('\n') + readFileSync(join(state.dir, 'sessions.jsonl'), 'utf8');
      for (const secret of [...SECRETS, newKey.key, newKey.salt, 'New-Pass1', TEST_PASSWORD]) expect(shown).not.toContain(secret);
      expect(shown).toMatch(/password-change/);
    } finally {
      state.cleanup();
    }
  });
});

describe('sign-in: tampered state', () => {
  it.each([
    ['a hash key that is not hex', (u: Record<string, any>) => (u.hash.key = 'zz'.repeat(32)), /users\[0\]\.hash\.key: expected 32 bytes in lower-case hex/],
    ['scrypt cost raised to make sign-in hang', (u: Record<string, any>) => (u.hash.N = 2 ** 30), /users\[0\]\.hash\.N: expected a power of two from 1024 to 32768/],
    ['an unknown role', (u: Record<string, any>) => (u.role = 'god'), /users\[0\]\.role: expected "viewer", "support" or "root"/],
    ['a user name with an escape sequence', (u: Record<string, any>) => (u.name = 'sup\u001b[2Jport'), /users\[0\]\.name: expected a user name/],
  ])('%s: refused with 78 naming the field, value never shown', async (_name, tamper, message) => {
    const state = tempStateDir();
    try {
      prepareSignedInState(state.dir);
      const path = join(state.dir, 'simulator.json');
      const parsed = JSON.parse(readFileSync(path, 'utf8'));
      tamper(parsed.users[0]);
      writeFileSync(path, JSON.stringify(parsed));
      const result = await runOtshell(['network', 'list'], { stateDir: state.dir });
      expectExit(result.exitCode, EXIT.CONFIG);
      expectOneClearLine(result, message);
    } finally {
      state.cleanup();
    }
  });

  it('an old state file without users loads with the factory users (support/support works, must change)', async () => {
    const state = tempStateDir();
    try {
      const sim = new SimulatorAdapter(state.dir);
      await sim.getNetworkSettings();
      const path = join(state.dir, 'simulator.json');
      const parsed = JSON.parse(readFileSync(path, 'utf8'));
      delete parsed.users;
      delete parsed.signInPolicy;
      delete parsed.sourceLocks;
      writeFileSync(path, JSON.stringify(parsed));
      const result = await new SimulatorAdapter(state.dir).signIn.authenticate('support', 'support', 'console');
      expect(result).toMatchObject({ ok: true, role: 'support', mustChange: true });
    } finally {
      state.cleanup();
    }
  });
});
