// `ntp status`: the servers otshell manages and whether the clock follows one.
import type { NtpStatus } from '../../system/ntp-port.js';
import { defineCommand } from '../types.js';
import { NtpStatusResultSchema } from '../ntp-backup-schemas.js';
import { ntpOf } from './port.js';

export default defineCommand<NtpStatus>({
  category: 'ntp',
  name: 'status',
  summary: 'Show the NTP servers and whether the clock is synchronised',
  description: 'Lists the NTP servers enabled with "ntp enable", each with its state (synchronised, candidate, unreachable), and the clock\'s reference, stratum and offset. On a real sensor this comes from chrony ("chronyc -n sources" and "tracking").',
  examples: ['ntp status', 'ntp status --json'],
  role: 'viewer',
  resultSchema: NtpStatusResultSchema,
  async run(ctx) {
    return ntpOf(ctx.system).status();
  },
  render(result, style) {
    const lines: string[] = [];
    if (result.servers.length === 0) lines.push('No NTP servers are enabled; "ntp enable ADDRESS" adds one.');
    else {
      lines.push('NTP servers:');
      for (const s of result.servers) {
        const tone = s.state === 'synchronised' ? 'green' : s.state === 'unreachable' ? 'red' : 'dim';
        lines.push(`  ${style.untrusted(s.address).padEnd(16)} ${style.paint(tone, s.state.padEnd(12))}${s.stratum === null ? '' : ` stratum ${s.stratum}`}`);
      }
    }
    if (result.synchronised) {
      const offset = result.offsetSeconds === null ? '' : `, offset ${result.offsetSeconds >= 0 ? '+' : ''}${result.offsetSeconds.toFixed(6)} s`;
      lines.push(`Clock: synchronised to ${style.untrusted(result.reference ?? 'unknown')}${result.stratum === null ? '' : ` (stratum ${result.stratum})`}${offset}`);
    } else {
      lines.push('Clock: not synchronised.');
    }
    return lines.join('\n');
  },
});
