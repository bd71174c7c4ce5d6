import { EXIT, OtshellError } from '../errors.js';

/**
 * A problem with the capture file itself (not a bug): becomes the report's `error`,
 * and the command's exit code 2 (EXIT.INCOMPLETE) for that file.
 */
export class CaptureError extends OtshellError {
  constructor(
    message: string,
    /** truncated: the file ends inside a record; results so far are kept. */
    readonly truncated = false,
  ) {
    super(message, EXIT.INCOMPLETE);
  }
}
