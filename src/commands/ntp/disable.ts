// `ntp disable ADDRESS`: removes an NTP server.
import type { NtpChange } from '../../system/ntp-port.js';
import { defineCommand } from '../types.js';
import { actorOf } from '../system/power-action.js';
import { NtpChangeResultSchema } from '../ntp-backup-schemas.js';
import { ntpOf } from './port.js';
import { serverArgument } from './enable.js';

export default defineCommand<NtpChange>({
  category: 'ntp',
  name: 'disable',
  spellings: ['cyberx-xsense-ntp-disable'],
  summary: 'Stop using an NTP server',
  description: 'Removes an NTP server that "ntp enable" added. The change is audited ("system audit").',
  examples: ['ntp disable 10.1.0.4', 'cyberx-xsense-ntp-disable 10.1.0.4'],
  args: [{ name: 'address', summary: 'The NTP server, an IPv4 address', required: true }],
  role: 'support',
  resultSchema: NtpChangeResultSchema,
  async run(ctx, input) {
    return ntpOf(ctx.system).disable(serverArgument(input), actorOf(ctx.caller));
  },
  render(result, style) {
    const address = style.untrusted(result.address);
    return result.changed ? `NTP server ${address} disabled.` : `NTP server ${address} was not enabled; nothing was changed.`;
  },
});
