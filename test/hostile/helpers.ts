// Shared by the hostile suite (test/hostile/*.test.ts): every case asserts its exact
// outcome, and every exit code it sees must be one of the documented table's.
import { expect } from 'vitest';
import { EXIT_CODES } from '../../src/errors.js';

/** Raw bytes that must never reach a terminal from untrusted text: C0 (but \n), DEL, C1, bidi overrides. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** Asserts the code is the expected one and is in the documented exit-code table. */
export function expectExit(actual: number, expected: number): void {
  expect(EXIT_CODES, `exit code ${expected} is not in src/errors.ts EXIT`).toContain(expected);
  expect(actual).toBe(expected);
}

/** No stack trace ("    at foo (file:line)") and no "Internal error" in what a user sees. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+[:(]/m);
  expect(text).not.toMatch(/Internal error/);
}
