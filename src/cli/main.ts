// Entry: argv -> target -> one-shot command, piped script, or the interactive
// Ink shell. This module stays small: everything up to the sensor shell's first
// prompt (options, privileges, the early prompt) needs only light modules; the
// command registry, the targets and the rest load after it (session-run.ts), and
// Ink only for the interactive shell (startup speed, docs/benchmarks-startup.md).
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { detectCaller, defaultStateDir, localeIsUtf8 } from './environment.js';
import { assessPrivilege, currentIds, resolveSettings } from './privilege.js';
import { isLoginInvocation } from './login-invocation.js';
import { flushed, guardOutputStreams } from '../output/sink.js';
import { untrusted } from '../output/escape.js';
import { VERSION } from '../version.js';
import { FIRST_PROMPT, shellBanner } from '../ui/banner.js';
import { drawEarlyPrompt } from './early-prompt.js';
import { SESSION_OPTIONS } from './session-setup.js';
import { fail, sinksFor } from './cli-output.js';
import { EXIT } from '../errors.js';

export interface Streams {
  /**
   * May be a getter that makes stdin on first use: Node builds process.stdin then (a file
   * stream for /dev/null or a file costs a one-shot that reads nothing about 7 ms).
   * Whether it is a terminal is asked through stdinIsTerminal(), which does not touch it.
   */
  readonly stdin: Readable & { isTTY?: boolean };
  /** Whether stdin is a terminal, when known without stdin (src/cli/standard-streams.ts). */
  readonly stdinIsTTY?: boolean;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** How an output error ends the process (tests pass their own); default process.exit. */
  exit?: (code: number) => void;
}

export { standardStreams } from './standard-streams.js';

export function stdinIsTerminal(streams: Streams): boolean {
  return streams.stdinIsTTY ?? Boolean(streams.stdin.isTTY);
}

export const GLOBAL_OPTIONS = {
  target: { type: 'string' },
  'state-dir': { type: 'string' },
  ascii: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  'reset-simulator': { type: 'boolean' },
  'power-on': { type: 'boolean' },
  // Real targets (local, ssh://): otshell's config file on the target, and ssh client settings.
  config: { type: 'string' },
  'ssh-option': { type: 'string', multiple: true },
  'identity-file': { type: 'string' },
  ...SESSION_OPTIONS,
} as const;

const USAGE = `Usage: otshell [--target simulator|local|ssh://user@host[:port]] [--state-dir DIR] [--ascii]
               [--config FILE] [--identity-file FILE] [--ssh-option KEY=VALUE ...]
               [--user NAME] [--password-stdin] [--idle-timeout SECONDS]
               [CATEGORY COMMAND [ARGS...] [--json]]
       otshell --reset-simulator | --power-on      (simulator only)

Without a command, otshell opens the interactive shell (or, when stdin is not a
terminal, runs the piped lines as a script). "otshell help" lists the commands.
--reset-simulator starts a fresh simulated sensor (a bad state file is kept
beside it); --power-on starts a simulated sensor that "system shutdown" stopped.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  // A reader that goes away (EPIPE) or a full disk must end otshell with its code, never a stack trace.
  guardOutputStreams(streams.stdout, streams.stderr, streams.exit);
  const code = await run(argv, env, streams);
  // The caller exits right after: let queued output reach a slow reader first.
  await Promise.all([flushed(streams.stdout), flushed(streams.stderr)]);
  return code;
}

async function run(argv: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  // As a login shell (chsh, ForceCommand): otshell command lines only (src/cli/login-shell.ts).
  const login = isLoginInvocation(argv, process.argv0, env) ? (await import('./login-shell.js')).loginRequest(argv, process.argv0, env) : { kind: 'not-login' as const };
  if (login.kind === 'refused') return fail(sinksFor(streams, { color: false, ascii: true }), { text: login.message, exitCode: login.exitCode, isError: true });
  if (login.kind === 'run') ({ argv, env } = (await import('./login-shell.js')).enterLoginShell(login.argv, env));
  const { globalArgs, commandWords } = splitGlobalOptions(argv);
  const early = sinksFor(streams, { color: false, ascii: !localeIsUtf8(env) });
  let globals;
  try {
    globals = parseArgs({ args: globalArgs, options: GLOBAL_OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const option = /'(-{1,2}[^'\s]+)/.exec((error as Error).message)?.[1] ?? '';
    early.err.line(`otshell: unknown or incomplete option ${untrusted(option)}.\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (globals.help) {
    early.out.line(USAGE);
    return EXIT.OK;
  }
  if (globals.version) {
    early.out.line(`otshell ${VERSION}`);
    return EXIT.OK;
  }

  // Who may choose what (src/cli/privilege.ts): under sudo or as a login shell, a non-root caller may not.
  const privilege = assessPrivilege(currentIds(), env, login.kind === 'run' ? '-otshell' : process.argv0);
  const settings = resolveSettings(globals, env, privilege);
  if ('refusal' in settings) return fail(early, { text: settings.refusal, exitCode: settings.exitCode, isError: true });
  if (settings.notice) early.err.line(settings.notice);
  // Ignored OTSHELL_* leave process.env too (OTSHELL_DEBUG is read there).
  for (const name of Object.keys(env)) if (!(name in settings.env)) delete process.env[name];
  env = settings.env;
  const { target } = settings;
  const stateDir = settings.stateDir ?? defaultStateDir(env, !privilege.privileged || privilege.invokerIsRoot);
  // The sensor's own shell (local, ssh://) has no sign-in screen of otshell's: its banner
  // and first prompt go out now, and opening the target (the Linux adapter's code, the
  // caller's role) happens behind them. A failure meanwhile takes them back first.
  const sensorShell = stdinIsTerminal(streams) && Boolean(streams.stdout.isTTY) && commandWords.length === 0 && !globals['reset-simulator'] && !globals['power-on'];
  const firstPrompt =
    sensorShell && (target === 'local' || target.startsWith('ssh://'))
      ? drawEarlyPrompt(streams.stdin, streams.stdout, early.out, shellBanner(target, detectCaller(env, true).user), FIRST_PROMPT)
      : null;
  // The rest (the target, the caller, the command or the shell) loads now, behind the prompt.
  const { runSession } = await import('./session-run.js');
  return runSession({ argv: { globals, commandWords }, env, streams, early, settings, privilege, stateDir, loginShell: login.kind === 'run', firstPrompt });
}

/**
 * otshell's own options may stand anywhere (`otshell network list --target local`);
 * every other word belongs to the command. Leading unknown options are kept as
 * global so a typo like `otshell --tagret x` is reported, not run as a command.
 */
function splitGlobalOptions(argv: string[]): { globalArgs: string[]; commandWords: string[] } {
  const globalArgs: string[] = [];
  const commandWords: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : arg === '-h' ? 'help' : '';
    const spec = GLOBAL_OPTIONS[name as keyof typeof GLOBAL_OPTIONS];
    const beforeCommand = commandWords.length === 0;
    if (spec && (name !== 'help' || beforeCommand)) {
      const value = spec.type === 'string' && !arg.includes('=') && i + 1 < argv.length ? argv[++i]! : undefined;
      // "--ssh-option -F..." reaches the allow-list (one clear line) instead of the option parser's usage text.
      // Likewise "--user -x": its own one-line check, not the usage text.
      if ((name === 'ssh-option' || name === 'user' || name === 'idle-timeout') && value !== undefined) globalArgs.push(`${arg}=${value}`);
      else globalArgs.push(arg, ...(value === undefined ? [] : [value]));
    } else if (beforeCommand && arg.startsWith('-')) {
      globalArgs.push(arg);
    } else {
      commandWords.push(arg);
    }
  }
  return { globalArgs, commandWords };
}

