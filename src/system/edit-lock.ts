// One settings editor at a time, and every other state change (reboot,
// shutdown, power-on, reset, confirm) under the same lock: a file holding the
// holder's identity. The algorithm is written once; the files are local
// (simulator) or the target's (the Linux adapter's runner, locally or over ssh).
//
// - Creating the lock and writing its holder are one step: the record goes to
//   a fsynced temp file that is link()ed to the lock name (EEXIST: held). A
//   lock is never empty or half written.
// - A lock is stale only when its record is complete and its holder provably
//   gone: on this host, its pid is gone, or is another process now (start time
//   from /proc/PID/stat), or the host has rebooted since (boot id); from another
//   host, older than REMOTE_HOLDER_BOUND_S. An unreadable or incomplete lock is
//   treated as held until it is older than UNREADABLE_BOUND_S.
// - Taking over a stale lock is race-free: only the process that creates the
//   takeover marker "<lock>.takeover-<record id>" (by the same algorithm) may
//   remove a lock holding that record, and it removes it only if it still holds
//   exactly that record. Then every contender competes by link() again: one wins.
import { nodeCrypto, randomHex } from './node-crypto.js';
import { readFileSync } from 'node:fs';
import { unlink } from '../lazy-fs.js';
import { readableTime } from '../time-text.js';
import { hostname, userInfo } from 'node:os';
import type { Actor, EditLock, LockHolder } from './adapter.js';
import { createFileExclusive, fileAgeSeconds, readFileIfExists } from './atomic-write.js';
import { onSignalExit } from './critical-section.js';
import { OtshellError, EXIT } from '../errors.js';
import { cut } from '../cut.js';

/** A holder on another host cannot be checked from here: its lock counts as held for one hour. */
export const REMOTE_HOLDER_BOUND_S = 3600;
/** A lock file whose record cannot be read (empty, torn, foreign) counts as held for ten minutes. */
export const UNREADABLE_BOUND_S = 600;

/**
 * The lock file is written by whoever holds it: its fields are untrusted and may be any
 * length. Each is cut here, where the message is built (src/cut.ts, as the output layer
 * cuts); the output layer still escapes what is kept.
 */
const field = (value: unknown): string => cut(String(value));

export class EditLockHeldError extends OtshellError {
  constructor(readonly holder: LockHolder) {
    const who = [field(holder.user), holder.sshClient ? `from ${field(holder.sshClient)}` : holder.tty ? `on ${field(holder.tty)}` : '']
      .filter(Boolean)
      .join(' ');
    super(
      `The network settings are being edited by ${who} (pid ${field(holder.pid)} on ${field(holder.host)}) since ${field(readableTime(holder.since))}. ` +
        'Try again when that session has finished.',
      EXIT.LOCKED,
    );
  }
}

/** A lock file that exists but holds no complete record: respected, since its writer may be alive. */
export class EditLockUnreadableError extends OtshellError {
  constructor(
    readonly path: string,
    ageSeconds: number | null,
  ) {
    const minutes = Math.ceil(Math.max(0, UNREADABLE_BOUND_S - (ageSeconds ?? 0)) / 60);
    super(
      `The settings lock ${path} is held but its holder cannot be read (the file is empty or incomplete). ` +
        `It is treated as held; it is taken over when it is ${UNREADABLE_BOUND_S / 60} minutes old (in about ${minutes} min), ` +
        'or remove it by hand once you are sure nobody is editing.',
      EXIT.LOCKED,
    );
  }
}

/** The file operations the lock needs; the Linux adapter's Runner has them too. */
export interface LockFiles {
  /** Creates the file with its whole content in one step (temp file + link); false when it exists. */
  createExclusive(path: string, data: string): Promise<boolean>;
  /** The text, or null when the file does not exist. */
  readFile(path: string): Promise<string | null>;
  remove(path: string): Promise<void>;
  /** Seconds since the file was modified, on the host that keeps it; null when it does not exist. */
  ageSeconds(path: string): Promise<number | null>;
}

export const LOCAL_LOCK_FILES: LockFiles = {
  createExclusive: (path, data) => createFileExclusive(path, data),
  readFile: readFileIfExists,
  remove: (path) => unlink(path).catch(() => {}),
  ageSeconds: fileAgeSeconds,
};

let bootIdCache: string | null | undefined;
/** This boot's id (/proc/sys/kernel/random/boot_id): a pid from an earlier boot means nothing now. */
export function bootId(): string | null {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache;
}

/** Start time of a process in clock ticks after boot (field 22 of /proc/PID/stat); null when there is no such process. */
export function processStartTicks(pid: number): number | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  let line: string;
  try {
    line = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

/** The holder record of this process for the caller. */
export function localHolder(actor: Actor): LockHolder {
  const ticks = processStartTicks(process.pid);
  const boot = bootId();
  return {
    user: actor.user,
    ...(actor.tty ? { tty: actor.tty } : {}),
    ...(actor.sshClient ? { sshClient: actor.sshClient } : {}),
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...(boot ? { bootId: boot } : {}),
    ...(ticks !== null ? { startTicks: ticks } : {}),
    id: randomHex(8),
  };
}

/** The complete record, or null when the text is not one (empty, torn, foreign). */
export function parseHolder(text: string): LockHolder | null {
  if (!text.endsWith('\n')) return null; // every record we write ends its line: anything else is incomplete
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (typeof holder !== 'object' || holder === null) return null;
    if (typeof holder.pid !== 'number' || typeof holder.user !== 'string' || typeof holder.host !== 'string' || typeof holder.since !== 'string') return null;
    return holder;
  } catch {
    return null;
  }
}

/** Whether the holder may still be running. Only a provably gone holder is false. */
export function holderAlive(holder: LockHolder, now: number = Date.now()): boolean {
  if (holder.host !== hostname()) {
    const since = Date.parse(holder.since);
    return !(Number.isFinite(since) && now - since > REMOTE_HOLDER_BOUND_S * 1000);
  }
  const boot = bootId();
  if (holder.bootId && boot && holder.bootId !== boot) return false; // this host rebooted since
  const ticks = processStartTicks(holder.pid);
  if (ticks === null) {
    if (bootId() !== null) return false; // procfs works and has no such process
    try {
      process.kill(holder.pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return holder.startTicks === undefined || holder.startTicks === ticks; // another start time: the pid was reused
}

/** The lock for actor, built here from the caller's fields (pid, host, boot, start time). */
export async function acquireLock(files: LockFiles, path: string, actor: Actor): Promise<EditLock> {
  const holder = localHolder(actor);
  const line = `${JSON.stringify(holder)}\n`;
  await take(files, path, line, 0);
  const release = async () => {
    unregister();
    if ((await files.readFile(path)) === line) await files.remove(path);
  };
  const unregister = onSignalExit(release);
  let released = false;
  return {
    holder,
    release: async () => {
      if (released) return;
      released = true;
      await release();
    },
  };
}

const MAX_TAKEOVER_DEPTH = 3;
const MAX_ATTEMPTS = 100;

async function take(files: LockFiles, path: string, line: string, depth: number): Promise<void> {
  let last: Error | null = null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // Look first: while the lock is held (the common contended case) no temp file is written and synced.
    let text = await files.readFile(path);
    if (text === null) {
      if (await files.createExclusive(path, line)) return;
      text = await files.readFile(path);
      if (text === null) continue; // released meanwhile: compete again
    }
    const current = parseHolder(text);
    if (current) {
      if (holderAlive(current)) throw new EditLockHeldError(current);
    } else {
      const age = await files.ageSeconds(path);
      if (age === null) continue;
      if (age < UNREADABLE_BOUND_S) throw new EditLockUnreadableError(path, age);
    }
    // Stale. Only the creator of this record's takeover marker may remove it.
    if (depth >= MAX_TAKEOVER_DEPTH) throw current ? new EditLockHeldError(current) : new EditLockUnreadableError(path, null);
    const marker = `${path}.takeover-${recordId(current, text)}`;
    try {
      await take(files, marker, line, depth + 1);
    } catch (error) {
      if (!(error instanceof EditLockHeldError || error instanceof EditLockUnreadableError)) throw error;
      // Another process is taking it over right now: let it finish, then look again.
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10));
      continue;
    }
    try {
      if ((await files.readFile(path)) === text) await files.remove(path);
    } finally {
      await files.remove(marker);
    }
  }
  throw last ?? new OtshellError(`The settings lock ${path} is contended; try again.`, EXIT.LOCKED);
}

function recordId(holder: LockHolder | null, text: string): string {
  if (holder?.id && /^[0-9a-f]{8,32}$/.test(holder.id)) return holder.id;
  return nodeCrypto().createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The lock as an adapter holds it. A state change takes it for its own
 * duration, unless the caller presents a lock it holds from this adapter
 * (edit-settings holds it across its questions and applies under it).
 * afterTake runs each time it is taken (completing an interrupted change);
 * if it fails, the lock is given back.
 */
export class AdapterLock {
  private readonly live = new Set<EditLock>();

  constructor(private readonly takeLock: (by: Actor) => Promise<EditLock>) {}

  /** Whether this adapter holds the lock now (for any caller). */
  get held(): boolean {
    return this.live.size > 0;
  }

  async acquire(by: Actor | undefined, afterTake?: () => Promise<void>): Promise<EditLock> {
    const lock = await this.takeLock(by ?? processActor());
    try {
      await afterTake?.();
    } catch (error) {
      await lock.release();
      throw error;
    }
    const token: EditLock = {
      holder: lock.holder,
      release: async () => {
        if (!this.live.delete(token)) return;
        await lock.release();
      },
    };
    this.live.add(token);
    return token;
  }

  async with<T>(by: Actor | undefined, work: () => Promise<T>, afterTake?: () => Promise<void>, held?: EditLock): Promise<T> {
    if (held && this.live.has(held)) return work();
    const lock = await this.acquire(by, afterTake);
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }
}

/** Whether an error says the lock is taken (held, or unreadable and so respected). */
export function isLockHeld(error: unknown): boolean {
  return error instanceof EditLockHeldError || error instanceof EditLockUnreadableError;
}

/** The actor for changes made without a caller's fields (--reset-simulator, --power-on): this process's user. */
function processActor(): Actor {
  try {
    return { user: userInfo().username };
  } catch {
    return { user: `uid ${process.getuid?.() ?? '?'}` };
  }
}
