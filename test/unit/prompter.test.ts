import { describe, expect, it } from 'vitest';
import { parseYesNo } from '../../src/commands/prompter.js';

describe('parseYesNo', () => {
  it('accepts y, yes, n, no in any case and Enter for the default', () => {
    for (const w of ['y', 'Y', 'yes', 'YeS']) expect(parseYesNo(w, false)).toBe(true);
    for (const w of ['n', 'N', 'no', 'NO']) expect(parseYesNo(w, true)).toBe(false);
    expect(parseYesNo('', true)).toBe(true);
    expect(parseYesNo('  ', false)).toBe(false);
  });
  it('rejects anything else', () => {
    for (const w of ['yep', 'nah', '1', 'y es']) expect(parseYesNo(w, true)).toBeUndefined();
  });
});
