// Command history with Up/Down navigation; the draft line is kept while browsing.
export const HISTORY_LIMIT = 500;

export class HistoryCursor {
  private index: number;
  private draft = '';

  constructor(private readonly entries: readonly string[]) {
    this.index = entries.length;
  }

  /** The older entry, or null at the oldest. */
  up(current: string): string | null {
    if (this.index === 0) return null;
    if (this.index === this.entries.length) this.draft = current;
    this.index -= 1;
    return this.entries[this.index]!;
  }

  /** The newer entry; past the newest, the draft typed before browsing. */
  down(): string | null {
    if (this.index >= this.entries.length) return null;
    this.index += 1;
    return this.index === this.entries.length ? this.draft : this.entries[this.index]!;
  }
}

/** Adds a line: no blanks, no immediate repeats, at most HISTORY_LIMIT kept. */
export function remember(entries: readonly string[], line: string): string[] {
  const trimmed = line.trim();
  if (trimmed === '' || entries.at(-1) === trimmed) return [...entries];
  return [...entries, trimmed].slice(-HISTORY_LIMIT);
}
