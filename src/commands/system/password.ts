// `system password [USER]`: the appliance's password change. support changes
// its own; root may change anyone's. Current password first, then the new one
// twice with the appliance's prompts; each failing rule is named.
import { defineCommand, UserError } from '../types.js';
import { askNewPassword } from '../session.js';
import { roleAllows } from '../roles.js';
import { EXIT } from '../../errors.js';
import * as z from 'zod/mini';

export interface PasswordResult {
  user: string;
  changed: boolean;
}

export default defineCommand<PasswordResult>({
  category: 'system',
  name: 'password',
  aliases: ['passwd'],
  summary: 'Change a password (your own; root: any user)',
  description:
    'Asks for the current password, then "Enter New Password for USER:" and "Reenter Password:". A new password needs at least 8 characters with a lowercase letter, an uppercase letter, a digit and a symbol, and may not be the user name or the password it replaces. ' +
    'Without a terminal the three answers are read as lines from stdin (never from the command line). Exit codes: 0 changed; 64 no such user or --json; 77 another user\'s password without the root role, or a wrong current password; 130 cancelled.',
  examples: ['system password', 'system password support'],
  args: [{ name: 'user', summary: 'Whose password (default: yours)' }],
  role: 'support',
  async run(ctx, input) {
    if (ctx.json) throw new UserError('system password asks questions; it cannot run with --json.', EXIT.USAGE);
    const user = typeof input.args.user === 'string' ? input.args.user : ctx.caller.user;
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) throw new UserError('USER is a user name: a-z, 0-9, "_" and "-", at most 32 characters.', EXIT.USAGE);
    if (user !== ctx.caller.user && !roleAllows(ctx.caller.role, 'root')) {
      throw new UserError(`Changing the password of ${user} needs the root role; you are signed in as ${ctx.caller.role}.`, EXIT.NO_PERMISSION);
    }
    if (!ctx.prompter.secret) throw new UserError('This terminal cannot ask for a password without showing it.', EXIT.UNAVAILABLE);
    const current = await ctx.prompter.secret(user === ctx.caller.user ? 'Current Password: ' : `Current Password for ${user}: `);
    const by = { user: ctx.caller.user, tty: ctx.caller.tty, sshClient: ctx.caller.sshClient };
    await askNewPassword(ctx.prompter, user, current, (next) => ctx.system.changePassword(user, current, next, by));
    return { user, changed: true };
  },
  // Documented for completeness: --json is refused, since the command asks questions.
  resultSchema: z.strictObject({ user: z.string(), changed: z.boolean() }),
  // askNewPassword already said "The password of USER was changed."
  render: () => '',
});
