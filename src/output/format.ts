// Number and progress formats shared by renderers (moved from src/text).
import type { ProgressUpdate } from '../commands/types.js';
import { untrusted } from './escape.js';

/** ifconfig's human byte count: decimal units, one decimal, e.g. "740.0 MB". */
export function ifconfigBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Uptime as the appliance prints it: hours grow past 24, e.g. "17:26:28", "49:00:05". */
export function uptimeClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** One progress line, shared by the Ink view and stderr: bar, percent, rate, time left. */
export function progressLine(update: ProgressUpdate, elapsedSeconds: number, barWidth: number, ascii: boolean): string {
  const fraction = update.total > 0 ? Math.min(1, update.done / update.total) : 0;
  const rate = elapsedSeconds > 0 ? update.done / elapsedSeconds : 0;
  const left = rate > 0 ? (update.total - update.done) / rate : NaN;
  const width = Math.max(10, barWidth);
  const filled = Math.round(fraction * width);
  const [full, empty] = ascii ? ['#', '-'] : ['\u2588', '\u2591'];
  const bar = full.repeat(filled) + empty.repeat(width - filled);
  if (update.unit === 'seconds') {
    const remaining = Math.max(0, Math.ceil(update.total - update.done));
    return `${untrusted(update.label, 60)} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${remaining} s left`;
  }
  const eta = Number.isFinite(left) ? `${Math.ceil(left)} s left` : '';
  return `${untrusted(update.label, 60)} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${(rate / 1e6).toFixed(1)} MB/s ${eta}`.trimEnd();
}

/**
 * A progress line that fits `width` columns with one to spare (a line that
 * fills the last column makes some terminals wrap): the bar takes what the
 * words leave, between 10 and 40 cells; on a very narrow screen the label is cut.
 */
export function fittedProgressLine(update: ProgressUpdate, elapsedSeconds: number, width: number, ascii: boolean): string {
  const room = Math.max(20, width - 1);
  const words = progressLine(update, elapsedSeconds, 10, ascii).length - 10;
  const bar = Math.min(40, Math.max(10, room - words));
  const line = progressLine(update, elapsedSeconds, bar, ascii);
  return Array.from(line).length > room ? Array.from(line).slice(0, room).join('') : line;
}
