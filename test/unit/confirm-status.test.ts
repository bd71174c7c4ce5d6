// Confirm-or-revert read back, without a kernel: validate's note during the
// countdown, and audit entries marked reverted from the timer's log.
import { describe, expect, it } from 'vitest';
import { markReverted } from '../../src/system/linux/confirm-status.js';
import { renderValidate, withPendingConfirmation, validateSettings } from '../../src/commands/network/validate.js';
import systemAudit from '../../src/commands/system/audit.js';
import { PLAIN } from '../../src/output/style.js';
import type { AuditEntry, NetworkSettings } from '../../src/system/adapter.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { tempStateDir } from '../helpers/cli.js';

const SETTINGS: NetworkSettings = { managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: ['eth1', 'eth2'], bridgeInterface: null };
const entry = (id: string, ip: string): AuditEntry => ({ id, time: '2026-11-29T02:00:00.000Z', user: 'support', target: 'local', old: SETTINGS, new: { ...SETTINGS, ip } });

describe('confirm-or-revert status', () => {
  it('markReverted marks exactly the entries whose id the timer logged, with the time', () => {
    const log = { entries: [entry('aaaaaaaaaaaaaaaa', '10.1.0.30'), entry('bbbbbbbbbbbbbbbb', '10.1.0.31')], malformedLines: [] };
    const marked = markReverted(log, 'bbbbbbbbbbbbbbbb 2026-11-29T02:02:00Z\nnot a line\n../evil 2026\n');
    expect(marked.entries.map((e) => e.reverted ?? false)).toEqual([false, true]);
    expect(marked.entries[1]!.revertedAt).toBe('2026-11-29T02:02:00Z');
    expect(markReverted(log, '')).toBe(log);
  });

  it('system audit shows a reverted change as [reverted] with when', () => {
    const text = systemAudit.render({ entries: [{ ...entry('bbbbbbbbbbbbbbbb', '10.1.0.31'), reverted: true, revertedAt: '2026-11-29T02:02:00Z' }], total: 1, malformedLines: [] }, PLAIN);
    expect(text.split('\n')).toEqual([
      '2026-11-29 02:00:00 UTC  support (unknown terminal) on local  [reverted]',
      '  Management IP   10.1.0.20 -> 10.1.0.31',
      '  Not confirmed in time: the previous settings came back at 2026-11-29 02:02:00 UTC.',
    ]);
  });

  it('network validate during the countdown: the first line says "network confirm" is pending and when it reverts', async () => {
    const state = tempStateDir();
    try {
      const snapshot = await new SimulatorAdapter(state.dir).listInterfaces();
      const result = withPendingConfirmation(validateSettings(SETTINGS, null, snapshot), { revertAt: '2026-11-29T02:05:00.000Z', settings: { ...SETTINGS, ip: '10.1.0.40' } });
      expect(result.match).toBe(false);
      expect(result.mismatches[0]).toEqual({
        check: 'pending-confirm',
        message: 'A change waits for "network confirm": the interfaces carry eth0 10.1.0.40/24 via 10.1.0.1, which is not saved yet and reverts at 2026-11-29 02:05:00 UTC unless you run "network confirm".',
      });
      expect(renderValidate(result, PLAIN).split('\n')[1]).toMatch(/^  \u2022 A change waits for "network confirm"/);
    } finally {
      state.cleanup();
    }
  });
});
