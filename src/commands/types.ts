// The contract every command is declared with. One declaration serves the
// interactive shell, one-shot argv, `help`, Tab completion and `--json`.
import type { SystemAdapter } from '../system/adapter.js';
import type { Prompter } from './prompter.js';
import type { Role } from './roles.js';
import type * as z from 'zod/mini';
import { EXIT, OtshellError, type ExitCode } from '../errors.js';

export type Category = 'network' | 'system' | 'troubleshoot' | 'ntp' | 'training' | 'fleet';

/** A colour or weight a renderer may ask for; the output layer decides how (or whether) it shows. */
export type Tone = 'red' | 'green' | 'yellow' | 'bold' | 'dim';

/**
 * How text output may look: decided once per session from the terminal.
 * Implemented by src/output (createStyle); renderers below that layer get it
 * here instead of importing it. Whatever a renderer returns is escaped again
 * by the output sink, so forgetting untrusted() can never send a control byte.
 */
export interface RenderStyle {
  /** Only 7-bit ASCII (PuTTY with a legacy charset, `--ascii`). */
  ascii: boolean;
  /** ANSI colour allowed (a TTY and no NO_COLOR). */
  color: boolean;
  /** Terminal width in columns (80 when unknown). */
  width: number;
  /** `text` in a tone; plain text when colour is off. Never emits an escape byte itself. */
  paint(tone: Tone, text: string): string;
  /** A value from outside (adapter, file, argv, state): controls shown as escapes, cut at 200 characters. */
  untrusted(text: string): string;
  /** Number formats shared by renderers. */
  format: {
    /** ifconfig's byte count, e.g. "740.0 MB". */
    ifconfigBytes(bytes: number): string;
    /** Uptime with hours past 24, e.g. "49:00:05". */
    uptimeClock(seconds: number): string;
  };
}

/** Who runs the command; the audit log records it. */
export interface Caller {
  user: string;
  /** The controlling terminal, e.g. /dev/pts/3, when known. */
  tty?: string;
  /** SSH client address from SSH_CONNECTION, when signed in over SSH. */
  sshClient?: string;
  /** What the caller may run (src/commands/roles.ts). */
  role: Role;
}

export interface ProgressUpdate {
  label: string;
  done: number;
  total: number;
  /** What done/total count: bytes (default; a rate in MB/s is shown) or seconds (a live capture: time left only). */
  unit?: 'bytes' | 'seconds';
}

export interface CommandContext {
  system: SystemAdapter;
  prompter: Prompter;
  style: RenderStyle;
  caller: Caller;
  /** Aborted by Ctrl-C; long commands should stop early. */
  signal: AbortSignal;
  /** Progress of long work (bytes). Drawn by the Ink view or on stderr, never into --json. */
  progress(update: ProgressUpdate): void;
  /** Whether the user asked for --json (commands that prompt refuse to prompt then). */
  json: boolean;
  /**
   * Gives the terminal to a program for the duration of work (system shell): the interactive
   * shell stops reading keys and its idle clock meanwhile. Absent where otshell does not own the terminal.
   */
  handOverTerminal?<T>(work: () => Promise<T>): Promise<T>;
  /** The session's training (src/commands/training/session.ts); absent where no session runs (test doubles). */
  training?: import('./training/session.js').TrainingSession;
}

/** A completer returns candidates for the word being typed. */
export type Completer = (ctx: { system: SystemAdapter }, partial: string) => Promise<string[]> | string[];

export interface ArgSpec {
  name: string;
  summary: string;
  required?: boolean;
  /** Takes every remaining positional word. */
  variadic?: boolean;
  complete?: Completer;
}

export interface OptionSpec {
  /** Long name without dashes, e.g. "dry-run". */
  name: string;
  type: 'boolean' | 'string';
  summary: string;
  /** Placeholder shown in help for string options. */
  valueName?: string;
  complete?: Completer;
}

/** What a parsed command line gives the handler. */
export interface CommandInput {
  args: Record<string, string | string[] | undefined>;
  options: Record<string, string | boolean | undefined>;
}

export interface CommandSpec<R = unknown> {
  category: Category;
  name: string;
  aliases?: string[];
  /**
   * Whole spellings other CLI versions use, typed exactly (never abbreviated),
   * one to three words ("system backup create"): "ping" and "cyberx-xsense-version" at shell>, "system-sanity".
   * Words after a spelling are the command's arguments and options.
   */
  spellings?: string[];
  /**
   * A spelling that needs more than the command's own role, as the appliance
   * gives `ifconfig` to root only while `network list` is for everyone.
   */
  spellingRoles?: Readonly<Record<string, Role>>;
  summary: string;
  /** Longer help text, shown by `help <category> <command>`. */
  description?: string;
  examples?: string[];
  args?: ArgSpec[];
  options?: OptionSpec[];
  /** The least role that may run the command: viewer (read-only), support (changes the sensor), root. */
  role: Role;
  run(ctx: CommandContext, input: CommandInput): Promise<R>;
  /** The one text rendering of a result, used by the Ink view and plain output. */
  render(result: R, style: RenderStyle): string;
  /**
   * The documented shape of the --json result (zod). docs/schemas/<category>-<name>.json
   * is generated from it and test/unit/json-schemas.test.ts checks real output against it.
   */
  resultSchema?: z.ZodMiniType<R> | JsonLinesSchema;
  /** The --json text; defaults to JSON.stringify(result). */
  json?(result: R): string;
  /** Process exit code for a result; defaults to 0. */
  exitCode?(result: R): ExitCode;
}

/** A --json output of one JSON value per line (JSON Lines, e.g. one per capture file): the schema of each line. */
export interface JsonLinesSchema {
  lines: z.ZodMiniType;
}

/** Erases R so commands of different result types share one registry list. */
export type AnyCommand = CommandSpec<any>;

export function defineCommand<R>(spec: CommandSpec<R>): CommandSpec<R> {
  return spec;
}

/**
 * A failure the user can act on: printed as one clear line, never a stack
 * trace. `exitCode` (from EXIT) defaults to 1.
 */
export class UserError extends OtshellError {
  constructor(message: string, exitCode: ExitCode = EXIT.PROBLEM) {
    super(message, exitCode);
  }
}
