// `system shell`: an audited root shell on a real sensor (root role only),
// the one way from otshell to a system shell. The simulator refuses it.
import * as z from 'zod/mini';
import { defineCommand, UserError } from '../types.js';
import { EXIT } from '../../errors.js';

export default defineCommand<{ exitStatus: number }>({
  category: 'system',
  name: 'shell',
  summary: 'Open an audited root shell on the sensor (real sensors only)',
  description: 'Opens a root shell on the sensor; its start and end go to the session audit. The simulated sensor has no operating system to open, and says so (exit 69).',
  role: 'root',
  async run(ctx) {
    if (ctx.json) throw new UserError('system shell opens an interactive shell; it cannot run with --json.', EXIT.USAGE);
    const by = { user: ctx.caller.user, role: ctx.caller.role, tty: ctx.caller.tty, sshClient: ctx.caller.sshClient };
    const open = () => ctx.system.openRootShell(by);
    const exitStatus = ctx.handOverTerminal ? await ctx.handOverTerminal(open) : await open();
    return { exitStatus };
  },
  resultSchema: z.strictObject({ exitStatus: z.number() }),
  render: (result) => `The root shell ended (status ${result.exitStatus}).`,
});
