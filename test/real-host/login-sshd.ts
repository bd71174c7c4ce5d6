// A private sshd whose test users have otshell (bin/otshell-login) as their
// login shell or ForceCommand. The users exist only in a private mount
// namespace (`unshare --mount`) where copies of /etc/passwd, /etc/group and
// /etc/shadow are bind-mounted over the real ones; sshd runs inside it, so when
// sshd is killed the namespace, and with it every test user, is gone. The real
// files are never written. sshd runs in the test's network namespace too.
import { execa, type ResultPromise } from 'execa';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import type { Namespace } from './harness.js';

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

/** support by group otshell-support, viewer by otshell-viewer, force: ForceCommand (support group), norole: no role at all. */
export const USERS = {
  support: { name: 'otsupport', uid: 41001, gid: 41001 },
  viewer: { name: 'otviewer', uid: 41002, gid: 41002 },
  force: { name: 'otforce', uid: 41003, gid: 41001 },
  norole: { name: 'otnorole', uid: 41004, gid: 41004 },
} satisfies Record<string, TestUser>;

export interface LoginSshd {
  dir: string;
  port: number;
  launcher: string;
  home(user: TestUser): string;
  /** ssh client argv (without the command) for the user. */
  sshArgs(user: TestUser, extra?: string[]): string[];
  log(): string;
  stop(): Promise<void>;
}

// The mounts and the exec are fixed text; the paths arrive as positional parameters, never interpolated.
const MOUNT_AND_RUN = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && mount --bind "$3" /etc/shadow && exec /usr/sbin/sshd -D -f "$4" -E "$5"';

export async function startLoginSshd(ns: Namespace, port: number): Promise<LoginSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-login-'));
  chmodSync(dir, 0o755); // the test users must reach the launcher and their homes
  const launcher = join(dir, 'otshell-login');
  // The installed launcher with this checkout's node and entry in place of the install paths.
  const script = readFileSync(join(REPO_ROOT, 'bin/otshell-login'), 'utf8')
    .replace(/^OTSHELL_NODE=.*$/m, `OTSHELL_NODE=${process.execPath}`)
    .replace(/^OTSHELL_ENTRY=.*$/m, `OTSHELL_ENTRY=${BIN}`);
  writeFileSync(launcher, script, { mode: 0o755 });

  const home = (user: TestUser) => join(dir, 'home', user.name);
  const passwd = Object.values(USERS).map((u) => `${u.name}:x:${u.uid}:${u.gid}:otshell test:${home(u)}:${launcher}`);
  const group = ['otshell-support:x:41001:', 'otshell-viewer:x:41002:', 'otnorole:x:41004:'];
  const shadow = Object.values(USERS).map((u) => `${u.name}:*:20000:0:99999:7:::`);
  const append = (file: string, lines: string[]) => {
    const copy = join(dir, file.replace(/\//g, '_'));
    writeFileSync(copy, `${readFileSync(file, 'utf8').replace(/\n?$/, '\n')}${lines.join('\n')}\n`, { mode: file === '/etc/shadow' ? 0o640 : 0o644 });
    return copy;
  };
  const files = [append('/etc/passwd', passwd), append('/etc/group', group), append('/etc/shadow', shadow)];
  for (const user of Object.values(USERS)) {
    mkdirSync(join(home(user), '.ssh'), { recursive: true });
    chownSync(home(user), user.uid, user.gid);
  }

  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')), { mode: 0o644 });
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      // What a careless appliance config might allow: otshell must ignore it all.
      'AcceptEnv OTSHELL_* NODE_* LANG',
      'PermitUserEnvironment yes',
      // An external sftp server: sshd starts it through the user's shell (`-c /usr/lib/openssh/sftp-server`).
      'Subsystem sftp /usr/lib/openssh/sftp-server',
      'MaxSessions 20',
      `Match User ${USERS.force.name}`,
      `  ForceCommand ${launcher}`,
      '',
    ].join('\n'),
  );
  await execa('mkdir', ['-p', '/run/sshd']);
  const logFile = join(dir, 'sshd.log');
  const sshd: ResultPromise = execa('ip', ['netns', 'exec', ns.name, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', MOUNT_AND_RUN, 'otshell-login-sshd', ...files, config, logFile], {
    reject: false,
  });
  for (let i = 0; i < 100 && !existsSync(join(dir, 'sshd.pid')); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(join(dir, 'sshd.pid'))) {
    sshd.kill('SIGKILL');
    const result = await sshd;
    throw new Error(`the test sshd did not start: ${String(result.stderr)} ${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`);
  }

  return {
    dir,
    port,
    launcher,
    home,
    sshArgs: (user, extra = []) => [
      '-F', '/dev/null',
      '-p', String(port),
      '-i', join(dir, 'user_key'),
      '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '-o', 'IdentitiesOnly=yes',
      '-o', 'BatchMode=yes',
      '-o', 'LogLevel=ERROR',
      ...extra,
      `${user.name}@127.0.0.1`,
    ],
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async stop() {
      // sshd is the namespace's last process: killing it removes the test users' mounts.
      sshd.kill('SIGTERM');
      await Promise.race([sshd, new Promise((r) => setTimeout(r, 3000))]);
      sshd.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
