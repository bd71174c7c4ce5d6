// Issue #14, item 4: what the screen shows is right at 80 columns. Help wraps with
// a hanging indent under its description column (and a usage or example line
// under the command's first option), never back to column 1; a finished
// multi-choice list leaves only its one-line answer, no stale "❯ [x] eth1" row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';

const noTmux = skipWithout('tmux');
const ROWS = 24;

const rowsOf = (screen: string) => {
  const rows = screen.split('\n').map((r) => r.trimEnd());
  while (rows.length < ROWS) rows.push('');
  return rows.slice(0, ROWS);
};

describe.skipIf(noTmux)('help and choice lists at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  let term: TmuxTerminal | undefined;
  beforeEach(async () => {
    state = tempStateDir();
    await new SimulatorAdapter(state.dir).getNetworkSettings();
  });
  afterEach(async () => {
    await term?.stop();
    term = undefined;
    state.cleanup();
  });

  async function cleared(args: string[] = []) {
    term = await TmuxTerminal.start(args, { stateDir: state.dir });
    await term.waitForInputLine(/^\S+>\s*$/);
    await term.keys('C-l');
    await term.waitFor((s) => s.trim() === 'shell>');
    return term;
  }

  it('help network in network mode and "help network edit-settings": continuations under their column, none at column 1', async () => {
    const t = await cleared();
    await t.runCommand('network', /^network>\s*$/);
    await t.keys('C-l');
    await t.runCommand('help network', /^network>\s*$/);
    const help = rowsOf(await t.screen());
    const at = help.findIndex((r) => r.startsWith('  edit-settings'));
    expect(help.slice(at, at + 2)).toEqual([
      '  edit-settings     Change the management address, mask, DNS, gateway, input and',
      '                    bridge interfaces',
    ]);
    const capture = help.findIndex((r) => r.startsWith('  validate-capture'));
    expect(help.slice(capture, capture + 2)).toEqual([
      '  validate-capture  Check a SPAN-port capture (pcap/pcapng): unicast, ARP share,',
      '                    OT protocols, devices',
    ]);
    for (const row of help) expect(row.length).toBeLessThanOrEqual(80);

    await t.keys('C-l');
    await t.runCommand('help network edit-settings', /^network>\s*$/);
    const all = (await t.history()).split('\n').map((r) => r.trimEnd());
    const usage = all.findIndex((r) => r.startsWith('Usage: network edit-settings'));
    const under = ' '.repeat('Usage: network edit-settings '.length);
    expect(all.slice(usage, usage + 4)).toEqual([
      'Usage: network edit-settings [--ip ADDRESS] [--mask MASK] [--gateway ADDRESS]',
      `${under}[--dns LIST] [--input-interfaces LIST]`,
      `${under}[--bridge NAME] [--yes] [--dry-run]`,
      `${under}[--confirm-timeout SECONDS] [--json]`,
    ]);
    const example = all.findIndex((r) => r.startsWith('  network edit-settings --ip 10.1.0.20'));
    expect(all[example + 1]).toBe(`${' '.repeat('  network edit-settings '.length)}--dns 10.1.0.2 --input-interfaces eth1,eth2 --yes`);
    const option = all.findIndex((r) => r.startsWith('  --confirm-timeout SECONDS'));
    expect(all[option + 1]).toBe(`${' '.repeat(29)}within SECONDS (5-3600)`);
  });

  it('the input-interface list in network mode with --ascii leaves only "Input interfaces: ..." after Enter', async () => {
    const t = await cleared(['--ascii']);
    await t.runCommand('network', /^network>\s*$/);
    await t.keys('C-l');
    await t.type('edit-settings');
    await t.keys('Enter');
    for (let step = 0; step < 4; step++) {
      await t.waitForInputLine(/\[y\/N\]\s*$/);
      await t.type('n');
      await t.keys('Enter');
    }
    await t.waitForInputLine(/\(current: eth1, eth2\) \[y\/N\]\s*$/);
    await t.type('y');
    await t.keys('Enter');
    await t.waitFor(/> \[x\] eth1 {2}\(monitor\)/);
    await t.keys('Down', 'Down', 'Space', 'Enter');
    await t.waitFor(/^Input interfaces: eth1, eth2, eth3$/m);
    await t.waitForInputLine(/\[y\/N\]\s*$/);
    const screen = rowsOf(await t.screen());
    const answer = screen.indexOf('Input interfaces: eth1, eth2, eth3');
    // Right after the question it answers, and nothing of the list anywhere.
    expect(screen[answer - 1]).toBe('Change the input interfaces (sensor only)? (current: eth1, eth2) [y/N] y');
    expect(screen[answer + 1]).toBe('Change the bridge interface? (current: none) [y/N]');
    expect(screen.filter((r) => /\[[x ]\]|^[>\u276f] |Up\/Down/.test(r))).toEqual([]);
    await t.keys('C-c');
    await t.waitFor(/No changes were made/);
  });
});
