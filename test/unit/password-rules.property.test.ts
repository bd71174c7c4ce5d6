// Property-based tests of the password rules against an oracle written here
// with character codes (no regular expressions), over printable ASCII.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describePasswordProblems, passwordProblems } from '../../src/commands/password-rules.js';

const RUNS = { numRuns: 3000 };
const code = (c: string) => c.charCodeAt(0);
const isLower = (c: string) => code(c) >= 97 && code(c) <= 122;
const isUpper = (c: string) => code(c) >= 65 && code(c) <= 90;
const isDigit = (c: string) => code(c) >= 48 && code(c) <= 57;
const isSymbol = (c: string) => code(c) > 32 && code(c) < 127 && !isLower(c) && !isUpper(c) && !isDigit(c);

function oracle(password: string, user: string, previous?: string): boolean {
  const chars = [...password];
  return (
    chars.length >= 8 &&
    chars.length <= 128 &&
    chars.some(isLower) &&
    chars.some(isUpper) &&
    chars.some(isDigit) &&
    chars.some(isSymbol) &&
    password.toLowerCase() !== user.toLowerCase() &&
    password !== previous
  );
}

// Biased towards each class so both verdicts occur often.
const classChar = fc.oneof(
  fc.constantFrom(...'abcxyz'),
  fc.constantFrom(...'ABCXYZ'),
  fc.constantFrom(...'0189'),
  fc.constantFrom(...'!#%-_.@~'),
  fc.integer({ min: 32, max: 126 }).map((n) => String.fromCharCode(n)),
);
const password = fc.array(classChar, { minLength: 0, maxLength: 20 }).map((a) => a.join(''));
const user = fc.oneof(fc.constantFrom('support', 'cyberx', 'Aa1!aaaa'), fc.string({ maxLength: 10 }));

describe('password rules (property-based)', () => {
  it('accept exactly what the oracle accepts, and both verdicts occur', () => {
    const seen = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(password, user, fc.option(password, { nil: undefined }), (pw, name, previous) => {
        const expected = oracle(pw, name, previous);
        seen[expected ? 'ok' : 'refused']++;
        expect(passwordProblems(pw, { user: name, previous }).length === 0).toBe(expected);
      }),
      RUNS,
    );
    expect(seen.ok).toBeGreaterThan(RUNS.numRuns * 0.05);
    expect(seen.refused).toBeGreaterThan(RUNS.numRuns * 0.05);
  });

  it('names each failing rule: a password missing one class names exactly that class', () => {
    const classes: [string, (c: string) => boolean][] = [
      ['a lowercase letter', isLower],
      ['an uppercase letter', isUpper],
      ['a digit', isDigit],
      ['a symbol', isSymbol],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...classes), fc.array(classChar, { minLength: 8, maxLength: 16 }), ([rule, inClass], chars) => {
        const kept = chars.filter((c) => !inClass(c));
        // Every other class present, long enough: only the removed class can fail.
        const pw = [...kept, ...['k', 'Q', '7', '!'].filter((c) => !inClass(c)), 'zQ9-zQ9-'.split('').filter((c) => !inClass(c)).join('')].join('');
        expect(passwordProblems(pw, { user: 'support' })).toEqual([classes.find(([r]) => r === rule)![0] === 'a symbol' ? 'a symbol (such as ! # % or -)' : rule]);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses the user name in any case and the previous password, saying so', () => {
    fc.assert(
      fc.property(password.filter((p) => oracle(p, '')), (pw) => {
        expect(describePasswordProblems(pw, { user: pw.toUpperCase() })).toContain('not the user name');
        expect(describePasswordProblems(pw, { user: 'support', previous: pw })).toContain('not the previous password');
        expect(describePasswordProblems(pw, { user: 'support', previous: `${pw}x` })).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('names every failure of "support": length, uppercase, digit, symbol and the user name', () => {
    expect(describePasswordProblems('support', { user: 'support' })).toBe(
      'The new password needs at least 8 characters, an uppercase letter, a digit, a symbol (such as ! # % or -), not the user name.',
    );
  });
});
