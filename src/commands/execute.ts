// Runs a resolved command and turns every outcome, good or bad, into text and
// an exit code. User errors become one clear line; only real bugs say "internal".
import type { AnyCommand, CommandContext, CommandInput } from './types.js';
import { commandHelp } from './help.js';
import { roleAllows } from './roles.js';
import type { SpellingNeed } from './resolve.js';
import { EXIT, OtshellError, type ExitCode } from '../errors.js';

export interface Outcome {
  text: string;
  /** Only codes from the table (src/errors.ts EXIT). */
  exitCode: ExitCode;
  /** The text is an error message (plain output sends it to stderr). */
  isError: boolean;
  /** The text is --json output: the output layer keeps it exact. */
  json?: boolean;
}

export async function executeCommand(
  command: AnyCommand,
  input: CommandInput,
  flags: { json: boolean; help: boolean; spelling?: SpellingNeed },
  ctx: CommandContext,
): Promise<Outcome> {
  if (flags.help) return { text: commandHelp(command), exitCode: EXIT.OK, isError: false };
  if (!roleAllows(ctx.caller.role, command.role)) {
    return {
      text: `${command.category} ${command.name} needs the ${command.role} role; you are signed in as ${ctx.caller.role}.`,
      exitCode: EXIT.NO_PERMISSION,
      isError: true,
    };
  }
  if (flags.spelling && !roleAllows(ctx.caller.role, flags.spelling.role)) {
    return {
      text: `${flags.spelling.text} needs the ${flags.spelling.role} role; you are signed in as ${ctx.caller.role}. "${command.category} ${command.name}" shows the same.`,
      exitCode: EXIT.NO_PERMISSION,
      isError: true,
    };
  }
  try {
    const result = await command.run(ctx, input);
    const text = flags.json ? (command.json ? command.json(result) : JSON.stringify(result)) : command.render(result, ctx.style);
    // Ctrl-C ended the command's work early (validate-capture stops reading): whatever it
    // reports, the run was interrupted, as a shell reports SIGINT.
    const exitCode = ctx.signal.aborted ? EXIT.INTERRUPTED : command.exitCode ? command.exitCode(result) : EXIT.OK;
    return { text, exitCode, isError: false, ...(flags.json ? { json: true } : {}) };
  } catch (error) {
    return ctx.signal.aborted && !(error instanceof OtshellError) ? describeFailure(new OtshellError('Cancelled.', EXIT.INTERRUPTED)) : describeFailure(error);
  }
}

/**
 * Any thrown value as a message for the user. An OtshellError (user or environment)
 * is one line with its own code from the table; anything else is a bug: "Internal
 * error", exit 70, with a stack only with OTSHELL_DEBUG=1.
 */
export function describeFailure(error: unknown): Outcome {
  if (error instanceof OtshellError) return { text: error.message, exitCode: error.exitCode, isError: true };
  const detail = process.env.OTSHELL_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : '';
  return {
    text: `Internal error: ${error instanceof Error ? error.message : String(error)} (set OTSHELL_DEBUG=1 for details)${detail}`,
    exitCode: EXIT.INTERNAL,
    isError: true,
  };
}
