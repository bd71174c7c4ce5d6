// One typed line, start to finish: resolve it, run it, say what the shell
// should do next. Shared by the Ink shell and the piped-script runner.
import type { Category, CommandContext } from './types.js';
import { resolveLine } from './resolve.js';
import { EXIT } from '../errors.js';
import { executeCommand, type Outcome } from './execute.js';
import { helpText } from './help.js';
import { commandsFor } from './registry.js';

export interface ShellState {
  mode: Category | null;
  history: readonly string[];
}

export interface LineResult {
  outcome: Outcome | null;
  mode: Category | null;
  exit: boolean;
  clearScreen: boolean;
}

export async function dispatchLine(line: string, state: ShellState, ctx: CommandContext): Promise<LineResult> {
  const result = await dispatchResolved(line, state, ctx);
  // A training run keeps what the trainee ran, with each outcome, for its report.
  if (ctx.training?.active && line.trim() !== '') await ctx.training.record(line.trim(), result.outcome?.exitCode ?? EXIT.OK);
  return result;
}

async function dispatchResolved(line: string, state: ShellState, ctx: CommandContext): Promise<LineResult> {
  const resolution = resolveLine(line, state.mode);
  const same = { mode: state.mode, exit: false, clearScreen: false };
  switch (resolution.kind) {
    case 'empty':
      return { ...same, outcome: null };
    case 'error':
      return { ...same, outcome: { text: resolution.message, exitCode: EXIT.USAGE, isError: true } };
    case 'category':
      return { ...same, mode: resolution.category, outcome: null };
    case 'command': {
      const outcome = await executeCommand(resolution.command, resolution.input, resolution, { ...ctx, json: resolution.json });
      return { ...same, outcome };
    }
    case 'builtin':
      switch (resolution.name) {
        case 'help':
          return { ...same, outcome: ok(helpText(resolution.args, state.mode, commandsFor(ctx.caller.role))) };
        case 'back':
          return { ...same, mode: null, outcome: null };
        case 'history':
          return { ...same, outcome: ok(state.history.map((entry, i) => `${String(i + 1).padStart(5)}  ${entry}`).join('\n')) };
        case 'clear':
          return { ...same, clearScreen: true, outcome: null };
        default: // exit, logout
          return { ...same, exit: true, outcome: null };
      }
  }
}

function ok(text: string): Outcome {
  return { text, exitCode: EXIT.OK, isError: false };
}
