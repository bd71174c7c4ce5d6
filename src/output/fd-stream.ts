// stdout or stderr as a file descriptor written synchronously: output that is not a
// terminal (a pipe, a file). Node's process.stdout for a pipe brings node:net and its
// stream machinery with it, about 12 M instructions of a one-shot command's start-up
// (docs/benchmarks-startup.md), and Node writes pipes and files synchronously on Linux
// anyway. A terminal keeps process.stdout (its width, Ink). What the output layer uses
// of a stream is here: write (with a callback once written), and 'error' after a failed
// write, on the next tick as a stream reports it (guardOutputStreams turns it into the
// exit code: EPIPE, a full disk).
import { writeSync } from 'node:fs';

let sleeper: Int32Array | undefined;

/** Waits `ms` without a turn of the event loop (a full non-blocking pipe: let the reader catch up). */
function pause(ms: number): void {
  Atomics.wait((sleeper ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, ms);
}

export class FdStream {
  readonly isTTY = false;
  /** Nothing is ever queued: each write has left the process when it returns. */
  readonly writableLength = 0;
  destroyed = false;
  private readonly errorListeners: ((error: NodeJS.ErrnoException) => void)[] = [];

  constructor(readonly fd: number) {}

  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean {
    if (this.destroyed) return false;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(this.fd, bytes, done, bytes.length - done);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          pause(5);
          continue;
        }
        this.destroyed = true;
        process.nextTick(() => {
          for (const listener of this.errorListeners) listener(error as NodeJS.ErrnoException);
        });
        return false;
      }
    }
    if (callback) process.nextTick(callback);
    return true;
  }

  on(event: string, listener: (error: NodeJS.ErrnoException) => void): this {
    if (event === 'error') this.errorListeners.push(listener);
    return this;
  }
}
