// `system unlock SOURCE`: clears a sign-in lock (root). SOURCE is what the
// lock message names: a terminal ("console", /dev/pts/3) or an SSH client address.
import { defineCommand, UserError } from '../types.js';
import { EXIT } from '../../errors.js';
import * as z from 'zod/mini';

export interface UnlockResult {
  source: string;
  wasLocked: boolean;
}

export default defineCommand<UnlockResult>({
  category: 'system',
  name: 'unlock',
  summary: 'Clear the sign-in lock of a terminal or SSH client address',
  description:
    'After too many failed sign-ins a source (the terminal, or the SSH client address) is locked for a while; this clears the lock and its failure count now. Recorded in the session audit ("system audit --sessions").',
  examples: ['system unlock console', 'system unlock 192.0.2.10'],
  args: [{ name: 'source', summary: 'The terminal or SSH client address the lock message names', required: true }],
  role: 'root',
  async run(ctx, input) {
    const source = String(input.args.source ?? '');
    if (source.length === 0 || source.length > 64 || /[\p{C}]/u.test(source)) {
      throw new UserError('SOURCE is a terminal name or an address: 1 to 64 printable characters.', EXIT.USAGE);
    }
    const wasLocked = await ctx.system.unlockSource(source, { user: ctx.caller.user, tty: ctx.caller.tty, sshClient: ctx.caller.sshClient });
    return { source, wasLocked };
  },
  resultSchema: z.strictObject({ source: z.string(), wasLocked: z.boolean() }),
  render: (result, style) =>
    result.wasLocked ? `Sign-in from ${style.untrusted(result.source)} is unlocked.` : `${style.untrusted(result.source)} was not locked; its failure count is cleared.`,
});
