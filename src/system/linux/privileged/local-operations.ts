// The privileged helper's operations on this host, as root: the Linux adapter
// (which takes the edit lock and writes otshell's audit line naming the
// invoker), chpasswd with the password on stdin, and the roles config.
import { userInfo } from 'node:os';
import { readFileSync } from 'node:fs';
import { LinuxAdapter } from '../linux-adapter.js';
import { LocalRunner } from '../runner.js';
import { DEFAULT_CONFIG_PATH } from '../config.js';
import { localUserRole } from '../user-roles.js';
import { EXIT, OtshellError } from '../../../errors.js';
import type { PrivilegedOperations } from './helper.js';

/** A fixed environment for every child: nothing of the invoker's reaches them. */
const CHILD_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

const SCHEME = {
  parse: (name: string) => (['viewer', 'support', 'root'].includes(name) ? (name as 'viewer' | 'support' | 'root') : name === 'admin' ? 'support' : name === 'cyberx' ? 'root' : null),
  order: ['viewer', 'support', 'root'] as const,
};

export function localOperations(): PrivilegedOperations & { close(): Promise<void> } {
  const runner = new LocalRunner(CHILD_ENV);
  const adapter = new LinuxAdapter(runner, { configPath: DEFAULT_CONFIG_PATH });
  return {
    async roleOf(user) {
      try {
        return await localUserRole(false, user, SCHEME);
      } catch (error) {
        if (error instanceof OtshellError && error.exitCode === EXIT.NO_PERMISSION) return null;
        throw error;
      }
    },
    applyNetworkSettings: (settings, by, confirmTimeoutSeconds) => adapter.applyNetworkSettings(settings, { by, confirmTimeoutSeconds }),
    confirmNetworkSettings: (by) => adapter.confirmNetworkSettings(by),
    reboot: (by) => adapter.reboot(by),
    shutdown: (by) => adapter.shutdown(by),
    async changePassword(user, password, by) {
      // The password only ever travels on stdin; chpasswd hashes it with the system's PAM/login.defs method.
      const result = await runner.run('chpasswd', [], { input: `${user}:${password}\n` });
      await runner.run('logger', ['-p', 'auth.notice', '-t', 'otshell-priv', `password changed for ${user} by ${by.user}`]);
      if (result.exitCode !== 0) throw new OtshellError(`chpasswd failed (exit ${result.exitCode})`, EXIT.PROBLEM);
    },
    close: () => adapter.close(),
  };
}

/** The passwd name of a uid, read from the file (the helper trusts no environment for it). */
export function passwdName(uid: number): string | null {
  try {
    if (uid === (process.getuid?.() ?? -1)) return userInfo().username;
  } catch {
    // no entry: read the file
  }
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[2] === String(uid));
  return line ? line.split(':')[0]! : null;
}
