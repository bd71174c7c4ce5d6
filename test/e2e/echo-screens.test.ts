// The prompt line's echo writes only what changed (src/ui/line-echo.ts); these
// whole-screen comparisons in a real terminal (tmux) guard that what it writes
// leaves exactly the right line and cursor: a command wrapped past column 80 and
// edited on both rows, a resize to a narrower window, non-ASCII input, Ctrl-L.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TmuxTerminal } from '../helpers/tmux.js';
import { skipWithout } from '../helpers/tool.js';
import { tempStateDir } from '../helpers/cli.js';

const noTmux = skipWithout('tmux');
const ROWS = 24;

const rowsOf = (screen: string) => {
  const rows = screen.split('\n').map((r) => r.trimEnd());
  while (rows.length < ROWS) rows.push('');
  return rows.slice(0, ROWS);
};

/** Waits until every row of the screen, and the cursor, are the expected ones. */
async function expectScreen(t: TmuxTerminal, expected: string[], cursor: { x: number; y: number }, timeoutMs = 8000): Promise<void> {
  const want = rowsOf(expected.join('\n'));
  let got: string[] = [];
  let at = { x: -1, y: -1 };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    got = rowsOf(await t.screen());
    at = await t.cursor();
    if (got.join('\n') === want.join('\n') && at.x === cursor.x && at.y === cursor.y) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect({ screen: got, cursor: at }).toEqual({ screen: want, cursor });
}

const COMMAND = 'network edit-settings --ip 10.1.0.30 --mask 255.255.255.0 --gateway 10.1.0.1 --dns 10.1.0.2';

describe.skipIf(noTmux)('prompt echo on screen at 80x24', () => {
  let state: ReturnType<typeof tempStateDir>;
  let term: TmuxTerminal | undefined;
  beforeEach(() => {
    state = tempStateDir();
  });
  afterEach(async () => {
    await term?.stop();
    term = undefined;
    state.cleanup();
  });

  async function cleared() {
    term = await TmuxTerminal.start([], { stateDir: state.dir });
    await term.waitForInputLine(/^shell>\s*$/);
    await term.keys('C-l');
    await expectScreen(term, ['shell>'], { x: 7, y: 0 });
    return term;
  }

  it('a command wrapped over two rows, edited on both: the screen shows exactly the line', async () => {
    const t = await cleared();
    const line = `shell> ${COMMAND}`;
    await t.type(COMMAND);
    await expectScreen(t, [line.slice(0, 80), line.slice(80)], { x: line.length - 80, y: 1 });
    // Second row: Backspace, Left x3, an insert in place ("10.1.0." -> "10.1Z.0.").
    await t.keys('BSpace', 'Left', 'Left', 'Left');
    await t.type('Z');
    const edited = `shell> ${COMMAND.slice(0, -4)}Z.0.`;
    await expectScreen(t, [edited.slice(0, 80), edited.slice(80)], { x: edited.length - 80 - 3, y: 1 });
    // First row: Home and an insert there reflow the text onto the second row.
    await t.keys('Home');
    await expectScreen(t, [edited.slice(0, 80), edited.slice(80)], { x: 7, y: 0 });
    await t.type('Q');
    const reflowed = `shell> Q${edited.slice(7)}`;
    await expectScreen(t, [reflowed.slice(0, 80), reflowed.slice(80)], { x: 8, y: 0 });
    // End, then Ctrl-W removes the last word on the second row.
    await t.keys('End', 'C-w');
    const shortened = reflowed.slice(0, reflowed.lastIndexOf(' ') + 1);
    await expectScreen(t, [shortened.slice(0, 80), shortened.slice(80)], { x: shortened.length - 80, y: 1 });
    // Back to one row: Ctrl-U, then a short line typed anew.
    await t.keys('End', 'C-u');
    await expectScreen(t, ['shell>'], { x: 7, y: 0 });
    await t.type('sys ver');
    await expectScreen(t, ['shell> sys ver'], { x: 14, y: 0 });
  });

  it('a resize to 60 columns draws the line again at the new width; typing goes on from there', async () => {
    const t = await cleared();
    const line = `shell> ${COMMAND}`;
    await t.type(COMMAND);
    await expectScreen(t, [line.slice(0, 80), line.slice(80)], { x: line.length - 80, y: 1 });
    await t.resize(60, ROWS);
    await expectScreen(t, [line.slice(0, 60), line.slice(60)], { x: line.length - 60, y: 1 });
    await t.type(' x');
    await t.keys('BSpace');
    await expectScreen(t, [line.slice(0, 60), `${line.slice(60)}`], { x: line.length - 60 + 1, y: 1 });
  });

  it('non-ASCII input is drawn by Ink and stays right; Ctrl-L keeps the typed line', async () => {
    const t = await cleared();
    await t.type('net \u00e9 \u00fc x');
    await expectScreen(t, ['shell> net \u00e9 \u00fc x'], { x: 16, y: 0 });
    await t.keys('Left', 'Left', 'BSpace');
    await expectScreen(t, ['shell> net \u00e9  x'], { x: 13, y: 0 });
    await t.keys('C-l');
    await expectScreen(t, ['shell> net \u00e9  x'], { x: 13, y: 0 });
    await t.keys('End');
    await t.type('y');
    await expectScreen(t, ['shell> net \u00e9  xy'], { x: 16, y: 0 });
  });
});
