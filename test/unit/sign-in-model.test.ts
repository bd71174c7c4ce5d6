// The simulator's sign-in model in-process, with a fake clock: lockout count
// and duration from the state, expiry, persistence across adapters, unlock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState, TEST_PASSWORD } from '../helpers/sign-in.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { effectiveIdleSeconds, lockedMessage } from '../../src/commands/session.js';

describe('simulator sign-in model', () => {
  let state: ReturnType<typeof tempStateDir>;
  let now: number;
  const sim = () => new SimulatorAdapter(state.dir, () => now);
  beforeEach(() => {
    state = tempStateDir();
    prepareSignedInState(state.dir);
    now = Date.parse('2026-01-31T12:00:00.000Z');
  });
  afterEach(() => state.cleanup());

  function setPolicy(maxFailures: number, lockSeconds: number) {
    const path = join(state.dir, 'simulator.json');
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    parsed.signInPolicy = { maxFailures, lockSeconds };
    writeFileSync(path, JSON.stringify(parsed));
  }

  it('locks a source after the configured failures, for the configured time, across adapters; other sources stay open', async () => {
    setPolicy(3, 60);
    for (let i = 0; i < 2; i += 1) expect(await sim().signIn.authenticate('support', 'wrong', 'console')).toEqual({ ok: false, reason: 'bad-credentials' });
    expect(await sim().signIn.authenticate('support', 'wrong', 'console')).toEqual({ ok: false, reason: 'locked', until: '2026-01-31T12:01:00.000Z' });
    // A new process (adapter) with the right password: still locked.
    expect(await sim().signIn.authenticate('support', TEST_PASSWORD, 'console')).toMatchObject({ ok: false, reason: 'locked' });
    expect(await sim().signIn.authenticate('support', TEST_PASSWORD, '192.0.2.7')).toMatchObject({ ok: true, failuresSince: 3 });
    now += 61_000;
    expect(await sim().signIn.authenticate('support', TEST_PASSWORD, 'console')).toMatchObject({ ok: true, failuresSince: 0, previous: { source: '192.0.2.7' } });
    const kinds = (await sim().readSessions()).map((e) => e.kind);
    expect(kinds).toEqual(['failure', 'failure', 'failure', 'lockout', 'failure', 'sign-in', 'sign-in']);
  });

  it('an unknown user counts against the source like a wrong password', async () => {
    setPolicy(1, 300);
    expect(await sim().signIn.authenticate('nobody', 'x', 'console')).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('root clears a lock with unlockSource; the unlock is audited with who did it', async () => {
    setPolicy(1, 300);
    await sim().signIn.authenticate('support', 'wrong', 'console');
    expect(await sim().unlockSource('console', { user: 'cyberx', tty: '/dev/pts/1' })).toBe(true);
    expect(await sim().signIn.authenticate('support', TEST_PASSWORD, 'console')).toMatchObject({ ok: true });
    expect(await sim().unlockSource('console', { user: 'cyberx' })).toBe(false);
    expect((await sim().readSessions()).find((e) => e.kind === 'unlock')).toMatchObject({ user: 'cyberx', source: '/dev/pts/1', detail: 'source console' });
  });

  it('a password change stores a fresh salted hash; the old password stops working', async () => {
    const before = JSON.parse(readFileSync(join(state.dir, 'simulator.json'), 'utf8')).users[0].hash;
    await sim().changePassword('support', TEST_PASSWORD, 'Next-Pass9', { user: 'support' });
    const after = JSON.parse(readFileSync(join(state.dir, 'simulator.json'), 'utf8')).users[0].hash;
    expect(after.salt).not.toBe(before.salt);
    expect(after).toMatchObject({ algorithm: 'scrypt', N: 16384, r: 8, p: 1 });
    expect(await sim().signIn.authenticate('support', TEST_PASSWORD, 'console')).toMatchObject({ ok: false });
    expect(await sim().signIn.authenticate('support', 'Next-Pass9', 'console')).toMatchObject({ ok: true });
    await expect(sim().changePassword('support', 'wrong', 'Other-Pass9')).rejects.toThrow(/current password is not correct/);
  });

  it('idle timeout: 300 s by default; only root may lengthen it', () => {
    expect(effectiveIdleSeconds(undefined, 'viewer')).toBe(300);
    expect(effectiveIdleSeconds(3, 'support')).toBe(3);
    expect(effectiveIdleSeconds(900, 'support')).toBe(300);
    expect(effectiveIdleSeconds(900, 'root')).toBe(900);
  });

  it('the lock message says when to try again', () => {
    expect(lockedMessage('console', '2026-01-31T12:05:00.000Z', Date.parse('2026-01-31T12:00:00.000Z'))).toBe(
      'Sign-in from console is locked after too many failed attempts; try again at 12:05:00 UTC (in 5 min).',
    );
  });
});
