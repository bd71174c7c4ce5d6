// The Prompter port: how a command asks the user. Ink implements it in a
// terminal (src/ui/ink-prompter.ts); a line reader implements it when stdin is
// not a TTY (src/cli/line-prompter.ts), so answers can be piped.

import { EXIT, OtshellError } from '../errors.js';

/** Returns an error message for an invalid value, or null when it is valid. */
export type Validator = (value: string) => string | null;

export interface Choice<T> {
  label: string;
  value: T;
  /** A short note shown beside the label (e.g. the interface's role). */
  hint?: string;
}

export interface Prompter {
  /** A y/n question; Enter takes the default. */
  confirm(question: string, options: { default: boolean }): Promise<boolean>;
  /** Free text, asked again with the validator's reason until valid. */
  text(question: string, options?: { initial?: string; validate?: Validator }): Promise<string>;
  /** Exactly one of the choices. */
  choose<T>(question: string, choices: Choice<T>[], options?: { initial?: T }): Promise<T>;
  /** Several of the choices; `validate` sees the chosen values. */
  chooseMany<T>(
    question: string,
    choices: Choice<T>[],
    options?: { initial?: T[]; validate?: (values: T[]) => string | null },
  ): Promise<T[]>;
  /** An informational line shown between questions (a summary, a warning). */
  say(text: string): void;
  /** A password: the answer is never shown, echoed or kept in history. `label` is shown as is. */
  secret?(label: string): Promise<string>;
}

/** Why a question was given up: Ctrl-C, closed input (Ctrl-D, end of stdin), or too many invalid answers. */
export type CancelReason = 'interrupt' | 'eof' | 'attempts';

/** A Prompter gives up a question after this many invalid answers in a row. */
export const MAX_INVALID_ANSWERS = 20;

/** The one line that says why a question was given up. */
export function cancelMessage(reason: CancelReason): string {
  switch (reason) {
    case 'interrupt':
      return 'Cancelled.';
    case 'eof':
      return 'Input closed: cancelled.';
    case 'attempts':
      return `${MAX_INVALID_ANSWERS} invalid answers: cancelled.`;
  }
}

/** Thrown by a Prompter when the user cancels (Ctrl-C, Ctrl-D, closed stdin) or it gives up. */
export class PromptCancelled extends OtshellError {
  constructor(readonly reason: CancelReason = 'interrupt') {
    super(cancelMessage(reason), EXIT.INTERRUPTED);
  }
}

/** The wording every y/n question uses for a wrong answer. */
export const YES_NO_HELP = 'Please answer y or n.';

/** y, yes, n, no in any case; '' takes the default; anything else is undefined. */
export function parseYesNo(answer: string, defaultValue: boolean): boolean | undefined {
  const word = answer.trim().toLowerCase();
  if (word === '') return defaultValue;
  if (word === 'y' || word === 'yes') return true;
  if (word === 'n' || word === 'no') return false;
  return undefined;
}

export function yesNoSuffix(defaultValue: boolean): string {
  return defaultValue ? '[Y/n]' : '[y/N]';
}
