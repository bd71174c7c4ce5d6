// Turns a typed line into what to do: a command with parsed input, a category
// switch, a shell builtin, or one clear error with suggestions.
// Unique prefixes abbreviate every word: `net li` is `network list`.
import { parseArgs } from 'node:util';
import type { AnyCommand, Category, CommandInput } from './types.js';
import { BUILTINS, CATEGORIES, COMMANDS, commandsIn, fullName } from './registry.js';
import { tokenize, TokenizeError } from './tokenize.js';
import type { Role } from './roles.js';
// Typed words are untrusted: printable() escapes and cuts them (the output layer escapes again).
import { printable } from '../net/settings-rules.js';

export type Resolution =
  | { kind: 'empty' }
  | { kind: 'command'; command: AnyCommand; input: CommandInput; json: boolean; help: boolean; spelling?: SpellingNeed }
  | { kind: 'category'; category: Category }
  | { kind: 'builtin'; name: string; args: string[] }
  | { kind: 'error'; message: string };

/** A spelling typed that needs a higher role than its command (CommandSpec.spellingRoles). */
export interface SpellingNeed {
  text: string;
  role: Role;
}

interface Named {
  name: string;
  aliases?: string[];
}

export type Match<T> = { kind: 'one'; item: T } | { kind: 'none' } | { kind: 'ambiguous'; items: T[] };

/** Exact name or alias wins; otherwise a prefix that fits exactly one item. */
export function matchWord<T extends Named>(word: string, items: T[]): Match<T> {
  const lower = word.toLowerCase();
  const exact = items.find((item) => item.name === lower || item.aliases?.includes(lower));
  if (exact) return { kind: 'one', item: exact };
  const prefixed = items.filter((item) => item.name.startsWith(lower) || item.aliases?.some((a) => a.startsWith(lower)));
  if (prefixed.length === 1) return { kind: 'one', item: prefixed[0]! };
  if (prefixed.length > 1) return { kind: 'ambiguous', items: prefixed };
  return { kind: 'none' };
}

export function resolveLine(line: string, mode: Category | null, commands: AnyCommand[] = COMMANDS): Resolution {
  let words: string[];
  try {
    words = tokenize(line).map((w) => w.text);
  } catch (error) {
    if (error instanceof TokenizeError) return { kind: 'error', message: error.message };
    throw error;
  }
  return resolveWords(words, mode, commands);
}

/** Resolves words already split (argv of a one-shot call, or a tokenized line). */
export function resolveWords(words: string[], mode: Category | null, commands: AnyCommand[] = COMMANDS): Resolution {
  if (words.length === 0) return { kind: 'empty' };
  const [first, ...rest] = words as [string, ...string[]];

  // Another version's spelling, typed whole: `cyberx-xsense-sanity`, `ping 10.1.0.1`.
  const spelled = matchSpelling(words, commands);
  if (spelled) {
    const resolution = parseCommandInput(spelled.command, words.slice(spelled.length));
    const role = spelled.command.spellingRoles?.[spelled.spelling];
    return role && resolution.kind === 'command' ? { ...resolution, spelling: { text: spelled.spelling, role } } : resolution;
  }
  // At `system>`, "backup list" is "system backup list".
  const local = mode ? matchSpelling([mode, ...words], commands) : null;
  if (local && local.length > 1) return parseCommandInput(local.command, words.slice(local.length - 1));

  // In category mode, the category's own commands come first: `network> li`.
  if (mode) {
    const local = matchWord(first, commandsIn(mode, commands));
    if (local.kind === 'one') return parseCommandInput(local.item, rest);
  }

  const top = matchWord(first, [...CATEGORIES, ...BUILTINS]);
  if (top.kind === 'ambiguous' && rest.length > 0) {
    // "n l": "n" fits network and ntp, but only network has a command "l...": the pair decides.
    const fits = CATEGORIES.filter((c) => top.items.includes(c) && matchWord(rest[0]!, commandsIn(c.name, commands)).kind === 'one');
    if (fits.length === 1) {
      const sub = matchWord(rest[0]!, commandsIn(fits[0]!.name, commands));
      if (sub.kind === 'one') return parseCommandInput(sub.item, rest.slice(1));
    }
  }
  if (top.kind === 'ambiguous') {
    return { kind: 'error', message: `"${first}" is ambiguous: ${top.items.map((i) => i.name).join(', ')}.` };
  }
  if (top.kind === 'none') return unknown(words, mode, commands);

  const isCategory = CATEGORIES.some((c) => c.name === top.item.name);
  if (!isCategory) return { kind: 'builtin', name: top.item.name, args: rest };

  const category = top.item.name as Category;
  if (rest.length === 0) {
    // A category may run one of its commands when typed alone (`troubleshoot`: its menu).
    const alone = CATEGORIES.find((c) => c.name === category)?.alone;
    const command = alone ? commandsIn(category, commands).find((c) => c.name === alone) : undefined;
    return command ? parseCommandInput(command, []) : { kind: 'category', category };
  }
  const [second, ...args] = rest as [string, ...string[]];
  const sub = matchWord(second, commandsIn(category, commands));
  if (sub.kind === 'one') return parseCommandInput(sub.item, args);
  if (sub.kind === 'ambiguous') {
    return {
      kind: 'error',
      message: `"${category} ${second}" is ambiguous: ${sub.items.map((c) => fullName(c)).join(', ')}.`,
    };
  }
  return unknown([category, second], mode, commands);
}

/** The command whose declared spelling the line starts with (the longest, exact, case-insensitive). */
export function matchSpelling(words: string[], commands: AnyCommand[] = COMMANDS): { command: AnyCommand; length: number; spelling: string } | null {
  for (const length of [3, 2, 1]) {
    if (words.length < length) continue;
    const typed = words.slice(0, length).join(' ').toLowerCase();
    const command = commands.find((c) => c.spellings?.includes(typed));
    if (command) return { command, length, spelling: typed };
  }
  return null;
}

/** Every way to type a command: its path, its aliases and its spellings. */
export function spellingsOf(command: AnyCommand): string[] {
  return [fullName(command), ...(command.aliases ?? []).map((a) => `${command.category} ${a}`), ...(command.spellings ?? [])];
}

function unknown(words: string[], mode: Category | null, commands: AnyCommand[]): Resolution {
  const typed = printable(words.slice(0, 2).join(' '));
  const suggestion = suggest(words, mode, commands);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '.';
  return { kind: 'error', message: `Unknown command "${typed}"${hint} Type "help" to list commands.` };
}

/** The closest known command path, by edit distance over the first two words. */
export function suggest(words: string[], mode: Category | null, commands: AnyCommand[] = COMMANDS): string | null {
  // No known name is this long; a pasted page is not compared letter by letter.
  if (words.slice(0, 2).some((w) => w.length > 64)) return null;
  const typedOne = words[0]!.toLowerCase();
  const typedTwo = words.slice(0, 2).join(' ').toLowerCase();
  const commandPaths = commands.map((c) => ({ text: fullName(c), against: typedTwo }));
  const singleWords = [...CATEGORIES, ...BUILTINS, ...(mode ? commandsIn(mode, commands) : [])].map((c) => ({ text: c.name, against: typedOne }));
  // Two typed words most likely meant a full command path; one word, a single name.
  const groups = words.length >= 2 ? [commandPaths, singleWords] : [singleWords, commandPaths];
  for (const group of groups) {
    const best = closest(group);
    if (best) return best;
  }
  return null;
}

function closest(candidates: { text: string; against: string }[]): string | null {
  let best: { text: string; distance: number } | null = null;
  for (const { text, against } of candidates) {
    const distance = editDistance(against, text);
    const limit = Math.max(2, Math.floor(text.length / 3));
    if (distance <= limit && (best === null || distance < best.distance)) best = { text, distance };
  }
  return best?.text ?? null;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Parses options and positionals against the command's declaration. */
export function parseCommandInput(command: AnyCommand, words: string[]): Resolution {
  const optionConfig: Record<string, { type: 'boolean' | 'string' }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const option of command.options ?? []) optionConfig[option.name] = { type: option.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: words, options: optionConfig, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'error', message: `${fullName(command)}: ${describeParseError(error as Error & { code?: string })} ${usageHint(command)}` };
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const specs = command.args ?? [];
  const positionals = [...parsed.positionals];
  const args: CommandInput['args'] = {};
  for (const spec of specs) {
    if (spec.variadic) {
      args[spec.name] = positionals.splice(0);
    } else {
      args[spec.name] = positionals.shift();
    }
    const value = args[spec.name];
    const missing = value === undefined || (Array.isArray(value) && value.length === 0);
    if (spec.required && missing && !help) {
      return { kind: 'error', message: `${fullName(command)}: missing ${spec.name.toUpperCase()}. ${usageHint(command)}` };
    }
  }
  if (positionals.length > 0 && !help) {
    return {
      kind: 'error',
      message: `${fullName(command)}: unexpected argument "${printable(positionals[0]!)}". ${usageHint(command)}`,
    };
  }
  const { json, help: _help, ...options } = values;
  return { kind: 'command', command, input: { args, options }, json: json === true, help };
}

function describeParseError(error: Error & { code?: string }): string {
  const option = /'(-{1,2}[^'\s]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${printable(option ?? '')}.`.replace(' .', '.');
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `option ${printable(option)} needs a value.` : 'an option is missing its value.';
    default:
      return printable(error.message);
  }
}

export function usageLine(command: AnyCommand): string {
  const args = (command.args ?? []).map((a) => {
    const name = a.name.toUpperCase() + (a.variadic ? '...' : '');
    return a.required ? name : `[${name}]`;
  });
  const options = (command.options ?? []).map((o) => (o.type === 'string' ? `[--${o.name} ${o.valueName ?? 'VALUE'}]` : `[--${o.name}]`));
  return [fullName(command), ...args, ...options, '[--json]'].join(' ');
}

function usageHint(command: AnyCommand): string {
  return `Usage: ${usageLine(command)}`;
}
