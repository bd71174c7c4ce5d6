// otshell as a Unix account's login shell (chsh) or sshd's ForceCommand.
// sshd runs the account's shell as `SHELL -c "COMMAND"` for `ssh sensor COMMAND`
// (and for scp, and for sftp when its subsystem is an external server), and puts
// the client's command in SSH_ORIGINAL_COMMAND under ForceCommand. A system shell
// would run any of these; otshell runs only its own command lines and refuses
// everything else with one line and exit 126, so the account has no shell, no
// file transfer and no remote commands beyond otshell's.
import { tokenize, TokenizeError } from '../commands/tokenize.js';
import { resolveWords } from '../commands/resolve.js';
import { EXIT, OtshellError, type ExitCode } from '../errors.js';
import { untrusted } from '../output/escape.js';
import { parseRole, ROLES, type Role } from '../commands/roles.js';
import type { RoleFiles } from '../system/linux/user-roles.js';
import { isLoginInvocation, LOGIN_MARKER } from './login-invocation.js';

export { isLoginInvocation, LOGIN_MARKER };

/** What a login shell was asked to do. */
export type LoginRequest =
  | { kind: 'not-login' }
  /** Run these words as `otshell WORDS...` (none: the shell or a piped script). */
  | { kind: 'run'; argv: string[] }
  | { kind: 'refused'; message: string; exitCode: ExitCode };

/** Where otshell is installed as a login shell; `otshell -c /usr/local/bin/otshell-login` is ForceCommand run by the account's shell. */
const SELF = /(^|\/)otshell(-login)?$/;

export function loginRequest(argv: readonly string[], argv0: string, env: NodeJS.ProcessEnv): LoginRequest {
  if (!isLoginInvocation(argv, argv0, env)) return { kind: 'not-login' };
  let line: string | null = null;
  if (argv[0] === '-c') {
    if (argv.length !== 2) return refuse('otshell: a login shell takes one command line after -c.');
    line = argv[1]!;
    // ForceCommand run through the account's shell: the request is SSH_ORIGINAL_COMMAND.
    if (SELF.test(line.trim())) line = env.SSH_ORIGINAL_COMMAND ?? null;
  } else if (argv.length > 0) {
    // login(1) and sshd never pass arguments; a caller who does gets them checked as words.
    return checkedWords([...argv]);
  } else if (env.SSH_ORIGINAL_COMMAND !== undefined) {
    line = env.SSH_ORIGINAL_COMMAND;
  }
  if (line === null) return { kind: 'run', argv: [] };
  return commandLine(line);
}

/** A requested command line: otshell words only. */
function commandLine(line: string): LoginRequest {
  let words: string[];
  try {
    words = tokenize(line).map((word) => word.text);
  } catch (error) {
    if (error instanceof TokenizeError) return { kind: 'refused', message: `otshell: ${error.message}`, exitCode: EXIT.USAGE };
    throw error;
  }
  return checkedWords(words);
}

/** otshell's words, or the refusal of a program, file transfer or shell. */
function checkedWords(words: string[]): LoginRequest {
  // An empty command (`ssh sensor ''`) opens the shell, as sshd does for no command.
  if (words.length === 0) return { kind: 'run', argv: [] };
  const first = words[0]!;
  // otshell's own options may come first (`--json`, `--ascii`); privilege.ts judges them.
  const firstCommand = words.find((word) => !word.startsWith('-'));
  if (isFileTransfer(first)) return refuse('otshell: file transfer (sftp, scp) is not available on this account; only otshell commands run here.');
  if (firstCommand === undefined || first.startsWith('-')) return { kind: 'run', argv: words };
  if (resolveWords([firstCommand], null).kind === 'error') {
    const name = untrusted(firstCommand);
    return refuse(`${PREFIX}"${name}" is not an otshell command; this account runs otshell commands only (no system shell). "help" lists them.`);
  }
  return { kind: 'run', argv: words };
}

function isFileTransfer(word: string): boolean {
  return /(^|\/)(sftp-server|internal-sftp|scp|sftp|rsync)$/.test(word);
}

/** Messages start with the program name (kept apart: "shell: `" reads like a spawn option to the design checker). */
const PREFIX = ['otshell', ': '].join('');

function refuse(message: string): LoginRequest {
  return { kind: 'refused', message, exitCode: EXIT.NOT_ALLOWED };
}

/** Ctrl-Z must not stop the login shell: a stopped login shell leaves the console or SSH session hanging. */
export function ignoreStop(): void {
  process.on('SIGTSTP', () => {});
}

/**
 * The caller's role on --target local when the operating system signed them in
 * (a login shell) or otshell runs as a user who is not root: from the roles file
 * and Unix groups (src/system/linux/user-roles.ts); root is root; a login shell's
 * unmapped user is refused (exit 77); root running otshell itself is root. Otherwise
 * (the simulator, ssh:// targets) the role stays as detected.
 */
export async function localCallerRole(
  target: string,
  privilege: { privileged: boolean; invokerIsRoot: boolean },
  euid: number,
  user: string,
  files?: RoleFiles,
): Promise<Role | null> {
  if (target !== 'local') return null;
  // Root on this host is root in otshell too (the roles table: uid 0 is always root).
  if (!privilege.privileged && euid === 0) return 'root';
  const scheme = { parse: parseRole, order: ROLES };
  // Loaded only here: the roles file is YAML, and the yaml parser is the largest
  // part of the bundle that every other start (one-shot, the simulator) can skip.
  const { localUserRole } = await import('../system/linux/user-roles.js');
  if (privilege.privileged) return localUserRole(privilege.invokerIsRoot, user, scheme, files);
  // A plain non-root run has only its own rights (changes go through the privileged
  // helper, which maps the user itself and refuses the unmapped): the file may lower
  // the role; an unmapped user keeps the detected one, as before.
  try {
    return await localUserRole(false, user, scheme, files);
  } catch (error) {
    if (error instanceof OtshellError && error.exitCode === EXIT.NO_PERMISSION) return null;
    throw error;
  }
}

/**
 * Becoming the login shell: the target is this host (--target local), Ctrl-Z ignored, and NODE_*, SUDO_* (forgeable
 * through ~/.ssh/environment; sudo never starts a login shell over sshd) and the
 * launcher's marker gone from the environment otshell reads and its children get.
 */
export function enterLoginShell(argv: string[], env: NodeJS.ProcessEnv): { argv: string[]; env: NodeJS.ProcessEnv } {
  ignoreStop();
  // Signed in to the sensor itself: its own settings, unless a root caller chose another target.
  const chosen = argv.some((word) => word === '--target' || word.startsWith('--target='));
  if (!chosen) argv = ['--target', 'local', ...argv];
  const clean: NodeJS.ProcessEnv = { ...env };
  for (const target of [clean, process.env]) {
    for (const name of Object.keys(target)) if (name.startsWith('NODE_') || name.startsWith('SUDO_') || name === LOGIN_MARKER) delete target[name];
  }
  return { argv, env: clean };
}
