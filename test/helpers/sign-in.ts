// A simulated sensor whose users are past their first sign-in, for tests that
// are about something else than signing in: support and a viewer ("trainee")
// with the password TEST_PASSWORD. (The hash uses N=1024 to keep tests fast;
// the state schema accepts 1024 to 32768.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSimulatorState, STATE_FILE_NAME } from '../../src/system/simulator/state.js';
import { defaultUsers, type SimulatedUser } from '../../src/system/simulator/accounts.js';

export const TEST_PASSWORD = 'Trainee-1!';
const TEST_HASH = {
  algorithm: 'scrypt' as const,
  N: 1024,
  r: 8,
  p: 1,
  salt: '3a2249b8b287c9accf85dda75b804668',
  key: 'a48b9bc0155c9106c9373a2ae6b3c17235e7ac5cc8f79c5cb00856b6d3ed8747',
};

function known(name: string, role: SimulatedUser['role']): SimulatedUser {
  return { name, role, hash: TEST_HASH, defaultPassword: false, mustChange: false, lastSignIn: null, failuresSinceLast: 0 };
}

/** Writes (or updates) the state so support and trainee (viewer) sign in with TEST_PASSWORD. */
export function prepareSignedInState(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, STATE_FILE_NAME);
  const state = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : (defaultSimulatorState() as unknown as Record<string, unknown>);
  const others = defaultUsers().filter((u) => u.name !== 'support');
  state.users = [known('support', 'support'), known('trainee', 'viewer'), ...others];
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}
