// The capture report wraps to the terminal's real width (through the output
// layer, under the value column) and not at all when stdout is not a terminal.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeCapture, renderCaptureReport } from '../../src/capture/index.js';
import { OutputSink } from '../../src/output/sink.js';
import { createStyle } from '../../src/output/style.js';
import { REPO_ROOT } from '../helpers/cli.js';

async function shown(width: number | undefined): Promise<string[]> {
  const report = await analyzeCapture(join(REPO_ROOT, 'samples/enip-sample.pcap'));
  const text = renderCaptureReport(report, createStyle({ ascii: false, color: false, width: width ?? 80 }));
  let out = '';
  new OutputSink({ write: (chunk: string) => (out += chunk), isTTY: width !== undefined }, { color: false, ascii: false, width }).line(text);
  return out.trimEnd().split('\n');
}

describe('capture report width', () => {
  it('not a terminal: every line whole (the Traffic line is one line past 80 columns)', async () => {
    const rows = await shown(undefined);
    const traffic = rows.find((r) => r.startsWith('Traffic'))!;
    expect(traffic.length).toBeGreaterThan(80);
    expect(traffic).toMatch(/ARP \d+ \(\d+\.\d%\)$/);
  });

  it.each([66, 100, 132])('a %i-column terminal: no row wider, continuations under the value column', async (width) => {
    const rows = await shown(width);
    for (const row of rows) expect([...row].length, row).toBeLessThanOrEqual(width);
    const whole = (await shown(undefined)).find((r) => r.startsWith('Traffic'))!;
    const at = rows.findIndex((r) => r.startsWith('Traffic'));
    if (whole.length > width) {
      expect(rows[at + 1]!).toMatch(/^ {12}\S/);
    } else {
      expect(rows[at]).toBe(whole);
    }
  });
});
