// Every quoted otshell hint repeats the user's global options, in plain output
// and in the interactive shell, so following it acts on the same target and state.
import { describe, expect, it } from 'vitest';
import { globalsForHints, repeatGlobals } from '../../src/output/hints.js';
import { ShellController } from '../../src/ui/shell-controller.js';
import { PLAIN } from '../../src/output/style.js';
import { useSimulators } from '../helpers/command-harness.js';

const simulator = useSimulators();

describe('hints repeat the global options', () => {
  it('globalsForHints quotes what the shell would split; repeatGlobals fills every quoted otshell hint', () => {
    const globals = globalsForHints({ 'state-dir': '/tmp/my state', target: 'simulator', ascii: true, 'ssh-option': ['Port=2222'] });
    expect(globals).toEqual(['--target', 'simulator', '--state-dir', "'/tmp/my state'", '--ssh-option', 'Port=2222']);
    expect(repeatGlobals('Power it on with "otshell --power-on".', globals)).toBe(
      `Power it on with "otshell --target simulator --state-dir '/tmp/my state' --ssh-option Port=2222 --power-on".`,
    );
    expect(repeatGlobals('run otshell as root ("sudo otshell ...")', ['--target', 'local'])).toBe('run otshell as root ("sudo otshell --target local ...")');
    expect(repeatGlobals('"otshell help" lists them', ['--target', 'local'])).toBe('"otshell help" lists them');
  });

  it('in the interactive shell, the powered-off hint names the --state-dir the shell was started with', async () => {
    const system = simulator();
    await system.shutdown();
    let settled!: () => void;
    const changed = new Promise<void>((resolve) => (settled = resolve));
    const controller = new ShellController(
      { system, style: { ...PLAIN, width: 1000 }, caller: { user: 'support', role: 'support' }, hintGlobals: ['--state-dir', '/tmp/s'] },
      [],
      {
        changed: () => {
          if (controller.snapshot().entries.some((e) => e.tone === 'error')) settled();
        },
        exit: () => {},
        clearScreen: () => {},
        saveHistory: () => {},
        loadHistory: async () => [],
      },
    );
    controller.handleKeys([...'network list'].map((c) => ({ name: 'text', text: c }) as never).concat([{ name: 'enter' } as never]));
    await changed;
    const error = controller.snapshot().entries.find((e) => e.tone === 'error')!;
    expect(error.text).toContain('"otshell --state-dir /tmp/s --power-on"');
  });
});
