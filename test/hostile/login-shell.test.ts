// otshell as a login shell, without sshd: what `SHELL -c LINE` and ForceCommand
// hand it, hostile lines, the launcher's clean environment, Ctrl-Z, and the
// roles file. The sshd side is test/real-host/login-shell.test.ts.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localCallerRole, loginRequest } from '../../src/cli/login-shell.js';
import { assessPrivilege } from '../../src/cli/privilege.js';
import { groupsOf, parseRolesConfig, roleOf, RolesConfigError } from '../../src/system/linux/user-roles.js';
import { parseRole, ROLES } from '../../src/commands/roles.js';
import { EXIT } from '../../src/errors.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { expectNoStackTrace, RAW_CONTROL } from './helpers.js';

const LOGIN = { OTSHELL_LOGIN: '1' };

describe('login shell: what sshd hands it', () => {
  it.each([
    ['bash', /"bash" is not an otshell command/],
    ['sh -c id', /"sh" is not an otshell command/],
    ['/bin/bash -i', /is not an otshell command/],
    ['exec /bin/sh', /"exec" is not an otshell command/],
    ['$(id)', /is not an otshell command/],
    ['`id`', /is not an otshell command/],
    ['python3 -c "import pty"', /is not an otshell command/],
    ['/usr/lib/openssh/sftp-server', /file transfer/],
    ['internal-sftp', /file transfer/],
    ['scp -t /tmp', /file transfer/],
    ['scp -f /etc/shadow', /file transfer/],
    ['rsync --server .', /file transfer/],
    ['\u001b]0;x\u0007bash', /is not an otshell command/],
    [`${'a'.repeat(100_000)}`, /is not an otshell command/],
  ])('-c %j is refused with exit 126 and one escaped line', (line, message) => {
    const request = loginRequest(['-c', line], 'node', {});
    expect(request.kind).toBe('refused');
    if (request.kind !== 'refused') return;
    expect(request.exitCode).toBe(EXIT.NOT_ALLOWED);
    expect(request.message).toMatch(message);
    expect(request.message).not.toMatch(RAW_CONTROL);
    expect(request.message.length).toBeLessThan(400);
  });

  it('-c with an otshell line runs those words; options first are left to the privilege rules', () => {
    expect(loginRequest(['-c', 'network list --json'], 'node', {})).toEqual({ kind: 'run', argv: ['network', 'list', '--json'] });
    expect(loginRequest(['-c', "system  'sanity'"], 'node', {})).toEqual({ kind: 'run', argv: ['system', 'sanity'] });
    expect(loginRequest(['-c', '--state-dir /tmp network list'], 'node', {})).toEqual({ kind: 'run', argv: ['--state-dir', '/tmp', 'network', 'list'] });
    expect(loginRequest(['-c', ''], 'node', {})).toEqual({ kind: 'run', argv: [] });
  });

  it('more than one argument after -c is refused; arguments without -c are checked as words', () => {
    expect(loginRequest(['-c', 'network list', 'x'], 'node', {})).toMatchObject({ kind: 'refused', exitCode: EXIT.NOT_ALLOWED });
    expect(loginRequest(['bash'], '-otshell', {})).toMatchObject({ kind: 'refused', exitCode: EXIT.NOT_ALLOWED });
    expect(loginRequest(['network', 'list'], '-otshell', {})).toEqual({ kind: 'run', argv: ['network', 'list'] });
  });

  it('an open quote is a usage error, not a crash', () => {
    expect(loginRequest(['-c', 'network "list'], 'node', {})).toMatchObject({ kind: 'refused', exitCode: EXIT.USAGE });
  });

  it('ForceCommand: the client command comes from SSH_ORIGINAL_COMMAND, also when the account shell runs the forced otshell', () => {
    expect(loginRequest([], 'node', { ...LOGIN, SSH_ORIGINAL_COMMAND: 'network list' })).toEqual({ kind: 'run', argv: ['network', 'list'] });
    expect(loginRequest(['-c', '/usr/local/bin/otshell-login'], 'node', { SSH_ORIGINAL_COMMAND: 'bash' })).toMatchObject({ kind: 'refused', exitCode: EXIT.NOT_ALLOWED });
    expect(loginRequest(['-c', '/usr/local/bin/otshell-login'], 'node', {})).toEqual({ kind: 'run', argv: [] });
    expect(loginRequest([], 'node', { ...LOGIN, SSH_ORIGINAL_COMMAND: 'internal-sftp' })).toMatchObject({ kind: 'refused', exitCode: EXIT.NOT_ALLOWED });
  });

  it('not a login shell: argv passes untouched (SSH_ORIGINAL_COMMAND alone does not make one)', () => {
    expect(loginRequest(['network', 'list'], 'node', { SSH_ORIGINAL_COMMAND: 'bash' })).toEqual({ kind: 'not-login' });
  });

  it('a forged SUDO_UID=0 for a non-root user does not make the invoker root', () => {
    const support = { uid: 41001, euid: 41001, gid: 41001, egid: 41001 };
    expect(assessPrivilege(support, { SUDO_UID: '0' }, '-otshell')).toMatchObject({ privileged: true, invokerIsRoot: false });
  });
});

describe('roles file: zod schema, errors name the line and field', () => {
  const scheme = { parse: parseRole, order: ROLES };
  it('users by name, aliases, groups; the highest group role; root is root; unmapped is null', () => {
    const config = parseRolesConfig('/etc/otshell/roles.yaml', 'users:\n  support: admin\n  auditor: viewer\ngroups:\n  noc: viewer\n', scheme);
    expect(roleOf({ root: false, user: 'support', groups: [] }, config, scheme)).toBe('support');
    expect(roleOf({ root: false, user: 'auditor', groups: ['otshell-root'] }, config, scheme)).toBe('viewer');
    expect(roleOf({ root: false, user: 'x', groups: ['noc', 'otshell-support'] }, config, scheme)).toBe('support');
    expect(roleOf({ root: false, user: 'x', groups: ['users'] }, config, scheme)).toBeNull();
    expect(roleOf({ root: true, user: 'x', groups: [] }, config, scheme)).toBe('root');
  });

  it.each([
    ['users:\n  support: support\n  bob: superuser\n', /line 3, "users\.bob": not a role/],
    ['users:\n  "-rf": support\n', /line 2, "users\.-rf": not a valid Unix user or group name/],
    ['groups: [a, b]\n', /line 1, "groups"/],
    ['people:\n  a: viewer\n', /"people"|\(top\)/],
    ['users:\n  a: viewer\n  a: root\n', /not valid YAML at line 3/],
    ['users: {a: [1, 2]}\n', /line 1, "users\.a"/],
  ])('%j is refused with exit 78', (text, message) => {
    let error: unknown;
    try {
      parseRolesConfig('/etc/otshell/roles.yaml', text, scheme);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RolesConfigError);
    expect((error as RolesConfigError).exitCode).toBe(EXIT.CONFIG);
    expect((error as Error).message).toMatch(message);
  });

  it('groups: the primary group from passwd and the groups that list the user', () => {
    const passwd = 'root:x:0:0::/root:/bin/sh\nsupport:x:1000:1000::/home/support:/usr/local/bin/otshell-login\n';
    const group = 'root:x:0:\nsupport:x:1000:\notshell-viewer:x:2001:bob,support\notshell-root:x:2002:bob\n';
    expect(groupsOf('support', passwd, group).sort()).toEqual(['otshell-viewer', 'support']);
  });
});

describe('the caller role on --target local', () => {
  it('a login shell: the mapped role, an unmapped user refused (77); a plain non-root run: mapped lowers, unmapped keeps; root and other targets untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-roles-'));
    try {
      const files = { roles: join(dir, 'roles.yaml'), passwd: join(dir, 'passwd'), group: join(dir, 'group') };
      writeFileSync(files.roles, 'users:\n  auditor: viewer\n');
      writeFileSync(files.passwd, 'auditor:x:1001:1001::/h:/s\nbob:x:1002:1002::/h:/s\nsupport:x:1003:1003::/h:/s\n');
      writeFileSync(files.group, 'otshell-support:x:2000:support\n');
      const login = { privileged: true, invokerIsRoot: false };
      const plain = { privileged: false, invokerIsRoot: false };
      expect(await localCallerRole('local', login, 1001, 'auditor', files)).toBe('viewer');
      expect(await localCallerRole('local', login, 1003, 'support', files)).toBe('support');
      await expect(localCallerRole('local', login, 1002, 'bob', files)).rejects.toMatchObject({ exitCode: EXIT.NO_PERMISSION });
      expect(await localCallerRole('local', plain, 1001, 'auditor', files)).toBe('viewer');
      expect(await localCallerRole('local', plain, 1002, 'bob', files)).toBeNull();
      expect(await localCallerRole('local', { privileged: true, invokerIsRoot: true }, 1002, 'bob', files)).toBe('root');
      expect(await localCallerRole('local', plain, 0, 'root', files)).toBe('root');
      expect(await localCallerRole('simulator', login, 1002, 'bob', files)).toBeNull();
      writeFileSync(files.roles, 'users:\n  bob: superuser\n');
      await expect(localCallerRole('local', plain, 1002, 'bob', files)).rejects.toMatchObject({ exitCode: EXIT.CONFIG });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the login launcher and the login-shell process', () => {
  it('bin/otshell-login drops NODE_OPTIONS (a --require never runs), OTSHELL_* and SUDO_*; -c runs the otshell line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-login-'));
    try {
      const launcher = join(dir, 'otshell-login');
      writeFileSync(
        launcher,
        readFileSync(join(REPO_ROOT, 'bin/otshell-login'), 'utf8')
          .replace(/^OTSHELL_NODE=.*$/m, `OTSHELL_NODE=${process.execPath}`)
          .replace(/^OTSHELL_ENTRY=.*$/m, `OTSHELL_ENTRY=${BIN}`),
      );
      chmodSync(launcher, 0o755);
      const marker = join(dir, 'PWNED');
      writeFileSync(join(dir, 'payload.cjs'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
      const result = await execa(launcher, ['-c', 'bogus-command'], {
        reject: false,
        env: { NODE_OPTIONS: `--require ${join(dir, 'payload.cjs')}`, OTSHELL_TARGET: 'ssh://root@203.0.113.9', SUDO_UID: '0' },
        timeout: 20_000,
      });
      expect(result.exitCode).toBe(EXIT.NOT_ALLOWED);
      expect(result.stderr).toMatch(/"bogus-command" is not an otshell command/);
      expect(result.stderr).not.toMatch(/OTSHELL_TARGET/); // never reached node: nothing to ignore
      expectNoStackTrace(result.stderr);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Ctrl-Z (SIGTSTP) does not stop a login shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-login-'));
    // A piped login shell waits for its first line; SIGTSTP must leave it running.
    // A login shell takes no arguments: it lists this host (--target local).
    const child = execa('node', [BIN], {
      env: { ...LOGIN, LANG: 'C.UTF-8', HOME: dir },
      input: undefined,
      stdin: 'pipe',
      reject: false,
      timeout: 20_000,
    });
    try {
      // The first line's answer shows otshell is running (its handlers are in place); then Ctrl-Z.
      let seen = '';
      const answered = new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => ((seen += chunk.toString()), /\blo\b/.test(seen) && resolve())));
      child.stdin!.write('network list\n');
      await answered;
      child.kill('SIGTSTP');
      await new Promise((r) => setTimeout(r, 300));
      const state = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
      expect(state).not.toBe('T');
      child.stdin!.end('system audit\n');
      const result = await child;
      expect(result.exitCode).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
