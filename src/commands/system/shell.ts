// `system shell`: an audited root shell on a real sensor (root role only),
// the one way from otshell to a system shell. The simulator refuses it.
import { defineCommand } from '../types.js';
import * as z from 'zod/mini';

export default defineCommand<{ exitStatus: number }>({
  category: 'system',
  name: 'shell',
  summary: 'Open an audited root shell on the sensor (real sensors only)',
  description: 'Opens a root shell on the sensor; its start and end go to the session audit. The simulated sensor has no operating system to open, and says so (exit 69).',
  role: 'root',
  async run(ctx) {
    const exitStatus = await ctx.system.openRootShell({ user: ctx.caller.user, tty: ctx.caller.tty, sshClient: ctx.caller.sshClient });
    return { exitStatus };
  },
  resultSchema: z.strictObject({ exitStatus: z.number() }),
  render: (result) => `The root shell ended (status ${result.exitStatus}).`,
});
