// One settings editor at a time: a lock file created with O_EXCL holding the
// holder's identity. A lock whose process is gone (same host) is stale and taken over.
import { open, readFile, unlink, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { EditLock, LockHolder } from './adapter.js';

export class EditLockHeldError extends Error {
  readonly exitCode = 75; // EX_TEMPFAIL: try again later
  constructor(readonly holder: LockHolder) {
    const who = [holder.user, holder.sshClient ? `from ${holder.sshClient}` : holder.tty ? `on ${holder.tty}` : '']
      .filter(Boolean)
      .join(' ');
    super(
      `The network settings are being edited by ${who} (pid ${holder.pid} on ${holder.host}) since ${holder.since}. ` +
        'Try again when that session has finished.',
    );
    this.name = 'EditLockHeldError';
  }
}

export function localHolder(fields: Omit<LockHolder, 'pid' | 'host' | 'since'>): LockHolder {
  return { ...fields, pid: process.pid, host: hostname(), since: new Date().toISOString() };
}

export async function acquireFileLock(path: string, holder: LockHolder): Promise<EditLock> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx', 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(holder)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { release: () => releaseIfOurs(path, holder) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(path);
    if (current && isAlive(current)) throw new EditLockHeldError(current);
    // Stale (its process is gone) or unreadable: remove and try again.
    await unlink(path).catch(() => {});
  }
  const current = await readHolder(path);
  if (current) throw new EditLockHeldError(current);
  throw new Error(`Could not take the settings lock ${path}.`);
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
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

async function releaseIfOurs(path: string, holder: LockHolder): Promise<void> {
  const current = await readHolder(path);
  if (current && current.pid === holder.pid && current.since === holder.since) await unlink(path).catch(() => {});
}
