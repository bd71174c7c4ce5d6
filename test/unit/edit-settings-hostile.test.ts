// The hostile-input table (settings-hostile-table.ts) through the whole
// command: once as flags on the one-shot argv path, once as piped answers to
// the wizard through the line prompter. Each input gets its clear message, and
// the simulator's state file stays byte-identical, with no audit entry and no lock left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { executeCommand } from '../../src/commands/execute.js';
import { resolveWords } from '../../src/commands/resolve.js';
import { dispatchLine } from '../../src/commands/dispatch.js';
import { quoteInput } from '../../src/net/settings-rules.js';
import { NO_CHANGES } from '../../src/commands/network/edit-wizard.js';
import { LinePrompter } from '../../src/cli/line-prompter.js';
import { LineSource } from '../../src/cli/line-source.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { defaultSimulatorState } from '../../src/system/simulator/state.js';
import { PLAIN } from '../../src/output/style.js';
import type { CommandContext } from '../../src/commands/types.js';
import type { Prompter } from '../../src/commands/prompter.js';
import { tempStateDir } from '../helpers/cli.js';
import { current, table, wizardCheck, type Field } from './settings-hostile-table.js';
import { FakePrompter } from './settings-fake-prompter.js';

let temp: { dir: string; cleanup(): void };
let sim: SimulatorAdapter;
let original: Buffer;
beforeAll(async () => {
  temp = tempStateDir();
  sim = new SimulatorAdapter(temp.dir);
  await sim.getNetworkSettings();
  original = readFileSync(sim.statePath);
});
afterAll(() => temp.cleanup());

/** After every row: the state file as it was, nothing audited, no lock left behind. */
async function expectUntouched() {
  expect(readFileSync(sim.statePath)).toEqual(original);
  expect((await sim.readAudit()).entries).toEqual([]);
  expect(existsSync(join(temp.dir, 'edit-settings.lock'))).toBe(false);
}

function context(prompter: Prompter): CommandContext {
  return {
    system: sim,
    prompter,
    style: PLAIN,
    caller: { user: 'operator', tty: 'pipe', role: 'support' },
    signal: new AbortController().signal,
    progress: () => {},
    json: false,
  };
}

const PRINTABLE = /^[\x20-\x7e\n]*$/;
/** Piped output echoes the answers: printable Unicode may stay, control and bidi characters may not. */
const TERMINAL_SAFE = /^[^\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]*$/;
const rows = table.map(([field, input, ...fragments]) => ({ field, input, fragments, shown: quoteInput(input) }));

it('the table describes the simulator sensor the commands run against', () => {
  expect(defaultSimulatorState().settings).toEqual(current);
  expect(rows.length).toBeGreaterThanOrEqual(40);
});

describe('hostile values as flags: otshell network edit-settings --FLAG=VALUE --yes', () => {
  const flagName: Record<Field, string> = {
    ip: 'ip',
    mask: 'mask',
    gateway: 'gateway',
    dns: 'dns',
    inputs: 'input-interfaces',
    bridge: 'bridge',
  };
  it.each(rows)('--$field $shown: exit 1 with its reason, nothing written', async ({ field, input, fragments }) => {
    const resolution = resolveWords(['network', 'edit-settings', `--${flagName[field]}=${input}`, '--yes'], null);
    if (resolution.kind !== 'command') throw new Error(`unresolved: ${JSON.stringify(resolution)}`);
    const outcome = await executeCommand(resolution.command, resolution.input, resolution, context(new FakePrompter([])));
    const reason = wizardCheck[field](input);
    expect(outcome).toEqual({
      text: `This value is not valid; nothing was changed:\n  --${flagName[field]}: ${reason}`,
      exitCode: 1,
      isError: true,
    });
    for (const fragment of fragments) expect(outcome.text).toContain(fragment);
    expect(outcome.text).toMatch(PRINTABLE);
    await expectUntouched();
  });
});

/** Runs the wizard on piped lines, as `printf '...' | otshell network edit-settings` does. */
async function piped(answers: string) {
  let out = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const prompter = new LinePrompter(new LineSource(Readable.from([answers])), sink, true);
  const result = await dispatchLine('network edit-settings', { mode: null, history: [] }, context(prompter));
  return { outcome: result.outcome!, out };
}

/** Answers that reach each step's question, N before it and Y at it. */
const reach: Record<Field, string> = {
  ip: 'y\n',
  mask: 'n\ny\n',
  dns: 'n\nn\ny\n',
  gateway: 'n\nn\nn\ny\n',
  inputs: 'n\nn\nn\nn\ny\n',
  bridge: 'n\nn\nn\nn\nn\ny\n',
};

describe('hostile answers piped to the wizard', () => {
  // Text questions get the very rows of the table. A row with a line break
  // would be two answers in a pipe, so it is left to the flag form.
  const textRows = rows.filter((r) => ['ip', 'mask', 'gateway', 'dns'].includes(r.field) && !/[\n\r]/.test(r.input));
  it('covers at least 40 rows of the table', () => {
    expect(textRows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(textRows)('$field $shown: refused with its reason, then closed input changes nothing', async ({ field, input, fragments }) => {
    const { outcome, out } = await piped(`${reach[field]}${input}\n`);
    // The line prompter hands the validator the trimmed answer.
    const reason = wizardCheck[field](input.trim());
    expect(reason).not.toBeNull();
    expect(out).toContain(`\n${reason}\n`);
    for (const fragment of fragments) expect(out).toContain(fragment);
    expect(out).toMatch(TERMINAL_SAFE);
    expect(outcome).toEqual({ text: `Input closed: cancelled. ${NO_CHANGES}`, exitCode: 130, isError: false });
    await expectUntouched();
  });

  // Interface questions are numbered lists in a pipe: answers are numbers or names offered.
  const choiceRows: [Field, string, string][] = [
    ['inputs', '0', 'Please answer with numbers from 1 to 3 or names, separated by commas.'],
    ['inputs', '4', 'Please answer with numbers from 1 to 3 or names'],
    ['inputs', 'eth0', 'Please answer with numbers from 1 to 3 or names'],
    ['inputs', 'lo', 'Please answer with numbers from 1 to 3 or names'],
    ['inputs', '$(reboot)', 'Please answer with numbers from 1 to 3 or names'],
    ['inputs', '1;reboot', 'Please answer with numbers from 1 to 3 or names'],
    ['inputs', ' , ', 'Please answer with numbers from 1 to 3 or names'],
    ['bridge', '3', 'Please answer with one number from 1 to 2, or a name.'],
    ['bridge', 'eth1', 'Please answer with one number from 1 to 2, or a name.'],
    ['bridge', '1,2', 'Please answer with one number from 1 to 2, or a name.'],
    ['bridge', '`reboot`', 'Please answer with one number from 1 to 2, or a name.'],
    ['bridge', 'x'.repeat(500), 'Please answer with one number from 1 to 2, or a name.'],
  ];
  it.each(choiceRows.map(([field, input, message]) => ({ field, input, message, shown: quoteInput(input) })))(
    '$field list answered $shown: asked again, then closed input changes nothing',
    async ({ field, input, message }) => {
      const { outcome, out } = await piped(`${reach[field]}${input}\n`);
      expect(out).toContain(message);
      expect(out).toMatch(TERMINAL_SAFE);
      expect(outcome.exitCode).toBe(130);
      expect(outcome.text).toContain(NO_CHANGES);
      await expectUntouched();
    },
  );

  it('a Y/N question refuses anything but y, yes, n, no, asking again', async () => {
    const { out, outcome } = await piped('maybe\n$(reboot)\n\x1b[2J\nYES\nn\n');
    expect(out.match(/^Please answer y or n\.$/gm)).toHaveLength(3);
    expect(out).toContain('\\x1b[2J'); // echoed escaped, never raw
    expect(out).toMatch(TERMINAL_SAFE);
    expect(outcome.exitCode).toBe(130);
    await expectUntouched();
  });
});
