// `system shutdown`: powers the sensor off after "Are you sure?". It stays off
// (and stops monitoring) until someone powers it on at the machine.
import { EXIT } from '../../errors.js';
import { cancelMessage, type CancelReason } from '../prompter.js';
import { ShutdownResultSchema } from '../result-schemas.js';
import { defineCommand } from '../types.js';
import { confirmPowerAction } from './power-action.js';

export interface ShutdownResult {
  poweredOff: boolean;
  /** Network settings waiting for a restart: they take effect at the next power-on. */
  pendingSettings: boolean;
  /** Set when the question was cancelled (Ctrl-C, Ctrl-D, closed input). */
  cancelled: CancelReason | null;
}

export default defineCommand<ShutdownResult>({
  category: 'system',
  name: 'shutdown',
  aliases: ['poweroff'],
  summary: 'Power the sensor off (it must be powered on at the machine)',
  description:
    'Powers the sensor off after asking "Are you sure? [y/N]" (--yes skips the question). The sensor stops monitoring and stays off: it cannot be started again from otshell or over the network, only by powering it on at the machine. Network settings saved with "network edit-settings" take effect when it starts again. Exit codes: 0 powered off or declined; 64 --json without --yes; 69 the sensor is restarting or already off; 130 cancelled.',
  examples: ['system shutdown', 'system shutdown --yes'],
  options: [{ name: 'yes', type: 'boolean', summary: 'Power off without asking' }],
  resultSchema: ShutdownResultSchema,
  role: 'support',
  async run(ctx, input) {
    const { done, pendingSettings, cancelled } = await confirmPowerAction(ctx, {
      command: 'system shutdown',
      yes: input.options.yes === true,
      explain: (pending) =>
        'The sensor will power off: it stops monitoring and stays off until it is powered on at the machine; it cannot be started again from here.' +
        (pending ? ' The saved network settings take effect when it starts again.' : ''),
      act: (by) => ctx.system.shutdown(by),
    });
    return { poweredOff: done, pendingSettings, cancelled };
  },
  render(result) {
    if (!result.poweredOff) return `${result.cancelled ? `${result.cancelled === 'attempts' ? cancelMessage('attempts') : 'Cancelled.'} ` : ''}The sensor was not powered off.`;
    return [
      // One line: the output layer wraps it to the terminal's width.
      'The sensor is powering off. It no longer monitors and stays off until it is powered on at the machine.',
      ...(result.pendingSettings ? ['The saved network settings take effect when it starts again.'] : []),
    ].join('\n');
  },
  exitCode: (result) => (result.cancelled ? EXIT.INTERRUPTED : EXIT.OK),
});
