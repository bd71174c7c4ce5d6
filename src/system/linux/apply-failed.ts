// The error of an apply that failed midway, shared by both apply paths (step
// by step: step-apply.ts; two batches over ssh: two-batch-decisions.ts) so the
// caller sees one error type, whichever path ran.
import { CommandFailedError } from './iproute.js';
import { EXIT, OtshellError } from '../../errors.js';

/** How a rollback report starts when the previous state did not come back (the intent then stays). */
export const ROLLBACK_INCOMPLETE = 'Rollback incomplete';

/** Applying failed midway; the message says what failed and how the rollback went. */
export class ApplyFailedError extends OtshellError {
  constructor(
    message: string,
    /** The rollback did not bring the previous state back: the change's intent stays for the audit log. */
    readonly rollbackIncomplete = false,
  ) {
    super(message, EXIT.PROBLEM);
  }
}

/** An error's message without its final full stop, to be followed by the rollback report. */
export function describe(error: unknown): string {
  if (error instanceof CommandFailedError) return error.message.replace(/\.$/, '');
  return (error as Error).message.replace(/\.$/, '');
}
