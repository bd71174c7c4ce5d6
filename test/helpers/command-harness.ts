// Running command lines against a throwaway simulated sensor, as the shell would.
import { afterEach } from 'vitest';
import { dispatchLine } from '../../src/commands/dispatch.js';
import { PLAIN } from '../../src/output/style.js';
import type { Caller, CommandContext } from '../../src/commands/types.js';
import type { Prompter } from '../../src/commands/prompter.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import type { SystemAdapter } from '../../src/system/adapter.js';
import { tempStateDir } from './cli.js';
import { FakePrompter } from '../unit/settings-fake-prompter.js';

export const ADMIN: Caller = { user: 'operator', tty: '/dev/pts/3', role: 'support' };

/** Call at the top of a test file: returns a factory of simulators whose state dirs are removed after each test. */
export function useSimulators(): (clock?: () => number) => SimulatorAdapter {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
  return (clock) => {
    const temp = tempStateDir();
    dirs.push(temp);
    return new SimulatorAdapter(temp.dir, clock);
  };
}

/** One typed line through the shell's dispatcher; the outcome the user would see. */
export async function runLine(system: SystemAdapter, text: string, prompter: Prompter = new FakePrompter([]), caller = ADMIN) {
  const ctx: CommandContext = { system, prompter, style: PLAIN, caller, signal: new AbortController().signal, progress: () => {}, json: false };
  return (await dispatchLine(text, { mode: null, history: [] }, ctx)).outcome!;
}
