// Hostile suite, class 1: raw control bytes must never reach the terminal.
// Untrusted text enters through the target's answers (interface and service
// names, the configured bridge: HostileSensor), audit lines, the lock holder, argv and
// typed lines (unknown commands and options, help, "?"), file names
// (validate-capture) and piped answers (the wizard's echo). Every renderer and
// message is driven with each hostile string; what leaves the output layer must
// show it as a visible escape, exactly. Then the real binary in a PTY, and the
// Ink shell under tmux at 80x24 (the pane title must not change, the screen must not clear).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { dispatchLine } from '../../src/commands/dispatch.js';
import { complete } from '../../src/commands/complete.js';
import { nextWordHelp } from '../../src/commands/help.js';
import type { CommandContext } from '../../src/commands/types.js';
import type { Outcome } from '../../src/commands/execute.js';
import { OutputSink } from '../../src/output/sink.js';
import { createStyle, toTerminal } from '../../src/output/style.js';
import { untrusted } from '../../src/output/escape.js';
import { LinePrompter } from '../../src/cli/line-prompter.js';
import { LineSource } from '../../src/cli/line-source.js';
import { ADMIN } from '../helpers/command-harness.js';
import { ShellController } from '../../src/ui/shell-controller.js';
import type { Key } from '../../src/ui/keys.js';
import { escapeValue } from '../../src/output/escape.js';
import { FakePrompter } from '../unit/settings-fake-prompter.js';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { RAW_CONTROL, expectExit, expectNoStackTrace } from './helpers.js';
import { ALL, HOSTILE, HostileSensor, runInPty, writeHostileState } from './escape-helpers.js';
import { EXIT } from '../../src/errors.js';

/** The PTY cases drive the CLI through test/hostile/pty-run.py. */
const noPython = skipWithout('python3', ['--version']);

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-escape-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** What the output layer writes for an outcome, as main.ts does: results to stdout, errors to stderr. */
function shown(outcome: Outcome, color = false): string {
  let bytes = '';
  const sink = new OutputSink({ write: (s: string) => (bytes += s) }, { color, ascii: false, markers: outcome.isError ? 'escape' : 'style' });
  if (outcome.json) sink.json(outcome.text);
  else sink.line(outcome.text);
  return bytes;
}

/** Keys into the interactive shell's controller; what its view would draw, through SafeText's conversion. */
async function shellOutput(system: SimulatorAdapter, keys: Key[]): Promise<string> {
  const shell = new ShellController({ system, style: createStyle({ ascii: false, color: false, width: 80 }), caller: ADMIN }, [], {
    changed: () => {},
    exit: () => {},
    clearScreen: () => {},
    saveHistory: () => {},
    loadHistory: async () => [],
  });
  shell.handleKeys(keys);
  // Completion is asynchronous: wait until the shell has printed the echoed line and its answer
  // (both cases here print two entries), not for a fixed time a loaded machine can overrun.
  const deadline = Date.now() + 10_000;
  while (shell.snapshot().entries.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return shell
    .snapshot()
    .entries.map((e) => toTerminal(e.text, { color: false, ascii: false, markers: e.tone ? 'escape' : 'style' }))
    .join('\n');
}

/** Only the SGR sequences otshell itself emits may appear, and only with colour. */
const OWN_SGR = /\u001b\[(0|1|2|31|32|33)m/g;

function expectSafe(text: string, expected: string): void {
  expect(text.replace(OWN_SGR, '')).not.toMatch(RAW_CONTROL);
  expect(text).toContain(expected);
  expectNoStackTrace(text);
}

describe.each(HOSTILE)('$name through every renderer and message', ({ raw, shown: expected }) => {
  let dir: string;
  let system: SimulatorAdapter;
  const run = async (line: string, prompter = new FakePrompter([]), color = false) => {
    const ctx: CommandContext = {
      system,
      prompter,
      style: createStyle({ ascii: false, color, width: 80 }),
      caller: ADMIN,
      signal: new AbortController().signal,
      progress: () => {},
      json: false,
    };
    return (await dispatchLine(line, { mode: null, history: [] }, ctx)).outcome!;
  };
  beforeAll(() => {
    dir = tempDir();
    writeHostileState(dir, raw);
    system = new HostileSensor(dir, raw);
  });

  it('network list: the interface name', async () => {
    const outcome = await run('network list');
    expectExit(outcome.exitCode, EXIT.OK);
    expectSafe(shown(outcome), `${expected}: flags=`);
  });

  it('network list --json: exact JSON, unsafe characters as \\uXXXX', async () => {
    const outcome = await run('network list --json');
    const text = shown(outcome);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(text).interfaces.map((i: { name: string }) => i.name)).toContain(raw);
  });

  it('network list NAME: the "no interface" message', async () => {
    const outcome = await run(`network list ${raw}q`);
    expectExit(outcome.exitCode, EXIT.PROBLEM);
    expectSafe(shown(outcome), `No interface named "${expected}q". Interfaces: eth0, eth1, eth2, ${expected}, lo.`);
  });

  it('network validate: the missing bridge', async () => {
    const outcome = await run('network validate');
    expectExit(outcome.exitCode, EXIT.PROBLEM);
    const text = shown(outcome);
    expectSafe(text, `Bridge interface br${expected} does not exist.`);
    expect(text).toContain(`  bridge interface: br${expected}\n`);
  });

  it('system audit: the user and terminal of an audit line', async () => {
    const outcome = await run('system audit');
    expectExit(outcome.exitCode, EXIT.OK);
    expectSafe(shown(outcome), `2026-01-02 03:04:05 UTC  ${expected} (${expected}) on simulator`);
  });

  it('system sanity: a service name', async () => {
    const outcome = await run('system sanity');
    const text = shown(outcome);
    expectSafe(text, `${expected} | Running for `);
  });

  it('edit-settings: the lock holder message', async () => {
    const outcome = await run('network edit-settings --ip 10.1.0.30 --yes');
    expectExit(outcome.exitCode, EXIT.LOCKED);
    expectSafe(shown(outcome), `The network settings are being edited by ${expected} on /dev/pts/9`);
  });

  it('an unknown command', async () => {
    const outcome = await run(`${raw} list`);
    expectExit(outcome.exitCode, EXIT.USAGE);
    expectSafe(shown(outcome), `Unknown command "${expected} list"`);
  });

  it('an unknown option', async () => {
    const outcome = await run(`network list --${raw}`);
    expectExit(outcome.exitCode, EXIT.USAGE);
    expectSafe(shown(outcome), `network list: unknown option --${expected}.`);
  });

  it('help for an unknown word', async () => {
    const outcome = await run(`help ${raw}`);
    expectExit(outcome.exitCode, EXIT.OK);
    expectSafe(shown(outcome), `No help for "${expected}".`);
  });

  it('"?" after an unknown word', async () => {
    expectSafe(toTerminal(nextWordHelp([raw], null), { color: false, ascii: false }), `Nothing known follows "${expected}".`);
    // ...and as the shell shows it, with the echoed line.
    const text = await shellOutput(system, [{ name: 'text', text: `${raw} ?` }]);
    expectSafe(text, `shell> ${expected} ?\nNothing known follows "${expected}".`);
  });

  it('Tab completion of interface names, as the shell lists them', async () => {
    const { candidates } = await complete('network list ', null, system);
    expect(candidates).toContain(raw);
    // Two candidates share "eth": a second Tab... here several fit and none is a prefix: the shell lists them.
    const entries = await shellOutput(system, [{ name: 'text', text: 'network list ' }, { name: 'tab' }]);
    expectSafe(entries, `eth0  eth1  eth2  lo  ${expected}`);
  });

  it('validate-capture: the file name and the capture error', async () => {
    const file = join(dir, `${raw}.pcap`);
    writeFileSync(file, 'garbage, not a capture');
    const outcome = await run(`network validate-capture "${file}"`);
    expectExit(outcome.exitCode, EXIT.INCOMPLETE);
    const text = shown(outcome);
    expectSafe(text, `${expected}.pcap`);
    expect(text).toMatch(/not a pcap or pcapng file/);
  });

  it('the wizard echoes a piped answer escaped', async () => {
    let bytes = '';
    const sink = new OutputSink({ write: (s: string) => (bytes += s) }, { color: false, ascii: false });
    const prompter = new LinePrompter(new LineSource(Readable.from([`${raw}\nn\n`])), sink, true);
    await expect(prompter.confirm('Change it?', { default: false })).resolves.toBe(false);
    expect(bytes).toBe(`Change it? [y/N] ${expected}\nPlease answer y or n.\nChange it? [y/N] n\n`);
  });

  it('with colour on, hostile text cannot forge or break style', async () => {
    const text = shown(await run('network list', undefined, true), true);
    expectSafe(text, `\u001b[1m${expected}\u001b[0m: flags=`);
  });
});

describe.concurrent('long untrusted text is cut (200 characters)', () => {
  const big = 'A'.repeat(10 * 1024 * 1024);

  it('untrusted() keeps 200 characters and says how many were left out', () => {
    expect(untrusted(big)).toBe(`${'A'.repeat(200)}...[${big.length - 200} more characters]`);
    expect(untrusted(`${'\u001b'.repeat(300)}`)).toBe(`${'\\x1b'.repeat(200)}...[100 more characters]`);
  });

  it('a 10 MB interface name from the target is shown cut', async () => {
    const dir = tempDir();
    writeHostileState(dir, 'ok', { lock: false });
    const ctx = { system: new HostileSensor(dir, big), prompter: new FakePrompter([]), style: createStyle({ ascii: false, color: false, width: 80 }), caller: ADMIN, signal: new AbortController().signal, progress: () => {}, json: false };
    const outcome = (await dispatchLine('network list', { mode: null, history: [] }, ctx)).outcome!;
    expect(outcome.text.length).toBeLessThan(5000);
    expect(outcome.text).toContain(`${'A'.repeat(200)}...[${big.length - 200} more characters]: flags=`);
  });

  it('a 10 MB lock holder name (a message built below the output layer) is cut at 200 characters', async () => {
    const dir = tempDir();
    writeHostileState(dir, big);
    const ctx = { system: new SimulatorAdapter(dir), prompter: new FakePrompter([]), style: createStyle({ ascii: false, color: false, width: 80 }), caller: ADMIN, signal: new AbortController().signal, progress: () => {}, json: false };
    const outcome = (await dispatchLine('network edit-settings --ip 10.1.0.30 --yes', { mode: null, history: [] }, ctx)).outcome!;
    expectExit(outcome.exitCode, EXIT.LOCKED);
    const text = shown(outcome);
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain(`The network settings are being edited by ${'A'.repeat(200)}...[${big.length - 200} more characters] on /dev/pts/9 (pid 4242 on elsewhere.invalid)`);
  });

  it.skipIf(noPython)('a 10 MB piped unknown command is not echoed back in full', async () => {
    const dir = tempDir();
    const input = join(dir, 'input');
    writeFileSync(input, `${big}\n`);
    const result = await runInPty([], { stateDir: join(dir, 'state'), stdinFile: input });
    expectExit(result.exitCode, EXIT.USAGE);
    expect(result.output.length).toBeLessThan(1000);
    expect(result.output).toContain(`Unknown command "${'A'.repeat(200)}...[${big.length - 200} more characters]". Type "help" to list commands.`);
  });

  it.skipIf(noPython)('a 10 MB piped answer to the wizard is echoed cut', async () => {
    const dir = tempDir();
    const input = join(dir, 'input');
    writeFileSync(input, `${big}\n${'n\n'.repeat(6)}`);
    const result = await runInPty(['network', 'edit-settings'], { stateDir: join(dir, 'state'), stdinFile: input });
    expectExit(result.exitCode, EXIT.OK);
    expect(result.output.length).toBeLessThan(3000);
    expect(result.output).toContain(`[y/N] ${'A'.repeat(200)}...[${big.length - 200} more characters]\nPlease answer y or n.`);
  });

  it.skipIf(noPython)('a 100 kB unknown command word in argv gets no "did you mean" search and is cut', async () => {
    const dir = tempDir();
    const word = 'netw'.repeat(25_000);
    const result = await runInPty([word, 'list'], { stateDir: dir });
    expectExit(result.exitCode, EXIT.USAGE);
    expect(result.output.length).toBeLessThan(1000);
    expect(result.output).toContain(`Unknown command "${word.slice(0, 200)}...[`);
  });
});

describe.concurrent('the built CLI on a real PTY shows no raw control byte (NO_COLOR)', () => {
  let dir: string;
  let capture: string;
  beforeAll(() => {
    dir = tempDir();
    writeHostileState(join(dir, 'state'), ALL.raw);
    capture = join(dir, `x\u001b]0;pwned\u0007.pcap`);
    writeFileSync(capture, 'garbage, not a capture');
  });
  const cases: { name: string; args: () => string[]; exit: number; expect: () => string; stdin?: string }[] = [
    { name: 'network list NAME', args: () => ['network', 'list', `${ALL.raw}q`], exit: EXIT.PROBLEM, expect: () => `No interface named "${ALL.shown}q"` },
    { name: 'system audit', args: () => ['system', 'audit'], exit: EXIT.OK, expect: () => `  ${ALL.shown} (${ALL.shown}) on simulator` },
    { name: 'the lock holder', args: () => ['network', 'edit-settings', '--ip', '10.1.0.30', '--yes'], exit: EXIT.LOCKED, expect: () => `being edited by ${ALL.shown} on /dev/pts/9` },
    { name: 'an unknown command', args: () => [ALL.raw, 'list'], exit: EXIT.USAGE, expect: () => `Unknown command "${ALL.shown} list"` },
    { name: 'an unknown command option', args: () => ['network', 'list', `--${ALL.raw}`], exit: EXIT.USAGE, expect: () => `unknown option --${ALL.shown}.` },
    { name: 'an unknown global option', args: () => [`--${ALL.raw}`], exit: EXIT.USAGE, expect: () => `otshell: unknown or incomplete option --${ALL.shown}.` },
    { name: 'help', args: () => ['help', ALL.raw], exit: EXIT.OK, expect: () => `No help for "${ALL.shown}".` },
    { name: 'validate-capture: file name and capture error', args: () => ['network', 'validate-capture', capture], exit: EXIT.INCOMPLETE, expect: () => 'x\\x1b]0;pwned\\x07.pcap: not a pcap or pcapng file' },
    { name: 'the wizard echo of a piped answer', args: () => ['network', 'edit-settings'], stdin: `${ALL.raw}\n${'n\n'.repeat(6)}`, exit: EXIT.LOCKED, expect: () => 'being edited by' },
    { name: 'a piped script line', args: () => [], stdin: `${ALL.raw}\n`, exit: EXIT.USAGE, expect: () => `Unknown command "${ALL.shown}"` },
  ];
  it.skipIf(noPython).each(cases)('$name', async (c) => {
    let stdinFile: string | undefined;
    if (c.stdin !== undefined) {
      stdinFile = join(dir, `stdin-${c.name.replace(/\W/g, '_')}`);
      writeFileSync(stdinFile, c.stdin);
    }
    const result = await runInPty(c.args(), { stateDir: join(dir, 'state'), stdinFile });
    expect(result.timedOut).toBe(false);
    expect(result.output).not.toMatch(RAW_CONTROL);
    expect(result.output).toContain(c.expect());
    expectNoStackTrace(result.output);
    expectExit(result.exitCode, c.exit);
  });

  const refused = [
    { name: 'network list', args: ['network', 'list'], field: 'settings.bridgeInterface' },
    { name: 'network validate', args: ['network', 'validate'], field: 'settings.bridgeInterface' },
    { name: 'system sanity', args: ['system', 'sanity'], field: 'settings.bridgeInterface' },
  ];
  it.skipIf(noPython).each(refused)('$name with the hostile name in the state file: refused (78), the field named, the value never shown', async (c) => {
    const state = join(dir, 'hostile-in-state');
    writeHostileState(state, ALL.raw, { inState: true });
    const result = await runInPty(c.args, { stateDir: state });
    expect(result.output).not.toMatch(RAW_CONTROL);
    expect(result.output).not.toContain('pwned');
    expect(result.output).toContain(c.field);
    expectNoStackTrace(result.output);
    expectExit(result.exitCode, EXIT.CONFIG);
  });

  it.skipIf(noPython)('the wizard echo, without a lock: the piped answer is shown escaped', async () => {
    const clean = join(dir, 'clean');
    const stdinFile = join(dir, 'wizard-answers');
    writeFileSync(stdinFile, `${ALL.raw}\n${'n\n'.repeat(6)}`);
    const result = await runInPty(['network', 'edit-settings'], { stateDir: clean, stdinFile });
    expect(result.output).not.toMatch(RAW_CONTROL);
    expect(result.output).toContain(`(current: 10.1.0.20) [y/N] ${ALL.shown}\nPlease answer y or n.\n`);
    expectExit(result.exitCode, EXIT.OK);
  });
});

describe('the Ink shell under tmux at 80x24: the title never changes, the screen never clears', () => {
  const skip = skipWithout('tmux');
  let term: TmuxTerminal;
  let dir: string;
  let title: string;
  const paneTitle = async () => (await execa('tmux', ['-L', (term as unknown as { socket: string }).socket, 'display', '-p', '-t', 'main', '#{pane_title}'])).stdout;

  beforeAll(async () => {
    if (skip) return;
    dir = tempDir();
    writeHostileState(join(dir, 'state'), ALL.raw);
    writeFileSync(join(dir, `x\u001b]0;pwned\u0007.pcap`), 'garbage, not a capture');
    term = await TmuxTerminal.start([], { stateDir: join(dir, 'state') });
    await term.waitFor(/shell>/);
    title = await paneTitle();
  });
  afterAll(async () => {
    await term?.stop();
  });

  /** The screen with Ink's word wrapping undone: runs of whitespace as one space. */
  const flat = (s: string) => s.replace(/\s+/g, ' ');

  /**
   * Types a line, waits for its output, and checks the echoed line is still on screen (no clear)
   * and the title is unchanged. No Ctrl-L between steps: its clear races the next keys under load;
   * each step's output fits the 24 rows, and each waits for text only its own output has.
   */
  async function step(line: string, until: RegExp, visible: string) {
    await term.keys('C-u');
    await term.type(line);
    await term.keys('Enter');
    const screen = flat(await term.waitFor((s) => until.test(flat(s)), { timeoutMs: 8000 }));
    expect(await paneTitle()).toBe(title);
    expect(title).not.toContain('pwned');
    expect(screen).toContain(flat(`shell> ${escapeValue(line)}`));
    expect(screen).toContain(flat(visible));
    return screen;
  }

  it.skipIf(skip)('network list of an interface named with an RLO', async () => {
    await step('network list x\u202eq', /No interface named/, 'No interface named "x\\u202eq". Interfaces: eth0, eth1, eth2, eth3, lo.');
  });
  it.skipIf(skip)('system audit', async () => {
    await step('system audit', /\) on simulator/, '  n\\x1b]0;pwned\\x07');
  });
  it.skipIf(skip)('the lock holder message', async () => {
    await step('network edit-settings --ip 10.1.0.30 --yes', /being edited by/, 'being edited by n\\x1b]0;pwned\\x07');
  });
  it.skipIf(skip)('an unknown command with an RLO typed in', async () => {
    await step('x\u202eevil list', /Unknown command/, 'Unknown command "x\\u202eevil list"');
  });
  it.skipIf(skip)('"?" after an unknown word', async () => {
    await term.keys('C-u');
    await term.type('x\u202eq ?');
    await term.waitFor((s) => flat(s).includes('shell> x\\u202eq ? Nothing known follows "x\\u202eq".'));
    expect(await paneTitle()).toBe(title);
    await term.keys('C-u');
  });
  it.skipIf(skip)('validate-capture of a file completed by Tab: its name and the capture error', async () => {
    await term.keys('C-u');
    await term.type(`network validate-capture ${dir}/x`);
    await term.waitForInputLine(/\/x$/);
    const typed = await term.lastLine();
    await term.keys('Tab');
    // Completed: the input line changed (the name is inserted; Ink may truncate the escaped row).
    await term.waitFor((s) => s.split('\n').filter((l) => l.trim() !== '').at(-1) !== typed);
    await term.keys('Enter');
    const screen = flat(await term.waitFor(/not a pcap/));
    expect(screen).toContain('x\\x1b]0;pwned\\x07.pcap: not a pcap');
    expect(await paneTitle()).toBe(title);
  });
  it.skipIf(skip)('help', async () => {
    await step('help x\u202eq', /No help for/, 'No help for "x\\u202eq".');
  });
  it.skipIf(skip)("the wizard's echo of a typed answer (lock released)", async () => {
    rmSync(join(dir, 'state', 'edit-settings.lock'));
    await step('network edit-settings', /IP address\? \(current: 10\.1\.0\.20\) \[y\/N\]/, 'Nothing is written until you confirm at the end.');
    await term.type('x\u202eevil');
    await term.keys('Enter');
    const screen = flat(await term.waitFor(/Please answer y or n\./));
    expect(screen).toContain('(current: 10.1.0.20) [y/N] x\\u202eevil Please answer y or n.');
    expect(await paneTitle()).toBe(title);
    await term.keys('C-c');
    await term.waitFor(/No changes were made\./);
  });
});

describe.each(HOSTILE)('the output layer alone catches $name that a renderer forgot to escape', ({ name, raw, shown: expected }) => {
  it('the text sink shows it visibly (markers, without colour, are dropped: no style can be forged)', () => {
    let bytes = '';
    new OutputSink({ write: (s: string) => (bytes += s) }, { color: false, ascii: false }).line(`name: ${raw}\nnext`);
    expect(bytes).not.toMatch(RAW_CONTROL);
    expect(bytes).toBe(name === 'private style markers' ? 'name: xy\nnext\n' : `name: ${expected}\nnext\n`);
  });

  it('the JSON sink keeps the exact value with safe bytes', () => {
    let bytes = '';
    new OutputSink({ write: (s: string) => (bytes += s) }, { color: false, ascii: false }).json(JSON.stringify({ name: raw }));
    expect(bytes).not.toMatch(RAW_CONTROL);
    expect(bytes).not.toMatch(/[\ue000-\ue00f\u2028\u2029]/);
    expect(JSON.parse(bytes)).toEqual({ name: raw });
  });
});
