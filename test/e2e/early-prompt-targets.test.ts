// The sensor's own shell (--target local, ssh://) draws its banner and first
// prompt before the target is opened (src/cli/main.ts, early-prompt.ts); the
// simulator its sign-in screen and first question before Ink loads. Under
// tmux at 80x24: keys typed at once are not lost, and a target that cannot be
// opened takes the prompt back so only its error is left on the screen.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';

const skip = skipWithout('tmux');

describe.skipIf(skip)('early prompt of the sensor shell (tmux 80x24)', () => {
  const dirs: string[] = [];
  const terminals: TmuxTerminal[] = [];
  afterEach(async () => {
    for (const t of terminals.splice(0)) await t.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const stateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-early-'));
    dirs.push(dir);
    return dir;
  };

  it('--target local: a command typed right after start-up is run, none of its keys lost', async () => {
    const t = await TmuxTerminal.start(['--target', 'local'], { stateDir: stateDir(), signIn: false });
    terminals.push(t);
    // Typed without waiting for the prompt: the keys wait in the tty until the shell reads them.
    await t.type('help network');
    await t.keys('Enter');
    const screen = await t.waitFor(/edit-settings/, { timeoutMs: 20_000 });
    expect(screen).toMatch(/^otshell on local as /m);
    expect(screen).toMatch(/shell> help network/);
  });

  it('simulator: the sign-in screen and "login: " come before the shell has loaded; user and password typed at once are not lost', async () => {
    const t = await TmuxTerminal.start([], { stateDir: stateDir(), signIn: false });
    terminals.push(t);
    await t.waitFor(/D4Iot login:\s*$/m, { timeoutMs: 20_000 });
    // Typed at once: the terminal is raw already, so nothing is echoed by the kernel and nothing is lost.
    await t.type('support');
    await t.keys('Enter');
    await t.type('support');
    await t.keys('Enter');
    const screen = await t.waitFor(/Enter New Password for support:/, { timeoutMs: 20_000 });
    // The sign-in screen once (drawn early, then taken back and drawn by the shell in the same place).
    expect(screen.match(/\(simulated sensor\)/g)).toHaveLength(1);
    expect(screen).toMatch(/^D4Iot \(simulated sensor\)\nThis sensor still has its factory credentials: support\/support, cyberx\/cyberx,\ncyberx_host\/cyberx_host \(user\/password\)\.\nChange them at the first sign-in\.\nD4Iot login: support\nPassword: ?\nYou are required/m);
    // The password never shows.
    expect(screen.match(/support/g)).toHaveLength(5);
  });

  it('simulator with --user: the first question drawn early is the password', async () => {
    const t = await TmuxTerminal.start(['--user', 'support'], { stateDir: stateDir(), signIn: false });
    terminals.push(t);
    await t.waitFor(/^Password:\s*$/m, { timeoutMs: 20_000 });
    await t.type('support');
    await t.keys('Enter');
    const screen = await t.waitFor(/Enter New Password for support:/, { timeoutMs: 20_000 });
    expect(screen.match(/\(simulated sensor\)/g)).toHaveLength(1);
    expect(screen).toMatch(/Change them at the first sign-in\.\nPassword: ?\nYou are required/);
  });

  it('--target ssh:// with a refused option: the drawn prompt is taken back, only the error stays', async () => {
    const t = await TmuxTerminal.start(['--target', 'ssh://root@127.0.0.1', '--ssh-option', 'ProxyCommand=touch /tmp/x'], { stateDir: stateDir(), signIn: false });
    terminals.push(t);
    const screen = await t.waitFor(/\[exited \d+\]/, { timeoutMs: 20_000 });
    expect(screen).toMatch(/ProxyCommand/);
    expect(screen).not.toMatch(/shell>/);
    expect(screen).not.toMatch(/otshell on ssh:/);
  });
});
