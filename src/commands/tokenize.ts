// Splits a command line into words: whitespace separates, quotes group, backslash escapes.
import { EXIT, OtshellError } from '../errors.js';

export interface Word {
  text: string;
  /** Offset of the word's first character in the line. */
  start: number;
  end: number;
}

/** A line that cannot be split into words (an open quote): a usage error, exit 64. */
export class TokenizeError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

export function tokenize(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i += 1;
    if (i >= line.length) break;
    const start = i;
    let text = '';
    let quote: string | null = null;
    while (i < line.length && (quote !== null || !/\s/.test(line[i]!))) {
      const ch = line[i]!;
      if (quote !== null) {
        if (ch === quote) quote = null;
        else if (ch === '\\' && quote === '"' && i + 1 < line.length) text += line[++i];
        else text += ch;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '\\' && i + 1 < line.length) text += line[++i];
      else text += ch;
      i += 1;
    }
    if (quote !== null) throw new TokenizeError(`Unterminated ${quote === '"' ? 'double' : 'single'} quote.`);
    words.push({ text, start, end: i });
  }
  return words;
}

/** Quotes a word for the line editor when completion inserts it. */
export function quoteWord(word: string): string {
  return /[\s"'\\]/.test(word) ? `"${word.replace(/["\\]/g, '\\$&')}"` : word;
}
