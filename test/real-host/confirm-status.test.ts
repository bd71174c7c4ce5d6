// Confirm-or-revert, as network validate and system audit report it on a real
// kernel: during the countdown validate says "network confirm" is pending;
// after the timer reverted the change, system audit marks it reverted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { revertTimer } from './revert-timer-watch.js';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';

const skip = missingParts(['root', 'ip', 'netplan']);
/** Wide enough that a loaded 2-core machine (load 40 in a full run) does the checks inside the window. */
const CONFIRM_WINDOW_SECONDS = 30;

async function waitFor(test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !test()) await new Promise((r) => setTimeout(r, 200));
}

describe.skipIf(skip !== null)('confirm-or-revert in network validate and system audit', () => {
  let ns: Namespace;
  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
  });
  afterAll(async () => {
    await ns?.remove();
  });

  it('validate names the pending "network confirm"; after the revert, audit marks the change reverted', { timeout: 150_000 }, async () => {
    const local = (args: string[]) => ns.otshell(['--target', 'local', ...args]);
    const applied = await local(['network', 'edit-settings', '--ip', '10.77.0.61', '--yes', '--confirm-timeout', String(CONFIRM_WINDOW_SECONDS)]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/revert at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC unless you run "network confirm"/);
    const timer = await revertTimer(ns.stateDir);

    const during = await local(['network', 'validate']);
    expect(during.exitCode).toBe(1);
    expect(during.stdout).toMatch(
      /A change waits for "network confirm": the interfaces carry eth0 10\.77\.0\.61\/24 via 10\.77\.0\.1, which is not saved yet and reverts at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC unless you run "network confirm"\./,
    );
    const duringJson = JSON.parse((await local(['network', 'validate', '--json'])).stdout);
    expect(existsSync(join(ns.stateDir, 'reverted.log')), 'the checks ran inside the window').toBe(false);
    expect(duringJson.mismatches[0]?.check).toBe('pending-confirm');

    // The checks above are done: the timer's window is ended now instead of slept out (the same
    // script reverts; network.test.ts waits a whole window once), then its end is waited for.
    await timer.runOutNow();
    await timer.ended((CONFIRM_WINDOW_SECONDS + 20) * 1000);
    const log = join(ns.stateDir, 'reverted.log');
    await waitFor(() => existsSync(log), 5_000);
    expect(existsSync(log), 'the timer reverted the change').toBe(true);

    const audit = await local(['system', 'audit']);
    expect(audit.exitCode, audit.stderr).toBe(0);
    const last = audit.stdout.split('\n\n').at(-1)!;
    expect(last).toMatch(/\[reverted\]/);
    expect(last).toMatch(/Not confirmed in time: the previous settings came back at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    const auditJson = JSON.parse((await local(['system', 'audit', '--json'])).stdout);
    expect(auditJson.entries.at(-1)).toMatchObject({ reverted: true, new: { ip: '10.77.0.61' } });

    const after = JSON.parse((await local(['network', 'validate', '--json'])).stdout);
    expect(after.mismatches.map((m: { check: string }) => m.check)).not.toContain('pending-confirm');
  });
});
