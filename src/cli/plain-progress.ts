// Progress on stderr for plain output: one line redrawn in place, only on a terminal,
// so pipes and --json output never see it.
import type { Writable } from 'node:stream';
import type { ProgressUpdate } from '../commands/types.js';
import { progressLine } from '../text/progress.js';

export function plainProgress(stderr: Writable & { isTTY?: boolean }): (update: ProgressUpdate) => void {
  if (!stderr.isTTY) return () => {};
  const startedAt = Date.now();
  let lastDraw = 0;
  return (update) => {
    const now = Date.now();
    const finished = update.done >= update.total;
    if (!finished && now - lastDraw < 100) return; // a slow link needs few redraws
    lastDraw = now;
    stderr.write(`\r\u001b[2K${progressLine(update, (now - startedAt) / 1000, 60, true)}${finished ? '\n' : ''}`);
  };
}
