// Tab completion from the registry: categories, commands, options and
// arguments (each argument's own completer, e.g. interface names).
import type { SystemAdapter } from '../system/adapter.js';
import type { AnyCommand, Category } from './types.js';
import { BUILTINS, CATEGORIES, COMMANDS, commandsIn } from './registry.js';
import { matchSpelling, matchWord } from './resolve.js';
import { quoteWord, tokenize } from './tokenize.js';

export interface Completion {
  /** Range of the line (before the cursor) that the chosen candidate replaces. */
  start: number;
  end: number;
  /** Sorted candidates, already quoted where needed. */
  candidates: string[];
}

export async function complete(
  lineBeforeCursor: string,
  mode: Category | null,
  system: SystemAdapter,
  commands: AnyCommand[] = COMMANDS,
): Promise<Completion> {
  let words;
  try {
    words = tokenize(lineBeforeCursor);
  } catch {
    return { start: lineBeforeCursor.length, end: lineBeforeCursor.length, candidates: [] };
  }
  const endsInSpace = lineBeforeCursor.length === 0 || /\s$/.test(lineBeforeCursor);
  const current = endsInSpace ? { text: '', start: lineBeforeCursor.length, end: lineBeforeCursor.length } : words.pop()!;
  const before = words.map((w) => w.text);
  const candidates = await candidatesFor(before, current.text, mode, system, commands);
  const unique = [...new Set(candidates)].filter((c) => c.startsWith(current.text)).sort();
  return { start: current.start, end: current.end, candidates: unique.map(quoteWord) };
}

async function candidatesFor(
  before: string[],
  partial: string,
  mode: Category | null,
  system: SystemAdapter,
  commands: AnyCommand[],
): Promise<string[]> {
  if (before.length === 0) {
    const local = mode ? commandsIn(mode, commands).map((c) => c.name) : [];
    // One-word spellings that are commands of their own at shell> (`ping`, `date`). The flat ones of
    // older versions (`system-sanity`, `cyberx-xsense-version`) are left out: `sys` Tab must still give `system`.
    const spelled = commands.flatMap((c) => c.spellings ?? []).filter((s) => /^[a-z]+$/.test(s));
    return [...local, ...CATEGORIES.map((c) => c.name), ...BUILTINS.map((b) => b.name), ...spelled];
  }
  const head = before[0]!;
  const spelling = matchSpelling(before, commands);
  if (spelling) return completeCommandWord(spelling.command, before.slice(spelling.length), partial, system);
  if (matchWord(head, BUILTINS).kind === 'one' && matchWord(head, CATEGORIES).kind === 'none') {
    // help CATEGORY COMMAND
    if (before.length === 1) return CATEGORIES.map((c) => c.name);
    const cat = matchWord(before[1]!, CATEGORIES);
    return before.length === 2 && cat.kind === 'one' ? commandsIn(cat.item.name, commands).map((c) => c.name) : [];
  }
  let command: AnyCommand | undefined;
  let argWords: string[];
  const local = mode ? matchWord(head, commandsIn(mode, commands)) : { kind: 'none' as const };
  if (local.kind === 'one') {
    command = local.item;
    argWords = before.slice(1);
  } else {
    const cat = matchWord(head, CATEGORIES);
    if (cat.kind !== 'one') return [];
    if (before.length === 1) return commandsIn(cat.item.name, commands).map((c) => c.name);
    const sub = matchWord(before[1]!, commandsIn(cat.item.name, commands));
    if (sub.kind !== 'one') return [];
    command = sub.item;
    argWords = before.slice(2);
  }
  return completeCommandWord(command, argWords, partial, system);
}

async function completeCommandWord(command: AnyCommand, argWords: string[], partial: string, system: SystemAdapter): Promise<string[]> {
  const options = command.options ?? [];
  const previous = argWords[argWords.length - 1];
  const valueOf = previous?.startsWith('--') ? options.find((o) => o.name === previous.slice(2) && o.type === 'string') : undefined;
  if (valueOf) return valueOf.complete ? valueOf.complete({ system }, partial) : [];
  if (partial.startsWith('-')) return [...options.map((o) => `--${o.name}`), '--json', '--help'];
  // Which positional is being typed: count earlier positionals, skipping option values.
  let position = 0;
  for (let i = 0; i < argWords.length; i += 1) {
    const word = argWords[i]!;
    if (word.startsWith('--')) {
      if (options.some((o) => o.name === word.slice(2) && o.type === 'string')) i += 1;
      continue;
    }
    position += 1;
  }
  const specs = command.args ?? [];
  const spec = specs[position] ?? (specs.at(-1)?.variadic ? specs.at(-1) : undefined);
  if (!spec?.complete) return [];
  try {
    return await spec.complete({ system }, partial);
  } catch {
    return []; // completion must never break the line being typed
  }
}

/** The longest prefix all candidates share (what Tab can insert when several fit). */
export function commonPrefix(candidates: string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const candidate of candidates) {
    while (!candidate.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
