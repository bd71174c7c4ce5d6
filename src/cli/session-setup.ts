// Who a session is, decided before it starts (kept out of main.ts):
// - interactive on the simulator: its own sign-in (login prompt, password);
// - one-shot and piped on the simulator: no password (the simulator runs on the
//   trainee's machine and is no security boundary), the role of --user, support
//   by default; --password-stdin makes it check a password read from stdin;
// - real hosts: the operating system signed the user in (the login shell's role
//   mapping is separate work); the idle sign-out applies everywhere.
import type { Caller } from '../commands/types.js';
import type { SystemAdapter } from '../system/adapter.js';
import { firstSignInQuestion, lockedMessage, parseIdleTimeout, roleWithoutSignIn, signIn, signInScreen, type SignedIn } from '../commands/session.js';
import type { Prompter } from '../commands/prompter.js';
import type { LineSource } from './line-source.js';
import { UserError } from '../commands/types.js';
import { EXIT } from '../errors.js';
import type { Role } from '../commands/roles.js';

export const SESSION_OPTIONS = {
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'idle-timeout': { type: 'string' },
} as const;

export interface SessionFlags {
  user?: string;
  'password-stdin'?: boolean;
  'idle-timeout'?: string;
  // Root-only options (the roles table): checked against the simulated user's role.
  config?: string;
  'ssh-option'?: string[];
  'identity-file'?: string;
}

/**
 * The options that choose what otshell runs or reads are root's (issue 9's roles). On the
 * simulator they choose nothing, but a simulated user below root is refused them as the
 * sensor would refuse them, so a trainee meets the same rule. --state-dir is not among
 * them here: it picks which simulated sensor (files on the trainee's own machine) and is
 * needed before anyone signs in, since the users live in it. --target simulator chooses
 * the simulator itself.
 */
export function refuseRootOnlyOptions(flags: SessionFlags, who: { user: string; role: Role }): void {
  if (who.role === 'root') return;
  const chosen = (['config', 'ssh-option', 'identity-file'] as const).filter((name) => flags[name] !== undefined).map((name) => `--${name}`);
  if (chosen.length === 0) return;
  throw new UserError(
    `${chosen.join(', ')} ${chosen.length > 1 ? 'need' : 'needs'} the root role; the simulated user ${who.user} has the ${who.role} role.`,
    EXIT.NO_PERMISSION,
  );
}

export interface InteractiveSession {
  caller: Caller;
  signIn?: (prompter: Prompter) => Promise<SignedIn>;
  idleTimeoutSeconds?: number;
  /** Replaces the usual banner: the sign-in screen. */
  banner?: string;
  /** The sign-in's first question ("D4Iot login: "), drawn with the banner before Ink loads. */
  firstQuestion?: string;
  /** A line to show under the banner (the session audit could not be written). */
  notice?: string;
}

/** The real host's sign-in line (through the privileged helper when not root); a failure is shown, not fatal. */
async function recordOsSignIn(system: SystemAdapter, caller: Caller): Promise<string | null> {
  try {
    await system.recordSession({ time: new Date().toISOString(), kind: 'sign-in', user: caller.user, role: caller.role, source: caller.sshClient ?? caller.tty ?? 'console' });
    return null;
  } catch (error) {
    return `The session audit could not be written (${(error as Error).message.split('\n')[0]}); sign-in continues.`;
  }
}

function checkUserName(user: string | undefined): void {
  if (user !== undefined && !/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) {
    throw new UserError('--user takes a user name: a-z, 0-9, "_" and "-", at most 32 characters, starting with a letter or "_".', EXIT.USAGE);
  }
}

export async function interactiveSession(system: SystemAdapter, caller: Caller, flags: SessionFlags, loginShell = false): Promise<InteractiveSession> {
  checkUserName(flags.user);
  const idleTimeoutSeconds = parseIdleTimeout(flags['idle-timeout']);
  if (flags['password-stdin']) throw new UserError('--password-stdin is for one-shot and piped runs; the interactive shell asks for the password.', EXIT.USAGE);
  const port = system.signIn;
  if (!port) {
    // The operating system signed this user in (login, sshd): otshell as the login shell records it.
    const notice = loginShell ? await recordOsSignIn(system, caller) : null;
    return { caller, idleTimeoutSeconds, ...(notice ? { notice } : {}) };
  }
  const screen = await signInScreen(port);
  const source = caller.sshClient ?? caller.tty ?? 'console';
  let firstSignIn = true;
  return {
    caller,
    idleTimeoutSeconds,
    banner: screen.lines.join('\n'),
    firstQuestion: firstSignInQuestion(screen.hostname, flags.user),
    signIn: (prompter) => {
      // --user names the first sign-in's user only: after an idle sign-out the console asks again.
      const user = firstSignIn ? flags.user : undefined;
      firstSignIn = false;
      return signIn(port, prompter, { hostname: screen.hostname, source, ...(user ? { user } : {}) }).then((who) => {
        refuseRootOnlyOptions(flags, who);
        return who;
      });
    },
  };
}

/** One-shot and piped runs: the caller's role without a sign-in, or after checking --password-stdin. */
export async function batchCaller(system: SystemAdapter, caller: Caller, flags: SessionFlags, stdin: () => LineSource): Promise<Caller> {
  checkUserName(flags.user);
  parseIdleTimeout(flags['idle-timeout']);
  if (!system.signIn) {
    if (flags.user !== undefined || flags['password-stdin']) {
      throw new UserError('--user and --password-stdin apply to the simulator; on a real host the operating system signs you in.', EXIT.USAGE);
    }
    return caller;
  }
  const who = await roleWithoutSignIn(system, flags.user);
  refuseRootOnlyOptions(flags, who);
  if (flags['password-stdin']) {
    const password = await stdin().next();
    if (password === null) throw new UserError('--password-stdin: no password on stdin.', EXIT.USAGE);
    const source = caller.sshClient ?? caller.tty ?? 'pipe';
    const result = await system.signIn.authenticate(who.user, password.slice(0, 129), source);
    if (!result.ok) {
      if (result.reason === 'locked') throw new UserError(lockedMessage(source, result.until), EXIT.LOCKED);
      throw new UserError('Login incorrect.', EXIT.NO_PERMISSION);
    }
  }
  return { ...caller, user: who.user, role: who.role };
}
