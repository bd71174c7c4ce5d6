// `network validate-capture FILE [FILE...]`: the deployment guide's SPAN-port
// validation from capture files (issue 4). The analysis is src/capture.
import path from 'node:path';
import { analyzeCapture, captureExitCode, completePath, renderCaptureReport, type CaptureReport } from '../../capture/index.js';
import { defineCommand, type Completer } from '../types.js';
import { CaptureReportSchema } from '../shared-schemas.js';

export interface ValidateCaptureResult {
  reports: CaptureReport[];
}

/** Files above this size report progress (bytes/s and time left are drawn by the view). */
export const PROGRESS_THRESHOLD_BYTES = 50 * 1000 * 1000;

export const completeCapturePath: Completer = (_ctx, partial) => completePath(partial);

export default defineCommand<ValidateCaptureResult>({
  category: 'network',
  name: 'validate-capture',
  summary: 'Check a SPAN-port capture (pcap/pcapng): unicast, ARP share, OT protocols, devices',
  description:
    'Reads each capture file (pcap or pcapng, by content, whatever its extension) and reports its format, link types, packets, ' +
    'duration and bit rates, unicast/broadcast/multicast and ARP shares, a protocol hierarchy like "tshark -z io,phs", the industrial ' +
    'protocols found (by port or EtherType, confirmed by payload), the devices seen and a verdict with one line per check. ' +
    'Exit code 0 when every file passes, 1 when any file warns or fails, 2 when any file is unreadable, 130 when Ctrl-C stops it.',
  examples: [
    'network validate-capture span-port.pcapng',
    'network validate-capture site-a.pcap site-b.pcap --json',
  ],
  args: [{ name: 'files', summary: 'Capture files (pcap or pcapng)', required: true, variadic: true, complete: completeCapturePath }],
  role: 'viewer',
  async run(ctx, input) {
    const raw = input.args.files;
    const files = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const reports: CaptureReport[] = [];
    for (const file of files) {
      if (ctx.signal.aborted) break;
      const label = path.basename(file);
      const report = await analyzeCapture(file, {
        signal: ctx.signal,
        onProgress: (done, total) => {
          if (total > PROGRESS_THRESHOLD_BYTES) ctx.progress({ label, done, total });
        },
      });
      reports.push(report);
    }
    return { reports };
  },
  render: (result, style) => result.reports.map((r) => renderCaptureReport(r, style)).join('\n\n'),
  resultSchema: { lines: CaptureReportSchema },
  json: (result) => result.reports.map((r) => JSON.stringify(r)).join('\n'),
  exitCode: (result) => captureExitCode(result.reports),
});
