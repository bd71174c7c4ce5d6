// The audit log as a hostile or unlucky disk leaves it: malformed lines in the
// middle are skipped and named (never exit 70), a line torn by a crash at the
// end is tolerated silently, and a change cut short is completed at the next
// start as "interrupted" -- or dropped when it never landed, and never twice.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import type { AuditEntry, NetworkSettings } from '../../src/system/adapter.js';
import { auditEntries } from './lock-harness.js';
import { expectExit, expectNoStackTrace } from './helpers.js';

const BASE: NetworkSettings = {
  managementInterface: 'eth0',
  ip: '10.1.0.20',
  prefixLength: 24,
  gateway: '10.1.0.1',
  dns: ['10.1.0.2'],
  inputInterfaces: ['eth1', 'eth2'],
  bridgeInterface: null,
};

function entry(fields: Partial<AuditEntry> & { newIp: string; oldIp?: string }): AuditEntry {
  const { newIp, oldIp, ...rest } = fields;
  return { time: '2026-11-28T10:00:00.000Z', user: 'operator', tty: '/dev/pts/3', target: 'simulator', old: { ...BASE, ip: oldIp ?? BASE.ip }, new: { ...BASE, ip: newIp }, ...rest };
}

async function sensor() {
  const temp = tempStateDir();
  const sim = new SimulatorAdapter(temp.dir);
  await sim.getNetworkSettings();
  return { ...temp, sim, log: join(temp.dir, 'audit.jsonl'), intent: join(temp.dir, 'apply-intent.json') };
}

/** Makes the simulator show settings as pending, as an apply that got that far would have left them. */
function setPending(sim: SimulatorAdapter, settings: NetworkSettings): void {
  const state = JSON.parse(readFileSync(sim.statePath, 'utf8'));
  writeFileSync(sim.statePath, `${JSON.stringify({ ...state, pendingSettings: settings }, null, 2)}\n`);
}

describe('system audit: malformed and torn lines', () => {
  it('a malformed middle line is skipped and named; the other entries are shown; exit 0', async () => {
    const { dir, log, cleanup } = await sensor();
    writeFileSync(log, [JSON.stringify(entry({ newIp: '10.1.0.30' })), '{"time":"2026-11-28T10:01:00Z","user":', JSON.stringify(entry({ oldIp: '10.1.0.30', newIp: '10.1.0.40' })), ''].join('\n'));
    const result = await runOtshell(['system', 'audit'], { stateDir: dir });
    expectNoStackTrace(result.stderr);
    expectExit(result.exitCode, 0);
    expect(result.stdout).toMatch(/Management IP +10\.1\.0\.20 -> 10\.1\.0\.30/);
    expect(result.stdout).toMatch(/Management IP +10\.1\.0\.30 -> 10\.1\.0\.40/);
    expect(result.stdout).toMatch(/Note: 1 line of the audit log could not be read and was skipped \(line 2\)\.$/);
    cleanup();
  });

  it('lines that are JSON but not entries (a number, an entry without settings, null) are flagged, not a crash', async () => {
    const { dir, log, cleanup } = await sensor();
    writeFileSync(log, ['42', '{"time":"x","user":"u","target":"simulator"}', 'null', JSON.stringify(entry({ newIp: '10.1.0.30' })), ''].join('\n'));
    const result = await runOtshell(['system', 'audit', '--json'], { stateDir: dir });
    expectNoStackTrace(result.stderr);
    expectExit(result.exitCode, 0);
    const json = JSON.parse(result.stdout);
    expect(json.malformedLines).toEqual([1, 2, 3]);
    expect(json.entries.map((e: AuditEntry) => e.new.ip)).toEqual(['10.1.0.30']);
    cleanup();
  });

  it('a last line torn by a crash mid-append is tolerated silently', async () => {
    const { dir, log, cleanup } = await sensor();
    const whole = JSON.stringify(entry({ newIp: '10.1.0.30' }));
    writeFileSync(log, `${whole}\n${whole.slice(0, 40)}`);
    const result = await runOtshell(['system', 'audit'], { stateDir: dir });
    expectExit(result.exitCode, 0);
    expect(result.stdout).toContain('10.1.0.20 -> 10.1.0.30');
    expect(result.stdout).not.toContain('Note:');
    cleanup();
  });
});

describe('a change cut short is completed at the next start', () => {
  it('the target shows the new settings: one audit line marked interrupted, shown as such; the intent is gone', async () => {
    const { dir, sim, intent, cleanup } = await sensor();
    const next = { ...BASE, ip: '10.1.0.30' };
    writeFileSync(intent, `${JSON.stringify({ id: '0123456789abcdef', ...entry({ newIp: '10.1.0.30' }) })}\n`);
    setPending(sim, next);
    const result = await runOtshell(['system', 'audit'], { stateDir: dir });
    expectNoStackTrace(result.stderr);
    expectExit(result.exitCode, 0);
    expect(result.stdout).toMatch(/operator \(\/dev\/pts\/3\) on simulator {2}\[interrupted\]\n {2}Management IP +10\.1\.0\.20 -> 10\.1\.0\.30\n {2}The change was cut short after it was applied; it was recorded at the next start\./);
    expect(existsSync(intent)).toBe(false);
    expect(auditEntries(dir)).toEqual([expect.objectContaining({ id: '0123456789abcdef', interrupted: true, new: next })]);
    // Once only: the next start finds nothing left to complete.
    await runOtshell(['system', 'audit'], { stateDir: dir });
    expect(auditEntries(dir)).toHaveLength(1);
    cleanup();
  });

  it('the target still shows the old settings: nothing landed, so no audit line; the intent is dropped', async () => {
    const { dir, intent, cleanup } = await sensor();
    writeFileSync(intent, `${JSON.stringify({ id: '0123456789abcdef', ...entry({ newIp: '10.1.0.30' }) })}\n`);
    const result = await runOtshell(['network', 'list', 'eth0'], { stateDir: dir });
    expectExit(result.exitCode, 0);
    expect(existsSync(intent)).toBe(false);
    expect(auditEntries(dir)).toEqual([]);
    cleanup();
  });

  it('its audit line already made it (killed before the intent was removed): not written twice', async () => {
    const { dir, sim, log, intent, cleanup } = await sensor();
    const line = { id: 'fedcba9876543210', ...entry({ newIp: '10.1.0.30' }) };
    writeFileSync(log, `${JSON.stringify(line)}\n`);
    writeFileSync(intent, `${JSON.stringify(line)}\n`);
    setPending(sim, line.new);
    const result = await runOtshell(['system', 'audit', '--json'], { stateDir: dir });
    expectExit(result.exitCode, 0);
    expect(JSON.parse(result.stdout).entries).toHaveLength(1);
    expect(existsSync(intent)).toBe(false);
    cleanup();
  });

  it('the target shows something between (a partial real-host apply): recorded with what it shows, and what was asked for', async () => {
    const { dir, sim, intent, cleanup } = await sensor();
    writeFileSync(intent, `${JSON.stringify({ id: '0123456789abcdee', ...entry({ newIp: '10.1.0.30' }), new: { ...BASE, ip: '10.1.0.30', dns: ['10.1.0.9'] } })}\n`);
    setPending(sim, { ...BASE, ip: '10.1.0.30' });
    const result = await runOtshell(['system', 'audit'], { stateDir: dir });
    expectExit(result.exitCode, 0);
    expect(result.stdout).toContain('[interrupted]');
    expect(result.stdout).toContain('not all that was asked for');
    expect(auditEntries(dir)).toEqual([expect.objectContaining({ interrupted: true, new: { ...BASE, ip: '10.1.0.30' }, intended: { ...BASE, ip: '10.1.0.30', dns: ['10.1.0.9'] } })]);
    cleanup();
  });

  it('a live session applying right now keeps its intent: a reader does not complete it', async () => {
    const { dir, sim, intent, cleanup } = await sensor();
    const lock = await sim.acquireEditLock({ user: 'alice' });
    try {
      writeFileSync(intent, `${JSON.stringify({ id: '0123456789abcded', ...entry({ newIp: '10.1.0.30' }) })}\n`);
      setPending(sim, { ...BASE, ip: '10.1.0.30' });
      const result = await runOtshell(['system', 'audit'], { stateDir: dir });
      expectExit(result.exitCode, 0);
      expect(existsSync(intent)).toBe(true);
      expect(auditEntries(dir)).toEqual([]);
    } finally {
      await lock.release();
      cleanup();
    }
  });
});
