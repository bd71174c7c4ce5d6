// `network edit-settings` in a real terminal (tmux, 80x24) through the Ink
// shell, as the engineer at the sensor's console does it: the guide's full
// walk, restart, validate; Ctrl-C at each step; two sessions at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';

const noTmux = skipWithout('tmux');

const nonEmpty = (screen: string) => screen.split('\n').filter((l) => l.trim() !== '');

/** The last line is a question waiting for input: a y/N or text prompt, or a choice list's key help. */
const LIVE = /(\[y\/N\]|:|Ctrl-C cancels)$/;

/** Waits until `fragment` is asked and waiting for an answer. */
async function asked(t: TmuxTerminal, fragment: string): Promise<string> {
  return t.waitFor((screen) => {
    const lines = nonEmpty(screen);
    const last = lines.at(-1)?.trimEnd() ?? '';
    return LIVE.test(last) && lines.slice(-8).join('\n').includes(fragment);
  });
}

async function answer(t: TmuxTerminal, fragment: string, text: string): Promise<void> {
  await asked(t, fragment);
  if (text !== '') await t.type(text);
  await t.keys('Enter');
}

async function command(t: TmuxTerminal, text: string): Promise<void> {
  await t.waitForInputLine(/^shell>\s*$/);
  await t.type(text);
  await t.keys('Enter');
}

/** Everything printed after the last time `line` was typed at the prompt. */
async function outputOf(t: TmuxTerminal, line: string, until: RegExp, timeoutMs = 8000): Promise<string> {
  const after = (history: string) => {
    const at = history.lastIndexOf(`shell> ${line}\n`);
    return at < 0 ? '' : history.slice(at + `shell> ${line}\n`.length);
  };
  return after(await t.waitFor((h) => until.test(after(h)), { scrollback: true, timeoutMs }));
}

/** The seven steps answered Y, each with a new value. Step 5 and 6 are lists: arrows, Space, Enter. */
const STEPS: { question: string; value: (t: TmuxTerminal) => Promise<void>; valuePrompt: string }[] = [
  { question: 'Change the management network IP address?', valuePrompt: 'New management IP address', value: (t) => answer(t, 'New management IP address', '10.1.0.30') },
  { question: 'Change the subnet mask?', valuePrompt: 'New subnet mask', value: (t) => answer(t, 'New subnet mask', '/23') },
  { question: 'Change the DNS?', valuePrompt: 'New DNS servers', value: (t) => answer(t, 'New DNS servers', '10.1.0.2 10.1.0.3') },
  { question: 'Change the default gateway IP address?', valuePrompt: 'New default gateway IP address', value: (t) => answer(t, 'New default gateway IP address', '10.1.1.1') },
  {
    question: 'Change the input interfaces (sensor only)?',
    valuePrompt: 'Space marks',
    value: async (t) => {
      // eth1 and eth2 start marked: mark eth3, unmark eth2.
      const screen = await asked(t, 'Space marks');
      expect(screen).toMatch(/\[x\] eth1 +\(monitor\)/);
      expect(screen).toMatch(/\[ \] eth3 +\(unused\)/);
      await t.keys('Down', 'Down', 'Space', 'Up', 'Space');
      await t.waitFor(/\[x\] eth3/);
      await t.keys('Enter');
    },
  },
  {
    question: 'Change the bridge interface?',
    valuePrompt: 'Enter accepts',
    value: async (t) => {
      const screen = await asked(t, 'Enter accepts');
      expect(screen).toMatch(/eth2 +\(unused\)[\s\S]*none +\(no bridge interface\)/);
      await t.keys('Up', 'Enter'); // from "none" (the current value) up to eth2
    },
  },
];

describe.skipIf(noTmux)('network edit-settings in tmux at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  const terms: TmuxTerminal[] = [];
  let statePath: string;
  beforeEach(async () => {
    state = tempStateDir();
    const sim = new SimulatorAdapter(state.dir);
    await sim.getNetworkSettings(); // the sensor exists before the shell opens
    statePath = sim.statePath;
  });
  afterEach(async () => {
    await Promise.all(terms.splice(0).map((t) => t.stop()));
    state.cleanup();
  });

  async function open(env?: Record<string, string>) {
    const t = await TmuxTerminal.start([], { stateDir: state.dir, env });
    terms.push(t);
    await t.waitForInputLine(/^shell>\s*$/);
    return t;
  }
  const lockExists = () => existsSync(join(state.dir, 'edit-settings.lock'));

  it("the guide's full walk, restart, and the new settings in effect", async () => {
    const t = await open();
    await command(t, 'network edit-settings');
    for (const step of STEPS) {
      await answer(t, step.question, 'y');
      await step.value(t);
    }
    const summary = await asked(t, 'Apply the settings?');
    expect(summary).toContain('Summary of changes:');
    expect(summary).toMatch(/Management IP +10\.1\.0\.20 -> 10\.1\.0\.30/);
    expect(summary).toMatch(/Subnet mask +255\.255\.255\.0 \(\/24\) -> 255\.255\.254\.0 \(\/23\)/);
    expect(summary).toMatch(/Input interfaces +eth1, eth2 -> eth1, eth3/);
    expect(summary).toMatch(/Bridge interface +none -> eth2/);
    await t.type('y');
    await t.keys('Enter');
    await t.waitFor(/Settings saved\. They take effect after a restart: run "system reboot"\./);
    expect(lockExists()).toBe(false);

    await command(t, 'network list');
    const before = await outputOf(t, 'network list', /Restart pending/);
    expect(before).toMatch(/^eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n {8}inet 10\.1\.0\.20  netmask 255\.255\.255\.0/m);
    expect(before).toContain('Restart pending: new network settings take effect after "system reboot".');

    await command(t, 'system reboot');
    await answer(t, 'Are you sure?', 'y');
    await t.waitFor(/The sensor is restarting\./);

    // Back when system sanity answers (starting or up) instead of "restarting".
    const deadline = Date.now() + 15_000;
    for (;;) {
      await command(t, 'system sanity');
      const out = await outputOf(t, 'system sanity', /System is|restarting/);
      if (/System is (UP|STARTING)/.test(out)) break;
      if (Date.now() > deadline) throw new Error(`the sensor did not come back:\n${out}`);
      await new Promise((r) => setTimeout(r, 700));
    }

    await command(t, 'network list');
    const after = await outputOf(t, 'network list', /DNS: /);
    expect(after).toMatch(/^ {8}inet 10\.1\.0\.30  netmask 255\.255\.254\.0  broadcast 10\.1\.1\.255$/m);
    expect(after).toMatch(/^eth3: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>/m);
    expect(after).toContain('Default gateway: 10.1.1.1');
    expect(after).not.toContain('Restart pending');

    await command(t, 'network validate');
    const validate = await outputOf(t, 'network validate', /monitor interfaces: /);
    expect(validate).toContain('Success! (Appliance configuration matches the network settings)');
    expect(validate).toContain('  ip: 10.1.0.30');
    expect(validate).toContain('  monitor interfaces: eth1, eth3');
  }, 60_000);

  // Ctrl-C in step k's value prompt (steps 1-6) or at "Apply the settings?" (step 7),
  // after Y with new values at every earlier step.
  it.each([1, 2, 3, 4, 5, 6, 7])('Ctrl-C at step %i leaves the state file byte-identical', async (step) => {
    const t = await open();
    // After the sign-in, which records the last sign-in in the state file.
    const before = readFileSync(statePath);
    await command(t, 'network edit-settings');
    for (const earlier of STEPS.slice(0, step - 1)) {
      await answer(t, earlier.question, 'y');
      await earlier.value(t);
    }
    if (step <= 6) {
      await answer(t, STEPS[step - 1]!.question, 'y');
      await asked(t, STEPS[step - 1]!.valuePrompt);
    } else {
      await asked(t, 'Apply the settings?');
    }
    await t.keys('C-c');
    await t.waitFor(/Cancelled\. No changes were made\./);
    await t.waitForInputLine(/^shell>\s*$/);
    expect(readFileSync(statePath)).toEqual(before);
    expect(lockExists()).toBe(false);
    // The shell is still there and the sensor as it was.
    await command(t, 'network validate');
    await outputOf(t, 'network validate', /Success!/);
  }, 30_000);

  it('answers typed ahead, faster than the questions appear, go to the next questions', async () => {
    const t = await open();
    await command(t, 'network edit-settings');
    await asked(t, 'Change the management network IP address?');
    // One burst, as pasted or typed blind over a slow link.
    await t.type('y\r10.1.0.30\rn\rn\rn\rn\rn\ry\r');
    await t.waitFor(/Settings saved\. They take effect after a restart/);
    await t.waitForInputLine(/^shell>\s*$/);
    const screen = await t.screen();
    expect(screen).toContain('New management IP address: 10.1.0.30');
    expect(screen).toContain('Apply the settings? [y/N] y');
    expect(JSON.parse(readFileSync(statePath, 'utf8')).pendingSettings.ip).toBe('10.1.0.30');
  }, 30_000);

  it('a second session is refused while the first edits, naming the holder', async () => {
    const a = await open({ SUDO_USER: 'alice', SSH_CONNECTION: '192.0.2.7 50022 10.1.0.20 22', SSH_TTY: '/dev/pts/4' });
    const b = await open();
    await command(a, 'network edit-settings');
    await asked(a, 'Change the management network IP address?');

    await command(b, 'network edit-settings');
    // The time may be wrapped onto the next row: look at the rows joined.
    const refused = await b.waitFor((screen) => /since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Try again/.test(nonEmpty(screen).join(' ')));
    const message = nonEmpty(refused).join(' ');
    expect(message).toMatch(/The network settings are being edited by support from 192\.0\.2\.7 \(pid \d+ on [^)]+\) +since /);
    await b.waitForInputLine(/^shell>\s*$/);

    // The lock names the simulated user who signed in (support), from A's SSH client.
    // A leaves with Ctrl-C; now B may edit.
    await a.keys('C-c');
    await a.waitFor(/Cancelled\. No changes were made\./);
    await command(b, 'network edit-settings');
    await asked(b, 'Change the management network IP address?');
    await b.keys('C-c');
    await b.waitFor(/Cancelled\. No changes were made\./);
  }, 30_000);
});
