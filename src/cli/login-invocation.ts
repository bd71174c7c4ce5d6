// Whether this process is a login shell: kept apart from login-shell.ts (which
// checks command words against the registry) so main.ts can ask before loading it.

/** Set by bin/otshell-login after it cleared the environment: this process is a login shell. */
export const LOGIN_MARKER = 'OTSHELL_LOGIN';

/**
 * Login-shell mode: argv0 starting with "-" (login(1), sshd, when a binary
 * launcher keeps it), the marker from bin/otshell-login, or `-c` as the first
 * argument (only shells are started that way).
 */
export function isLoginInvocation(argv: readonly string[], argv0: string, env: NodeJS.ProcessEnv): boolean {
  return argv0.startsWith('-') || env[LOGIN_MARKER] === '1' || argv[0] === '-c';
}
