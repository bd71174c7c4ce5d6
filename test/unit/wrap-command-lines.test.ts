// Help's usage and example lines at 80 columns (issue #14, item 4): a wrapped
// command continues under its first option, not at column 1 where it would read
// as a line (or an example) of its own.
import { describe, expect, it } from 'vitest';
import { hangingIndent, wrapText } from '../../src/output/wrap.js';
import { commandHelp } from '../../src/commands/help.js';
import { COMMANDS } from '../../src/commands/registry.js';

describe('help command lines wrap under their first option', () => {
  it('a usage line and an example line hang under the first option or placeholder', () => {
    expect(hangingIndent('Usage: network edit-settings [--ip ADDRESS] [--mask MASK]')).toBe('Usage: network edit-settings '.length);
    expect(hangingIndent('  network edit-settings --ip 10.1.0.20 --yes')).toBe('  network edit-settings '.length);
    expect(hangingIndent('Usage: network validate-capture FILES... [--json]')).toBe('Usage: network validate-capture '.length);
    // Table rows, prose and placeholders keep their own rules.
    expect(hangingIndent('  list              Show every interface')).toBe(20);
    expect(hangingIndent('  --ip ADDRESS  New management IP address')).toBe(16);
    expect(hangingIndent('the input (monitor) interfaces and the bridge')).toBe(0);
    expect(hangingIndent('  system backup path /var/cyberx/backups')).toBe(2);
  });

  it('an unclosed "[" in prose does not hold the rest of the line together', () => {
    const rows = wrapText(`Answer [y/N ${'word '.repeat(30)}`.trim(), 40).split('\n');
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(40);
    expect(rows[1]).toMatch(/^word/);
  });

  it('"help network edit-settings" at 80 columns: no usage or example row starts at column 1 or 3', () => {
    const command = COMMANDS.find((c) => c.category === 'network' && c.name === 'edit-settings')!;
    const rows = wrapText(commandHelp(command), 80).split('\n');
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    const usageAt = rows.findIndex((r) => r.startsWith('Usage: '));
    const usagePad = ' '.repeat('Usage: network edit-settings '.length);
    expect(rows[usageAt + 1]).toMatch(new RegExp(`^${usagePad}\\[--`));
    // An option and its value stay together: "[--bridge NAME]" is never cut in two.
    for (const row of rows.slice(usageAt, usageAt + 4)) expect(row).not.toMatch(/\[[^\]]*$/);
    const exampleAt = rows.findIndex((r) => r.startsWith('  network edit-settings --ip 10.1.0.20'));
    expect(rows[exampleAt + 1]).toMatch(new RegExp(`^${' '.repeat('  network edit-settings '.length)}--`));
  });
});
