// The sensor's own shell (--target local, ssh://) draws its banner and first
// prompt before the target is opened (src/cli/main.ts, early-prompt.ts). Under
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

  it('--target ssh:// with a refused option: the drawn prompt is taken back, only the error stays', async () => {
    const t = await TmuxTerminal.start(['--target', 'ssh://root@127.0.0.1', '--ssh-option', 'ProxyCommand=touch /tmp/x'], { stateDir: stateDir(), signIn: false });
    terminals.push(t);
    const screen = await t.waitFor(/\[exited \d+\]/, { timeoutMs: 20_000 });
    expect(screen).toMatch(/ProxyCommand/);
    expect(screen).not.toMatch(/shell>/);
    expect(screen).not.toMatch(/otshell on ssh:/);
  });
});
