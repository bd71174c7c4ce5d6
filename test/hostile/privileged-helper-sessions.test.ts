// The helper's session and password operations with hostile requests: the
// current password and the session line are checked field by field, the user
// of a session line is always the one sudo names, and nothing runs on a refusal.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { handleRequest, type PrivilegedOperations } from '../../src/system/linux/privileged/helper.js';
import type { SessionEvent } from '../../src/system/adapter.js';
import { EXIT } from '../../src/errors.js';

function recorder() {
  const calls: string[] = [];
  const events: SessionEvent[] = [];
  const ops: PrivilegedOperations = {
    roleOf: async (user) => ({ otsupport: 'support', otviewer: 'viewer' } as const)[user as 'otsupport'] ?? null,
    applyNetworkSettings: async () => ({ kind: 'applied' }),
    confirmNetworkSettings: async () => ({ confirmed: true, detail: '' }),
    reboot: async () => {},
    shutdown: async () => {},
    changePassword: async (user, current, next, by) => void calls.push(`password ${user} ${current.length}/${next.length} by ${by.user} from ${by.tty ?? '-'}`),
    recordSession: async (event) => void events.push(event),
  };
  return { ops, calls, events };
}

const VIEWER = { uid: 41002, user: 'otviewer' };
const SUPPORT = { uid: 41001, user: 'otsupport' };
const request = (value: unknown) => Buffer.from(JSON.stringify(value));
const PASSWORDS = { user: 'otsupport', current: 'Old#pass1', password: 'New#pass1' };

describe('privileged helper: change-password and record-session', () => {
  it.each([
    ['no current password', { op: 'change-password', user: 'otsupport', password: 'New#pass1' }, /current/],
    ['an empty current password', { op: 'change-password', ...PASSWORDS, current: '' }, /current/],
    ['a NUL in the current password (unix_chkpwd ends it there)', { op: 'change-password', ...PASSWORDS, current: 'Old\u0000#pass1' }, /current/],
    ['a 1 MB current password', { op: 'change-password', ...PASSWORDS, current: 'x'.repeat(1 << 20) }, /larger than/],
    ['a source with a newline', { op: 'change-password', ...PASSWORDS, source: 'console\nforged' }, /source/],
    ['a session line naming its user', { op: 'record-session', kind: 'sign-in', source: 'console', user: 'root' }, /"user" is not a field/],
    ['a session line naming its role', { op: 'record-session', kind: 'sign-in', source: 'console', role: 'root' }, /"role" is not a field/],
    ['a session kind the login shell does not write', { op: 'record-session', kind: 'password-change', source: 'console' }, /kind/],
    ['a root-shell line', { op: 'record-session', kind: 'root-shell', source: 'console' }, /kind/],
    ['a source that is a path traversal with spaces', { op: 'record-session', kind: 'sign-in', source: '../../etc/passwd x' }, /source/],
    ['a detail with control bytes', { op: 'record-session', kind: 'sign-out', source: 'console', detail: '\u001b[2Jcleared' }, /detail/],
  ])('%s: refused (64), nothing run', async (_label, value, message) => {
    const { ops, calls, events } = recorder();
    const result = await handleRequest(request(value), SUPPORT, ops);
    expect(result.exitCode).toBe(EXIT.USAGE);
    expect(result.line).toMatch(message);
    expect(result.line.split('\n')).toHaveLength(1);
    expect([...calls, ...events]).toEqual([]);
  });

  it('record-session: user from sudo, role from the roles config, time from the helper', async () => {
    const { ops, events } = recorder();
    const result = await handleRequest(request({ op: 'record-session', kind: 'timeout', source: '203.0.113.7', detail: 'after 300 s without input' }), VIEWER, ops);
    expect(result.exitCode).toBe(EXIT.OK);
    expect(events).toEqual([{ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), kind: 'timeout', user: 'otviewer', role: 'viewer', source: '203.0.113.7', detail: 'after 300 s without input' }]);
  });

  it('a user with no role may not even record a session line (77)', async () => {
    const { ops, events } = recorder();
    const result = await handleRequest(request({ op: 'record-session', kind: 'sign-in', source: 'console' }), { uid: 41009, user: 'stranger' }, ops);
    expect(result.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(events).toEqual([]);
  });

  it('change-password passes the current password and the source on; the passwords never appear in the answer', async () => {
    const { ops, calls } = recorder();
    const result = await handleRequest(request({ op: 'change-password', ...PASSWORDS, source: '/dev/pts/3' }), SUPPORT, ops);
    expect(result.exitCode).toBe(EXIT.OK);
    expect(calls).toEqual(['password otsupport 9/9 by otsupport from /dev/pts/3']);
    expect(result.line).not.toMatch(/Old#pass1|New#pass1/);
  });

  it('property: any extra field on record-session is refused and nothing is recorded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['op', 'kind', 'source', 'detail'].includes(k) && k !== '__proto__'), fc.jsonValue(), async (key, value) => {
        const { ops, events } = recorder();
        const result = await handleRequest(request({ op: 'record-session', kind: 'sign-in', source: 'console', [key]: value }), VIEWER, ops);
        expect(result.exitCode).toBe(EXIT.USAGE);
        expect(events).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
