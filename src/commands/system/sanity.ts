import { EXIT } from '../../errors.js';
import type { SanityReport } from '../../system/adapter.js';
import { defineCommand, UserError, type RenderStyle } from '../types.js';
import { uptimeClock } from '../../text/units.js';
import { paint } from '../../text/style.js';

const DEFAULT_TIMEOUT_SECONDS = 3;

export default defineCommand<SanityReport>({
  category: 'system',
  name: 'sanity',
  aliases: ['status'],
  summary: 'Check that every sensor service is running',
  description:
    'Checks all sensor services at once, each bounded by a timeout; a check that does not answer in time is reported as not responding. Exit code 0 when the system is up, 1 when it is down, 2 while it is starting.',
  examples: ['system sanity', 'system sanity --timeout 1', 'system sanity --json'],
  options: [{ name: 'timeout', type: 'string', valueName: 'SECONDS', summary: `Per-check timeout (default ${DEFAULT_TIMEOUT_SECONDS})` }],
  permission: 'any',
  async run(ctx, input) {
    const seconds = input.options.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(input.options.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      throw new UserError(`--timeout takes a number of seconds from 0.1 to 600, not "${String(input.options.timeout)}".`, EXIT.USAGE);
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
        return `${paint(style, 'green', '[+]')} ${service.name} | Running for ${uptimeClock(service.uptimeSeconds ?? 0)}`;
      case 'starting':
        return `${paint(style, 'yellow', '[~]')} ${service.name} | Starting`;
      case 'stopped':
        return `${paint(style, 'red', '[-]')} ${service.name} | Stopped`;
      case 'not-responding':
        return `${paint(style, 'red', '[?]')} ${service.name} | Not responding${service.detail ? ` (${service.detail})` : ''}`;
    }
  });
  const failed = report.services.filter((s) => s.status === 'stopped' || s.status === 'not-responding').map((s) => s.name);
  const starting = report.services.filter((s) => s.status === 'starting').length;
  const summary =
    report.status === 'up'
      ? paint(style, 'green', `System is UP! (${report.profile})`)
      : report.status === 'down'
        ? paint(style, 'red', `System is DOWN! (${report.profile}) Failed: ${failed.join(', ')}`)
        : paint(style, 'yellow', `System is STARTING (${report.profile}): ${starting} of ${report.services.length} services still starting`);
  return `${lines.join('\n')}\n${summary}`;
}
