// Failures of the target system that the user should read as one clear line.

/** The target cannot answer now (restarting, unreachable). Exit code 69, EX_UNAVAILABLE. */
export class SensorUnavailableError extends Error {
  readonly exitCode = 69;
  constructor(message: string) {
    super(message);
    this.name = 'SensorUnavailableError';
  }
}
