/** A problem with the capture file itself (not a bug): becomes the report's `error`. */
export class CaptureError extends Error {
  constructor(
    message: string,
    /** truncated: the file ends inside a record; results so far are kept. */
    readonly truncated = false,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}
