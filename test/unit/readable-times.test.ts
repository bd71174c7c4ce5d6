// Times in text output read as "2026-11-29 02:46:29 UTC"; --json keeps ISO.
import { describe, expect, it } from 'vitest';
import { readableTime } from '../../src/time-text.js';
import { runLine, useSimulators } from '../helpers/command-harness.js';
import { EditLockHeldError } from '../../src/system/edit-lock.js';

const simulator = useSimulators();

describe('readable times', () => {
  it('readableTime: ISO to "YYYY-MM-DD HH:MM:SS UTC"; anything else unchanged', () => {
    expect(readableTime('2026-11-29T02:46:29.123Z')).toBe('2026-11-29 02:46:29 UTC');
    expect(readableTime('2026-11-29T03:46:29+01:00')).toBe('2026-11-29 02:46:29 UTC');
    expect(readableTime('yesterday')).toBe('yesterday');
    expect(readableTime('2026-13-45T99:00:00Z')).toBe('2026-13-45T99:00:00Z');
  });

  it('system audit and system audit --sessions show readable times in text, ISO in --json', async () => {
    const system = simulator();
    expect((await runLine(system, 'network edit-settings --ip 10.1.0.30 --yes')).exitCode).toBe(0);
    await system.recordSession({ time: '2026-11-29T02:50:00.000Z', kind: 'sign-in', user: 'support', role: 'support', source: 'console' });
    const text = (await runLine(system, 'system audit')).text;
    expect(text.split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  operator /);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect((await runLine(system, 'system audit --sessions')).text).toMatch(/^2026-11-29 02:50:00 UTC  sign-in /m);
    expect(JSON.parse((await runLine(system, 'system audit --json')).text).entries[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('the edit-lock refusal says since when in the same form', () => {
    const error = new EditLockHeldError({ user: 'alice', tty: '/dev/pts/1', pid: 42, host: 'sensor', since: '2026-11-29T02:46:29.000Z' });
    expect(error.message).toContain('since 2026-11-29 02:46:29 UTC.');
  });
});
