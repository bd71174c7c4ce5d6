// The flow `system reboot` and `system shutdown` share: refuse --json without
// --yes, read whether network settings wait for a restart, explain and ask
// "Are you sure? [y/N]" (unless --yes), then act.
import { EXIT } from '../../errors.js';
import type { CancelReason } from '../prompter.js';
import { PromptCancelled } from '../prompter.js';
import { UserError, type Caller, type CommandContext } from '../types.js';
import type { Actor } from '../../system/adapter.js';

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
    /** The action, under the adapter's lock (held by the caller for the audit trail of who). */
    act: (by: Actor) => Promise<void>;
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
  await options.act(actorOf(ctx.caller));
  return { done: true, pendingSettings, cancelled: null };
}

/** The caller's fields the adapter records in its lock. */
export function actorOf(caller: Caller): Actor {
  return { user: caller.user, ...(caller.tty ? { tty: caller.tty } : {}), ...(caller.sshClient ? { sshClient: caller.sshClient } : {}) };
}
