// The simulated sensor's sign-in: users, hashes, per-source lockout and the
// session audit, all in the simulator's state directory. The simulator is no
// security boundary (it runs on the trainee's machine); this is the appliance's
// behaviour to practise on, done properly enough to be a fair model of it.
import type { AccountRole, Actor, SessionEvent, SignInPort, SignInResult } from '../adapter.js';
import type { SimulatorState, SimulatorStore } from './state.js';
import { hashPassword, lockedUntil, recordFailure, verifyPassword } from './accounts.js';
import { EXIT, OtshellError } from '../../errors.js';

export class SignInRefusedError extends OtshellError {}

export interface SignInDeps {
  store: SimulatorStore;
  clock: () => number;
  record(event: SessionEvent): Promise<void>;
  /** Runs a state change under the edit lock (password changes, unlocks). */
  locked<T>(by: Actor | undefined, work: () => Promise<T>): Promise<T>;
  /** Runs the sign-in bookkeeping's re-read and write under its own short lock (sign-in-lock.ts). */
  bookkeeping<T>(by: Actor, work: () => Promise<T>): Promise<T>;
}

export class SimulatorSignIn implements SignInPort {
  constructor(private readonly deps: SignInDeps) {}

  private now(): string {
    return new Date(this.deps.clock()).toISOString();
  }

  async screen(): Promise<{ hostname: string; defaultCredentials: string[] }> {
    const state = await this.deps.store.load();
    return { hostname: state.hostname, defaultCredentials: state.users.filter((u) => u.defaultPassword).map((u) => `${u.name}/${u.name}`) };
  }

  async roleOf(user: string): Promise<AccountRole | null> {
    return (await this.deps.store.load()).users.find((u) => u.name === user)?.role ?? null;
  }

  async authenticate(user: string, password: string, source: string): Promise<SignInResult> {
    const now = this.deps.clock();
    let state = await this.deps.store.load();
    const lock = lockedUntil(state.sourceLocks, source, now);
    if (lock) {
      await this.deps.record({ time: this.now(), kind: 'failure', user, source, detail: 'source locked' });
      return { ok: false, reason: 'locked', until: lock.toISOString() };
    }
    const account = state.users.find((u) => u.name === user);
    // An unknown user costs the same scrypt run as a wrong password: no hint which one it was.
    const good = await verifyPassword(password, account?.hash ?? state.users[0]!.hash);
    // Bookkeeping under its own short lock, not the edit lock (a sign-in must not wait for
    // someone's wizard): re-read and written while held, so simultaneous sign-ins all count.
    const by: Actor = { user, tty: source };
    if (!account || !good) {
      const failed = await this.deps.bookkeeping(by, async () => {
        state = await this.deps.store.load();
        const counted = recordFailure(state.sourceLocks, source, now, state.signInPolicy);
        const users = state.users.map((u) => (u.name === user ? { ...u, failuresSinceLast: u.failuresSinceLast + 1 } : u));
        await this.deps.store.save({ ...state, users, sourceLocks: counted.locks });
        return counted;
      });
      await this.deps.record({ time: this.now(), kind: 'failure', user, source, ...(account ? { role: account.role } : {}) });
      if (failed.lockedUntil) {
        await this.deps.record({ time: this.now(), kind: 'lockout', user, source, detail: `until ${failed.lockedUntil.toISOString()}` });
        return { ok: false, reason: 'locked', until: failed.lockedUntil.toISOString() };
      }
      return { ok: false, reason: 'bad-credentials' };
    }
    const current = await this.deps.bookkeeping(by, async () => {
      state = await this.deps.store.load();
      const before = state.users.find((u) => u.name === user) ?? account;
      const users = state.users.map((u) => (u.name === user ? { ...u, lastSignIn: { time: this.now(), source }, failuresSinceLast: 0 } : u));
      await this.deps.store.save({ ...state, users, sourceLocks: state.sourceLocks.filter((l) => l.source !== source) });
      return before;
    });
    await this.deps.record({ time: this.now(), kind: 'sign-in', user, role: account.role, source });
    return { ok: true, user, role: account.role, mustChange: current.mustChange, previous: current.lastSignIn, failuresSince: current.failuresSinceLast };
  }

  async setPassword(user: string, current: string, next: string, source: string): Promise<void> {
    await this.change(user, current, next, { user, tty: source });
  }

  /** Checks the current password, then stores a fresh hash (new salt) under the edit lock. */
  async change(user: string, current: string, next: string, by?: Actor): Promise<void> {
    const state = await this.deps.store.load();
    const account = state.users.find((u) => u.name === user);
    if (!account) throw new SignInRefusedError(`There is no user "${user}" on this sensor.`, EXIT.USAGE);
    if (!(await verifyPassword(current, account.hash))) {
      throw new SignInRefusedError('The current password is not correct. Nothing was changed.', EXIT.NO_PERMISSION);
    }
    const hash = await hashPassword(next);
    await this.deps.locked(by, async () => {
      const fresh = await this.deps.store.load();
      const users = fresh.users.map((u) => (u.name === user ? { ...u, hash, defaultPassword: false, mustChange: false } : u));
      await this.deps.store.save({ ...fresh, users });
    });
    await this.deps.record({ time: this.now(), kind: 'password-change', user: by?.user ?? user, role: account.role, source: sourceOf(by), detail: `password of ${user}` });
  }

  async unlock(source: string, by?: Actor): Promise<boolean> {
    const cleared = await this.deps.locked(by, async () => {
      const state: SimulatorState = await this.deps.store.load();
      const was = lockedUntil(state.sourceLocks, source, this.deps.clock()) !== null;
      const hadFailures = state.sourceLocks.some((l) => l.source === source);
      if (hadFailures) await this.deps.store.save({ ...state, sourceLocks: state.sourceLocks.filter((l) => l.source !== source) });
      return was;
    });
    await this.deps.record({ time: this.now(), kind: 'unlock', user: by?.user ?? 'unknown', source: sourceOf(by), detail: `source ${source}${cleared ? '' : ' (was not locked)'}` });
    return cleared;
  }
}

export function sourceOf(by: Actor | undefined): string {
  return by?.sshClient ?? by?.tty ?? 'unknown';
}
