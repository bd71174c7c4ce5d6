// Root-only options and the simulated user's role: on the simulator --config,
// --ssh-option and --identity-file need a simulated root user (as on the sensor),
// each refused with one line and exit 77 for support and viewers, one-shot,
// piped and at the interactive sign-in; --state-dir stays everyone's (it picks
// the simulated sensor whose users sign in).
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState, TEST_PASSWORD } from '../helpers/sign-in.js';
import { expectExit } from './helpers.js';
import { EXIT } from '../../src/errors.js';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function state() {
  const s = tempStateDir();
  cleanups.push(s.cleanup);
  prepareSignedInState(s.dir);
  return s.dir;
}

describe('root-only options against the simulated role', () => {
  it.each([
    ['support (the default)', [], ['--config', '/tmp/otshell-none.yaml'], /^--config needs the root role; the simulated user support has the support role\.$/],
    ['a viewer', ['--user', 'trainee'], ['--ssh-option', 'ConnectTimeout=3'], /^--ssh-option needs the root role; the simulated user trainee has the viewer role\.$/],
    ['support, two options', ['--user', 'support'], ['--identity-file', '/tmp/k', '--config', '/tmp/c.yaml'], /^--config, --identity-file need the root role/],
  ])('%s is refused (77), one line, nothing run', async (_label, who, options, message) => {
    const dir = state();
    const before = readFileSync(join(dir, 'simulator.json'), 'utf8');
    const result = await runOtshell([...who, ...options, 'network', 'list'], { stateDir: dir });
    expectExit(result.exitCode, EXIT.NO_PERMISSION);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(readFileSync(join(dir, 'simulator.json'), 'utf8')).toBe(before);
  });

  it('piped lines are refused the same way', async () => {
    const result = await runOtshell(['--config', '/tmp/c.yaml'], { stateDir: state(), input: 'network list\n' });
    expectExit(result.exitCode, EXIT.NO_PERMISSION);
    expect(result.stdout).toBe('');
  });

  it('cyberx (root) may use them; everyone may use --state-dir', async () => {
    const dir = state();
    const root = await runOtshell(['--user', 'cyberx', '--config', '/tmp/c.yaml', '--ssh-option', 'ConnectTimeout=3', 'network', 'list'], { stateDir: dir });
    expectExit(root.exitCode, EXIT.OK);
    const viewer = await runOtshell(['--user', 'trainee', 'network', 'list'], { stateDir: dir });
    expectExit(viewer.exitCode, EXIT.OK);
  });

  it.skipIf(skipWithout('tmux'))('interactive: the option is refused once the signed-in user turns out to be support', async () => {
    const dir = state();
    const t = await TmuxTerminal.start(['--config', '/tmp/c.yaml'], { stateDir: dir, signIn: false });
    cleanups.push(() => void t.stop());
    await t.waitFor(/login:\s*$/m, { timeoutMs: 15_000 });
    await t.type('support');
    await t.keys('Enter');
    await t.waitForInputLine(/^Password:\s*$/);
    await t.type(TEST_PASSWORD);
    await t.keys('Enter');
    const screen = await t.waitFor(/\[exited \d+\]/, { timeoutMs: 15_000 });
    expect(screen.split('\n').join(' ')).toContain('--config needs the root role; the simulated user support has the support role.');
    expect(screen).toContain(`[exited ${EXIT.NO_PERMISSION}]`);
    expect(screen).not.toContain('shell>');
  }, 30_000);
});
