// `network capture-check [INTERFACE...] [--seconds N] [--save FILE]` (alias
// validate-span): the guide's SPAN-port validation, live, on the sensor's own
// monitor interfaces (issue 12). The work is src/capture/live-check.ts; this
// file parses options, shows progress and renders.
import {
  parseSeconds,
  renderCaptureReport,
  runCaptureCheck,
  type CaptureCheckResult,
  type CaptureReport,
} from '../../capture/index.js';
import { fmtSeconds } from '../../capture/report.js';
import { EXIT } from '../../errors.js';
import { defineCommand, UserError, type RenderStyle } from '../types.js';
import { CaptureCheckResultSchema } from './capture-check-schema.js';

function list(value: string | string[] | undefined): string[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function overallLines(r: CaptureReport, style: RenderStyle): string {
  const tone = r.verdict.status === 'pass' ? 'green' : r.verdict.status === 'warn' ? 'yellow' : 'red';
  const lines = [`${style.paint('bold', 'Overall')}     ${style.paint(tone, r.verdict.status.toUpperCase())}`];
  for (const c of r.verdict.checks) lines.push(`  [${c.status.toUpperCase()}] ${c.id.padEnd(15)} ${style.untrusted(c.detail)}`);
  return lines.join('\n');
}

export default defineCommand<CaptureCheckResult>({
  category: 'network',
  name: 'capture-check',
  aliases: ['validate-span'],
  summary: 'Check the SPAN ports live on the monitor interfaces',
  description:
    "Captures on the sensor's monitor interfaces (default: every one in the settings) for --seconds (default 60) and reports, " +
    'per interface and overall, what validate-capture reports for a file: unicast/broadcast/multicast and ARP shares, the ' +
    'protocol hierarchy, the industrial protocols found (payload-confirmed, and by port only), devices and a verdict. Ctrl-C stops ' +
    'early and still reports what was seen. --save FILE keeps the capture (pcapng, one section per interface) as a new file. ' +
    'Exit code 0 when the mirror passes, 1 when it warns or fails, 2 when a capture could not run, 130 when Ctrl-C stopped it.',
  examples: ['network capture-check', 'network capture-check eth1 --seconds 10', 'network validate-span eth1 eth2 --save span.pcapng'],
  args: [
    {
      name: 'interfaces',
      summary: 'Interfaces to capture on (default: the monitor interfaces)',
      variadic: true,
      complete: async (ctx) => (ctx.system.capture ? ctx.system.capture.interfaceNames() : []),
    },
  ],
  options: [
    { name: 'seconds', type: 'string', valueName: 'N', summary: `How long to capture (1 to 86400 s; default 60)` },
    { name: 'save', type: 'string', valueName: 'FILE', summary: 'Keep the capture in a new pcapng file' },
  ],
  role: 'support',
  async run(ctx, input) {
    const port = ctx.system.capture;
    if (!port) throw new UserError(`Live capture is not available on ${ctx.system.target}.`, EXIT.UNAVAILABLE);
    const seconds = parseSeconds(typeof input.options.seconds === 'string' ? input.options.seconds : undefined);
    if (input.options.seconds === true) throw new UserError('--seconds needs a value: --seconds N.', EXIT.USAGE);
    if (input.options.save === true) throw new UserError('--save needs a file name: --save FILE.', EXIT.USAGE);
    const save = typeof input.options.save === 'string' ? input.options.save : undefined;
    return runCaptureCheck(port, {
      interfaces: list(input.args.interfaces),
      seconds,
      ...(save !== undefined ? { save } : {}),
      signal: ctx.signal,
      onProgress: (p) => {
        const rate = p.elapsedSeconds > 0 ? Math.round(p.packets / p.elapsedSeconds) : 0;
        ctx.progress({
          label: `capture: ${p.packets.toLocaleString('en-US')} packets, ${rate.toLocaleString('en-US')}/s`,
          done: p.elapsedSeconds,
          total: p.seconds,
          unit: 'seconds',
        });
      },
    });
  },
  render(result, style) {
    const head = `Live capture on ${result.interfaces.map((r) => style.untrusted(r.file)).join(', ')}: ${fmtSeconds(result.elapsedSeconds)}${
      result.interrupted ? ` (stopped early; ${result.seconds} s asked)` : ''
    }${result.saved !== null ? `, kept in ${style.untrusted(result.saved)}` : ''}`;
    const parts = [head, ...result.interfaces.map((r) => renderCaptureReport(r, style))];
    if (result.interfaces.length > 1) parts.push(overallLines(result.overall, style));
    return parts.join('\n\n');
  },
  resultSchema: CaptureCheckResultSchema,
  // a capture that could not run is 2; a silent port is a failed verdict (1), not an unreadable file
  exitCode: (result) =>
    result.interfaces.some((r) => r.format === null && r.error !== 'no packets captured')
      ? EXIT.INCOMPLETE
      : result.interfaces.every((r) => r.verdict.status === 'pass') && result.overall.verdict.status === 'pass'
        ? EXIT.OK
        : EXIT.PROBLEM,
});
