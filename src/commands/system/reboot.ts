// `system reboot`: restarts the sensor after "Are you sure?". On the appliance
// (and the simulator) this is also when applied network settings take effect.
import { EXIT } from '../../errors.js';
import { cancelMessage, type CancelReason } from '../prompter.js';
import { RebootResultSchema } from '../result-schemas.js';
import { defineCommand } from '../types.js';
import { confirmPowerAction } from './power-action.js';

export interface RebootResult {
  rebooted: boolean;
  /** Network settings waiting for this restart. */
  pendingSettings: boolean;
  /** Set when the question was cancelled (Ctrl-C, Ctrl-D, closed input). */
  cancelled: CancelReason | null;
}

export default defineCommand<RebootResult>({
  category: 'system',
  name: 'reboot',
  aliases: ['restart'],
  summary: 'Restart the sensor (applies pending network settings)',
  description:
    'Restarts the sensor after asking "Are you sure? [y/N]" (--yes skips the question). The sensor is unreachable for a short while, then its services start again ("system sanity" reports starting until they are all running); network settings saved with "network edit-settings" take effect. Exit codes: 0 restarted or declined; 64 --json without --yes; 69 the sensor is already restarting; 130 cancelled.',
  examples: ['system reboot', 'system reboot --yes'],
  options: [{ name: 'yes', type: 'boolean', summary: 'Restart without asking' }],
  resultSchema: RebootResultSchema,
  role: 'support',
  async run(ctx, input) {
    const { done, pendingSettings, cancelled } = await confirmPowerAction(ctx, {
      command: 'system reboot',
      yes: input.options.yes === true,
      explain: (pending) =>
        'The sensor will restart: it stops monitoring and is unreachable for a short while, then its services start again.' +
        (pending ? ' The saved network settings take effect.' : ''),
      act: (by) => ctx.system.reboot(by),
    });
    return { rebooted: done, pendingSettings, cancelled };
  },
  render(result) {
    if (!result.rebooted) return `${result.cancelled ? `${result.cancelled === 'attempts' ? cancelMessage('attempts') : 'Cancelled.'} ` : ''}The sensor was not restarted.`;
    return [
      // One line: the output layer wraps it to the terminal's width.
      'The sensor is restarting. It is unreachable for a few seconds; then its services start again ("system sanity" shows them starting until all are running).',
      ...(result.pendingSettings ? ['The saved network settings take effect now; "network validate" checks them.'] : []),
    ].join('\n');
  },
  exitCode: (result) => (result.cancelled ? EXIT.INTERRUPTED : EXIT.OK),
});
