// Real-host sessions in a terminal (tmux 80x24), inside the private mount
// namespace of priv-namespace.ts (the helper installed behind the README's
// sudoers line, otshell's state directory a temp dir):
// - otshell as a support user's login shell: its sign-in, sign-out and idle
//   timeout reach the session audit through the helper, with user, role, source;
// - root's audited `system shell` (one-shot and from the interactive shell):
//   the shell gets the terminal, its start and end are in the audit;
// - a support user is refused `system shell` by role.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingParts } from './harness.js';
import { startPrivNamespace, PRIV_USERS, type PrivNamespace, type PrivUser } from './priv-namespace.js';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { EXIT } from '../../src/errors.js';

const skip = missingParts(['root']) ?? skipWithout('tmux');

describe.skipIf(Boolean(skip))('real-host sessions: the login shell\'s audit and the root shell', { timeout: 90_000 }, () => {
  let ns: PrivNamespace;
  let launcher: string;
  const terms: TmuxTerminal[] = [];
  beforeAll(async () => {
    ns = await startPrivNamespace();
    launcher = join(ns.dir, 'otshell-login');
    const script = readFileSync(join(REPO_ROOT, 'bin/otshell-login'), 'utf8')
      .replace(/^OTSHELL_NODE=.*$/m, `OTSHELL_NODE=${process.execPath}`)
      .replace(/^OTSHELL_ENTRY=.*$/m, `OTSHELL_ENTRY=${BIN}`);
    writeFileSync(launcher, script, { mode: 0o755 });
  }, 60_000);
  afterEach(async () => {
    await Promise.all(terms.splice(0).map((t) => t.stop()));
  });
  afterAll(async () => {
    await ns?.stop();
  });

  async function loginShell(user: PrivUser, args: string[] = []) {
    const home = join(ns.dir, 'home', user.name);
    const command = ns.argv(user, ['env', `HOME=${home}`, `USER=${user.name}`, `LOGNAME=${user.name}`, launcher, ...args]);
    const t = await TmuxTerminal.start([], { stateDir: ns.stateDir, command });
    terms.push(t);
    return t;
  }
  const events = (user: string) =>
    ns
      .sessions()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; user: string; role?: string; source: string; detail?: string })
      .filter((e) => e.user === user);

  it('login shell: sign-in and sign-out are in the session audit with user, role and source', async () => {
    const t = await loginShell(PRIV_USERS.support);
    await t.waitForInputLine(/^shell>\s*$/, 20_000);
    await t.type('exit');
    await t.keys('Enter');
    await t.waitFor(/\[exited 0\]/, { timeoutMs: 15_000 });
    const mine = events(PRIV_USERS.support.name);
    expect(mine.map((e) => [e.kind, e.role, e.source])).toEqual([
      ['sign-in', 'support', 'console'],
      ['sign-out', 'support', 'console'],
    ]);
    expect(ns.sessions()).toMatch(/^\{"time":"\d{4}-\d\d-\d\dT/m);
  });

  it('login shell with --idle-timeout 3: the warning, then the session ends; the timeout is in the audit', async () => {
    const t = await loginShell(PRIV_USERS.viewer, ['--idle-timeout', '3']);
    await t.waitForInputLine(/^shell>\s*$/, 20_000);
    const screen = await t.waitFor(/\[exited 0\]/, { timeoutMs: 15_000 });
    const lines = screen.split('\n');
    const warning = lines.findIndex((l) => /^No input for 2 s: you will be signed out in 1 s/.test(l));
    const out = lines.findIndex((l) => l.startsWith('Signed out after 3 s without input.'));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(out).toBeGreaterThan(warning);
    expect(events(PRIV_USERS.viewer.name).map((e) => [e.kind, e.role])).toEqual([
      ['sign-in', 'viewer'],
      ['timeout', 'viewer'],
    ]);
  });

  it('a support user is refused system shell by role (77), nothing recorded as a root shell', async () => {
    const run = await ns.exec(process.execPath, [BIN, '--target', 'local', 'system', 'shell'], { user: PRIV_USERS.support });
    expect(run.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(run.stderr).toMatch(/system shell needs the root role; you are signed in as support/);
    expect(ns.sessions()).not.toMatch(/root-shell/);
  });

  it('root, one-shot: system shell gives a real shell on the terminal; its start and end (with the status) are audited', async () => {
    const t = await TmuxTerminal.start([], { stateDir: ns.stateDir, command: ns.argv(null, [process.execPath, BIN, '--target', 'local', 'system', 'shell']) });
    terms.push(t);
    await t.waitFor(/[#$]\s*$/m, { timeoutMs: 20_000 });
    // Ctrl-C belongs to the shell: otshell must still be there to record the end.
    await t.keys('C-c');
    await t.type('echo marker-$((6*7)); exit 3');
    await t.keys('Enter');
    const screen = await t.waitFor(/\[exited \d+\]/, { timeoutMs: 15_000 });
    expect(screen).toContain('marker-42');
    expect(screen).toContain('The root shell ended (status 3).');
    expect(screen).toContain('[exited 0]');
    const shells = events('root').filter((e) => e.kind === 'root-shell');
    expect(shells.map((e) => [e.role, e.detail])).toEqual([
      ['root', 'started'],
      ['root', 'ended (status 3)'],
    ]);
  });

  it('root, interactive: system shell hands the terminal over and the otshell prompt comes back', async () => {
    const t = await TmuxTerminal.start([], { stateDir: ns.stateDir, command: ns.argv(null, [process.execPath, BIN, '--target', 'local']) });
    terms.push(t);
    await t.waitForInputLine(/^shell>\s*$/, 20_000);
    await t.type('system shell');
    await t.keys('Enter');
    await t.waitFor(/[#$]\s*$/m, { timeoutMs: 20_000 });
    await t.type('echo inside-$((2+3)); exit 4');
    await t.keys('Enter');
    await t.waitFor(/The root shell ended \(status 4\)\./, { timeoutMs: 15_000 });
    await t.waitForInputLine(/^shell>\s*$/, 10_000);
    expect(await t.history()).toContain('inside-5');
    await t.type('exit');
    await t.keys('Enter');
    await t.waitFor(/\[exited 0\]/, { timeoutMs: 10_000 });
    expect(events('root').filter((e) => e.kind === 'root-shell').map((e) => e.detail)).toContain('ended (status 4)');
  });
});
