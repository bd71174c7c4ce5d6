// The README documents every command with its aliases and spellings, and every
// global option: a newcomer reading it finds every word otshell accepts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, fullName } from '../../src/commands/registry.js';
import { GLOBAL_OPTIONS } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/cli.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
/** The rows of the "## Commands" table, by command. */
const commandRows = README.slice(README.indexOf('## Commands\n'), README.indexOf('\n## ', README.indexOf('## Commands\n') + 1))
  .split('\n')
  .filter((line) => line.startsWith('| `'));
const optionRows = README.slice(README.indexOf('## Global options\n'), README.indexOf('\n## ', README.indexOf('## Global options\n') + 1))
  .split('\n')
  .filter((line) => line.startsWith('| `'));

describe('README covers every command and option', () => {
  it.each(COMMANDS.map((c) => [fullName(c), c] as const))('"%s" has a row with each alias and spelling', (name, command) => {
    const row = commandRows.find((line) => line.startsWith(`| \`${name}`));
    expect(row, `no row for ${name} in the README's Commands table`).toBeDefined();
    for (const word of [...(command.aliases ?? []), ...(command.spellings ?? [])]) expect(row).toContain(`\`${word}\``);
  });

  it.each(Object.keys(GLOBAL_OPTIONS))('the global option --%s is in the Global options table', (option) => {
    expect(optionRows.some((line) => line.includes(`\`--${option}`)), `--${option}`).toBe(true);
  });
});
