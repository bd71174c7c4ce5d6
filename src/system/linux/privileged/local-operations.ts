// The privileged helper's operations on this host, as root: the Linux adapter
// (which takes the edit lock and writes otshell's audit line naming the
// invoker), chpasswd with the password on stdin, and the roles config.
import { userInfo } from 'node:os';
import { readFileSync } from 'node:fs';
import { LinuxAdapter } from '../linux-adapter.js';
import { LocalRunner } from '../runner.js';
import { DEFAULT_CONFIG_PATH } from '../config.js';
import { localUserRole, UNIX_ROLE_SCHEME } from '../user-roles.js';
import { EXIT, OtshellError } from '../../../errors.js';
import type { PrivilegedOperations } from './helper.js';

/** A fixed environment for every child: nothing of the invoker's reaches them. */
const CHILD_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

export function localOperations(): PrivilegedOperations & { close(): Promise<void> } {
  const runner = new LocalRunner(CHILD_ENV);
  const adapter = new LinuxAdapter(runner, { configPath: DEFAULT_CONFIG_PATH });
  return {
    async roleOf(user) {
      try {
        return await localUserRole(false, user, UNIX_ROLE_SCHEME);
      } catch (error) {
        if (error instanceof OtshellError && error.exitCode === EXIT.NO_PERMISSION) return null;
        throw error;
      }
    },
    applyNetworkSettings: (settings, by, confirmTimeoutSeconds) => adapter.applyNetworkSettings(settings, { by, confirmTimeoutSeconds }),
    confirmNetworkSettings: (by) => adapter.confirmNetworkSettings(by),
    reboot: (by) => adapter.reboot(by),
    shutdown: (by) => adapter.shutdown(by),
    // The adapter as root: unix_chkpwd for the current password, chpasswd, and the session audit line.
    changePassword: (user, current, next, by) => adapter.changePassword(user, current, next, by),
    recordSession: (event) => adapter.recordSession(event),
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
