// The privileged helper behind the README's one sudoers line, for real: sudo,
// unix_chkpwd and chpasswd run in a private mount namespace (priv-namespace.ts)
// whose /etc and /usr/local are overlays; the test users and their hashes
// exist only there. The helper runs its named operations only; sudo gives
// nothing else (not otshell, not a shell, not id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { missingParts } from './harness.js';
import { startPrivNamespace, PRIV_USERS, readmeSudoersLines, type PrivNamespace } from './priv-namespace.js';
import { BIN } from '../helpers/cli.js';
import { EXIT } from '../../src/errors.js';

const skip = missingParts(['root']) ?? (existsSync('/usr/bin/sudo') && existsSync('/usr/sbin/unix_chkpwd') ? null : skipReason());

function skipReason(): string {
  const reason = 'needs sudo and unix_chkpwd (Debian: sudo, libpam-modules-bin)';
  if (process.env.CI === 'true') throw new Error(`${reason}: .ci/run installs them`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

const HELPER = '/usr/local/libexec/otshell-priv';

describe.skipIf(skip !== null)('the privileged helper behind the README sudoers line', { timeout: 120_000 }, () => {
  let ns: PrivNamespace;
  const helper = (user: (typeof PRIV_USERS)[keyof typeof PRIV_USERS], request: unknown) =>
    ns.exec('sudo', ['-n', '--', HELPER], { user, input: typeof request === 'string' ? request : JSON.stringify(request) });
  /** unix_chkpwd as root: is this the user's password now? */
  const passwordIs = async (user: { name: string }, password: string) => (await ns.exec('/usr/sbin/unix_chkpwd', [user.name, 'nonull'], { input: `${password}\0` })).exitCode === 0;

  beforeAll(async () => {
    ns = await startPrivNamespace();
  }, 60_000);
  afterAll(async () => {
    await ns?.stop();
  });

  it('the README has exactly one sudoers line, for the helper only', () => {
    const lines = readmeSudoersLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^%otshell-viewer,%otshell-support,%otshell-root ALL=\(root\) NOPASSWD: \/usr\/local\/libexec\/otshell-priv$/);
  });

  it.each([
    ['otshell itself', ['-n', '--', BIN, 'network', 'list']],
    ['a shell', ['-n', '--', '/bin/sh', '-c', 'id']],
    ['id', ['-n', 'id']],
    ['the helper under another name', ['-n', '--', '/usr/local/libexec/../libexec/otshell-priv2']],
    ['sudo -s', ['-n', '-s']],
    ['the helper as another user', ['-n', '-u', 'daemon', '--', HELPER]],
  ])('sudo refuses %s for a support user (only the helper is allowed)', async (_label, args) => {
    const result = await ns.exec('sudo', args, { user: PRIV_USERS.support });
    expect(result.exitCode, result.stdout + result.stderr).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/password is required|not allowed|may not run|command not allowed/);
  });

  it('a user in no otshell group gets nothing from sudo, not even the helper', async () => {
    const result = await helper(PRIV_USERS.outsider, { op: 'reboot' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/password is required|not allowed/);
  });

  it('hostile requests through sudo are refused with one line and change nothing', async () => {
    const before = ns.shadowLine(PRIV_USERS.support);
    const cases: [unknown, RegExp][] = [
      [{ op: 'exec', command: 'id' }, /unknown operation/],
      [{ op: 'change-password', user: PRIV_USERS.support.name, current: PRIV_USERS.support.password, password: 'New#Pass456', shell: '/bin/sh' }, /"shell" is not a field/],
      [{ op: 'change-password', user: PRIV_USERS.support.name, current: PRIV_USERS.support.password, password: 'New#Pass456\nroot:x' }, /password/],
      ['x'.repeat(1024 * 1024), /larger than/],
    ];
    for (const [request, message] of cases) {
      const result = await helper(PRIV_USERS.support, request);
      expect(result.exitCode).toBe(EXIT.USAGE);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(ns.shadowLine(PRIV_USERS.support)).toBe(before);
  });

  it('change-password: a wrong current password changes nothing (77); the right one sets the new password; hashes never leave', async () => {
    const user = PRIV_USERS.support;
    const before = ns.shadowLine(user);
    const wrong = await helper(user, { op: 'change-password', user: user.name, current: 'Not#ThePass1', password: 'New#Pass456' });
    expect(wrong.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(wrong.stderr).toMatch(/current password is not correct/);
    expect(ns.shadowLine(user)).toBe(before);

    const good = await helper(user, { op: 'change-password', user: user.name, current: user.password, password: 'New#Pass456', source: '10.0.0.9' });
    expect(good.exitCode, good.stderr).toBe(0);
    expect(ns.shadowLine(user)).not.toBe(before);
    expect(await passwordIs(user, 'New#Pass456')).toBe(true);
    expect(await passwordIs(user, user.password)).toBe(false);
    const hash = ns.shadowLine(user).split(':')[1]!;
    const sessions = ns.sessions();
    expect(sessions).toMatch(/"kind":"password-change","user":"otpsup","role":"support","source":"10\.0\.0\.9","detail":"password of otpsup"/);
    for (const text of [good.stdout, good.stderr, wrong.stderr, sessions]) {
      expect(text).not.toContain(hash);
      expect(text).not.toContain('New#Pass456');
      expect(text).not.toContain(user.password);
    }
  });

  it('role limits in the helper: a viewer may not change a password; support may not change another user\'s', async () => {
    const viewer = await helper(PRIV_USERS.viewer, { op: 'change-password', user: PRIV_USERS.viewer.name, current: PRIV_USERS.viewer.password, password: 'New#Pass456' });
    expect(viewer.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(viewer.stderr).toMatch(/needs the support role/);
    const other = await helper(PRIV_USERS.support, { op: 'change-password', user: PRIV_USERS.viewer.name, current: PRIV_USERS.viewer.password, password: 'New#Pass456' });
    expect(other.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(other.stderr).toMatch(/only its own password/);
    expect(await passwordIs(PRIV_USERS.viewer, PRIV_USERS.viewer.password)).toBe(true);
  });

  it('record-session: the user is the one sudo names, not one the request could claim', async () => {
    const forged = await helper(PRIV_USERS.viewer, { op: 'record-session', kind: 'sign-in', source: 'console', user: 'root' });
    expect(forged.exitCode).toBe(EXIT.USAGE);
    const ok = await helper(PRIV_USERS.viewer, { op: 'record-session', kind: 'sign-in', source: '/dev/pts/7' });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ns.sessions()).toMatch(/"kind":"sign-in","user":"otpview","role":"viewer","source":"\/dev\/pts\/7"/);
    const other = await helper(PRIV_USERS.viewer, { op: 'record-session', kind: 'password-change', source: 'console' });
    expect(other.exitCode).toBe(EXIT.USAGE);
  });

  it('root: system password for a user outside the roles config is refused (77), its password unchanged', async () => {
    const outsider = PRIV_USERS.outsider;
    const run = await ns.exec(process.execPath, [BIN, '--target', 'local', 'system', 'password', outsider.name], { input: `${outsider.password}\nNew#Pass456\nNew#Pass456\n` });
    expect(run.exitCode, run.stdout + run.stderr).toBe(EXIT.NO_PERMISSION);
    expect(run.stderr).toMatch(/otpout is not an otshell user \(not in the roles config\)/);
    expect(await passwordIs(outsider, outsider.password)).toBe(true);
  });

  it('otshell as the user: "system password" goes through sudo and the helper; the audit shows it', async () => {
    const user = PRIV_USERS.support;
    // Piped: the current password, then the new one twice (never in argv).
    const run = await ns.exec(process.execPath, [BIN, '--target', 'local', 'system', 'password'], { user, input: 'New#Pass456\nThird#Pass789\nThird#Pass789\n' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(await passwordIs(user, 'Third#Pass789')).toBe(true);
    const audit = await ns.exec(process.execPath, [BIN, '--target', 'local', 'system', 'audit', '--sessions'], {});
    expect(audit.exitCode, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/password-change.*otpsup/);
    expect(audit.stdout + run.stdout + run.stderr).not.toMatch(/Third#Pass789|\$6\$/);
  });
});
