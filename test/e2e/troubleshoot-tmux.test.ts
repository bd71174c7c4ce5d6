// The troubleshooting flows in a real terminal (tmux, 80x24) through the Ink
// shell, from a broken simulated sensor to a fixed one: the menu (ink-select-input),
// the person-only questions, the guide's fixes offered and re-checked, the report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';

const noTmux = skipWithout('tmux');

const nonEmpty = (screen: string) => screen.split('\n').filter((l) => l.trim() !== '');
/** A question waiting for its answer: y/n, a text prompt, or a choice list. */
const LIVE = /(\[y\/N\]|\[Y\/n\]|:|Ctrl-C cancels)$/;

async function asked(t: TmuxTerminal, fragment: string | RegExp): Promise<string> {
  return t.waitFor(
    (screen) => {
      const lines = nonEmpty(screen);
      const last = lines.at(-1)?.trimEnd() ?? '';
      const recent = lines.slice(-8).join('\n');
      return LIVE.test(last) && (typeof fragment === 'string' ? recent.includes(fragment) : fragment.test(recent));
    },
    { timeoutMs: 60_000 },
  );
}

async function answer(t: TmuxTerminal, fragment: string | RegExp, text: string): Promise<void> {
  await asked(t, fragment);
  if (text !== '') await t.type(text);
  await t.keys('Enter');
}

/** Waits until the simulated sensor answers and its services have started. */
async function settled(sim: SimulatorAdapter): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    try {
      if ((await sim.checkServices({ timeoutMs: 2000 })).status !== 'starting') return;
    } catch {
      // restarting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the simulated sensor did not come back');
}

describe.skipIf(noTmux)('troubleshooting flows in tmux at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  let sim: SimulatorAdapter;
  const terms: TmuxTerminal[] = [];
  beforeEach(async () => {
    state = tempStateDir();
    sim = new SimulatorAdapter(state.dir);
    await sim.getNetworkSettings();
  });
  afterEach(async () => {
    await Promise.all(terms.splice(0).map((t) => t.stop()));
    state.cleanup();
  });

  async function shell() {
    const t = await TmuxTerminal.start([], { stateDir: state.dir });
    terms.push(t);
    await t.waitForInputLine(/^shell>\s*$/);
    return t;
  }

  it('web-ui: the menu, a wrong management address found, edit-settings and a restart offered, the gateway answering and validate passing at the end', async () => {
    const { current } = await sim.getNetworkSettings();
    // The bad edit and its restart happened a minute ago (the simulator's clock for these two
    // calls only): the sensor is up with the wrong address in effect, without waiting out a restart.
    const minuteAgo = new SimulatorAdapter(state.dir, () => Date.now() - 60_000);
    await minuteAgo.applyNetworkSettings({ ...current, ip: '192.168.7.20', gateway: '192.168.7.1' });
    await minuteAgo.reboot();
    await settled(sim);
    expect((await sim.getNetworkSettings()).current).toMatchObject({ ip: '192.168.7.20', gateway: '192.168.7.1' });

    const t = await shell();
    await t.type('troubleshoot');
    await t.keys('Enter');
    // The menu: ink-select-input's list, the first flow highlighted.
    const menu = await asked(t, 'What is the problem?');
    expect(menu).toMatch(/\u276f Can't connect by using the web interface {2}\(troubleshoot web-ui\)/);
    expect(menu).toContain("  Appliance isn't responding  (troubleshoot not-responding)");
    expect(menu).toContain('  Health check  (troubleshoot health)');
    await t.keys('Enter');

    await answer(t, 'same network', '');
    await answer(t, 'GUI cable', '');
    const failed = await asked(t, 'Run "network edit-settings" now');
    expect(failed).toContain('FAIL: The gateway 192.168.7.1 does not answer from 192.168.7.20/24');
    expect(failed).toContain('Next (the guide): Sign in at the console');
    await t.type('y');
    await t.keys('Enter');
    await answer(t, 'Change the management network IP address?', 'y');
    await answer(t, 'New management IP address', '10.1.0.20');
    await answer(t, 'Change the subnet mask?', 'n');
    await answer(t, 'Change the DNS?', 'n');
    await answer(t, 'New default gateway IP address', '10.1.0.1');
    await answer(t, 'Change the input interfaces', 'n');
    await answer(t, 'Change the bridge interface?', 'n');
    await answer(t, 'Apply the settings?', 'y');
    await answer(t, 'Restart the sensor now', 'y');
    const rechecked = await asked(t, 'does the web UI load?');
    expect(rechecked).toContain('Checked again: PASS: The gateway 10.1.0.1 answers (5 of 5).');
    await t.keys('Enter');

    await t.waitForInputLine(/^shell>\s*$/, 30_000);
    const screen = await t.screen();
    const rows = screen.split('\n');
    expect(rows.length).toBeLessThanOrEqual(24);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    const history = await t.history();
    expect(history).toMatch(/ 3\. PASS {4}The appliance reaches its gateway \(ping\)\n {6}The gateway 10\.1\.0\.1 answers \(5 of 5\)\.\n {6}measured: ping 10\.1\.0\.1 from 10\.1\.0\.20\/24: 5 packets transmitted, 5\s+received, 0% packet loss/);
    expect(history).toContain(' 4. PASS    The interfaces carry the configured settings (network validate)\n      Success! (Appliance configuration matches the network settings)');
    expect(screen).toContain('Remains: nothing');
    expect(screen).toMatch(/Outcome: PASS\nshell>/);
    expect((await sim.getNetworkSettings()).current).toMatchObject({ ip: '10.1.0.20', gateway: '10.1.0.1' });
  }, 180_000);

  it('not-responding: the stopped service named with the guide\'s next step; the restart mends it', async () => {
    await sim.setServiceFault('Traffic Monitor', 'stopped');
    const t = await shell();
    await t.type('troubleshoot not-responding');
    await t.keys('Enter');
    const failed = await asked(t, 'Restart the sensor now');
    expect(failed).toContain('FAIL: System is DOWN: stopped: Traffic Monitor.');
    expect(failed).toContain('Next (the guide): Every process must be running: restart the appliance');
    await t.type('y');
    await t.keys('Enter');
    await t.waitForInputLine(/^shell>\s*$/, 60_000);
    const screen = await t.screen();
    expect(screen).toContain('Checked again: PASS: System is UP! (medium): all 13 services running.');
    expect(screen).toMatch(/ 2\. PASS {4}Every process runs \(system sanity\)/);
    expect(screen).toContain('changed: system reboot');
    expect(screen).toMatch(/Outcome: PASS\nshell>/);
  }, 120_000);
});
