// The edit lock's fallbacks for hosts without procfs and for a user without a passwd entry
// (issue 17: mutation testing of src/system/edit-lock.ts). The module caches the boot id, so
// each case loads a fresh copy with node:fs or node:os replaced.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostname } from 'node:os';

afterEach(() => {
  vi.doUnmock('node:fs');
  vi.doUnmock('node:os');
  vi.resetModules();
});

/** edit-lock.ts loaded with /proc unreadable: no boot id, no start times. */
async function withoutProcfs() {
  vi.resetModules();
  vi.doMock('node:fs', async (importOriginal) => {
    const real = await importOriginal<typeof import('node:fs')>();
    const readFileSync = ((path: unknown, ...rest: unknown[]) => {
      if (String(path).startsWith('/proc/')) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return (real.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof real.readFileSync;
    return { ...real, readFileSync, default: { ...real, readFileSync } };
  });
  return import('../../src/system/edit-lock.js');
}

describe('without procfs', () => {
  it('no boot id and no start time; a holder is checked with kill(pid, 0)', async () => {
    const lock = await withoutProcfs();
    expect(lock.bootId()).toBeNull();
    expect(lock.processStartTicks(process.pid)).toBeNull();
    const base = { user: 'bob', host: hostname(), since: new Date().toISOString() };
    expect(lock.holderAlive({ ...base, pid: process.pid })).toBe(true);
    expect(lock.holderAlive({ ...base, pid: 4_194_400 })).toBe(false); // ESRCH
    // pid 1 exists and is root's: an unprivileged kill(1, 0) says EPERM, which still means alive.
    expect(lock.holderAlive({ ...base, pid: 1 })).toBe(true);
  });

  it('kill(pid, 0) refused with EPERM (a process of another user) means alive; any other error, gone', async () => {
    const lock = await withoutProcfs();
    const base = { user: 'bob', host: hostname(), since: new Date().toISOString(), pid: 4242 };
    const kill = vi.spyOn(process, 'kill');
    try {
      kill.mockImplementation(() => {
        throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
      });
      expect(lock.holderAlive(base)).toBe(true);
      kill.mockImplementation(() => {
        throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      });
      expect(lock.holderAlive(base)).toBe(false);
    } finally {
      kill.mockRestore();
    }
  });

  it('a local holder record has no boot id or start time', async () => {
    const lock = await withoutProcfs();
    const holder = lock.localHolder({ user: 'alice' });
    expect('bootId' in holder).toBe(false);
    expect('startTicks' in holder).toBe(false);
  });
});

describe('a process user without a passwd entry', () => {
  it('changes made without a caller are taken as "uid N"', async () => {
    vi.resetModules();
    vi.doMock('node:os', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:os')>();
      const userInfo = () => {
        throw Object.assign(new Error('ENOENT: no such file or directory, uv_os_get_passwd'), { code: 'ENOENT' });
      };
      return { ...real, userInfo, default: { ...real, userInfo } };
    });
    const { AdapterLock } = await import('../../src/system/edit-lock.js');
    const users: string[] = [];
    const adapter = new AdapterLock(async (by) => {
      users.push(by.user);
      return { holder: { user: by.user, pid: 1, host: 'h', since: 's' }, release: async () => {} };
    });
    await adapter.acquire(undefined);
    const getuid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    await adapter.acquire(undefined);
    getuid.mockRestore();
    const real = process.getuid;
    try {
      (process as { getuid?: () => number }).getuid = undefined; // a platform without uids
      await adapter.acquire(undefined);
    } finally {
      process.getuid = real;
    }
    expect(users).toEqual([`uid ${process.getuid!()}`, 'uid 1000', 'uid ?']);
  });
});
