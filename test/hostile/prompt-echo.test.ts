// Hostile input at the prompt, through the echo that writes only what changed
// (src/ui/line-echo.ts): escape sequences and control bytes typed or pasted never
// reach the terminal raw, a long paste is cut at the line cap and the shell stays
// responsive, and text starting with "-" is just text. Real PTY, built shell.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStateDir } from '../helpers/cli.js';
import { prepareSignedInState } from '../helpers/sign-in.js';
import { typeUnderPty } from '../helpers/pty-keys.js';
import { skipWithout } from '../helpers/tool.js';
import { ALL, HOSTILE } from './escape-helpers.js';

const noPty = skipWithout('python3', ['-c', 'import pty, termios, fcntl']);

/** What no echo may ever contain: the raw injections of escape-helpers.ts. */
const RAW_INJECTIONS = [/\u001b\]/, /\u0007/, /\u001b\[2J(?!\u001b\[3J\u001b\[H)/, /\u009b/, /\u202e/, /\u2066/, /\ue001/, /\u0000/]; // (ESC [31m may be the shell's own red)

describe.skipIf(noPty)('hostile keys at the prompt (80x24 PTY)', () => {
  let state: ReturnType<typeof tempStateDir>;
  beforeEach(() => {
    state = tempStateDir();
    prepareSignedInState(state.dir);
  });
  afterEach(() => state.cleanup());

  it('escape sequences and control bytes, pasted or typed after text, are never echoed raw', async () => {
    // Each paste ends in a printable character so every key draws something.
    const pastes = [ALL.raw, ...HOSTILE.map((h) => `${h.raw}q`), '\u0000\u0007\u001b[31mz'];
    // Some pastes hold ESC [ H, which is the Home key: End before the last key.
    const written = await typeUnderPty(state.dir, ['a', ...pastes, '\u0005b']);
    for (const k of written) {
      for (const pattern of RAW_INJECTIONS) expect(k.bytes, `${JSON.stringify(k.key)} wrote ${JSON.stringify(k.bytes)}`).not.toMatch(pattern);
    }
    // The line now shows escaped, styled characters: Ink draws it (the echo only takes plain ASCII rows).
    expect(written.at(-1)!.bytes).toContain('b');
  });

  it('a 20 kB paste is cut at 4095 characters; the shell answers the next keys at once', async () => {
    // The first 4095 characters are x, the rest Y: no Y may ever be drawn.
    const written = await typeUnderPty(state.dir, [`${'x'.repeat(4095)}${'Y'.repeat(15_905)}`, '\u0015', 'a', 'b']);
    for (const k of written) expect(k.bytes).not.toContain('Y');
    expect(written[0]!.bytes).toContain('x'.repeat(73)); // drawn hard-wrapped at 80 columns after "shell> "
    expect(written.at(-1)!.bytes).toBe('b');
  });

  it('text starting with "-" is echoed as text', async () => {
    const written = await typeUnderPty(state.dir, [...'--help', '-']);
    expect(written.map((k) => k.bytes).join('')).toBe('--help-');
  });
});
