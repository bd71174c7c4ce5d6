// The bytes that turn one drawn prompt line into the next, as a terminal's own
// line discipline would echo them: a typed character at the end is that
// character, Backspace at the end is "\b \b", a mid-line edit inserts or deletes
// cells in place (ICH / DCH, which xterm, PuTTY, tmux and the Linux console all
// know) instead of redrawing the line. Over a 9600-baud console or a slow SSH
// link every byte of echo is felt; Ink alone rewrites the whole line per key.
//
// Ink's log-update calls frameEcho() (wired in by scripts/terminal-patches.mjs)
// before its own diff; anything this cannot prove safe (a change on another row
// than the cursor's, non-ASCII, a line reaching the right margin, a frame taller
// than the screen) returns undefined and Ink draws the frame as before.

export interface CursorCell {
  x: number;
  y: number;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Echo for an Ink frame change, or undefined when Ink must draw it itself.
 * Frames are Ink's output strings: rows ending in a newline, with trailing
 * blanks trimmed (the cells past a row's end are blank on screen). Only the
 * cursor's row may change: the prompt row, also when a long command has wrapped
 * onto a second row or a hint stands below it (insert, delete and erase act on
 * that row alone, so the other rows stay as they are).
 */
export function frameEcho(
  previousFrame: string,
  nextFrame: string,
  from: CursorCell | undefined,
  to: CursorCell | undefined,
  columns: number | undefined,
  screenRows?: number,
): string | undefined {
  if (!from || !to) return undefined;
  const before = rowsOf(previousFrame);
  const after = rowsOf(nextFrame);
  if (!before || !after || before.length !== after.length || to.y >= after.length || from.y >= after.length) return undefined;
  // A frame as tall as the screen scrolls: Ink redraws it whole, and so must we.
  if (screenRows && screenRows > 0 && after.length >= screenRows) return undefined;
  const width = columns && columns > 0 ? columns : 80;
  // Strictly inside the width: a cursor at the right margin is in the terminal's
  // pending-wrap state, where relative moves differ between terminals.
  if (Math.max(from.x, to.x) >= width - 1) return undefined;
  if (from.y !== to.y) {
    // Home or End on a command wrapped over two rows: a cursor move, nothing drawn.
    if (previousFrame !== nextFrame) return undefined;
    const rows = Math.abs(to.y - from.y);
    const vertical = `\u001b[${rows === 1 ? '' : rows}${to.y < from.y ? 'A' : 'B'}`;
    return vertical + (to.x === 0 ? '\r' : `\u001b[${to.x + 1}G`);
  }
  for (let row = 0; row < after.length; row++) {
    if (row !== to.y && before[row] !== after[row]) return undefined;
  }
  const previous = before[to.y]!;
  const next = after[to.y]!;
  if (!PRINTABLE_ASCII.test(previous) || !PRINTABLE_ASCII.test(next)) return undefined;
  // A changed row that reaches the margin reflows onto the next row: Ink's to draw.
  // (An unchanged full row, the first of a wrapped command, still takes cursor moves.)
  if (previous !== next && Math.max(previous.length, next.length) >= width - 1) return undefined;
  return lineEcho(previous, next, from.x, to.x);
}

function rowsOf(frame: string): string[] | undefined {
  if (!frame.endsWith('\n')) return undefined;
  return frame.slice(0, -1).split('\n');
}

/**
 * Bytes that change a terminal line showing `previous` with the cursor at column
 * `from` into one showing `next` with the cursor at `to`. Both are printable
 * ASCII; cells past a line's end are blank, so trailing blanks are no change:
 * the cursor after a typed blank sits past the (trimmed) text, and moving it
 * (Home, End) must not rewrite the line.
 */
export function lineEcho(previous: string, next: string, from: number, to: number): string {
  const before = previous.trimEnd();
  const after = next.trimEnd();
  // Both as the row of cells they show, as far as either line or cursor reaches.
  const width = Math.max(before.length, after.length, from, to);
  const shownBefore = before.padEnd(width);
  const shown = after.padEnd(width);
  if (shownBefore === shown) return move(shown, from, to);

  let same = 0;
  while (shownBefore[same] === shown[same]) same++;
  // Repeated characters ("--" then "-") leave the edit's place ambiguous; the
  // cursor says where it happened, which saves moving there and back.
  same = Math.min(same, from, to);
  let tail = 0;
  while (tail < before.length - same && tail < after.length - same && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;

  let out = move(shown, from, same);
  let at = same;
  if (tail === 0) {
    // The change reaches the end of the text: write the new end, blank what is left.
    const added = after.slice(same);
    out += added;
    at += added.length;
    const leftover = before.length - at;
    if (leftover === 1) {
      out += ' \b';
    } else if (leftover > 1) {
      out += '\u001b[K';
    }
  } else {
    // Mid-line: delete and insert cells in place; the text after them slides along.
    const removed = before.length - same - tail;
    const added = after.slice(same, after.length - tail);
    if (removed > 0) out += removed === 1 ? '\u001b[P' : `\u001b[${removed}P`;
    if (added.length > 0) out += (added.length === 1 ? '\u001b[@' : `\u001b[${added.length}@`) + added;
    at += added.length;
  }
  return out + move(shown, at, to);
}

/** The shortest cursor move along a line already showing `line`. */
function move(line: string, from: number, to: number): string {
  if (to === from) return '';
  if (to < from) {
    const steps = from - to;
    return steps <= 3 ? '\b'.repeat(steps) : `\u001b[${steps}D`;
  }
  const steps = to - from;
  // Rewriting the cells already there is as short as a cursor move for a few steps.
  if (steps <= 3 && to <= line.length) return line.slice(from, to);
  return steps === 1 ? '\u001b[C' : `\u001b[${steps}C`;
}
