// A Unix password change as root, without a shell and without the password in
// argv: the current password is verified by unix_chkpwd (Linux-PAM's own
// helper, the one pam_unix runs; it reads the password NUL-terminated on stdin
// and checks it against /etc/shadow with crypt(3), so every hash the system
// writes — yescrypt, sha512-crypt — is understood, which openssl passwd and
// node:crypto are not), then the new one goes to chpasswd as "user:password"
// on stdin, hashed by the system's own method (PAM, login.defs).
import type { Runner } from './runner.js';
import { EXIT, OtshellError } from '../../errors.js';
import { cut } from '../../cut.js';

/** Where Debian's libpam-modules-bin installs it (older releases: /sbin). */
const CHKPWD = ['/usr/sbin/unix_chkpwd', '/sbin/unix_chkpwd'];
const TIMEOUT_MS = 30_000;

/** Whether `password` is the user's current one; an unknown user or a locked account is "no". */
export async function verifyUnixPassword(runner: Runner, user: string, password: string): Promise<boolean> {
  for (const program of CHKPWD) {
    // unix_chkpwd refuses a terminal on stdin and wants exactly two arguments; "nonull": an empty password never matches.
    const result = await runner.run(program, [user, 'nonull'], { input: `${password}\0`, timeoutMs: TIMEOUT_MS });
    if (result.exitCode === 127) continue; // not at this path
    return result.exitCode === 0;
  }
  throw new OtshellError('Checking the current password needs unix_chkpwd (Debian package libpam-modules-bin), which is not installed. Nothing was changed.', EXIT.UNAVAILABLE);
}

/** Verifies the current password, then sets the new one with chpasswd. */
export async function changeUnixPassword(runner: Runner, user: string, current: string, next: string): Promise<void> {
  if (!(await verifyUnixPassword(runner, user, current))) {
    throw new OtshellError('The current password is not correct. Nothing was changed.', EXIT.NO_PERMISSION);
  }
  const result = await runner.run('chpasswd', [], { input: `${user}:${next}\n`, timeoutMs: TIMEOUT_MS });
  if (result.exitCode !== 0) {
    const why = result.stderr.trim().split('\n')[0] ?? '';
    throw new OtshellError(`chpasswd refused the change (exit ${result.exitCode}${why ? `: ${cut(why)}` : ''}). The password was not changed.`, EXIT.PROBLEM);
  }
}
