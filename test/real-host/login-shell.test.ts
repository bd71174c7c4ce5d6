// otshell as the login shell behind a real sshd: test users (in a private mount
// namespace, see login-sshd.ts) whose shell or ForceCommand is bin/otshell-login.
// Every way to a system shell, file transfer or a steering environment is tried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { createSensorNamespace, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { startLoginSshd, USERS, type LoginSshd, type TestUser } from './login-sshd.js';
import { TmuxTerminal } from '../helpers/tmux.js';
import { EXIT } from '../../src/errors.js';

const skip = missingParts(['root', 'ip', 'sshd', 'ssh']);

describe.skipIf(skip !== null)('otshell as the login shell over a real sshd', { timeout: 60_000 }, () => {
  let ns: Namespace;
  let sshd: LoginSshd;
  const ssh = (user: TestUser, command: string[], extra: string[] = [], env: Record<string, string> = {}) =>
    ns.exec('ssh', [...sshd.sshArgs(user, extra), ...command], { env, timeout: 30_000 });

  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    sshd = await startLoginSshd(ns, 30000 + ((process.pid * 11) % 9000));
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
    await ns?.remove();
  });

  it("ssh host 'network list --json' runs the otshell command on this host (the namespace's interfaces)", async () => {
    const result = await ssh(USERS.support, ['network list --json']);
    expect(result.stderr, sshd.log()).toBe('');
    expect(result.exitCode).toBe(0);
    const names = JSON.parse(result.stdout).interfaces.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(['eth0', 'eth1', 'eth2', 'eth3']));
  });

  it.concurrent.each([
    ['bash', /"bash" is not an otshell command/],
    ['sh -c id', /"sh" is not an otshell command/],
    ['/bin/sh', /is not an otshell command/],
    ['id; bash', /is not an otshell command/],
    ['scp -t /tmp', /file transfer \(sftp, scp\) is not available/],
    ['/usr/lib/openssh/sftp-server', /file transfer/],
  ])('ssh host %j is refused with one line and exit 126', async (command, message) => {
    const result = await ssh(USERS.support, [command]);
    expect(result.exitCode).toBe(EXIT.NOT_ALLOWED);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('under ForceCommand the client command arrives as SSH_ORIGINAL_COMMAND: otshell commands run, a shell is refused', async () => {
    const listed = await ssh(USERS.force, ['network list --json']);
    expect(listed.exitCode, listed.stderr + sshd.log()).toBe(0);
    expect(JSON.parse(listed.stdout).interfaces.length).toBeGreaterThan(0);
    const shell = await ssh(USERS.force, ['bash -i']);
    expect(shell.exitCode).toBe(EXIT.NOT_ALLOWED);
    expect(shell.stderr).toMatch(/"bash" is not an otshell command/);
  });

  it.concurrent.each([['support', USERS.support], ['ForceCommand', USERS.force]] as const)('sftp and scp (%s) transfer nothing', async (_label, user) => {
    const local = join(sshd.dir, `got-${user.name}`);
    const sftp = await ns.exec('sftp', ['-b', '-', ...transferOptions(), `${user.name}@127.0.0.1`], {
      input: `get /etc/hostname ${local}\n`,
      timeout: 30_000,
    });
    expect(sftp.exitCode).not.toBe(0);
    const scp = await ns.exec('scp', ['-O', ...transferOptions(), `${user.name}@127.0.0.1:/etc/hostname`, local], { timeout: 30_000 });
    expect(scp.exitCode).not.toBe(0);
    const scpSftp = await ns.exec('scp', ['-s', ...transferOptions(), `${user.name}@127.0.0.1:/etc/hostname`, local], { timeout: 30_000 });
    expect(scpSftp.exitCode).not.toBe(0);
    expect(existsSync(local)).toBe(false);
  });

  /** sftp's and scp's options: ssh's, with the port as -P. */
  function transferOptions(): string[] {
    const options = sshd.sshArgs(USERS.support).slice(0, -1);
    const at = options.indexOf('-p');
    options.splice(at, 2);
    return [...options, '-P', String(sshd.port)];
  }

  it('OTSHELL_TARGET sent with SendEnv (sshd AcceptEnv OTSHELL_*) is ignored: the command still runs on this host', async () => {
    const result = await ssh(USERS.support, ['network list --json'], ['-o', 'SendEnv=OTSHELL_TARGET OTSHELL_STATE_DIR NODE_OPTIONS'], {
      OTSHELL_TARGET: 'ssh://root@203.0.113.9',
      OTSHELL_STATE_DIR: '/tmp/otshell-steered',
      NODE_OPTIONS: '--title=steered',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).interfaces.map((i: { name: string }) => i.name)).toContain('eth3');
    expect(existsSync('/tmp/otshell-steered')).toBe(false);
  });

  it('NODE_OPTIONS=--require from ~/.ssh/environment (PermitUserEnvironment yes) never runs: its marker file is not created', async () => {
    const home = sshd.home(USERS.viewer);
    const marker = join(home, 'PWNED');
    const payload = join(home, 'payload.cjs');
    writeFileSync(payload, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    writeFileSync(join(home, '.ssh', 'environment'), `NODE_OPTIONS=--require ${payload}\nOTSHELL_TARGET=ssh://root@203.0.113.9\nSUDO_UID=0\n`);
    chownSync(payload, USERS.viewer.uid, USERS.viewer.gid);
    const result = await ssh(USERS.viewer, ['network list --json']);
    expect(result.exitCode, result.stderr + sshd.log()).toBe(0);
    expect(existsSync(marker)).toBe(false);
    // SUDO_UID=0 from the file does not make the viewer root: root-only options stay refused.
    const steered = await ssh(USERS.viewer, ['network list --state-dir /tmp']);
    expect(steered.exitCode, steered.stderr).toBe(EXIT.NO_PERMISSION);
    expect(steered.stderr).toMatch(/--state-dir is not allowed as a login shell/);
  });

  it('role limits: a viewer is refused edit-settings (naming the role); a user with no role is refused at sign-in', async () => {
    const edit = await ssh(USERS.viewer, ['network edit-settings --ip 10.77.0.30']);
    expect(edit.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(edit.stderr).toMatch(/needs the support role; you are signed in as viewer/);
    const norole = await ssh(USERS.norole, ['network list']);
    expect(norole.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(norole.stderr).toMatch(/the user "otnorole" has no otshell role/);
  });

  it('over ssh -tt: the prompt, a viewer refused edit-settings, Ctrl-Z ignored, exit ends the session', async () => {
    const term = await TmuxTerminal.start([], {
      stateDir: sshd.dir,
      command: ['ip', 'netns', 'exec', ns.name, 'ssh', '-tt', ...sshd.sshArgs(USERS.viewer)],
    });
    try {
      await term.waitFor(/shell>/, { timeoutMs: 15_000 });
      await term.keys('C-z');
      await term.type('network edit-settings');
      await term.keys('Enter');
      await term.waitFor(/needs the support role; you are signed in as viewer/, { timeoutMs: 10_000 });
      await term.type('exit');
      await term.keys('Enter');
      await term.waitFor(/\[exited 0\]/, { timeoutMs: 10_000 });
    } finally {
      await term.stop();
    }
  });
});
