// The whole 80x24 screen, line by line, after each key: what a PuTTY user sees.
// Waiting for a label alone let a choice list that redrew one row too low pass;
// here every row must be exactly the expected one (trailing blanks ignored).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TmuxTerminal } from '../helpers/tmux.js';
import { TEST_PASSWORD, prepareSignedInState } from '../helpers/sign-in.js';
import { skipWithout } from '../helpers/tool.js';
import { BIN, REPO_ROOT, tempStateDir } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';

const noTmux = skipWithout('tmux');
const ROWS = 24;
/**
 * The shell's screens start after the sign-in: the helper signs in, then Ctrl-L clears
 * the sign-in screen, so every expected screen starts at the prompt.
 */
const TOP: string[] = [];

const rowsOf = (screen: string) => {
  const rows = screen.split('\n').map((r) => r.trimEnd());
  while (rows.length < ROWS) rows.push('');
  return rows.slice(0, ROWS);
};

/** Waits until every row of the screen is the expected one; fails showing both screens. */
async function expectScreen(t: TmuxTerminal, expected: string[], timeoutMs = 8000): Promise<void> {
  const want = rowsOf(expected.join('\n'));
  let got: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    got = rowsOf(await t.screen());
    if (got.join('\n') === want.join('\n')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(got).toEqual(want);
}

const WIZARD_TOP = [
  ...TOP,
  'shell> network edit-settings',
  'Editing the network settings of the sensor (simulator).',
  'Enter takes the answer in capitals. Ctrl-C cancels at any step.',
  'Nothing is written until you confirm at the end.',
  'Change the management network IP address? (current: 10.1.0.20) [y/N] n',
  'Change the subnet mask? (current: 255.255.255.0 (/24)) [y/N] n',
  'Change the DNS? (current: 10.1.0.2) [y/N] n',
  'Change the default gateway IP address? (current: 10.1.0.1) [y/N] n',
  'Change the input interfaces (sensor only)? (current: eth1, eth2) [y/N] y',
];
const MULTI_HELP = 'Up/Down move, Space marks, Enter accepts, Ctrl-C cancels';
const SINGLE_HELP = 'Up/Down move, Enter accepts, Ctrl-C cancels';

describe.skipIf(noTmux)('screens at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  const terms: TmuxTerminal[] = [];
  beforeEach(async () => {
    state = tempStateDir();
    await new SimulatorAdapter(state.dir).getNetworkSettings(); // the sensor exists before the shell opens
  });
  afterEach(async () => {
    await Promise.all(terms.splice(0).map((t) => t.stop()));
    state.cleanup();
  });

  async function shell() {
    const t = await TmuxTerminal.start([], { stateDir: state.dir });
    terms.push(t);
    await t.waitForInputLine(/^shell>\s*$/);
    await t.keys('C-l');
    await expectScreen(t, [...TOP, 'shell>']);
    return t;
  }
  async function typeLine(t: TmuxTerminal, text: string) {
    await t.type(text);
    await t.keys('Enter');
  }

  it('the input-interface and bridge lists: one pointer at every step, only the answer left after Enter', async () => {
    const t = await shell();
    await typeLine(t, 'network edit-settings');
    for (const answer of ['n', 'n', 'n', 'n']) {
      await t.waitForInputLine(/\[y\/N\]\s*$/);
      await typeLine(t, answer);
    }
    await t.waitForInputLine(/\(current: eth1, eth2\) \[y\/N\]\s*$/);
    await typeLine(t, 'y');
    const list = (rows: string[]) => [...WIZARD_TOP, 'Input interfaces', ...rows, MULTI_HELP];
    await expectScreen(t, list(['\u276f [x] eth1  (monitor)', '  [x] eth2  (monitor)', '  [ ] eth3  (unused)']));
    await t.keys('Down');
    await expectScreen(t, list(['  [x] eth1  (monitor)', '\u276f [x] eth2  (monitor)', '  [ ] eth3  (unused)']));
    await t.keys('Down');
    await expectScreen(t, list(['  [x] eth1  (monitor)', '  [x] eth2  (monitor)', '\u276f [ ] eth3  (unused)']));
    await t.keys('Space');
    await expectScreen(t, list(['  [x] eth1  (monitor)', '  [x] eth2  (monitor)', '\u276f [x] eth3  (unused)']));
    await t.keys('Up');
    await expectScreen(t, list(['  [x] eth1  (monitor)', '\u276f [x] eth2  (monitor)', '  [x] eth3  (unused)']));
    await t.keys('Space');
    await expectScreen(t, list(['  [x] eth1  (monitor)', '\u276f [ ] eth2  (monitor)', '  [x] eth3  (unused)']));
    await t.keys('Enter');
    const answered = [...WIZARD_TOP, 'Input interfaces: eth1, eth3', 'Change the bridge interface? (current: none) [y/N]'];
    await expectScreen(t, answered);
    await typeLine(t, 'y');
    const bridge = (rows: string[]) => [...answered.slice(0, -1), 'Change the bridge interface? (current: none) [y/N] y', 'Bridge interface', ...rows, SINGLE_HELP];
    // eth2 is no longer an input: it is offered as unused, not "(monitor)".
    await expectScreen(t, bridge(['  eth2  (unused)', '\u276f none  (no bridge interface)']));
    await t.keys('Up');
    await expectScreen(t, bridge(['\u276f eth2  (unused)', '  none  (no bridge interface)']));
    await t.keys('Enter');
    // The whole screen after Enter: a snapshot of rows 12-24 taken before the list
    // was gone made this fail now and then on a loaded machine.
    await expectScreen(t, [
      ...answered.slice(0, -1),
      'Change the bridge interface? (current: none) [y/N] y',
      'Bridge interface: eth2',
      'Summary of changes:',
      '  Input interfaces   eth1, eth2 -> eth1, eth3',
      '  Bridge interface   none -> eth2',
      'Apply the settings? [y/N]',
    ]);
  });

  it('help wraps descriptions under their column; the unknown-command line fits', async () => {
    const t = await shell();
    await typeLine(t, 'help network');
    await expectScreen(t, [
      ...TOP,
      'shell> help network',
      'network commands:',
      '  list              Show every interface (ifconfig style) and its role',
      '  edit-settings     Change the management address, mask, DNS, gateway, input and',
      '                    bridge interfaces',
      '  validate          Check that the interfaces carry the configured network',
      '                    settings',
      '  confirm           Keep network settings applied with confirm-or-revert',
      '  validate-capture  Check a SPAN-port capture (pcap/pcapng): unicast, ARP share,',
      '                    OT protocols, devices',
      '  ping              Ping an address from the management interface (5 probes)',
      '  blink             Blink the LED of an interface\'s port (default 20 s)',
      '  statistics        NIC counters and live receive/send rates',
      "  requirements      Check the site's firewall rules from the sensor (site.yaml)",
      '  capture-check     Check the SPAN ports live on the monitor interfaces',
      '',
      '"help network COMMAND" shows a command\'s options.',
      'shell>',
    ]);
    await t.keys('C-l');
    await expectScreen(t, ['shell>']);
    const long = `frobnicate-${'x'.repeat(70)}`;
    await typeLine(t, long);
    await expectScreen(t, [
      `shell> ${long.slice(0, 73)}`,
      long.slice(73),
      `Unknown command "${long.slice(0, 63)}`,
      `${long.slice(63)}". Type "help" to list commands.`,
      'shell>',
    ]);
  });

  it('Ctrl-L at once followed by "sys ?" (one burst of keys): the "?" output stays on the cleared screen', async () => {
    const t = await shell();
    await typeLine(t, 'network validate');
    await t.waitFor(/Current Network Settings/);
    // One send-keys call: the keys arrive together, before the clear has been drawn.
    await t.keys('C-l', 's', 'y', 's', 'Space', '?');
    await expectScreen(t, [
      ...TOP,
      'shell> sys ?',
      '  sanity       Check that every sensor service is running',
      '  version      Show the sensor software version',
      "  date         Show the sensor's date and time (UTC)",
      '  reboot       Restart the sensor (applies pending network settings)',
      '  shutdown     Power the sensor off (it must be powered on at the machine)',
      '  audit        List the applied network settings changes: when, who, from where',
      '  password     Change a password (your own; root: any user)',
      '  backup       Back up the settings, NTP servers, services list and audit log',
      '  backup-list  List the backups in the backup folder',
      '  backup-path  Show or set the backup folder (and how many backups to keep)',
      '  restore      Restore a backup (the newest unless FILE is given)',
      'shell> sys',
    ]);
  });

  it('Ctrl-C in a one-shot wizard: "Cancelled." on its own line after the echoed ^C', async () => {
    const t = await TmuxTerminal.start(['network', 'edit-settings'], { stateDir: state.dir });
    terms.push(t);
    const intro = [
      'Editing the network settings of the sensor (simulator).',
      'Enter takes the answer in capitals. Ctrl-C cancels at any step.',
      'Nothing is written until you confirm at the end.',
    ];
    await expectScreen(t, [...intro, 'Change the management network IP address? (current: 10.1.0.20) [y/N]']);
    await t.keys('C-c');
    await expectScreen(t, [
      ...intro,
      'Change the management network IP address? (current: 10.1.0.20) [y/N] ^C',
      'Cancelled. No changes were made.',
      '[exited 130]',
    ]);
  });

  it('the one-shot progress line fits 80 columns and leaves one finished line, nothing stale', async () => {
    // Over the 50 MB progress threshold: the sample's packets repeated (pcap header once).
    const sample = readFileSync(join(REPO_ROOT, 'samples/enip-sample.pcap'));
    const records = sample.subarray(24);
    const copies = Math.ceil(60_000_000 / records.length);
    const file = join(state.dir, 'big.pcap');
    writeFileSync(file, Buffer.concat([sample.subarray(0, 24), ...Array.from({ length: copies }, () => records)]));
    const t = await TmuxTerminal.start(['network', 'validate-capture', file], { stateDir: state.dir });
    terms.push(t);
    const history = await t.waitFor(/\[exited \d+\]/, { scrollback: true, timeoutMs: 60_000 });
    const rows = history.split('\n');
    const progressRows = rows.filter((r) => /\[[\u2588\u2591#-]{10,}\]/.test(r));
    expect(progressRows, history).toHaveLength(1);
    expect(progressRows[0]!).toMatch(/^big\.pcap \[#{10,}\] 100% [\d.]+ MB\/s( 0 s left)?$/);
    expect(progressRows[0]!.length).toBeLessThanOrEqual(79);
    // No tail of an earlier, longer update left on any row.
    expect(rows.filter((r) => /MB\/s/.test(r))).toHaveLength(1);
    expect(rows[rows.indexOf(progressRows[0]!) + 1]).toMatch(/^\u2550\u2550 /);
  }, 90_000);

  it('folder completion ends in "/" without a space, so the next Tab goes on into it', async () => {
    const dir = join(state.dir, 'caps');
    mkdirSync(join(dir, 'inner'), { recursive: true });
    writeFileSync(join(dir, 'inner', 'only.pcap'), '');
    prepareSignedInState(state.dir);
    const t = await TmuxTerminal.start([], { stateDir: state.dir, command: ['sh', '-c', `cd '${dir}' && exec node '${BIN}' --state-dir '${state.dir}' --user support`] });
    terms.push(t);
    await t.waitForInputLine(/^Password:\s*$/, 15_000);
    await t.type(TEST_PASSWORD);
    await t.keys('Enter');
    await t.waitForInputLine(/^shell>\s*$/);
    await t.keys('C-l');
    await expectScreen(t, [...TOP, 'shell>']);
    await t.type('network validate-capture inn');
    await t.keys('Tab');
    await expectScreen(t, [...TOP, 'shell> network validate-capture inner/']);
    await t.keys('Tab');
    await expectScreen(t, [...TOP, 'shell> network validate-capture inner/only.pcap']);
  });
});
