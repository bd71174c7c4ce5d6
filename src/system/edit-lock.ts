// One settings editor at a time: a lock file created with O_EXCL holding the
// holder's identity. A lock whose process is gone (same host) is stale and taken over.
// The algorithm is written once; the files are local (simulator) or the
// target's (the Linux adapter's runner, locally or over ssh).
import { unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { EditLock, LockHolder } from './adapter.js';
import { createFileExclusive, readFileIfExists } from './atomic-write.js';
import { EXIT, OtshellError } from '../errors.js';

export class EditLockHeldError extends OtshellError {
  constructor(readonly holder: LockHolder) {
    const who = [holder.user, holder.sshClient ? `from ${holder.sshClient}` : holder.tty ? `on ${holder.tty}` : '']
      .filter(Boolean)
      .join(' ');
    super(
      `The network settings are being edited by ${who} (pid ${holder.pid} on ${holder.host}) since ${holder.since}. ` +
        'Try again when that session has finished.',
      EXIT.LOCKED,
    );
  }
}

/** The file operations the lock needs; the Linux adapter's Runner has them too. */
export interface LockFiles {
  /** O_EXCL create; false when the file exists. */
  createExclusive(path: string, data: string): Promise<boolean>;
  /** The text, or null when the file does not exist. */
  readFile(path: string): Promise<string | null>;
  remove(path: string): Promise<void>;
}

export const LOCAL_LOCK_FILES: LockFiles = {
  createExclusive: (path, data) => createFileExclusive(path, data),
  readFile: readFileIfExists,
  remove: (path) => unlink(path).catch(() => {}),
};

export function localHolder(fields: Omit<LockHolder, 'pid' | 'host' | 'since'>): LockHolder {
  return { ...fields, pid: process.pid, host: hostname(), since: new Date().toISOString() };
}

export async function acquireLock(files: LockFiles, path: string, holder: LockHolder): Promise<EditLock> {
  const line = `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await files.createExclusive(path, line)) return { release: () => releaseIfOurs(files, path, holder) };
    const current = await readHolder(files, path);
    if (current && isAlive(current)) throw new EditLockHeldError(current);
    // Stale (its process is gone) or unreadable: remove and try again.
    await files.remove(path);
  }
  const current = await readHolder(files, path);
  if (current) throw new EditLockHeldError(current);
  throw new OtshellError(`Could not take the settings lock ${path}; try again.`, EXIT.LOCKED);
}

async function readHolder(files: LockFiles, path: string): Promise<LockHolder | null> {
  try {
    const holder = JSON.parse((await files.readFile(path)) ?? '') as LockHolder;
    return typeof holder.pid === 'number' && typeof holder.user === 'string' ? holder : null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // cannot check another host's pid: respect the lock
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfOurs(files: LockFiles, path: string, holder: LockHolder): Promise<void> {
  const current = await readHolder(files, path);
  if (current && current.pid === holder.pid && current.since === holder.since) await files.remove(path);
}
