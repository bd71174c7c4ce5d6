// The simulated sensor's users, password hashes and sign-in lockout. Hashes are
// scrypt (node:crypto) with a per-user salt and the parameters stored beside
// each hash, so stronger parameters later still verify old hashes.
import type { ScryptOptions } from 'node:crypto';
import { nodeCrypto } from '../node-crypto.js';

export type AccountRole = 'viewer' | 'support' | 'root';

export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** hex */
  salt: string;
  /** hex, 32 bytes */
  key: string;
}

export interface SimulatedUser {
  name: string;
  role: AccountRole;
  hash: PasswordHash;
  /** Still the factory password: shown on the sign-in screen, changed at first sign-in. */
  defaultPassword: boolean;
  mustChange: boolean;
  lastSignIn: { time: string; source: string } | null;
  /** Failed sign-ins since the last successful one (the banner shows them). */
  failuresSinceLast: number;
}

export interface SourceLock {
  source: string;
  failures: number;
  lockedUntil: string | null;
}

export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;

/**
 * The factory users with their default passwords (support/support, cyberx/cyberx,
 * cyberx_host/cyberx_host), hashed once when this file was written, each with
 * its own salt: a fresh sensor costs no scrypt run (tests create hundreds).
 */
export function defaultUsers(): SimulatedUser[] {
  const user = (name: string, role: AccountRole, salt: string, key: string): SimulatedUser => ({
    name,
    role,
    hash: { algorithm: 'scrypt', ...SCRYPT_PARAMS, salt, key },
    defaultPassword: true,
    mustChange: true,
    lastSignIn: null,
    failuresSinceLast: 0,
  });
  return [
    user('support', 'support', 'ce91cfdb75a95cb11cb2d7fe689d6ddc', '33e2eaacbd9b2815e5628b4523e598926db5d4d92ca637ea873b279802ad8429'),
    user('cyberx', 'root', '049be83daa953e72cd63fade0b2b507b', '651e8f4cd122f75d82eeaa99354fc6214a06dcf98ea386b8c018d07c7c0d5b40'),
    user('cyberx_host', 'root', 'f55de1e1d9016869a4c4c0e9789c75a7', '1b016a0b09997496645d50a10d3796b0e614c08bd146e174885d671817a8bc07'),
  ];
}

function scrypt(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    nodeCrypto().scrypt(password, salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = nodeCrypto().randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT_PARAMS);
  return { algorithm: 'scrypt', ...SCRYPT_PARAMS, salt: salt.toString('hex'), key: key.toString('hex') };
}

/** Constant-time comparison; a hash the schema let through but scrypt refuses verifies nothing. */
export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(hash.key, 'hex');
  try {
    const key = await scrypt(password, Buffer.from(hash.salt, 'hex'), expected.length, { N: hash.N, r: hash.r, p: hash.p });
    return key.length === expected.length && nodeCrypto().timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** The lock of one source, if it is locked now. */
export function lockedUntil(locks: readonly SourceLock[], source: string, now: number): Date | null {
  const entry = locks.find((l) => l.source === source);
  if (!entry?.lockedUntil) return null;
  const until = Date.parse(entry.lockedUntil);
  return until > now ? new Date(until) : null;
}

/** The locks after one more failure from `source`; the source locks when it reaches maxFailures. */
export function recordFailure(
  locks: readonly SourceLock[],
  source: string,
  now: number,
  policy: { maxFailures: number; lockSeconds: number },
): { locks: SourceLock[]; lockedUntil: Date | null } {
  const previous = locks.find((l) => l.source === source);
  // A lock that has run out starts the count again.
  const expired = previous?.lockedUntil && Date.parse(previous.lockedUntil) <= now;
  const failures = (expired ? 0 : (previous?.failures ?? 0)) + 1;
  const until = failures >= policy.maxFailures ? new Date(now + policy.lockSeconds * 1000) : null;
  const entry: SourceLock = { source, failures: until ? 0 : failures, lockedUntil: until ? until.toISOString() : null };
  // Bounded: the oldest sources are forgotten first (the state file must stay small).
  const rest = locks.filter((l) => l.source !== source).slice(-255);
  return { locks: [...rest, entry], lockedUntil: until };
}
