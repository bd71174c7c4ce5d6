// Bytes the built shell writes per keystroke under a real pseudo-terminal (issue #14,
// item 1), counted by a test and not only by `npm run bench:startup`: the same PTY
// driver (bench/lib/pty-session.py) signs in, types one key at a time and records
// everything written until the output goes quiet. A terminal's own echo is the
// reference: the character, "\b \b", an insert in place.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState } from '../helpers/sign-in.js';
import { typeUnderPty } from '../helpers/pty-keys.js';
import { skipWithout } from '../helpers/tool.js';

const noPty = skipWithout('python3', ['-c', 'import pty, termios, fcntl']);
const LEFT = '\u001b[D';
const BACKSPACE = '\u007f';

describe.skipIf(noPty)('bytes written per keystroke at the prompt (80x24 PTY)', () => {
  let state: ReturnType<typeof tempStateDir>;
  beforeEach(() => {
    state = tempStateDir();
    prepareSignedInState(state.dir);
  });
  afterEach(() => state.cleanup());

  it('appending writes the character alone, Backspace "\\b \\b", a mid-line insert or delete only from its column', async () => {
    const typed = 'network list eth0';
    const keys = [...typed, BACKSPACE, BACKSPACE, ...Array(5).fill(LEFT), 'x', BACKSPACE, '\u001b[3~', '\u0001', '\u0005', '\u0017'];
    const written = await typeUnderPty(state.dir, keys);
    const at = (i: number) => written[i]!.bytes;

    // Every appended printable character, the blanks included: exactly that character.
    for (let i = 0; i < typed.length; i++) expect(at(i), `key ${JSON.stringify(typed[i])}`).toBe(typed[i]);
    let i = typed.length;
    expect(at(i++)).toBe('\b \b');
    expect(at(i++)).toBe('\b \b');
    for (let left = 0; left < 5; left++) expect(at(i++)).toBe('\b'); // "network li|st et"
    expect(at(i++)).toBe('\u001b[@x'); // insert in place: the rest of the line slides right
    expect(at(i++)).toBe('\b\u001b[P'); // Backspace mid-line: one cell deleted in place
    expect(at(i++)).toBe('\u001b[P'); // Delete: "network li|t et"
    expect(at(i++)).toBe('\u001b[10D'); // Home: a cursor move, nothing drawn
    expect(at(i++)).toBe('\u001b[14C'); // End
    expect(at(i++)).toBe('\b\b\u001b[K'); // Ctrl-W: "network lit et" -> "network lit "
    // The prompt is never drawn again while the line is edited.
    for (const k of written) expect(k.bytes).not.toContain('shell>');
  });

  it('a command longer than the screen is wide: keys on its second row echo alone, Home and End only move', async () => {
    const typed = 'network edit-settings --ip 10.1.0.30 --mask 255.255.255.0 --gateway 10.1.0.1 --dns 10.1.0.2';
    const keys = [...typed, BACKSPACE, '\u0001', '\u0005'];
    const written = await typeUnderPty(state.dir, keys);
    // "shell> " takes 7 columns: row 0 is full after 73 characters; the two keys around
    // the margin are drawn by Ink (the terminal wraps there), every other key echoes alone.
    const overMargin = written.slice(0, typed.length).filter((k, i) => k.bytes !== typed[i]);
    expect(overMargin.length).toBeLessThanOrEqual(3);
    for (const k of written.slice(76, typed.length)) expect(k.bytes).toBe(k.key);
    const [backspace, home, end] = written.slice(typed.length).map((k) => k.bytes);
    expect(backspace).toBe('\b \b');
    expect(home).toBe('\u001b[A\u001b[8G');
    expect(end).toBe(`\u001b[B\u001b[${typed.length - 1 - 73 + 1}G`);
  });
});
