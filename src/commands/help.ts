// Help text, generated from the registry so it can never drift from the commands.
import type { AnyCommand, Category } from './types.js';
import { BUILTINS, CATEGORIES, COMMANDS, commandsIn, fullName } from './registry.js';
import { matchWord, spellingsOf, usageLine } from './resolve.js';
import { printable } from '../net/settings-rules.js';

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`).join('\n');
}

export function helpText(words: string[], mode: Category | null, commands: AnyCommand[] = COMMANDS): string {
  if (words.length === 0) return mode ? categoryHelp(mode, commands) : overviewHelp();
  const cat = matchWord(words[0]!, CATEGORIES);
  if (cat.kind !== 'one') {
    if (mode) {
      const local = matchWord(words[0]!, commandsIn(mode, commands));
      if (local.kind === 'one') return commandHelp(local.item);
    }
    return `No help for "${printable(words.join(' '))}". Categories: ${CATEGORIES.map((c) => c.name).join(', ')}.`;
  }
  if (words.length === 1) return categoryHelp(cat.item.name, commands);
  const cmd = matchWord(words[1]!, commandsIn(cat.item.name, commands));
  if (cmd.kind !== 'one') return `No command "${printable(words[1]!)}" in ${cat.item.name}. ${categoryHelp(cat.item.name, commands)}`;
  return commandHelp(cmd.item);
}

function overviewHelp(): string {
  return [
    'Categories (type one to enter it, or give the full command):',
    table(CATEGORIES.map((c) => [c.name, c.summary])),
    '',
    'Shell:',
    table(BUILTINS.map((b) => [b.usage ?? b.name, b.summary])),
    '',
    'Words may be shortened to any unique prefix ("net li" is "network list").',
    'Tab completes, "?" shows what may come next, Up/Down recall history,',
    'Ctrl-C cancels the line, Ctrl-D on an empty line leaves.',
  ].join('\n');
}

function categoryHelp(category: Category, commands: AnyCommand[]): string {
  const rows = commandsIn(category, commands).map((c): [string, string] => [c.name, c.summary]);
  return [`${category} commands:`, table(rows), '', `"help ${category} COMMAND" shows a command's options.`].join('\n');
}

export function commandHelp(command: AnyCommand): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.description ?? command.summary];
  const also = spellingsOf(command)
    .slice(1)
    .map((s) => (command.spellingRoles?.[s] ? `${s} (${command.spellingRoles[s]} only)` : s));
  if (also.length) lines.push('', `Also: ${also.join(', ')}`);
  const rows: [string, string][] = [
    ...(command.args ?? []).map((a): [string, string] => [a.name.toUpperCase(), a.summary]),
    ...(command.options ?? []).map((o): [string, string] => [
      o.type === 'string' ? `--${o.name} ${o.valueName ?? 'VALUE'}` : `--${o.name}`,
      o.summary,
    ]),
    ['--json', 'Print the result as JSON'],
  ];
  lines.push('', table(rows));
  if (command.role !== 'viewer') lines.push('', `Changes the sensor: needs the ${command.role} role.`);
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/** What may come next after the words typed so far (the "?" key), with summaries. */
export function nextWordHelp(words: string[], mode: Category | null, commands: AnyCommand[] = COMMANDS): string {
  if (words.length === 0) {
    const local = mode ? commandsIn(mode, commands).map((c): [string, string] => [c.name, c.summary]) : [];
    return table([...local, ...CATEGORIES.map((c): [string, string] => [c.name, c.summary]), ...BUILTINS.map((b): [string, string] => [b.name, b.summary])]);
  }
  const cat = matchWord(words[0]!, CATEGORIES);
  if (cat.kind === 'one' && words.length === 1) {
    return table(commandsIn(cat.item.name, commands).map((c): [string, string] => [c.name, c.summary]));
  }
  const command =
    cat.kind === 'one'
      ? commandsIn(cat.item.name, commands).find((c) => matchWord(words[1]!, [c]).kind === 'one')
      : mode
        ? commandsIn(mode, commands).find((c) => matchWord(words[0]!, [c]).kind === 'one')
        : undefined;
  if (command) return `${commandHelp(command)}`;
  return `Nothing known follows "${printable(words.join(' '))}". Type "help".`;
}

export { fullName };
