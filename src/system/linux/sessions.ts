// The real host's side of sign-in and sessions (the operating system signed
// the user in): password changes, the audited root shell and the session
// audit. Kept apart from linux-adapter.ts, which delegates here.
// - As root: done here (unix_chkpwd + chpasswd, the shell, sessions.jsonl in
//   the state directory).
// - As a Unix user who is not root (a login shell): password changes and
//   session lines go to the privileged helper, which names the user as sudo
//   reports it; the root shell is refused (the helper never starts a shell).
import { join } from 'node:path';
import type { Actor, SessionEvent } from '../adapter.js';
import { parseSessionEvents, sessionLine, SESSIONS_FILE } from '../audit-log.js';
import type { Runner } from './runner.js';
import type { PrivilegedClient } from './privileged/client.js';
import { changeUnixPassword } from './passwords.js';
import { localUserRole, UNIX_ROLE_SCHEME } from './user-roles.js';
import { runRootShell } from './root-shell.js';
import { EXIT, OtshellError } from '../../errors.js';

export interface SessionDeps {
  runner: Runner;
  privileged: PrivilegedClient | null;
  stateDir(): Promise<string>;
}

const sourceOf = (by: Actor | undefined) => by?.sshClient ?? by?.tty ?? 'unknown';

export class LinuxSessions {
  constructor(private readonly deps: SessionDeps) {}

  private async isRoot(): Promise<boolean> {
    const status = (await this.deps.runner.readFile('/proc/self/status')) ?? '';
    return /^Uid:\s+\d+\s+0\s/m.test(status);
  }

  async changePassword(user: string, current: string, next: string, by?: Actor): Promise<void> {
    if (this.deps.privileged) return this.deps.privileged.changePassword(user, current, next, sourceOf(by));
    if (this.deps.runner.target !== 'local') {
      throw new OtshellError('Passwords are changed on the sensor itself: sign in to it (console or ssh) and run "system password" there. Nothing was changed.', EXIT.UNAVAILABLE);
    }
    if (!(await this.isRoot())) {
      throw new OtshellError('Changing a password needs root or the privileged helper (see the README, "Installing otshell as the login shell"). Nothing was changed.', EXIT.NO_PERMISSION);
    }
    // Only otshell's own users: a root session cannot use otshell to reset an unrelated account.
    try {
      await localUserRole(false, user, UNIX_ROLE_SCHEME);
    } catch (error) {
      if (error instanceof OtshellError && error.exitCode === EXIT.NO_PERMISSION) {
        throw new OtshellError(`${user} is not an otshell user (not in the roles config); its password is not otshell's to change. Nothing was changed.`, EXIT.NO_PERMISSION);
      }
      throw error;
    }
    await changeUnixPassword(this.deps.runner, user, current, next);
    await this.recordSession({
      time: new Date().toISOString(),
      kind: 'password-change',
      user: by?.user ?? 'root',
      ...(by?.role ? { role: by.role } : {}),
      source: sourceOf(by),
      detail: `password of ${user}`,
    });
  }

  async openRootShell(by?: Actor): Promise<number> {
    if (this.deps.runner.target !== 'local') {
      throw new OtshellError(`system shell opens a root shell on the host otshell runs on; for ${this.deps.runner.target} use ssh itself.`, EXIT.UNAVAILABLE);
    }
    if (!(await this.isRoot())) {
      throw new OtshellError('system shell needs otshell itself to run as root (the root account at the console, or ssh as root); the privileged helper never starts a shell.', EXIT.NO_PERMISSION);
    }
    const event = { user: by?.user ?? 'root', role: by?.role ?? ('root' as const), source: sourceOf(by) };
    // The start is on disk before the shell opens: a shell that never returns is still on record.
    await this.recordSession({ time: new Date().toISOString(), kind: 'root-shell', ...event, detail: 'started' });
    let status = 1;
    try {
      status = await runRootShell();
    } finally {
      await this.recordSession({ time: new Date().toISOString(), kind: 'root-shell', ...event, detail: `ended (status ${status})` });
    }
    return status;
  }

  async recordSession(event: SessionEvent): Promise<void> {
    if (this.deps.privileged) return this.deps.privileged.recordSession(event);
    await this.deps.runner.appendDurably(join(await this.deps.stateDir(), SESSIONS_FILE), sessionLine(event));
  }

  async readSessions(): Promise<SessionEvent[]> {
    return parseSessionEvents((await this.deps.runner.readFile(join(await this.deps.stateDir(), SESSIONS_FILE))) ?? '');
  }
}
