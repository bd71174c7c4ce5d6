import { EXIT } from '../../errors.js';
import type { SanityReport } from '../../system/adapter.js';
import { SanityResultSchema } from '../result-schemas.js';
import { defineCommand, UserError, type RenderStyle } from '../types.js';

const DEFAULT_TIMEOUT_SECONDS = 3;

export default defineCommand<SanityReport>({
  category: 'system',
  name: 'sanity',
  aliases: ['status'],
  spellings: ['system-sanity', 'cyberx-xsense-sanity'],
  summary: 'Check that every sensor service is running',
  description:
    'Checks all sensor services at once, each bounded by a timeout; a check that does not answer in time is reported as not responding. Exit code 0 when the system is up, 1 when it is down, 2 while it is starting.',
  examples: ['system sanity', 'system sanity --timeout 1', 'system sanity --json'],
  options: [{ name: 'timeout', type: 'string', valueName: 'SECONDS', summary: `Per-check timeout (default ${DEFAULT_TIMEOUT_SECONDS})` }],
  resultSchema: SanityResultSchema,
  role: 'viewer',
  async run(ctx, input) {
    const seconds = input.options.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(input.options.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      throw new UserError(`--timeout takes a number of seconds from 0.1 to 600, not "${ctx.style.untrusted(String(input.options.timeout))}".`, EXIT.USAGE);
    }
    return ctx.system.checkServices({ timeoutMs: Math.round(seconds * 1000) });
  },
  render: renderSanity,
  exitCode: (report) => ({ up: EXIT.OK, down: EXIT.PROBLEM, starting: EXIT.INCOMPLETE })[report.status],
});

export function renderSanity(report: SanityReport, style: RenderStyle): string {
  const lines = report.services.map((service) => {
    switch (service.status) {
      case 'running':
        return `${style.paint('green', '[+]')} ${style.untrusted(service.name)} | Running for ${style.format.uptimeClock(service.uptimeSeconds ?? 0)}`;
      case 'starting':
        return `${style.paint('yellow', '[~]')} ${style.untrusted(service.name)} | Starting`;
      case 'stopped':
        // The reason follows the status, as "Not responding" already did: "--json" only was too hidden.
        return `${style.paint('red', '[-]')} ${style.untrusted(service.name)} | Stopped${service.detail ? ` (${style.untrusted(service.detail)})` : ''}`;
      case 'not-responding':
        return `${style.paint('red', '[?]')} ${style.untrusted(service.name)} | Not responding${service.detail ? ` (${style.untrusted(service.detail)})` : ''}`;
    }
  });
  const failed = report.services.filter((s) => s.status === 'stopped' || s.status === 'not-responding').map((s) => style.untrusted(s.name));
  const starting = report.services.filter((s) => s.status === 'starting').length;
  const summary =
    report.status === 'up'
      ? style.paint('green', `System is UP! (${style.untrusted(report.profile)})`)
      : report.status === 'down'
        ? style.paint('red', `System is DOWN! (${style.untrusted(report.profile)}) Failed: ${failed.join(', ')}`)
        : style.paint('yellow', `System is STARTING (${style.untrusted(report.profile)}): ${starting} of ${report.services.length} services still starting`);
  return `${lines.join('\n')}\n${summary}`;
}
