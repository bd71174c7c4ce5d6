// Lines from a non-TTY stdin, shared by the script runner and the line
// prompter so a wizard's answers can follow its command in the same pipe.
// Nothing is read until a line is asked for: a one-shot command that asks no
// question leaves stdin alone, so `while read f; do otshell ... "$f"; done`
// keeps the loop's remaining lines for `read`. node:readline itself loads on that
// first line too: a few milliseconds of every one-shot command's start-up otherwise.
import type { Readable } from 'node:stream';

export class LineSource {
  private iterator: AsyncIterator<string> | undefined;
  private closed = false;

  /** The input, or a function that makes it when the first line is asked for (process.stdin: Streams in main.ts). */
  constructor(private readonly input: Readable | (() => Readable)) {}

  /** The next line, or null when the input has ended. */
  async next(): Promise<string | null> {
    if (this.closed) return null;
    if (!this.iterator) {
      const { createInterface } = await import('node:readline');
      this.iterator ??= createInterface({ input: typeof this.input === 'function' ? this.input() : this.input, crlfDelay: Infinity, terminal: false })[Symbol.asyncIterator]();
    }
    const { value, done } = await this.iterator.next();
    if (done) {
      this.closed = true;
      return null;
    }
    return value;
  }
}
