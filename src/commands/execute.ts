// Runs a resolved command and turns every outcome, good or bad, into text and
// an exit code. User errors become one clear line; only real bugs say "internal".
import type { AnyCommand, CommandContext, CommandInput } from './types.js';
import { UserError } from './types.js';
import { PromptCancelled } from './prompter.js';
import { commandHelp } from './help.js';

export interface Outcome {
  text: string;
  exitCode: number;
  /** The text is an error message (plain output sends it to stderr). */
  isError: boolean;
  /** The text is --json output: the output layer keeps it exact. */
  json?: boolean;
}

/** Exit code for Ctrl-C, as shells report SIGINT. */
export const INTERRUPTED_EXIT_CODE = 130;
export const INTERNAL_ERROR_EXIT_CODE = 70;

export async function executeCommand(
  command: AnyCommand,
  input: CommandInput,
  flags: { json: boolean; help: boolean },
  ctx: CommandContext,
): Promise<Outcome> {
  if (flags.help) return { text: commandHelp(command), exitCode: 0, isError: false };
  if (command.permission === 'admin' && !ctx.caller.isAdmin) {
    return { text: `${command.category} ${command.name} changes the sensor and needs an administrator.`, exitCode: 77, isError: true };
  }
  try {
    const result = await command.run(ctx, input);
    const text = flags.json ? (command.json ? command.json(result) : JSON.stringify(result)) : command.render(result, ctx.style);
    return { text, exitCode: command.exitCode ? command.exitCode(result) : 0, isError: false, ...(flags.json ? { json: true } : {}) };
  } catch (error) {
    return describeFailure(error);
  }
}

/** Any thrown value as a message for the user; a stack only with OTSHELL_DEBUG=1. */
export function describeFailure(error: unknown): Outcome {
  if (error instanceof PromptCancelled) {
    return { text: error.reason === 'eof' ? 'Input closed: cancelled.' : 'Cancelled.', exitCode: INTERRUPTED_EXIT_CODE, isError: true };
  }
  if (error instanceof UserError) return { text: error.message, exitCode: error.exitCode, isError: true };
  const known = error as { exitCode?: unknown; message?: unknown; name?: string };
  if (error instanceof Error && typeof known.exitCode === 'number') {
    return { text: error.message, exitCode: known.exitCode, isError: true };
  }
  const detail = process.env.OTSHELL_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : '';
  return {
    text: `Internal error: ${error instanceof Error ? error.message : String(error)} (set OTSHELL_DEBUG=1 for details)${detail}`,
    exitCode: INTERNAL_ERROR_EXIT_CODE,
    isError: true,
  };
}
