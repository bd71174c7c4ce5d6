// The sign-in bookkeeping's own lock (failure counts, source locks, last
// sign-in): held only for one re-read and write of the state file, never
// across a question, so a sign-in waits milliseconds for another sign-in and
// never for someone's settings wizard (which holds the edit lock for minutes).
// Two sign-ins at the same moment, from two processes or one, both count.
// Same algorithm and files as the edit lock (src/system/edit-lock.ts).
import { join } from 'node:path';
import type { Actor } from '../adapter.js';
import { acquireLock, isLockHeld, LOCAL_LOCK_FILES } from '../edit-lock.js';
import { EXIT, OtshellError } from '../../errors.js';

export const SIGN_IN_LOCK_FILE = 'sign-in.lock';
/** Each holder keeps it for one small write; this long a wait means something is wrong. */
const WAIT_LIMIT_MS = 15_000;

export async function withSignInLock<T>(stateDir: string, by: Actor, work: () => Promise<T>): Promise<T> {
  const path = join(stateDir, SIGN_IN_LOCK_FILE);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    let lock;
    try {
      lock = await acquireLock(LOCAL_LOCK_FILES, path, by);
    } catch (error) {
      if (!isLockHeld(error)) throw error;
      if (Date.now() > deadline) throw new OtshellError(`The sign-in records (${path}) stayed locked for ${WAIT_LIMIT_MS / 1000} s; try again.`, EXIT.LOCKED);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      continue;
    }
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }
}
