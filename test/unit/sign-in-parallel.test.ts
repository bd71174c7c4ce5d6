// Simultaneous failed sign-ins all count: the bookkeeping's re-read and write
// hold their own short lock (src/system/simulator/sign-in-lock.ts), so no
// failure is lost and a lockout cannot be dodged by trying in parallel.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { BIN, tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState, TEST_PASSWORD } from '../helpers/sign-in.js';
import { SIGN_IN_LOCK_FILE } from '../../src/system/simulator/sign-in-lock.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function stateWithPolicy(maxFailures: number) {
  const state = tempStateDir();
  cleanups.push(state.cleanup);
  prepareSignedInState(state.dir);
  const path = join(state.dir, 'simulator.json');
  const parsed = JSON.parse(readFileSync(path, 'utf8'));
  parsed.signInPolicy = { maxFailures, lockSeconds: 300 };
  writeFileSync(path, JSON.stringify(parsed));
  return { dir: state.dir, read: () => JSON.parse(readFileSync(path, 'utf8')) };
}

describe('simultaneous sign-ins', () => {
  it('12 failures at once in one process: the source counts 12 and support 12', async () => {
    const state = stateWithPolicy(100);
    const system = new SimulatorAdapter(state.dir);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => system.signIn.authenticate('support', `wrong-${i}`, 'console')));
    expect(results.every((r) => !r.ok && r.reason === 'bad-credentials')).toBe(true);
    const saved = state.read();
    expect(saved.sourceLocks).toEqual([{ source: 'console', failures: 12, lockedUntil: null }]);
    expect(saved.users.find((u: { name: string }) => u.name === 'support').failuresSinceLast).toBe(12);
    expect(existsSync(join(state.dir, SIGN_IN_LOCK_FILE))).toBe(false);
  });

  it('5 failures at once against a limit of 5 lock the source: the right password is then refused', async () => {
    const state = stateWithPolicy(5);
    const system = new SimulatorAdapter(state.dir);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => system.signIn.authenticate('support', `wrong-${i}`, '10.9.8.7')));
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(1);
    const after = await system.signIn.authenticate('support', TEST_PASSWORD, '10.9.8.7');
    expect(after).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('6 otshell processes failing --password-stdin at once: all 6 counted', async () => {
    const state = stateWithPolicy(100);
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        execa('node', [BIN, '--state-dir', state.dir, '--user', 'support', '--password-stdin', 'network', 'list'], { input: `wrong-${i}\n`, reject: false }),
      ),
    );
    expect(runs.map((r) => r.exitCode)).toEqual(Array(6).fill(77));
    const saved = state.read();
    expect(saved.sourceLocks).toEqual([{ source: 'pipe', failures: 6, lockedUntil: null }]);
    expect(saved.users.find((u: { name: string }) => u.name === 'support').failuresSinceLast).toBe(6);
  }, 60_000);
});
