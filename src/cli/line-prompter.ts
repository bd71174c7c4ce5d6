// The Prompter for pipes and plain terminals: each question is one line of
// text, each answer one line of input. A closed input cancels (PromptCancelled).
import { MAX_INVALID_ANSWERS, PromptCancelled, parseYesNo, yesNoSuffix, YES_NO_HELP, type Choice, type Prompter, type Validator } from '../commands/prompter.js';
import type { LineSource } from './line-source.js';
import { untrusted } from '../output/escape.js';

/** Where questions go: the output layer's sink (it escapes whatever it is given). */
export interface PromptOutput {
  write(text: string): void;
}

/** A piped script that answers wrongly forever must not loop forever. */

export class LinePrompter implements Prompter {
  constructor(
    private readonly lines: LineSource,
    private readonly out: PromptOutput,
    /** Echo answers after questions (input from a pipe is not echoed by a terminal). */
    private readonly echo: boolean,
  ) {}

  async confirm(question: string, { default: defaultValue }: { default: boolean }): Promise<boolean> {
    return this.ask<boolean>(`${question} ${yesNoSuffix(defaultValue)} `, (answer) => {
      const value = parseYesNo(answer, defaultValue);
      return value === undefined ? { error: YES_NO_HELP } : { value };
    });
  }

  async text(question: string, options: { initial?: string; validate?: Validator } = {}): Promise<string> {
    const shown = options.initial ? `${question} [${options.initial}]: ` : `${question}: `;
    return this.ask<string>(shown, (answer) => {
      const value = answer.trim() === '' && options.initial !== undefined ? options.initial : answer.trim();
      const error = options.validate?.(value) ?? null;
      return error ? { error } : { value };
    });
  }

  async choose<T>(question: string, choices: Choice<T>[], options: { initial?: T } = {}): Promise<T> {
    this.writeChoices(question, choices);
    const initialIndex = choices.findIndex((c) => c.value === options.initial);
    const prompt = initialIndex >= 0 ? `Choose 1-${choices.length} [${initialIndex + 1}]: ` : `Choose 1-${choices.length}: `;
    return this.ask<T>(prompt, (answer) => {
      const picked = answer.trim() === '' && initialIndex >= 0 ? [choices[initialIndex]!] : pick(answer, choices);
      if (!picked || picked.length !== 1) return { error: `Please answer with one number from 1 to ${choices.length}, or a name.` };
      return { value: picked[0]!.value };
    });
  }

  async chooseMany<T>(
    question: string,
    choices: Choice<T>[],
    options: { initial?: T[]; validate?: (values: T[]) => string | null } = {},
  ): Promise<T[]> {
    this.writeChoices(question, choices);
    const initial = choices.filter((c) => options.initial?.includes(c.value));
    const shownDefault = initial.length > 0 ? ` [${initial.map((c) => c.label).join(',')}]` : '';
    return this.ask<T[]>(`Choose one or more, separated by commas${shownDefault}: `, (answer) => {
      const picked = answer.trim() === '' && initial.length > 0 ? initial : pick(answer, choices);
      if (!picked || picked.length === 0) return { error: `Please answer with numbers from 1 to ${choices.length} or names, separated by commas.` };
      const values = picked.map((c) => c.value);
      const error = options.validate?.(values) ?? null;
      return error ? { error } : { value: values };
    });
  }

  say(text: string): void {
    this.out.write(`${text}\n`);
  }

  /** One line, never echoed (--password-stdin, piped answers). */
  async secret(label: string): Promise<string> {
    this.out.write(label);
    const answer = await this.lines.next();
    this.out.write('\n');
    if (answer === null) throw new PromptCancelled('eof');
    return answer;
  }

  private writeChoices<T>(question: string, choices: Choice<T>[]): void {
    this.out.write(`${question}\n`);
    choices.forEach((choice, i) => this.out.write(`  ${i + 1}) ${untrusted(choice.label)}${choice.hint ? `  (${untrusted(choice.hint)})` : ''}\n`));
  }

  private async ask<T>(prompt: string, interpret: (answer: string) => { value: T; error?: undefined } | { error: string }): Promise<T> {
    for (let attempt = 0; attempt < MAX_INVALID_ANSWERS; attempt += 1) {
      this.out.write(prompt);
      const answer = await this.lines.next();
      if (answer === null) {
        this.out.write('\n');
        throw new PromptCancelled('eof');
      }
      // Cut and escaped: a 10 MB piped line is not echoed back in full.
      if (this.echo) this.out.write(`${untrusted(answer)}\n`);
      const result = interpret(answer);
      if (result.error === undefined) return (result as { value: T }).value;
      this.out.write(`${result.error}\n`);
    }
    throw new PromptCancelled('attempts');
  }
}

/** "2", "eth1", "1,3", "eth1 eth2": by number or by label. */
function pick<T>(answer: string, choices: Choice<T>[]): Choice<T>[] | null {
  const parts = answer.split(/[\s,]+/).filter(Boolean);
  const picked: Choice<T>[] = [];
  for (const part of parts) {
    const byNumber = /^\d+$/.test(part) ? choices[Number(part) - 1] : undefined;
    const choice = byNumber ?? choices.find((c) => c.label === part);
    if (!choice) return null;
    if (!picked.includes(choice)) picked.push(choice);
  }
  return picked;
}
