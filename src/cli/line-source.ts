// Lines from a non-TTY stdin, shared by the script runner and the line
// prompter so a wizard's answers can follow its command in the same pipe.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export class LineSource {
  private readonly iterator: AsyncIterator<string>;
  private closed = false;

  constructor(input: Readable) {
    const reader = createInterface({ input, crlfDelay: Infinity, terminal: false });
    this.iterator = reader[Symbol.asyncIterator]();
  }

  /** The next line, or null when the input has ended. */
  async next(): Promise<string | null> {
    if (this.closed) return null;
    const { value, done } = await this.iterator.next();
    if (done) {
      this.closed = true;
      return null;
    }
    return value;
  }
}
