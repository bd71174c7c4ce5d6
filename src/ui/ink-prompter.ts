// The Prompter in the Ink shell: each question becomes the shell's active
// question; the Shell component shows it and routes keys to it.
import { PromptCancelled, parseYesNo, yesNoSuffix, YES_NO_HELP, type Choice, type Prompter, type Validator } from '../commands/prompter.js';

/** A question asked on the input line. `submit` returns an error to show, or null when answered. */
export interface LineQuestion {
  kind: 'line';
  label: string;
  initial?: string;
  /** A password: nothing typed is drawn or echoed. */
  secret?: boolean;
  submit(answer: string): string | null;
  cancel(reason: 'interrupt' | 'eof'): void;
}

/** A list to pick from with arrows (Space toggles when several may be chosen). */
export interface ChoiceQuestion {
  kind: 'choice';
  label: string;
  choices: Choice<unknown>[];
  multiple: boolean;
  initial: unknown[];
  submit(values: unknown[]): string | null;
  cancel(reason: 'interrupt' | 'eof'): void;
}

export type ActiveQuestion = LineQuestion | ChoiceQuestion;

export class InkPrompter implements Prompter {
  constructor(
    private readonly show: (question: ActiveQuestion | null) => void,
    private readonly print: (text: string) => void,
  ) {}

  confirm(question: string, { default: defaultValue }: { default: boolean }): Promise<boolean> {
    return this.askLine<boolean>(`${question} ${yesNoSuffix(defaultValue)} `, undefined, (answer) => {
      const value = parseYesNo(answer, defaultValue);
      return value === undefined ? { error: YES_NO_HELP } : { value };
    });
  }

  text(question: string, options: { initial?: string; validate?: Validator } = {}): Promise<string> {
    const label = options.initial ? `${question} [${options.initial}]: ` : `${question}: `;
    return this.askLine<string>(label, undefined, (answer) => {
      const value = answer.trim() === '' && options.initial !== undefined ? options.initial : answer.trim();
      const error = options.validate?.(value) ?? null;
      return error ? { error } : { value };
    });
  }

  choose<T>(question: string, choices: Choice<T>[], options: { initial?: T } = {}): Promise<T> {
    return this.askChoice(question, choices, false, options.initial === undefined ? [] : [options.initial], () => null).then((v) => v[0] as T);
  }

  chooseMany<T>(
    question: string,
    choices: Choice<T>[],
    options: { initial?: T[]; validate?: (values: T[]) => string | null } = {},
  ): Promise<T[]> {
    return this.askChoice(question, choices, true, options.initial ?? [], (values) => options.validate?.(values as T[]) ?? null) as Promise<T[]>;
  }

  say(text: string): void {
    this.print(text);
  }

  secret(label: string): Promise<string> {
    return this.askLine<string>(label, undefined, (answer) => ({ value: answer }), true);
  }

  private askLine<T>(
    label: string,
    initial: string | undefined,
    interpret: (answer: string) => { value: T; error?: undefined } | { error: string },
    secret = false,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.show({
        kind: 'line',
        label,
        initial,
        secret,
        submit: (answer) => {
          const result = interpret(answer);
          if (result.error !== undefined) return result.error;
          this.show(null);
          resolve((result as { value: T }).value);
          return null;
        },
        cancel: (reason) => {
          this.show(null);
          reject(new PromptCancelled(reason));
        },
      });
    });
  }

  private askChoice(
    label: string,
    choices: Choice<unknown>[],
    multiple: boolean,
    initial: unknown[],
    validate: (values: unknown[]) => string | null,
  ): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.show({
        kind: 'choice',
        label,
        choices,
        multiple,
        initial,
        submit: (values) => {
          if (values.length === 0) return multiple ? 'Choose at least one (Space marks an entry).' : 'Choose one.';
          const error = validate(values);
          if (error) return error;
          this.show(null);
          resolve(values);
          return null;
        },
        cancel: (reason) => {
          this.show(null);
          reject(new PromptCancelled(reason));
        },
      });
    });
  }
}
