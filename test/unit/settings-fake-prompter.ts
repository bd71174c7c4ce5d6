// A scripted Prompter for wizard tests. Each question consumes the next step
// of the script; a step of the wrong kind, or a question that does not match
// `expect`, fails the test. Like the real Prompters, text() and chooseMany()
// re-ask while the validator refuses: each refused answer is recorded.
import { PromptCancelled, type Choice, type Prompter, type Validator } from '../../src/commands/prompter.js';

type Expect = { expect?: string | RegExp };
export type Step =
  | ({ confirm: boolean } & Expect)
  /** Answers tried in order until one is accepted. */
  | ({ text: string[] } & Expect)
  | ({ choose: unknown } & Expect)
  /** Selections tried in order until one is accepted. */
  | ({ chooseMany: unknown[][] } & Expect)
  | ({ cancel: 'interrupt' | 'eof' } & Expect);

export interface Asked {
  kind: 'confirm' | 'text' | 'choose' | 'chooseMany';
  question: string;
  choices?: Choice<unknown>[];
  initial?: unknown;
  default?: boolean;
}

export class FakePrompter implements Prompter {
  readonly asked: Asked[] = [];
  readonly said: string[] = [];
  /** Answers a validator refused, with its message: what the user would have seen. */
  readonly refused: { question: string; answer: unknown; message: string }[] = [];
  private readonly script: Step[];

  /** `validates: false` plays a Prompter that ignores validators, to test the wizard's own guard. */
  constructor(
    script: Step[],
    private readonly options: { validates: boolean } = { validates: true },
  ) {
    this.script = [...script];
  }

  get remaining(): number {
    return this.script.length;
  }

  private next(asked: Asked): Step {
    this.asked.push(asked);
    const step = this.script.shift();
    if (!step) throw new Error(`script ended, but the wizard asked: ${asked.question}`);
    if (step.expect !== undefined) {
      const matches =
        typeof step.expect === 'string' ? asked.question === step.expect : step.expect.test(asked.question);
      if (!matches) throw new Error(`expected question ${String(step.expect)}, got: ${asked.question}`);
    }
    if ('cancel' in step) throw new PromptCancelled(step.cancel);
    if (!(asked.kind in step)) throw new Error(`script has ${Object.keys(step)[0]} but was asked ${asked.kind}: ${asked.question}`);
    return step;
  }

  private firstAccepted<T>(question: string, answers: T[], validate: ((v: T) => string | null) | undefined): T {
    for (const answer of answers) {
      const message = this.options.validates && validate ? validate(answer) : null;
      if (message === null) return answer;
      this.refused.push({ question, answer, message });
    }
    throw new Error(`every scripted answer to "${question}" was refused`);
  }

  async confirm(question: string, options: { default: boolean }): Promise<boolean> {
    return (this.next({ kind: 'confirm', question, default: options.default }) as { confirm: boolean }).confirm;
  }

  async text(question: string, options?: { initial?: string; validate?: Validator }): Promise<string> {
    const step = this.next({ kind: 'text', question, initial: options?.initial }) as { text: string[] };
    return this.firstAccepted(question, step.text, options?.validate);
  }

  async choose<T>(question: string, choices: Choice<T>[], options?: { initial?: T }): Promise<T> {
    const step = this.next({ kind: 'choose', question, choices, initial: options?.initial }) as { choose: T };
    // A real chooser cannot return something it did not offer.
    if (!choices.some((c) => c.value === step.choose)) {
      throw new Error(`${String(step.choose)} is not among the choices of "${question}"`);
    }
    return step.choose;
  }

  async chooseMany<T>(
    question: string,
    choices: Choice<T>[],
    options?: { initial?: T[]; validate?: (values: T[]) => string | null },
  ): Promise<T[]> {
    const step = this.next({ kind: 'chooseMany', question, choices, initial: options?.initial }) as {
      chooseMany: T[][];
    };
    for (const selection of step.chooseMany) {
      for (const value of selection) {
        if (!choices.some((c) => c.value === value)) {
          throw new Error(`${String(value)} is not among the choices of "${question}"`);
        }
      }
    }
    return this.firstAccepted(question, step.chooseMany, options?.validate);
  }

  say(text: string): void {
    this.said.push(text);
  }
}
