// The audit log survives a crash mid-append: a torn line (the tail of a write that never
// finished) is skipped and every complete entry still counts (issue 17).
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuditLog, parseAuditLogDetailed } from '../../src/system/audit-log.js';
import type { AuditEntry, NetworkSettings } from '../../src/system/adapter.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { runLine } from '../helpers/command-harness.js';
import { tempStateDir } from '../helpers/cli.js';

const SETTINGS: NetworkSettings = {
  managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2'], inputInterfaces: ['eth1'], bridgeInterface: null,
};
const entry = (user: string, ip: string): AuditEntry => ({ time: '2026-11-29T00:00:00.000Z', user, target: 'simulator', old: SETTINGS, new: { ...SETTINGS, ip } });
const line = (e: AuditEntry) => JSON.stringify(e);

describe('parseAuditLog', () => {
  const a = entry('alice', '10.1.0.30');
  const b = entry('bob', '10.1.0.40');

  it('every complete line, oldest first', () => {
    expect(parseAuditLog(`${line(a)}\n${line(b)}\n`)).toEqual([a, b]);
  });

  it('a torn last line (no newline, cut mid-JSON) is skipped', () => {
    const torn = line(b).slice(0, 40);
    expect(parseAuditLog(`${line(a)}\n${torn}`)).toEqual([a]);
  });

  it('a torn line followed by later appends: the later entries still count', () => {
    const torn = line(b).slice(0, 25);
    expect(parseAuditLog(`${line(a)}\n${torn}\n${line(b)}\n`)).toEqual([a, b]);
  });

  it('a torn first line, blank lines and a lone brace', () => {
    expect(parseAuditLog(`{"time":"2026-\n\n   \n${line(a)}\n{\n`)).toEqual([a]);
  });

  it('a torn last line is the crash the log expects: skipped silently, not counted as malformed', () => {
    const torn = line(b).slice(0, 40);
    expect(parseAuditLogDetailed(`${line(a)}\n${torn}`)).toEqual({ entries: [a], malformedLines: [] });
    // The same bytes with a newline after them are not a torn tail: line 2 is named.
    expect(parseAuditLogDetailed(`${line(a)}\n${torn}\n${line(b)}\n`)).toEqual({ entries: [a, b], malformedLines: [2] });
  });

  it('an empty log has no entries', () => {
    expect(parseAuditLog('')).toEqual([]);
    expect(parseAuditLog('\n')).toEqual([]);
  });
});

describe('system audit after a crash mid-append (simulated sensor)', () => {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('lists the complete entries and skips the torn one', async () => {
    const state = tempStateDir();
    dirs.push(state);
    const sim = new SimulatorAdapter(state.dir);
    await runLine(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    const log = join(state.dir, 'audit.jsonl');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
    appendFileSync(log, '{"time":"2026-11-29T00:00:00.000Z","user":"crash'); // the process died here
    expect((await sim.readAudit()).entries.map((e) => e.new.ip)).toEqual(['10.1.0.30']);
    const listed = await runLine(sim, 'system audit --json');
    expect(listed.exitCode).toBe(0);
    expect(JSON.parse(listed.text)).toMatchObject({ total: 1, malformedLines: [] });
    // No "could not be read" note for the torn tail: it is the expected trace of a crash.
    const text = await runLine(sim, 'system audit');
    expect(text.exitCode).toBe(0);
    expect(text.text).toContain('10.1.0.30');
    expect(text.text).not.toMatch(/could not be read/);
  });

  // A bug this test found: the next append was written right after the torn bytes, on the
  // same line, so the new entry was lost too. Appends now start on a fresh line.
  it('an entry appended after a torn line is kept (not glued to the torn line)', async () => {
    const state = tempStateDir();
    dirs.push(state);
    const sim = new SimulatorAdapter(state.dir);
    await runLine(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    appendFileSync(join(state.dir, 'audit.jsonl'), '{"time":"2026-11-29T00:00:00.000Z","user":"crash');
    await runLine(sim, 'network edit-settings --ip 10.1.0.31 --yes');
    expect((await sim.readAudit()).entries.map((e) => e.new.ip)).toEqual(['10.1.0.30', '10.1.0.31']);
  });
});
