// Progress on stderr for plain output: one line redrawn in place, only on a terminal,
// so pipes and --json output never see it.
import type { Writable } from 'node:stream';
import type { ProgressUpdate, RenderStyle } from '../commands/types.js';
import { fittedProgressLine } from '../output/format.js';
import { OutputSink } from '../output/sink.js';

export function plainProgress(stderr: Writable & { isTTY?: boolean; columns?: number }, style: Pick<RenderStyle, 'ascii'> = { ascii: true }): (update: ProgressUpdate) => void {
  if (!stderr.isTTY) return () => {};
  const width = stderr.columns || 80;
  const sink = new OutputSink(stderr, { color: false, ascii: style.ascii, width });
  const startedAt = Date.now();
  let lastDraw = 0;
  return (update) => {
    const now = Date.now();
    const finished = update.done >= update.total;
    if (!finished && now - lastDraw < 100) return; // a slow link needs few redraws
    lastDraw = now;
    sink.redraw(fittedProgressLine(update, (now - startedAt) / 1000, width, true), finished);
  };
}
