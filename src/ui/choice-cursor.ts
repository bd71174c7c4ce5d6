// A choice question's own state and keys: the highlighted row and the marked
// rows. Kept apart from the controller: while a choice question waits, every
// key goes here and nothing else of the shell changes.
import type { ActiveQuestion } from './ink-prompter.js';
import type { Key } from './keys.js';
import { untrusted } from '../output/escape.js';

export type ChoiceQuestion = Extract<ActiveQuestion, { kind: 'choice' }>;

export class ChoiceCursor {
  index = 0;
  marked: ReadonlySet<number> = new Set<number>();

  /** A new question starts on its first preselected row, with its preselected rows marked. */
  reset(question: ChoiceQuestion): void {
    this.marked = new Set(question.choices.flatMap((c, i) => (question.initial.includes(c.value) ? [i] : [])));
    this.index = Math.max(0, question.choices.findIndex((c) => question.initial.includes(c.value)));
  }

  /** Applies one key; `print` echoes the answer (escaped: labels are interface names) and refusals. */
  key(key: Key, question: ChoiceQuestion, print: (text: string, tone?: 'error' | 'echo') => void): void {
    const count = question.choices.length;
    switch (key.name) {
      case 'up':
        this.index = (this.index + count - 1) % count;
        return;
      case 'down':
        this.index = (this.index + 1) % count;
        return;
      case 'text':
        if (key.text === ' ' && question.multiple) this.toggle(this.index);
        return;
      case 'enter': {
        const picked = question.multiple ? question.choices.filter((_, i) => this.marked.has(i)) : [question.choices[this.index]!];
        const error = question.submit(picked.map((c) => c.value));
        const shown = picked.map((c) => untrusted(c.label)).join(', ') || '(none)';
        print(`${question.label}: ${shown}`, 'echo');
        if (error) print(error, 'error');
        return;
      }
      case 'ctrl-c':
        print(`${question.label}: ^C`, 'echo');
        return question.cancel('interrupt');
      case 'ctrl-d':
        return question.cancel('eof');
      default:
        return;
    }
  }

  private toggle(index: number): void {
    const marked = new Set(this.marked);
    if (marked.has(index)) marked.delete(index);
    else marked.add(index);
    this.marked = marked;
  }
}
