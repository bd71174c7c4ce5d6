// One progress line, shared by the Ink view and stderr: bar, percent, rate, time left.
import type { ProgressUpdate } from '../commands/types.js';

export function progressLine(update: ProgressUpdate, elapsedSeconds: number, barWidth: number, ascii: boolean): string {
  const fraction = update.total > 0 ? Math.min(1, update.done / update.total) : 0;
  const rate = elapsedSeconds > 0 ? update.done / elapsedSeconds : 0;
  const left = rate > 0 ? (update.total - update.done) / rate : NaN;
  const width = Math.max(10, barWidth);
  const filled = Math.round(fraction * width);
  const [full, empty] = ascii ? ['#', '-'] : ['\u2588', '\u2591'];
  const bar = full.repeat(filled) + empty.repeat(width - filled);
  const eta = Number.isFinite(left) ? `${Math.ceil(left)} s left` : '';
  return `${update.label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${(rate / 1e6).toFixed(1)} MB/s ${eta}`.trimEnd();
}
