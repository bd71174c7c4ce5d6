// `ntp enable ADDRESS`: adds an NTP server after checking that it answers an
// NTP query on UDP 123 (refused, nothing changed, when it does not).
import type { NtpChange } from '../../system/ntp-port.js';
import { isNtpServerAddress } from '../../system/ntp-port.js';
import { defineCommand, UserError, type CommandInput } from '../types.js';
import { EXIT } from '../../errors.js';
import { printable } from '../../net/settings-rules.js';
import { actorOf } from '../system/power-action.js';
import { NtpChangeResultSchema } from '../ntp-backup-schemas.js';
import { ntpOf } from './port.js';

/** The ADDRESS argument, checked: dotted-quad IPv4 of one host. */
export function serverArgument(input: CommandInput): string {
  const address = String(input.args.address ?? '');
  if (!isNtpServerAddress(address)) {
    throw new UserError(`"${printable(address)}" is not an NTP server address: give an IPv4 address such as 10.1.0.4.`, EXIT.USAGE);
  }
  return address;
}

export default defineCommand<NtpChange>({
  category: 'ntp',
  name: 'enable',
  spellings: ['cyberx-xsense-ntp-enable'],
  summary: 'Synchronise the clock with an NTP server (checked first)',
  description:
    'Adds an NTP server. The server must be an IPv4 address answering NTP on UDP port 123: otshell sends it an NTP query first and changes nothing when it does not answer. ' +
    'The change is audited ("system audit"). On a real sensor the server goes into chrony\'s sources file of otshell and chrony reloads its sources.',
  examples: ['ntp enable 10.1.0.4', 'cyberx-xsense-ntp-enable 10.1.0.4'],
  args: [{ name: 'address', summary: 'The NTP server, an IPv4 address', required: true }],
  role: 'support',
  resultSchema: NtpChangeResultSchema,
  async run(ctx, input) {
    const address = serverArgument(input);
    return ntpOf(ctx.system).enable(address, actorOf(ctx.caller));
  },
  render(result, style) {
    const address = style.untrusted(result.address);
    return result.changed
      ? `NTP server ${address} enabled: it answered an NTP query. The clock synchronises with it ("ntp status" shows how).`
      : `NTP server ${address} is already enabled; nothing was changed.`;
  },
});
