// The edit lock's algorithm step by step against in-memory files (issue 17: these fail on
// mutants of the link-based lock rewrite in src/system/edit-lock.ts). Real files, 20 parallel
// processes and a real kernel are covered by test/hostile/lock.test.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  acquireLock,
  AdapterLock,
  bootId,
  EditLockHeldError,
  EditLockUnreadableError,
  holderAlive,
  isLockHeld,
  localHolder,
  parseHolder,
  processStartTicks,
  REMOTE_HOLDER_BOUND_S,
  UNREADABLE_BOUND_S,
  type LockFiles,
} from '../../src/system/edit-lock.js';
import type { EditLock, LockHolder } from '../../src/system/adapter.js';
import { EXIT, OtshellError } from '../../src/errors.js';

const LOCK = '/state/edit-settings.lock';
const ME = { user: 'alice', tty: '/dev/pts/1' };
/** A pid no process has: above the kernel's pid_max limit (2^22). */
const GONE_PID = 4_194_400;

function memoryFiles(initial: Record<string, string> = {}, ages: Record<string, number | null> = {}) {
  const files = new Map(Object.entries(initial));
  const log: string[] = [];
  const api: LockFiles = {
    async createExclusive(path, data) {
      log.push(`create ${path}`);
      if (files.has(path)) return false;
      files.set(path, data);
      return true;
    },
    async readFile(path) {
      return files.get(path) ?? null;
    },
    async remove(path) {
      log.push(`remove ${path}`);
      files.delete(path);
    },
    async ageSeconds(path) {
      if (!files.has(path)) return null;
      return path in ages ? ages[path]! : 0;
    },
  };
  return { api, files, log };
}

const holder = (over: Partial<LockHolder> = {}): LockHolder => ({
  user: 'bob', pid: process.pid, host: hostname(), since: new Date().toISOString(), ...over,
});
const record = (h: LockHolder) => `${JSON.stringify(h)}\n`;

describe('EditLockHeldError', () => {
  it('names the user, where from (ssh client first, else tty), the pid, host and since; exit LOCKED', () => {
    const base = { user: 'bob', pid: 42, host: 'sensor', since: '2026-11-29T00:00:00Z' };
    const ssh = new EditLockHeldError({ ...base, sshClient: '10.0.0.9 5000 22', tty: '/dev/pts/3' });
    expect(ssh.message).toBe(
      'The network settings are being edited by bob from 10.0.0.9 5000 22 (pid 42 on sensor) since 2026-11-29 00:00:00 UTC. Try again when that session has finished.',
    );
    expect(ssh.exitCode).toBe(EXIT.LOCKED);
    expect(new EditLockHeldError({ ...base, tty: '/dev/pts/3' }).message).toContain('edited by bob on /dev/pts/3 (pid 42');
    expect(new EditLockHeldError(base).message).toContain('edited by bob (pid 42 on sensor)');
  });
});

describe('EditLockUnreadableError', () => {
  it.each([
    [0, 10],
    [null, 10],
    [300, 5],
    [301, 5],
    [359, 5],
    [599, 1],
    [700, 0],
  ])('at age %s s: taken over in about %i min', (age, minutes) => {
    const error = new EditLockUnreadableError(LOCK, age);
    expect(error.message).toBe(
      `The settings lock ${LOCK} is held but its holder cannot be read (the file is empty or incomplete). ` +
        `It is treated as held; it is taken over when it is 10 minutes old (in about ${minutes} min), or remove it by hand once you are sure nobody is editing.`,
    );
    expect(error.exitCode).toBe(EXIT.LOCKED);
  });
});

describe('parseHolder', () => {
  const good = holder({ pid: 42 });
  it('a complete record (ending its line)', () => {
    expect(parseHolder(record(good))).toEqual(good);
  });
  it.each([
    ['without its newline', JSON.stringify(good)],
    ['empty', ''],
    ['torn', record(good).slice(0, 20) + '\n'],
    ['null', 'null\n'],
    ['a number', '5\n'],
    ['pid a string', record({ ...good, pid: '42' as unknown as number })],
    ['user missing', record({ ...good, user: undefined as unknown as string })],
    ['host a number', record({ ...good, host: 1 as unknown as string })],
    ['since missing', record({ ...good, since: undefined as unknown as string })],
  ])('%s: not a record', (_name, text) => {
    expect(parseHolder(text)).toBeNull();
  });
});

describe('processStartTicks and bootId', () => {
  it('this process has a start time; a pid no process has, 0, negative or fractional has none', () => {
    const ticks = processStartTicks(process.pid);
    expect(typeof ticks).toBe('number');
    expect(ticks).toBeGreaterThan(0);
    expect(processStartTicks(GONE_PID)).toBeNull();
    expect(processStartTicks(0)).toBeNull();
    expect(processStartTicks(-1)).toBeNull();
    expect(processStartTicks(1.5)).toBeNull();
  });

  it('the start time is field 22 of /proc/PID/stat, read after the command name (which may hold spaces and parentheses)', () => {
    // Our own stat's field 22, read independently: the value after "comm) " split at spaces, index 19.
    const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8') ;
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(processStartTicks(process.pid)).toBe(Number(after[19]));
    expect(after[0]).toMatch(/^[RSDTtZXIWPK]$/); // field 3, the state: the split starts right after the name
  });

  it('the boot id is read once and is this boot\'s', () => {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    expect(bootId()).toBe(id);
  });
});

describe('localHolder', () => {
  it('the caller fields, this pid, host, boot id, start time and a fresh hex id', () => {
    const before = Date.now();
    const h = localHolder({ user: 'alice', tty: '/dev/pts/1', sshClient: '10.0.0.9 5000 22' });
    expect(h).toMatchObject({ user: 'alice', tty: '/dev/pts/1', sshClient: '10.0.0.9 5000 22', pid: process.pid, host: hostname(), bootId: bootId()!, startTicks: processStartTicks(process.pid)! });
    expect(h.id).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.parse(h.since)).toBeGreaterThanOrEqual(before - 1);
    expect(localHolder({ user: 'alice' }).id).not.toBe(h.id);
  });
  it('no tty or ssh client: the keys are absent', () => {
    const h = localHolder({ user: 'alice' });
    expect('tty' in h).toBe(false);
    expect('sshClient' in h).toBe(false);
  });
});

describe('holderAlive', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const remote = (ageS: number) => holder({ host: 'another-host', since: new Date(now - ageS * 1000).toISOString() });

  it('another host: alive up to the bound, gone after it', () => {
    expect(holderAlive(remote(REMOTE_HOLDER_BOUND_S - 1), now)).toBe(true);
    expect(holderAlive(remote(REMOTE_HOLDER_BOUND_S), now)).toBe(true);
    expect(holderAlive(remote(REMOTE_HOLDER_BOUND_S + 1), now)).toBe(false);
    expect(holderAlive(remote(REMOTE_HOLDER_BOUND_S * 5), now)).toBe(false);
  });

  it('another host with an unreadable time: alive (cannot be proved gone)', () => {
    expect(holderAlive(holder({ host: 'another-host', since: 'yesterday-ish' }), now)).toBe(true);
  });

  it('this host, this process: alive with or without a start time', () => {
    expect(holderAlive(holder({ startTicks: processStartTicks(process.pid)!, bootId: bootId()! }))).toBe(true);
    expect(holderAlive(holder())).toBe(true);
  });

  it('this host, the pid now another process (another start time): gone', () => {
    expect(holderAlive(holder({ startTicks: processStartTicks(process.pid)! + 1 }))).toBe(false);
  });

  it('this host, an earlier boot: gone even though the pid exists now', () => {
    expect(holderAlive(holder({ bootId: 'not-this-boot' }))).toBe(false);
  });

  it('this host, no such process: gone', () => {
    expect(holderAlive(holder({ pid: GONE_PID }))).toBe(false);
  });

  it('this host, pid 0 or -1 (no process has them; kill() would signal a group): gone', () => {
    expect(holderAlive(holder({ pid: 0 }))).toBe(false);
    expect(holderAlive(holder({ pid: -1 }))).toBe(false);
  });

  it('the remote bound ignores the local process table: a live local pid on another host still expires', () => {
    expect(holderAlive({ ...remote(REMOTE_HOLDER_BOUND_S + 10), pid: process.pid }, now)).toBe(false);
  });
});

describe('acquireLock', () => {
  it('a free lock: created with this process as holder; release removes it', async () => {
    const { api, files } = memoryFiles();
    const lock = await acquireLock(api, LOCK, ME);
    expect(parseHolder(files.get(LOCK)!)).toEqual(lock.holder);
    expect(lock.holder).toMatchObject({ user: 'alice', tty: '/dev/pts/1', pid: process.pid });
    await lock.release();
    expect(files.has(LOCK)).toBe(false);
  });

  it('release leaves a lock that is no longer ours, and a second release does nothing', async () => {
    const { api, files, log } = memoryFiles();
    const lock = await acquireLock(api, LOCK, ME);
    const other = record(holder({ user: 'carol' }));
    files.set(LOCK, other);
    await lock.release();
    expect(files.get(LOCK)).toBe(other);
    files.set(LOCK, record(lock.holder!));
    const removes = log.filter((l) => l.startsWith('remove')).length;
    await lock.release();
    expect(log.filter((l) => l.startsWith('remove')).length).toBe(removes);
    expect(files.has(LOCK)).toBe(true);
  });

  it('held by a live holder: EditLockHeldError naming it, the lock untouched', async () => {
    const live = record(holder({ user: 'bob', tty: '/dev/pts/7' }));
    const { api, files, log } = memoryFiles({ [LOCK]: live });
    const error = await acquireLock(api, LOCK, ME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditLockHeldError);
    expect((error as EditLockHeldError).holder.user).toBe('bob');
    expect(files.get(LOCK)).toBe(live);
    expect([...files.keys()]).toEqual([LOCK]);
    expect(log, 'a held lock is looked at, never competed for').toEqual([]);
  });

  it('held by a gone holder: taken over through its record id marker, which is removed after', async () => {
    const stale = holder({ user: 'bob', pid: GONE_PID, id: 'feedc0de12345678' });
    const { api, files, log } = memoryFiles({ [LOCK]: record(stale) });
    const lock = await acquireLock(api, LOCK, ME);
    expect(parseHolder(files.get(LOCK)!)).toEqual(lock.holder);
    expect(log).toContain(`create ${LOCK}.takeover-feedc0de12345678`);
    expect(log).toContain(`remove ${LOCK}.takeover-feedc0de12345678`);
    expect([...files.keys()]).toEqual([LOCK]);
  });

  it.each([
    ['no id', undefined],
    ['an id that is not hex', '../../etc/passwd'],
    ['an id too short', 'abc'],
    ['an id too long', 'a'.repeat(33)],
  ])('a gone holder with %s: the marker is named by the hash of the record', async (_name, id) => {
    const stale = record(holder({ pid: GONE_PID, ...(id === undefined ? {} : { id }) }));
    const { api, log } = memoryFiles({ [LOCK]: stale });
    await acquireLock(api, LOCK, ME);
    const hash = createHash('sha256').update(stale).digest('hex').slice(0, 16);
    expect(log).toContain(`create ${LOCK}.takeover-${hash}`);
  });

  it('ids of 8 and 32 hex digits are used as they are', async () => {
    for (const id of ['0123abcd', 'f'.repeat(32)]) {
      const { api, log } = memoryFiles({ [LOCK]: record(holder({ pid: GONE_PID, id })) });
      await acquireLock(api, LOCK, ME);
      expect(log).toContain(`create ${LOCK}.takeover-${id}`);
    }
  });

  it('a stale lock replaced by another contender before the takeover removes it: not removed, the new holder wins', async () => {
    const stale = record(holder({ pid: GONE_PID, id: 'aaaaaaaaaaaaaaaa' }));
    const { api, files } = memoryFiles({ [LOCK]: stale });
    const newcomer = record(holder({ user: 'dave' }));
    const create = api.createExclusive;
    api.createExclusive = async (path, data) => {
      // The marker is ours, but meanwhile another process took the lock over and now holds it.
      if (path.includes('.takeover-')) files.set(LOCK, newcomer);
      return create(path, data);
    };
    const error = await acquireLock(api, LOCK, ME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditLockHeldError);
    expect((error as EditLockHeldError).holder.user).toBe('dave');
    expect(files.get(LOCK)).toBe(newcomer);
    expect([...files.keys()]).toEqual([LOCK]);
  });

  it('an unreadable lock younger than the bound: EditLockUnreadableError with its age, untouched', async () => {
    const { api, files } = memoryFiles({ [LOCK]: '{"user":"bo' }, { [LOCK]: 120 });
    const error = await acquireLock(api, LOCK, ME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditLockUnreadableError);
    expect((error as Error).message).toContain('(in about 8 min)');
    expect(files.get(LOCK)).toBe('{"user":"bo');
  });

  it('an unreadable lock just under the bound is respected; at the bound it is taken over', async () => {
    const young = memoryFiles({ [LOCK]: '' }, { [LOCK]: UNREADABLE_BOUND_S - 1 });
    await expect(acquireLock(young.api, LOCK, ME)).rejects.toBeInstanceOf(EditLockUnreadableError);
    const old = memoryFiles({ [LOCK]: '' }, { [LOCK]: UNREADABLE_BOUND_S });
    const lock = await acquireLock(old.api, LOCK, ME);
    expect(parseHolder(old.files.get(LOCK)!)).toEqual(lock.holder);
  });

  it('an unreadable lock that disappears while its age is read: competed for again and taken', async () => {
    const { api, files } = memoryFiles({ [LOCK]: 'torn' });
    api.ageSeconds = async () => {
      files.delete(LOCK);
      return null;
    };
    const lock = await acquireLock(api, LOCK, ME);
    expect(parseHolder(files.get(LOCK)!)).toEqual(lock.holder);
  });

  it('lost the race to create: the winner is read and named', async () => {
    const { api, files } = memoryFiles();
    const winner = record(holder({ user: 'erin' }));
    api.createExclusive = async () => {
      files.set(LOCK, winner);
      return false;
    };
    const error = await acquireLock(api, LOCK, ME).catch((e: unknown) => e);
    expect((error as EditLockHeldError).holder.user).toBe('erin');
  });

  it('lost the race to create, and the winner already released: compete again and take it', async () => {
    const { api, files } = memoryFiles();
    let first = true;
    const create = api.createExclusive;
    api.createExclusive = async (path, data) => {
      if (first) {
        first = false;
        return false; // someone held it for an instant and is gone again
      }
      return create(path, data);
    };
    const lock = await acquireLock(api, LOCK, ME);
    expect(parseHolder(files.get(LOCK)!)).toEqual(lock.holder);
  });

  it('a takeover marker held by a live process: wait for it, then see the lock it took; its marker is not ours to remove', async () => {
    const stale = holder({ pid: GONE_PID, id: 'bbbbbbbbbbbbbbbb' });
    const marker = `${LOCK}.takeover-bbbbbbbbbbbbbbbb`;
    // The marker's holder and the lock's new holder differ, so the error tells which one was read.
    const { api, files, log } = memoryFiles({ [LOCK]: record(stale), [marker]: record(holder({ user: 'marker-owner' })) });
    const winner = record(holder({ user: 'frank' }));
    const read = api.readFile;
    let reads = 0;
    api.readFile = async (path) => {
      // After our first look at the marker, its owner finishes the takeover: the lock is frank's.
      if (path === marker && (reads += 1) === 1) {
        const text = await read(path);
        files.set(LOCK, winner);
        return text;
      }
      return read(path);
    };
    const error = await acquireLock(api, LOCK, ME).catch((e: unknown) => e);
    expect((error as EditLockHeldError).holder.user).toBe('frank');
    expect(log.filter((l) => l.startsWith('remove'))).toEqual([]);
    expect(files.get(marker)).toBeDefined();
  });

  it('a file error while taking over is not swallowed', async () => {
    const { api } = memoryFiles({ [LOCK]: record(holder({ pid: GONE_PID, id: 'cccccccccccccccc' })) });
    const boom = new Error('EIO');
    let creates = 0;
    api.createExclusive = async () => ((creates += 1), Promise.reject(boom));
    await expect(acquireLock(api, LOCK, ME)).rejects.toBe(boom);
    expect(creates, 'thrown at once, not retried').toBe(1);
  });

  it('contended without end: gives up with a LOCKED error after its attempts', async () => {
    const { api } = memoryFiles();
    let reads = 0;
    api.readFile = async () => ((reads += 1), null);
    api.createExclusive = async () => false;
    const error = await acquireLock(api, LOCK, ME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OtshellError);
    expect((error as OtshellError).exitCode).toBe(EXIT.LOCKED);
    expect((error as Error).message).toBe(`The settings lock ${LOCK} is contended; try again.`);
    expect(reads).toBe(200);
  });
});

describe('AdapterLock', () => {
  function fakeTake() {
    const events: string[] = [];
    let n = 0;
    const take = async (by: { user: string }): Promise<EditLock> => {
      const id = (n += 1);
      events.push(`take ${id} ${by.user}`);
      return { holder: holder({ user: by.user }), release: async () => void events.push(`release ${id}`) };
    };
    return { take, events };
  }

  it('held while a token is live; a token released twice releases once', async () => {
    const { take, events } = fakeTake();
    const adapter = new AdapterLock(take);
    expect(adapter.held).toBe(false);
    const token = await adapter.acquire({ user: 'alice' });
    expect(adapter.held).toBe(true);
    await token.release();
    await token.release();
    expect(adapter.held).toBe(false);
    expect(events).toEqual(['take 1 alice', 'release 1']);
  });

  it('afterTake failing gives the lock back and throws its error', async () => {
    const { take, events } = fakeTake();
    const adapter = new AdapterLock(take);
    const boom = new Error('intent unreadable');
    await expect(adapter.acquire({ user: 'alice' }, async () => Promise.reject(boom))).rejects.toBe(boom);
    expect(events).toEqual(['take 1 alice', 'release 1']);
    expect(adapter.held).toBe(false);
  });

  it('with(): takes, works, releases, even when the work throws', async () => {
    const { take, events } = fakeTake();
    const adapter = new AdapterLock(take);
    expect(await adapter.with({ user: 'a' }, async () => (events.push('work'), 7))).toBe(7);
    await expect(adapter.with({ user: 'a' }, async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(events).toEqual(['take 1 a', 'work', 'release 1', 'take 2 a', 'release 2']);
  });

  it('with() under a token this adapter holds: works without taking again; a foreign or released token does not count', async () => {
    const { take, events } = fakeTake();
    const adapter = new AdapterLock(take);
    const token = await adapter.acquire({ user: 'a' });
    await adapter.with({ user: 'a' }, async () => void events.push('inside'), undefined, token);
    expect(events).toEqual(['take 1 a', 'inside']);
    const other = new AdapterLock(fakeTake().take);
    const foreign = await other.acquire({ user: 'b' });
    await adapter.with({ user: 'a' }, async () => void events.push('foreign'), undefined, foreign);
    await token.release();
    await adapter.with({ user: 'a' }, async () => void events.push('released'), undefined, token);
    expect(events).toEqual(['take 1 a', 'inside', 'take 2 a', 'foreign', 'release 2', 'release 1', 'take 3 a', 'released', 'release 3']);
  });

  it('without a caller: the lock is taken as this process user', async () => {
    const { take, events } = fakeTake();
    await new AdapterLock(take).acquire(undefined);
    expect(events[0]).toBe(`take 1 ${userInfo().username}`);
  });
});

describe('isLockHeld', () => {
  it('held and unreadable are held; anything else is not', () => {
    expect(isLockHeld(new EditLockHeldError(holder()))).toBe(true);
    expect(isLockHeld(new EditLockUnreadableError(LOCK, 0))).toBe(true);
    expect(isLockHeld(new OtshellError('x', EXIT.LOCKED))).toBe(false);
    expect(isLockHeld(null)).toBe(false);
  });
});
