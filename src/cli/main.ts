// Entry: argv -> target -> one-shot command, piped script, or the interactive
// Ink shell. Ink is loaded only for the interactive shell (startup speed).
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import type { Category, CommandContext } from '../commands/types.js';
import { resolveWords } from '../commands/resolve.js';
import { executeCommand, describeFailure, type Outcome } from '../commands/execute.js';
import { dispatchLine } from '../commands/dispatch.js';
import { helpText } from '../commands/help.js';
import { commandsFor } from '../commands/registry.js';
import { openTarget } from '../system/targets.js';
import type { SystemAdapter } from '../system/adapter.js';
import { LineSource } from './line-source.js';
import { LinePrompter } from './line-prompter.js';
import { detectCaller, detectStyle, defaultStateDir, localeIsUtf8 } from './environment.js';
import { assessPrivilege, currentIds, resolveSettings } from './privilege.js';
import { enterLoginShell, localCallerRole, loginRequest } from './login-shell.js';
import { OutputSink, flushed, guardOutputStreams } from '../output/sink.js';
import { untrusted } from '../output/escape.js';
import { globalsForHints, repeatGlobals } from '../output/hints.js';
import { plainProgress } from './plain-progress.js';
import { historyPath, loadHistory, saveHistory } from './history-file.js';
import { VERSION } from '../version.js';
import { FIRST_PROMPT, shellBanner } from '../ui/banner.js';
import { drawEarlyPrompt } from './early-prompt.js';
import { SESSION_OPTIONS, batchCaller, interactiveSession } from './session-setup.js';
import { EXIT, type ExitCode } from '../errors.js';

export interface Streams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** How an output error ends the process (tests pass their own); default process.exit. */
  exit?: (code: number) => void;
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

/** Where plain output goes: stdout and stderr, each through the output layer. */
interface Sinks {
  out: OutputSink;
  err: OutputSink;
  /** The user's own global options, repeated in every `"otshell ..."` hint (see repeatGlobals). */
  globals?: string[];
}

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
  const login = loginRequest(argv, process.argv0, env);
  if (login.kind === 'refused') return fail(sinksFor(streams, { color: false, ascii: true }), { text: login.message, exitCode: login.exitCode, isError: true });
  if (login.kind === 'run') ({ argv, env } = enterLoginShell(login.argv, env));
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
  const sensorShell = Boolean(streams.stdin.isTTY && streams.stdout.isTTY) && commandWords.length === 0 && !globals['reset-simulator'] && !globals['power-on'];
  const firstPrompt =
    sensorShell && (target === 'local' || target.startsWith('ssh://'))
      ? drawEarlyPrompt(streams.stdin, streams.stdout, early.out, shellBanner(target, detectCaller(env, true).user), FIRST_PROMPT)
      : null;
  let system: SystemAdapter;
  try {
    system = await openTarget({ ...settings, stateDir, stateDirGiven: settings.stateDir !== undefined, env });
  } catch (error) {
    firstPrompt?.abandon();
    return fail({ ...early, globals: globalsForHints(globals) }, describeFailure(error));
  }
  const style = detectStyle(env, streams.stdout, Boolean(globals.ascii));
  const sinks = { ...sinksFor(streams, style), globals: globalsForHints(globals) };
  try {
    const maintenance = SIMULATOR_MAINTENANCE.filter((action) => globals[action.flag]);
    for (const action of maintenance) {
      const method = (system as unknown as Record<string, unknown>)[action.method];
      if (typeof method !== 'function') return fail(sinks, { text: action.otherTargets, exitCode: EXIT.USAGE, isError: true });
      try {
        sinks.out.line(action.report(await method.call(system)));
      } catch (error) {
        return fail(sinks, describeFailure(error));
      }
    }
    if (maintenance.length > 0 && commandWords.length === 0) return EXIT.OK;

    const interactive = Boolean(streams.stdin.isTTY && streams.stdout.isTTY);
    let caller = detectCaller(env, interactive);
    try {
      caller.role = (await localCallerRole(target, privilege, currentIds().euid, caller.user)) ?? caller.role;
    } catch (error) {
      firstPrompt?.abandon();
      return fail(sinks, describeFailure(error));
    }
    // Made only where lines are read, once: readline starts reading stdin at once, which
    // would swallow keys typed at the interactive shell's early prompt.
    let lines: LineSource | undefined;
    const lineSource = () => (lines ??= new LineSource(streams.stdin));
    // Sign-in (simulator) and roles: src/cli/session-setup.ts.
    let session;
    try {
      session = interactive && commandWords.length === 0 ? await interactiveSession(system, caller, globals, login.kind === 'run') : null;
      if (!session) caller = await batchCaller(system, caller, globals, lineSource);
    } catch (error) {
      firstPrompt?.abandon();
      return fail(sinks, describeFailure(error));
    }

    if (commandWords.length > 0) {
      const ctx: CommandContext = {
        system,
        prompter: new LinePrompter(lineSource(), sinks.out, !streams.stdin.isTTY),
        style,
        caller,
        // The terminal echoed "^C" where the cursor was (after a question): what follows starts a new line.
        signal: interruptSignal(() => {
          if (streams.stdin.isTTY && streams.stdout.isTTY) sinks.out.write('\n');
        }),
        progress: plainProgress(streams.stderr, style),
        json: false,
      };
      return await runOneShot(commandWords, ctx, sinks);
    }

    if (interactive) {
      // The prompt shows first; Ink (hundreds of milliseconds to import) loads behind it.
      // A sign-in screen (simulator) is drawn by the shell itself: its first prompt is "login:".
      const banner = [session?.banner ?? shellBanner(target, caller.user), ...(session?.notice ? [session.notice] : [])].join('\n');
      const early = firstPrompt ?? (session?.signIn ? null : drawEarlyPrompt(streams.stdin, streams.stdout, sinks.out, banner, FIRST_PROMPT));
      const { runInteractiveShell } = await import('../ui/interactive.js');
      early?.erase();
      // Over ssh, --state-dir names a directory on the sensor: the history stays on this machine.
      const historyDir = target.startsWith('ssh://') ? defaultStateDir(env, !privilege.privileged || privilege.invokerIsRoot) : stateDir;
      // Keyed by the signed-in user (the simulator's sign-in) or the Unix user.
      const history = {
        load: (user: string) => loadHistory(historyPath(historyDir, user)),
        save: (user: string, entries: readonly string[]) => saveHistory(historyPath(historyDir, user), entries),
      };
      return await runInteractiveShell({ system, style, target, history, ...session!, banner, hintGlobals: sinks.globals });
    }
    return await runScript(lineSource(), { system, style, caller }, sinks, streams);
  } finally {
    await system.close();
  }
}

/** Simulator-only global options, run before any command: a SimulatorAdapter method each. */
const SIMULATOR_MAINTENANCE: {
  flag: 'reset-simulator' | 'power-on';
  method: 'resetState' | 'powerOn';
  otherTargets: string;
  report(result: unknown): string;
}[] = [
  {
    flag: 'reset-simulator',
    method: 'resetState',
    otherTargets: '--reset-simulator applies to --target simulator only.',
    report: (moved) => `A fresh simulated sensor was created.${moved ? ` The previous state file was kept as ${String(moved)}.` : ''}`,
  },
  {
    flag: 'power-on',
    method: 'powerOn',
    otherTargets: '--power-on applies to --target simulator only; a real sensor is powered on at the machine.',
    report: (booted) =>
      booted
        ? 'The simulated sensor is starting: it is reachable in a few seconds, then its services start one by one ("system sanity" shows them).'
        : 'The simulated sensor is already on.',
  },
];

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

async function runOneShot(words: string[], ctx: CommandContext, streams: Sinks): Promise<number> {
  const resolution = resolveWords(words, null);
  switch (resolution.kind) {
    case 'command':
      return report(streams, await executeCommand(resolution.command, resolution.input, resolution, { ...ctx, json: resolution.json }));
    case 'builtin':
      if (resolution.name === 'help') return report(streams, { text: helpText(resolution.args, null, commandsFor(ctx.caller.role)), exitCode: EXIT.OK, isError: false });
      return fail(streams, { text: `"${resolution.name}" only makes sense inside the shell.`, exitCode: EXIT.USAGE, isError: true });
    case 'category':
      return report(streams, { text: helpText([resolution.category], null, commandsFor(ctx.caller.role)), exitCode: EXIT.OK, isError: false });
    case 'error':
      return fail(streams, { text: resolution.message, exitCode: EXIT.USAGE, isError: true });
    case 'empty':
      return EXIT.OK;
  }
}

/** Piped lines run one after another, as if typed; the exit code is the last failure's. */
async function runScript(
  lines: LineSource,
  session: Pick<CommandContext, 'system' | 'style' | 'caller'>,
  streams: Sinks,
  raw: Streams,
): Promise<number> {
  const ctx: CommandContext = {
    ...session,
    prompter: new LinePrompter(lines, streams.out, true),
    signal: interruptSignal(),
    progress: plainProgress(raw.stderr, session.style),
    json: false,
  };
  const history: string[] = [];
  let mode: Category | null = null;
  let exitCode: ExitCode = EXIT.OK;
  for (let line = await lines.next(); line !== null; line = await lines.next()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const result = await dispatchLine(trimmed, { mode, history }, ctx);
    history.push(trimmed);
    mode = result.mode;
    if (result.outcome) {
      report(streams, result.outcome);
      if (result.outcome.exitCode !== EXIT.OK) exitCode = result.outcome.exitCode;
    }
    if (result.exit) break;
    if (ctx.signal.aborted) return EXIT.INTERRUPTED; // Ctrl-C ends the script, as in a shell
  }
  return exitCode;
}

function sinksFor(streams: Streams, look: { color: boolean; ascii: boolean }): Sinks {
  // Wrapped to the terminal's width with hanging indents; pipes and files get whole lines.
  const width = (stream: { isTTY?: boolean; columns?: number }) => (stream.isTTY ? stream.columns || 80 : undefined);
  // Errors are never coloured: stderr may be a log file while stdout is a terminal.
  return {
    out: new OutputSink(streams.stdout, { ...look, width: width(streams.stdout) }),
    err: new OutputSink(streams.stderr, { color: false, ascii: look.ascii, markers: 'escape', width: width(streams.stderr) }),
  };
}

/** Every plain result leaves here: text through the output layer, --json exact. */
function report(streams: Sinks, outcome: Outcome): ExitCode {
  if (outcome.text === '') return outcome.exitCode;
  const sink = outcome.isError ? streams.err : streams.out;
  if (outcome.json && !outcome.isError) sink.json(outcome.text);
  else sink.line(repeatGlobals(outcome.text, streams.globals));
  return outcome.exitCode;
}

function fail(streams: Sinks, outcome: Outcome): ExitCode {
  streams.err.line(repeatGlobals(outcome.text, streams.globals));
  return outcome.exitCode;
}

/** Ctrl-C in a one-shot or script: abort the running command's work, then exit 130. */
function interruptSignal(onInterrupt?: () => void): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    onInterrupt?.();
    controller.abort();
    process.exitCode = EXIT.INTERRUPTED;
    setTimeout(() => process.exit(EXIT.INTERRUPTED), 200).unref();
  });
  return controller.signal;
}
