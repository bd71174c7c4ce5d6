// After the first prompt (main.ts): the target opened, the caller's role, the
// simulator's maintenance options, then a one-shot command, a piped script or the
// interactive shell. Loaded by main.ts with import(), so the command registry,
// the targets and their schemas are not read before the sensor shell's prompt.
import type { Category, CommandContext } from '../commands/types.js';
import { resolveWords } from '../commands/resolve.js';
import { executeCommand, describeFailure } from '../commands/execute.js';
import { dispatchLine } from '../commands/dispatch.js';
import { helpText } from '../commands/help.js';
import { commandsFor } from '../commands/registry.js';
import { openTarget } from '../system/targets.js';
import type { SystemAdapter } from '../system/adapter.js';
import { LineSource } from './line-source.js';
import { LinePrompter } from './line-prompter.js';
import { loadInkRuntime } from '../ui/ink-runtime.js';
import { detectCaller, detectStyle, defaultStateDir } from './environment.js';
import { currentIds, type resolveSettings, type assessPrivilege } from './privilege.js';
import { localCallerRole } from './login-shell.js';
import { globalsForHints } from '../output/hints.js';
import { plainProgress } from './plain-progress.js';
import { historyPath, loadHistory, saveHistory } from './history-file.js';
import { FIRST_PROMPT, shellBanner } from '../ui/banner.js';
import { drawEarlyPrompt, type EarlyPrompt } from './early-prompt.js';
import { batchCaller, interactiveSession } from './session-setup.js';
import { TrainingSession } from '../commands/training/session.js';
import { fail, report, sinksFor, type Sinks } from './cli-output.js';
import { EXIT, type ExitCode } from '../errors.js';
import { stdinIsTerminal, type GLOBAL_OPTIONS, type Streams } from './main.js';
import type { parseArgs } from 'node:util';

type Globals = ReturnType<typeof parseArgs<{ options: typeof GLOBAL_OPTIONS; strict: true; allowPositionals: false }>>['values'];

export interface SessionStart {
  argv: { globals: Globals; commandWords: string[] };
  env: NodeJS.ProcessEnv;
  streams: Streams;
  /** The sinks made before the style was known (plain, for early errors). */
  early: Sinks;
  settings: Exclude<ReturnType<typeof resolveSettings>, { refusal: string }>;
  privilege: ReturnType<typeof assessPrivilege>;
  stateDir: string;
  loginShell: boolean;
  /** The sensor shell's prompt, drawn by main.ts; taken back if the shell does not start. */
  firstPrompt: EarlyPrompt | null;
}

export async function runSession(start: SessionStart): Promise<number> {
  const { argv: { globals, commandWords }, env, streams, early, settings, privilege, stateDir, firstPrompt } = start;
  const { target } = settings;
  const login = { kind: start.loginShell ? 'run' : 'not-login' };
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

    const interactive = stdinIsTerminal(streams) && Boolean(streams.stdout.isTTY);
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
    const lineSource = () => (lines ??= new LineSource(() => streams.stdin));
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
        prompter: new LinePrompter(lineSource(), sinks.out, !stdinIsTerminal(streams)),
        style,
        caller,
        // The terminal echoed "^C" where the cursor was (after a question): what follows starts a new line.
        signal: interruptSignal(() => {
          if (interactive) sinks.out.write('\n');
        }),
        progress: plainProgress(streams.stderr, style),
        json: false,
        training: new TrainingSession(system, false),
      };
      return await runOneShot(commandWords, ctx, sinks);
    }

    // A session's training run: the shell talks to training.system, which is the run's own sensor while one runs.
    const training = new TrainingSession(system, true);
    if (interactive) {
      // The prompt shows first; Ink (hundreds of milliseconds to import) loads behind it.
      // On the simulator the prompt is its sign-in screen's first question ("D4Iot login: ").
      const banner = [session?.banner ?? shellBanner(target, caller.user), ...(session?.notice ? [session.notice] : [])].join('\n');
      const early = firstPrompt ?? drawEarlyPrompt(streams.stdin, streams.stdout, sinks.out, banner, session?.firstQuestion ?? FIRST_PROMPT);
      await loadInkRuntime();
      const { runInteractiveShell } = await import('../ui/interactive.js');
      early?.erase();
      // Over ssh, --state-dir names a directory on the sensor: the history stays on this machine.
      const historyDir = target.startsWith('ssh://') ? defaultStateDir(env, !privilege.privileged || privilege.invokerIsRoot) : stateDir;
      // Keyed by the signed-in user (the simulator's sign-in) or the Unix user.
      const history = {
        load: (user: string) => loadHistory(historyPath(historyDir, user)),
        save: (user: string, entries: readonly string[]) => saveHistory(historyPath(historyDir, user), entries),
      };
      return await runInteractiveShell({ system: training.system, training, style, target, history, ...session!, banner, hintGlobals: sinks.globals });
    }
    return await runScript(lineSource(), { system: training.system, training, style, caller }, sinks, streams);
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
  session: Pick<CommandContext, 'system' | 'style' | 'caller' | 'training'>,
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
