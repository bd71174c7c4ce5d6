// Every documented spelling of a command, across the appliance's CLI versions,
// resolves to that command: one table, checked against the registry.
import { describe, expect, it } from 'vitest';
import { resolveLine, spellingsOf } from '../../src/commands/resolve.js';
import { complete } from '../../src/commands/complete.js';
import { COMMANDS, fullName } from '../../src/commands/registry.js';
import { commandHelp } from '../../src/commands/help.js';

describe('spellings', () => {
  const rows = COMMANDS.flatMap((command) => spellingsOf(command).map((spelling) => [spelling, fullName(command)] as const));

  it.each(rows)('"%s" resolves to %s', (spelling, path) => {
    // --help: a command with a required argument resolves without it.
    const resolution = resolveLine(`${spelling} --help`, null);
    expect(resolution.kind).toBe('command');
    if (resolution.kind === 'command') expect(fullName(resolution.command)).toBe(path);
  });

  it('no spelling belongs to two commands', () => {
    const seen = new Map<string, string>();
    for (const [spelling, path] of rows) {
      expect(seen.get(spelling) ?? path, spelling).toBe(path);
      seen.set(spelling, path);
    }
  });

  it('a spelling is typed whole: no prefix abbreviates it', () => {
    expect(resolveLine('cyberx-xsense-sani', null).kind).toBe('error');
    expect(resolveLine('system-sanit', null).kind).toBe('error');
  });

  it('words after a spelling are the command\'s options', () => {
    const resolution = resolveLine('cyberx-xsense-sanity --json', null);
    expect(resolution.kind === 'command' && resolution.json).toBe(true);
    const bad = resolveLine('cyberx-xsense-sanity --bogus', null);
    expect(bad.kind).toBe('error');
  });

  it('is the same in category mode', () => {
    const resolution = resolveLine('cyberx-xsense-network-reconfigure --help', 'system');
    expect(resolution.kind === 'command' && fullName(resolution.command)).toBe('network edit-settings');
  });

  it('help names the other spellings', () => {
    const sanity = COMMANDS.find((c) => fullName(c) === 'system sanity')!;
    expect(commandHelp(sanity)).toContain('Also: system status, system-sanity, cyberx-xsense-sanity');
  });

  it('completion goes on after a spelling', async () => {
    const result = await complete('cyberx-xsense-sanity --', null, {} as never);
    expect(result.candidates).toContain('--json');
  });
});
