// The simulator's sign-in conversation, written against the Prompter and the
// SystemAdapter's SignInPort so the Ink shell, tests and any later front end
// share it: host-name login prompt, hidden password, the forced change of a
// factory password, the banner (last sign-in, failures since), lockout.
import type { SessionEvent, SignInPort, SystemAdapter } from '../system/adapter.js';
import type { Caller } from './types.js';
import type { Prompter } from './prompter.js';
import type { Role } from './roles.js';
import { describePasswordProblems, MAX_PASSWORD_LENGTH } from './password-rules.js';
import { UserError } from './types.js';
import { EXIT } from '../errors.js';

export const DEFAULT_IDLE_SECONDS = 300;
/** How much of a refused value a message repeats. */
const MAX_SHOWN = 40;
export const IDLE_WARNING_SECONDS = 30;

export interface SignedIn {
  user: string;
  role: Role;
  /** Lines to show once signed in (last sign-in, failures since). */
  banner: string[];
}

/** The hidden-answer question; a Prompter without one cannot sign anyone in. */
function secret(prompter: Prompter, label: string): Promise<string> {
  if (!prompter.secret) throw new UserError('This terminal cannot ask for a password without showing it.', EXIT.UNAVAILABLE);
  return prompter.secret(label);
}

/** What the sign-in screen shows before the first prompt. */
export async function signInScreen(port: SignInPort): Promise<{ hostname: string; lines: string[] }> {
  const { hostname, defaultCredentials } = await port.screen();
  const lines = [`${hostname} (simulated sensor)`];
  if (defaultCredentials.length > 0) {
    lines.push(`This sensor still has its factory credentials: ${defaultCredentials.join(', ')} (user/password).`, 'Change them at the first sign-in.');
  }
  return { hostname, lines };
}

export function lockedMessage(source: string, until: string, now = Date.now()): string {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now) / 60_000));
  return `Sign-in from ${source} is locked after too many failed attempts; try again at ${until.slice(11, 19)} UTC (in ${minutes} min).`;
}

/**
 * The first question of signIn() as a terminal shows it (the prompter puts ": " after a
 * text question): drawn before the interactive shell has loaded (src/cli/early-prompt.ts).
 */
export function firstSignInQuestion(hostname: string, user?: string): string {
  return user ? PASSWORD_QUESTION : `${loginQuestion(hostname)}: `;
}

const PASSWORD_QUESTION = 'Password: ';
const loginQuestion = (hostname: string) => `${hostname} login`;

/**
 * Asks for the user (unless given) and the password until one works, as
 * login(1) does; a locked source ends it with EXIT.LOCKED. A factory password
 * must be changed before the shell opens.
 */
export async function signIn(port: SignInPort, prompter: Prompter, options: { hostname: string; source: string; user?: string }): Promise<SignedIn> {
  for (;;) {
    const user = options.user ?? (await prompter.text(loginQuestion(options.hostname), { validate: (v) => (v === '' ? 'Type a user name.' : null) }));
    const password = await secret(prompter, PASSWORD_QUESTION);
    const result = await port.authenticate(user.slice(0, 64), password.slice(0, MAX_PASSWORD_LENGTH + 1), options.source);
    if (!result.ok) {
      if (result.reason === 'locked') throw new UserError(lockedMessage(options.source, result.until), EXIT.LOCKED);
      prompter.say('Login incorrect');
      continue;
    }
    if (result.mustChange) {
      prompter.say(`You are required to change the password of ${result.user} now.`);
      await askNewPassword(prompter, result.user, password, (next) => port.setPassword(result.user, password, next, options.source));
    }
    const banner: string[] = [];
    banner.push(result.previous ? `Last sign-in: ${result.previous.time.replace('T', ' ').slice(0, 19)} UTC from ${result.previous.source}` : 'First sign-in of this user.');
    if (result.failuresSince > 0) {
      banner.push(`There ${result.failuresSince === 1 ? 'was 1 failed attempt' : `were ${result.failuresSince} failed attempts`} since the last sign-in.`);
    }
    return { user: result.user, role: result.role, banner };
  }
}

/**
 * The appliance's prompts: `Enter New Password for <user>:` and `Reenter Password:`;
 * a password that breaks a rule is refused naming each rule, and asked again.
 */
export async function askNewPassword(prompter: Prompter, user: string, previous: string | undefined, store: (next: string) => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const next = await secret(prompter, `Enter New Password for ${user}: `);
    const problem = describePasswordProblems(next, { user, previous });
    if (problem) {
      prompter.say(problem);
      continue;
    }
    const again = await secret(prompter, 'Reenter Password: ');
    if (again !== next) {
      prompter.say('The passwords do not match.');
      continue;
    }
    await store(next);
    prompter.say(`The password of ${user} was changed.`);
    return;
  }
  throw new UserError('Too many attempts: the password was not changed.', EXIT.PROBLEM);
}

/** One-shot and piped runs on the simulator: no password, the role of --user (support by default). */
export async function roleWithoutSignIn(system: SystemAdapter, user: string | undefined): Promise<{ user: string; role: Role }> {
  const name = user ?? 'support';
  if (!system.signIn) return { user: name, role: 'support' };
  const role = await system.signIn.roleOf(name);
  const shown = name.slice(0, MAX_SHOWN);
  if (!role) throw new UserError(`There is no user "${shown}" on this simulated sensor.`, EXIT.USAGE);
  return { user: name, role };
}

/** `--idle-timeout SECONDS`: a whole number of seconds, 1 to 86400. */
export function parseIdleTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 86_400) {
    const shown = text.slice(0, MAX_SHOWN).replace(/[^ -~]/g, '?');
    throw new UserError(`--idle-timeout takes a whole number of seconds from 1 to 86400, not "${shown}".`, EXIT.USAGE);
  }
  return Number(text);
}

/** Only root may lengthen the 300 s sign-out; everyone may shorten it. */
export function effectiveIdleSeconds(requested: number | undefined, role: Role): number {
  if (requested === undefined) return DEFAULT_IDLE_SECONDS;
  return role === 'root' ? requested : Math.min(requested, DEFAULT_IDLE_SECONDS);
}

/** The audit line that ends a session: sign-out, or timeout; none when nobody signed in and nothing timed out. */
export function sessionEndEvent(caller: Caller, end: { signedIn: boolean; timedOut: boolean; idleSeconds: number }, now = new Date()): SessionEvent | null {
  if (!end.signedIn && !end.timedOut) return null;
  return {
    time: now.toISOString(),
    kind: end.timedOut ? 'timeout' : 'sign-out',
    user: caller.user,
    ...(end.signedIn ? { role: caller.role } : {}),
    source: caller.sshClient ?? caller.tty ?? 'unknown',
    ...(end.timedOut ? { detail: `after ${end.idleSeconds} s without input` } : {}),
  };
}
