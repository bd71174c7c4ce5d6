// The one way bytes leave otshell on stdout and stderr. Text is made
// terminal-safe (toTerminal) at the last step, so a renderer cannot forget;
// JSON is kept exact with its unsafe characters written as \uXXXX.
// Write errors end the process the conventional way: the reader went away
// (EPIPE) -> 141 without a word; disk full or I/O error -> one line on stderr, 74.
import { EXIT } from '../errors.js';
import { jsonSafe } from './escape.js';
import { toTerminal } from './style.js';
import { columns, wrapText } from './wrap.js';

/** Anything with write(): process.stdout/stderr, a test's collecting stream. */
export interface TextStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Terminal sequences otshell itself emits; nothing else reaches a terminal raw. */
export const TERMINAL = {
  /** Carriage return and erase the line: a progress line redrawn in place. */
  redrawLine: '\r\u001b[2K',
  /** Clear the screen and the scrollback, cursor home ("clear", Ctrl-L). */
  clearScreen: '\u001b[2J\u001b[3J\u001b[H',
} as const;

export class OutputSink {
  constructor(
    private readonly stream: TextStream,
    /** `width`: the terminal's columns, to wrap lines with hanging indents; absent for pipes and files. */
    private readonly options: { color: boolean; ascii: boolean; markers?: 'style' | 'escape'; width?: number },
  ) {}

  /** Text without a line end (a prompt). */
  write(text: string): void {
    this.stream.write(toTerminal(text, this.options));
  }

  line(text: string): void {
    this.write(`${wrapText(text, this.options.width)}\n`);
  }

  /** JSON text (one or more lines), exact, with unsafe characters as \uXXXX. */
  json(text: string): void {
    this.stream.write(`${jsonSafe(text)}\n`);
  }

  /**
   * A progress line redrawn in place (terminals only). It is cut to the width:
   * a line the terminal wrapped would leave its first row behind at every update.
   */
  redraw(text: string, finished: boolean): void {
    const width = this.options.width;
    const fitted = width !== undefined && columns(text) > width - 1 ? Array.from(text).slice(0, width - 1).join('') : text;
    this.stream.write(`${TERMINAL.redrawLine}${toTerminal(fitted, this.options)}${finished ? '\n' : ''}`);
  }
}

/**
 * Resolves once everything written so far has left the process. A pipe to a
 * slow reader takes 64 kB at once and queues the rest: leaving before this
 * would cut the output (and hide an EPIPE that is still to come).
 */
export function flushed(stream: TextStream): Promise<void> {
  const writable = stream as TextStream & { write(chunk: string, callback: (error?: Error | null) => void): unknown; writableLength?: number; destroyed?: boolean };
  if (writable.destroyed || writable.writableLength === 0) return Promise.resolve();
  // An empty write calls back after every earlier one; an error is handled by guardOutputStreams.
  return new Promise((resolve) => writable.write('', () => resolve()));
}

interface StreamWithEvents extends TextStream {
  on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/** Why a write failed, in words, e.g. "no space left on device (ENOSPC)". */
export function describeWriteError(error: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EIO: 'input/output error',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large',
    EBADF: 'the output is closed',
    EACCES: 'permission denied',
  };
  const code = error.code ?? 'unknown';
  return `${words[code] ?? 'write failed'} (${code.replace(/[^A-Z0-9_]/gi, '')})`;
}

/**
 * Output errors, handled once per process. Node reports them as 'error'
 * events (asynchronously); without a listener they would crash with a stack trace.
 */
export function guardOutputStreams(
  stdout: StreamWithEvents,
  stderr: StreamWithEvents,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let failed = false;
  const onError = (which: 'stdout' | 'stderr') => (error: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    if (error.code === 'EPIPE') return exit(EXIT.BROKEN_PIPE);
    if (which === 'stdout') {
      try {
        stderr.write(`otshell: cannot write the output: ${describeWriteError(error)}.\n`);
      } catch {
        // stderr is gone too: the exit code still tells
      }
    }
    exit(EXIT.IO);
  };
  stdout.on?.('error', onError('stdout'));
  stderr.on?.('error', onError('stderr'));
}
