// The one table of exit codes, and the base error that carries one.
// A leaf module: every layer may import it, it imports nothing. The README's
// "Exit codes" section lists exactly this table (a test compares them), and no
// other number may leave otshell.

export const EXIT = {
  /** Success; `system sanity`: the system is up. */
  OK: 0,
  /** The command ran and found a problem (sanity: down; validate: mismatch; capture: WARN/FAIL). */
  PROBLEM: 1,
  /** `system sanity`: services are still starting; `validate-capture`: a file could not be read; `network requirements`: the site file is missing or invalid. */
  INCOMPLETE: 2,
  /** The line could not be understood: unknown command, bad option or value (EX_USAGE). */
  USAGE: 64,
  /** A value from the target or a file is malformed (EX_DATAERR). */
  DATA: 65,
  /** The target cannot answer now: restarting, unreachable, ssh failures (EX_UNAVAILABLE). */
  UNAVAILABLE: 69,
  /** A bug in otshell (EX_SOFTWARE). Only for real bugs, never for the environment. */
  INTERNAL: 70,
  /** Output could not be written: disk full, I/O error (EX_IOERR). */
  IO: 74,
  /** Another session holds the edit lock; try again later (EX_TEMPFAIL). */
  LOCKED: 75,
  /** The caller lacks the rights: needs root or an administrator (EX_NOPERM). */
  NO_PERMISSION: 77,
  /** The state directory, state file or config is unusable (EX_CONFIG). */
  CONFIG: 78,
  /** As a login shell: the request is not an otshell command line (a system shell, sftp, scp); "cannot execute" in shells. */
  NOT_ALLOWED: 126,
  /** The terminal went away (SIGHUP, 128 + 1), e.g. a dropped SSH session; a running change finished first. */
  HANGUP: 129,
  /** Cancelled: Ctrl-C, Ctrl-D or closed input during a question (128 + SIGINT). */
  INTERRUPTED: 130,
  /** The reader of our output went away (128 + SIGPIPE), as `yes | head` ends. */
  BROKEN_PIPE: 141,
  /** Asked to stop (SIGTERM, 128 + 15); a running change finished first. */
  TERMINATED: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES: readonly number[] = Object.values(EXIT);

/** The exit code after a signal otshell honours itself, as shells report it (128 + n). */
export const SIGNAL_EXIT = { SIGHUP: EXIT.HANGUP, SIGINT: EXIT.INTERRUPTED, SIGTERM: EXIT.TERMINATED } as const;

/**
 * A failure the user (or the environment) caused, with its exit code from the table.
 * Printed as one clear line, never a stack trace.
 */
export class OtshellError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.PROBLEM,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
