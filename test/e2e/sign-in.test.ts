// The simulator's sign-in in a real terminal (tmux, 80x24), as a trainee meets it:
// the console login, the forced change of the factory password, lockout that
// survives a restart, idle sign-out (also mid-wizard), and a viewer's limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState, TEST_PASSWORD } from '../helpers/sign-in.js';

const noTmux = skipWithout('tmux');
const nonEmpty = (screen: string) => screen.split('\n').filter((l) => l.trim() !== '');

describe.skipIf(noTmux)('simulator sign-in in tmux at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  const terms: TmuxTerminal[] = [];
  beforeEach(() => {
    state = tempStateDir();
  });
  afterEach(async () => {
    await Promise.all(terms.splice(0).map((t) => t.stop()));
    state.cleanup();
  });

  async function start(args: string[], signIn: string | false = false) {
    const t = await TmuxTerminal.start(args, { stateDir: state.dir, signIn });
    terms.push(t);
    return t;
  }
  async function typeLine(t: TmuxTerminal, text: string) {
    await t.type(text);
    await t.keys('Enter');
  }
  const stateFile = () => join(state.dir, 'simulator.json');

  it('D4Iot login: -> support/support -> forced change (weak passwords refused, rule named) -> shell>', async () => {
    const t = await start([]);
    const first = await t.waitFor(/^D4Iot login:\s*$/m, { timeoutMs: 15_000 });
    expect(first).toContain('factory credentials: support/support');
    await typeLine(t, 'support');
    await t.waitForInputLine(/^Password:\s*$/);
    await typeLine(t, 'support');
    await t.waitForInputLine(/^Enter New Password for support:\s*$/);
    // Nothing typed at a password prompt is drawn or echoed.
    expect(nonEmpty(await t.screen())).toContain('Password:');
    await typeLine(t, 'password');
    const weak = await t.waitFor(/The new password needs/);
    expect(weak.split('\n').join(' ')).toContain('The new password needs an uppercase letter, a digit, a symbol (such as ! # % or -).');
    await t.waitForInputLine(/^Enter New Password for support:\s*$/);
    await typeLine(t, 'support');
    await t.waitFor(/not the user name/);
    await t.waitForInputLine(/^Enter New Password for support:\s*$/);
    await typeLine(t, 'Sensor-Pass1');
    await t.waitForInputLine(/^Reenter Password:\s*$/);
    await typeLine(t, 'Sensor-Pass1');
    await t.waitForInputLine(/^shell>\s*$/);
    const screen = await t.history();
    expect(screen).toContain('The password of support was changed.');
    expect(screen).toContain('Signed in as support (support role).');
    expect(screen).not.toMatch(/Sensor-Pass1|^Password: ?support/m);
    // The factory password is gone from the state and from the next sign-in screen.
    const stored = readFileSync(stateFile(), 'utf8');
    expect(stored).not.toContain('Sensor-Pass1');
    await typeLine(t, 'logout');
    await t.waitFor(/\[exited 0\]/);
    const again = await start([]);
    const next = await again.waitFor(/^D4Iot login:\s*$/m, { timeoutMs: 15_000 });
    expect(next).not.toContain('support/support');
    expect(next).toContain('cyberx/cyberx');
  }, 60_000);

  it('5 wrong passwords lock the terminal with the time to retry; still locked after a restart', async () => {
    prepareSignedInState(state.dir); // the right password is TEST_PASSWORD
    const term = await start([]);
    await term.waitFor(/^D4Iot login:\s*$/m, { timeoutMs: 15_000 });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await term.waitForInputLine(/login:\s*$/);
      await typeLine(term, 'support');
      await term.waitForInputLine(/^Password:\s*$/);
      await typeLine(term, `wrong-${attempt}`);
    }
    const locked = (await term.waitFor(/\[exited 75\]/)).split('\n').join(' ');
    expect(locked).toMatch(/Sign-in from console is locked after too many failed attempts; try again at \d\d:\d\d:\d\d UTC \(in 5 min\)\./);

    // A new otshell process: even the right password is refused until the lock runs out.
    const restarted = await start([]);
    await restarted.waitFor(/^D4Iot login:\s*$/m, { timeoutMs: 15_000 });
    await typeLine(restarted, 'support');
    await restarted.waitForInputLine(/^Password:\s*$/);
    await typeLine(restarted, TEST_PASSWORD);
    const still = (await restarted.waitFor(/\[exited 75\]/)).split('\n').join(' ');
    expect(still).toMatch(/is locked after too many failed attempts; try again at \d\d:\d\d:\d\d UTC/);
    expect(still).not.toContain('shell>');
  }, 60_000);

  it('--idle-timeout 3 signs out after 3 s of no input, the warning first, back to the login prompt', async () => {
    const t = await start(['--idle-timeout', '3'], 'support');
    await t.waitForInputLine(/^shell>\s*$/);
    const signedInAt = Date.now();
    // As a console does: the sign-in screen again, not the end of otshell.
    const screen = await t.waitFor(/Signed out after 3 s without input\.\n(.*\n)*D4Iot login:\s*$/m, { timeoutMs: 10_000 });
    const elapsed = Date.now() - signedInAt;
    expect(elapsed).toBeGreaterThanOrEqual(2500);
    const lines = nonEmpty(screen);
    const warning = lines.findIndex((l) => /^No input for 2 s: you will be signed out in 1 s unless you press a key\.$/.test(l));
    const out = lines.findIndex((l) => l === 'Signed out after 3 s without input.');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(out).toBeGreaterThan(warning);
    const sessions = readFileSync(join(state.dir, 'sessions.jsonl'), 'utf8');
    expect(sessions).toMatch(/"kind":"timeout","user":"support","role":"support","source":"console"/);
    expect(screen).not.toContain('[exited');
    // Ctrl-D at the login prompt leaves.
    await t.keys('C-d');
    await t.waitFor(/\[exited \d+\]/, { timeoutMs: 10_000 });
  }, 30_000);

  it('idle sign-out in the middle of the edit-settings wizard changes nothing', async () => {
    // 6 s: the wizard's first question must appear before the clock runs out on a loaded machine.
    const t = await start(['--idle-timeout', '6'], 'support');
    await t.waitForInputLine(/^shell>\s*$/);
    const before = readFileSync(stateFile());
    await typeLine(t, 'network edit-settings');
    await t.waitFor(/Change the management network IP address\? \(current: 10\.1\.0\.20\) \[y\/N\]/);
    await typeLine(t, 'y');
    await t.waitFor(/New management IP address/);
    await t.type('10.1.0.99'); // typed, never submitted: the clock restarts at each key
    const screen = await t.waitFor(/D4Iot login:\s*$/m, { timeoutMs: 10_000 });
    expect(screen).toContain('Signed out after 6 s without input.');
    expect(readFileSync(stateFile())).toEqual(before);
    expect(existsSync(join(state.dir, 'edit-settings.lock'))).toBe(false);
  }, 30_000);

  it('a viewer sees no edit-settings in help, "?" or Tab completion, and is refused if it is typed', async () => {
    const t = await start([], 'trainee');
    await t.waitForInputLine(/^shell>\s*$/);
    expect(await t.screen()).toContain('Signed in as trainee (viewer role).');
    await typeLine(t, 'help network');
    const help = await t.waitFor(/help network COMMAND/);
    expect(help).toMatch(/^ {2}list /m);
    expect(help).not.toContain('edit-settings');
    await t.type('network ?');
    const next = await t.waitFor(/validate/);
    expect(next).not.toContain('edit-settings');
    await t.keys('C-u');
    await t.type('network e');
    await t.keys('Tab');
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.lastLine()).toMatch(/^shell> network e\s*$/);
    await t.keys('C-u');
    await typeLine(t, 'network edit-settings');
    const refused = await t.waitFor(/needs the support role/);
    expect(refused).toContain('network edit-settings needs the support role; you are signed in as viewer.');
    await t.waitForInputLine(/^shell>\s*$/);
  }, 30_000);

  it('a tampered state with a bad hash is refused with the field named (78), no shell', async () => {
    prepareSignedInState(state.dir);
    const parsed = JSON.parse(readFileSync(stateFile(), 'utf8'));
    parsed.users[0].hash.key = 'not-hex';
    writeFileSync(stateFile(), JSON.stringify(parsed));
    const again = await start([]);
    const screen = await again.waitFor(/\[exited 78\]/, { timeoutMs: 15_000 });
    // Rows joined: the message wraps at 80 columns.
    expect(screen.split('\n').join('')).toMatch(/users\[0\]\.hash\.key: expected 32 bytes in lower-case hex/);
  }, 30_000);
});
