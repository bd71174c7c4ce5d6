// Hints repeat the user's own global options: following one acts on the same state.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('hints with the global options given', () => {
  it('a bad state file names "otshell --state-dir DIR --reset-simulator", and following it works', async () => {
    const state = tempStateDir();
    cleanups.push(state.cleanup);
    const dir = join(state.dir, 'my state');
    const first = await runOtshell(['--state-dir', dir, 'network', 'list'], { stateDir: state.dir });
    expect(first.exitCode).toBe(0);
    writeFileSync(join(dir, 'simulator.json'), '{bad');
    const broken = await runOtshell(['--state-dir', dir, 'network', 'list'], { stateDir: state.dir });
    expect(broken.exitCode).toBe(78);
    expect(broken.stderr).toContain(`"otshell --state-dir '${dir}' --reset-simulator"`);
    const reset = await runOtshell(['--state-dir', dir, '--reset-simulator'], { stateDir: state.dir });
    expect(reset.exitCode).toBe(0);
    expect((await runOtshell(['--state-dir', dir, 'network', 'list'], { stateDir: state.dir })).exitCode).toBe(0);
  });
});
