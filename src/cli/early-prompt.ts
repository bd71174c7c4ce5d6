// The first prompt, drawn before Ink is loaded. Importing Ink, React and yoga's
// wasm costs most of the time to the first prompt (docs/benchmarks-startup.md),
// and none of it is needed to show the banner and "shell> " (or the simulator's
// sign-in screen and "login: "). The terminal goes
// raw first, so keys typed meanwhile are neither echoed by the kernel nor lost:
// they wait in the tty until the Ink shell reads them. When Ink is ready, erase()
// removes what was drawn here and Ink draws the same lines as its first frame.
import type { Writable } from 'node:stream';
import type { OutputSink } from '../output/sink.js';
import { wrapText } from '../output/wrap.js';

interface Tty {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

export interface EarlyPrompt {
  /** Puts the cursor back where the banner began and clears below it. */
  erase(): void;
  /** The shell will not start after all (the target could not be opened): erased, and the terminal out of raw mode for the error. */
  abandon(): void;
}

const PLAIN = /^[\x20-\x7e]*$/;

export function drawEarlyPrompt(
  stdin: Tty,
  stdout: Writable & { columns?: number },
  sink: OutputSink,
  banner: string,
  prompt: string,
): EarlyPrompt | null {
  const columns = stdout.columns;
  // Wrapped as the shell's view will wrap it (src/output/ink-text.tsx), so Ink's first frame draws the same rows.
  const shown = wrapText(banner, columns);
  const lines = shown.split('\n');
  // Only when the rows it takes are certain: plain ASCII, a known width, a prompt
  // that fits. Anything else waits for Ink, as before.
  if (!columns || !lines.every((line) => PLAIN.test(line)) || !PLAIN.test(prompt) || prompt.length >= columns || typeof stdin.setRawMode !== 'function') return null;
  stdin.setRawMode(true);
  sink.write(`${shown}\n${prompt}`);
  // A line longer than the width takes more rows (the terminal wraps it); an empty one takes one.
  const bannerRows = lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / columns)), 0);
  const erase = () => {
    stdout.write(`\r\u001b[${bannerRows}A\u001b[J`);
  };
  return {
    erase,
    abandon() {
      erase();
      stdin.setRawMode?.(false);
    },
  };
}
