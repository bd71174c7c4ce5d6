// The interactive shell in a real terminal (tmux, 80x24), typed and read as a person would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';

const noTmux = skipWithout('tmux');

describe.skipIf(noTmux)('interactive shell in tmux at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  let term: TmuxTerminal | undefined;
  beforeEach(() => {
    state = tempStateDir();
  });
  afterEach(async () => {
    await term?.stop();
    term = undefined;
    state.cleanup();
  });

  async function open() {
    term = await TmuxTerminal.start([], { stateDir: state.dir });
    await term.waitForInputLine(/^shell>\s*$/);
    return term;
  }

  it('"npm start" on a fresh machine opens the sign-in screen with the default credentials shown', async () => {
    term = await TmuxTerminal.start([], { stateDir: state.dir, command: ['npm', 'start', '--silent', '--', '--state-dir', state.dir] });
    // One capture with both: the sign-in screen drawn before Ink loads is taken back and
    // drawn again by Ink, and a capture in between shows neither.
    const screen = await term.waitFor((s) => /^D4Iot login:\s*$/m.test(s) && s.includes('factory credentials'), { timeoutMs: 20_000 });
    expect(screen).toContain('factory credentials: support/support');
  });

  it('runs an abbreviated command and prints network list in the appliance format', async () => {
    const t = await open();
    await t.type('net li eth1');
    await t.keys('Enter');
    const screen = await t.waitFor(/role monitor/);
    expect(screen).toMatch(/^shell> net li eth1$/m);
    expect(screen).toMatch(/^eth1: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>  mtu 1500$/m);
    expect(screen).toMatch(/^ {8}ether 02:42:ac:12:00:03  txqueuelen 1000  \(Ethernet\)$/m);
    expect(screen).toMatch(/^ {8}RX packets \d+  bytes \d+ \(\d+\.\d (B|KB|MB|GB)\)$/m);
    expect(screen).toMatch(/^ {8}RX errors 0  dropped 0  overruns 0  frame 0$/m);
    expect(screen).toMatch(/^ {8}TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0$/m);
    await t.waitFor((s) => s.trimEnd().endsWith('shell>'));
  });

  it('redraws the edited line exactly: insert mid-line, delete, Ctrl-W, Home/End', async () => {
    const t = await open();
    await t.type('network lst eth0x');
    await t.keys('BSpace');
    await t.waitForInputLine(/^shell> network lst eth0$/);
    for (let i = 0; i < 7; i += 1) await t.keys('Left');
    await t.type('i');
    await t.waitForInputLine(/^shell> network list eth0$/);
    await t.keys('End', 'C-w');
    await t.waitForInputLine(/^shell> network list\s*$/);
    await t.keys('Home');
    await t.type('x');
    await t.waitForInputLine(/^shell> xnetwork list\s*$/);
    expect((await t.cursor()).x).toBe('shell> x'.length);
    await t.keys('Delete', 'BSpace', 'End');
    await t.type(' lo');
    await t.waitForInputLine(/^shell> etwork list  lo$/); // Ctrl-W kept the space before the word
  });

  it('prints system sanity with every service and System is UP!', async () => {
    const t = await open();
    await t.type('system sanity');
    await t.keys('Enter');
    const screen = await t.waitFor(/System is UP! \(medium\)/);
    const lines = screen.split('\n').filter((l) => l.startsWith('[+] '));
    expect(lines).toHaveLength(13);
    for (const line of lines) expect(line).toMatch(/^\[\+\] [A-Za-z0-9 -]+ \| Running for \d{2,}:\d{2}:\d{2}$/);
    expect(screen).toContain('[+] Core API | Running for ');
  });

  it('completes with Tab, recalls history with Up, and enters and leaves category mode', async () => {
    const t = await open();
    await t.type('sys');
    await t.keys('Tab');
    await t.waitForInputLine(/^shell> system\s*$/);
    expect((await t.cursor()).x).toBe('shell> system '.length); // completion adds the space
    await t.keys('Enter');
    await t.waitForInputLine(/^system>\s*$/);
    await t.type('sa');
    await t.keys('Tab');
    await t.waitForInputLine(/^system> sanity\s*$/);
    await t.keys('C-u');
    await t.type('back');
    await t.keys('Enter');
    await t.waitForInputLine(/^shell>\s*$/);
    await t.keys('Up');
    await t.waitForInputLine(/^shell> back$/);
    await t.keys('Up');
    await t.waitForInputLine(/^shell> system$/);
    // The cursor sits right after the recalled text.
    const { x } = await t.cursor();
    expect(x).toBe('shell> system'.length);
  });

  it('shows help, "?" and a clear line for an unknown command', async () => {
    const t = await open();
    await t.type('help');
    await t.keys('Enter');
    await t.waitFor(/Categories \(type one to enter it/);
    await t.keys('C-l');
    await t.type('network ?');
    await t.waitFor(/list\s+Show every interface/);
    await t.keys('C-u');
    await t.type('netwrk lst');
    await t.keys('Enter');
    const screen = await t.waitFor(/Unknown command "netwrk lst"; did you mean "network list"\?/);
    expect(screen).not.toMatch(/^\s+at /m);
  });

  it('Ctrl-C cancels the line without killing the shell; Ctrl-D leaves', async () => {
    const t = await open();
    await t.type('network list');
    await t.keys('C-c');
    await t.waitFor(/^shell> network list\^C$/m);
    await t.waitForInputLine(/^shell>\s*$/);
    await t.type('system sanity');
    await t.keys('Enter');
    await t.waitFor(/System is UP!/); // still alive
    await t.keys('C-d');
    await t.waitFor(/\[exited 0\]/);
  });

  it('keeps history per user across sessions', async () => {
    let t = await open();
    await t.keys('Up'); // a fresh user has no history
    await t.waitForInputLine(/^shell>\s*$/);
    await t.type('network list lo');
    await t.keys('Enter');
    await t.waitFor(/role loopback/);
    await t.keys('C-d');
    await t.waitFor(/\[exited 0\]/);
    await t.stop();
    t = await open();
    await t.keys('Up');
    await t.waitForInputLine(/^shell> network list lo$/);
  });
});
