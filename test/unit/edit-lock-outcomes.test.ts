// The one-editor lock, by its outcomes (issue 17): who holds it and how the message names them,
// taking over what is stale or unreadable, and releasing only a lock that is still ours.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireLock, EditLockHeldError, localHolder, type LockFiles } from '../../src/system/edit-lock.js';
import type { LockHolder } from '../../src/system/adapter.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import { tempStateDir } from '../helpers/cli.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function sensor() {
  const temp = tempStateDir();
  dirs.push(temp);
  return { sim: new SimulatorAdapter(temp.dir), lockPath: join(temp.dir, 'edit-settings.lock') };
}
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const held = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error as EditLockHeldError;
  }
  throw new Error('the lock was taken');
};

describe('edit lock: the holder named in the refusal', () => {
  const base: LockHolder = { user: 'erin', pid: 1, host: 'other-host', since: '2024-01-01T00:00:00.000Z' };
  it.each([
    [{ ...base, sshClient: '198.51.100.4', tty: '/dev/pts/2' }, 'erin from 198.51.100.4 (pid 1 on other-host)'],
    [{ ...base, tty: '/dev/pts/2' }, 'erin on /dev/pts/2 (pid 1 on other-host)'],
    [base, 'erin (pid 1 on other-host)'],
  ])('%o', async (holder, who) => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, `${JSON.stringify(holder)}\n`);
    const error = await held(sim.acquireEditLock(localHolder({ user: 'me' })));
    expect(error).toBeInstanceOf(EditLockHeldError);
    expect(error.name).toBe('EditLockHeldError');
    expect(error.exitCode).toBe(75);
    expect(error.holder).toEqual(holder);
    expect(error.message).toBe(
      `The network settings are being edited by ${who} since 2024-01-01T00:00:00.000Z. Try again when that session has finished.`,
    );
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual(holder); // untouched
  });

  it('a live process on this host holds it (pid 1 is always alive)', async () => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, JSON.stringify({ user: 'root', pid: 1, host: hostname(), since: 'x' }));
    await expect(sim.acquireEditLock(localHolder({ user: 'me' }))).rejects.toBeInstanceOf(EditLockHeldError);
  });
});

describe('edit lock: is the holder alive? (process.kill(pid, 0) as the kernel answers it)', () => {
  afterEach(() => vi.restoreAllMocks());
  const kernelSays = (code: string) =>
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error(code), { code });
    });

  it('EPERM: the process exists but belongs to another user: the lock is held', async () => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, JSON.stringify({ user: 'other', pid: 4242, host: hostname(), since: 'x' }));
    kernelSays('EPERM');
    await expect(sim.acquireEditLock(localHolder({ user: 'me' }))).rejects.toMatchObject({ holder: { user: 'other' } });
  });

  it('ESRCH: no such process: the lock is stale and taken over', async () => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, JSON.stringify({ user: 'other', pid: 4242, host: hostname(), since: 'x' }));
    kernelSays('ESRCH');
    const lock = await sim.acquireEditLock(localHolder({ user: 'me' }));
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).user).toBe('me');
    vi.restoreAllMocks();
    await lock.release();
  });

  it('another host: the pid is not checked at all', async () => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, JSON.stringify({ user: 'remote', pid: deadPid(), host: `${hostname()}-other`, since: 'x' }));
    const kill = vi.spyOn(process, 'kill');
    await expect(sim.acquireEditLock(localHolder({ user: 'me' }))).rejects.toMatchObject({ holder: { user: 'remote' } });
    expect(kill).not.toHaveBeenCalled();
  });
});

describe('edit lock: taking over and releasing', () => {
  it('takes over a lock whose process is gone, and writes itself as holder', async () => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, JSON.stringify({ user: 'dave', pid: deadPid(), host: hostname(), since: 'x' }));
    const me = localHolder({ user: 'me', tty: '/dev/pts/9' });
    const lock = await sim.acquireEditLock(me);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual(me);
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['empty (a crash between create and write)', ''],
    ['a pid that is not a number', JSON.stringify({ user: 'x', pid: '1', host: hostname(), since: 'x' })],
    ['no user', JSON.stringify({ pid: 1, host: hostname(), since: 'x' })],
  ])('takes over an unreadable lock: %s', async (_what, text) => {
    const { sim, lockPath } = sensor();
    writeFileSync(lockPath, text);
    const lock = await sim.acquireEditLock(localHolder({ user: 'me' }));
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).user).toBe('me');
    await lock.release();
  });

  it('a second session is refused while the first holds it, and gets it after release', async () => {
    const { sim } = sensor();
    const first = await sim.acquireEditLock(localHolder({ user: 'a' }));
    await expect(sim.acquireEditLock(localHolder({ user: 'b' }))).rejects.toMatchObject({ holder: { user: 'a' } });
    await first.release();
    const second = await sim.acquireEditLock(localHolder({ user: 'b' }));
    await second.release();
  });

  it('release leaves a lock that is no longer ours (same pid, another session) in place', async () => {
    const { sim, lockPath } = sensor();
    const me = localHolder({ user: 'me' });
    const lock = await sim.acquireEditLock(me);
    const other = { ...me, user: 'other', since: '2099-01-01T00:00:00.000Z' };
    writeFileSync(lockPath, JSON.stringify(other)); // taken over meanwhile (same pid, later session)
    await lock.release();
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual(other);
    const otherPid = { ...me, pid: me.pid + 1 };
    writeFileSync(lockPath, JSON.stringify(otherPid)); // same time, another process
    await lock.release();
    expect(existsSync(lockPath)).toBe(true);
  });

  it('release does nothing when the lock is already gone', async () => {
    const { sim, lockPath } = sensor();
    const lock = await sim.acquireEditLock(localHolder({ user: 'me' }));
    await lock.release();
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });
});

describe('edit lock: a lock that keeps coming back', () => {
  /** Files where every create fails and the file reads as `text` (a racing writer). */
  function racing(text: () => string | null): LockFiles & { creates: number; removes: number } {
    const files = {
      creates: 0,
      removes: 0,
      createExclusive: async () => {
        files.creates += 1;
        return false;
      },
      readFile: async () => text(),
      remove: async () => {
        files.removes += 1;
      },
    };
    return files;
  }

  it('gives up after three attempts with a clear error when it cannot read the holder', async () => {
    const files = racing(() => 'garbage');
    await expect(acquireLock(files, '/x/edit-settings.lock', localHolder({ user: 'me' }))).rejects.toThrow('Could not take the settings lock /x/edit-settings.lock.');
    expect(files.creates).toBe(3);
    expect(files.removes).toBe(3);
  });

  it('a holder that appears after the third attempt is named', async () => {
    let reads = 0;
    const holder = { user: 'late', pid: 1, host: 'other-host', since: 'x' };
    const files = racing(() => (++reads > 3 ? JSON.stringify(holder) : null));
    await expect(acquireLock(files, '/x/l', localHolder({ user: 'me' }))).rejects.toMatchObject({ holder });
  });

  it('succeeds on the second attempt once the stale lock was removed', async () => {
    let creates = 0;
    const files: LockFiles = {
      createExclusive: async () => ++creates === 2,
      readFile: async () => JSON.stringify({ user: 'dead', pid: deadPid(), host: hostname(), since: 'x' }),
      remove: async () => {},
    };
    const lock = await acquireLock(files, '/x/l', localHolder({ user: 'me' }));
    expect(creates).toBe(2);
    expect(typeof lock.release).toBe('function');
  });
});
