// The flow `system reboot` and `system shutdown` share: refuse --json without
// --yes, read whether network settings wait for a restart, explain and ask
// "Are you sure? [y/N]" (unless --yes), then act.
import { EXIT } from '../../errors.js';
import type { CancelReason } from '../prompter.js';
import { PromptCancelled } from '../prompter.js';
import { UserError, type CommandContext } from '../types.js';

export interface PowerActionOutcome {
  /** Whether the action ran. */
  done: boolean;
  /** Network settings waiting for a restart. */
  pendingSettings: boolean;
  /** Set when the question was cancelled (Ctrl-C, Ctrl-D, closed input). */
  cancelled: CancelReason | null;
}

export async function confirmPowerAction(
  ctx: CommandContext,
  options: {
    /** "system reboot", for messages. */
    command: string;
    yes: boolean;
    /** What will happen, said before the question. */
    explain: (pendingSettings: boolean) => string;
    act: () => Promise<void>;
  },
): Promise<PowerActionOutcome> {
  if (ctx.json && !options.yes) {
    throw new UserError(`${options.command}: with --json there is no prompt for "Are you sure?"; add --yes.`, EXIT.USAGE);
  }
  const { pending } = await ctx.system.getNetworkSettings();
  const pendingSettings = pending !== null;
  if (!options.yes) {
    ctx.prompter.say(options.explain(pendingSettings));
    try {
      if (!(await ctx.prompter.confirm('Are you sure?', { default: false }))) return { done: false, pendingSettings, cancelled: null };
    } catch (error) {
      if (error instanceof PromptCancelled) return { done: false, pendingSettings, cancelled: error.reason };
      throw error;
    }
  }
  await options.act();
  return { done: true, pendingSettings, cancelled: null };
}
