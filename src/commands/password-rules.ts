// The appliance's password rules (its CLI reference): at least 8 characters
// with lowercase, uppercase, digits and symbols; and, as any sign-in system,
// not the user name and not the password it replaces. Every failing rule is
// named, so the user fixes them all at once.

export const MIN_PASSWORD_LENGTH = 8;
/** Longer input is refused before hashing: scrypt of megabytes is a cheap denial of service. */
export const MAX_PASSWORD_LENGTH = 128;

export interface PasswordRule {
  /** What the user reads when the rule fails. */
  text: string;
  fails(password: string, context: { user: string; previous?: string }): boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  { text: `at least ${MIN_PASSWORD_LENGTH} characters`, fails: (p) => [...p].length < MIN_PASSWORD_LENGTH },
  { text: `at most ${MAX_PASSWORD_LENGTH} characters`, fails: (p) => [...p].length > MAX_PASSWORD_LENGTH },
  { text: 'a lowercase letter', fails: (p) => !/\p{Ll}/u.test(p) },
  { text: 'an uppercase letter', fails: (p) => !/\p{Lu}/u.test(p) },
  { text: 'a digit', fails: (p) => !/[0-9]/.test(p) },
  { text: 'a symbol (such as ! # % or -)', fails: (p) => !/[^\p{L}\p{N}\s\p{C}]/u.test(p) },
  { text: 'no control characters', fails: (p) => /\p{C}/u.test(p) },
  { text: 'not the user name', fails: (p, c) => p.toLowerCase() === c.user.toLowerCase() },
  { text: 'not the previous password', fails: (p, c) => c.previous !== undefined && p === c.previous },
];

/** The rules a password fails, in order; empty when it is acceptable. */
export function passwordProblems(password: string, context: { user: string; previous?: string }): string[] {
  return PASSWORD_RULES.filter((rule) => rule.fails(password, context)).map((rule) => rule.text);
}

/** One line naming every failed rule, or null. */
export function describePasswordProblems(password: string, context: { user: string; previous?: string }): string | null {
  const problems = passwordProblems(password, context);
  return problems.length === 0 ? null : `The new password needs ${problems.join(', ')}.`;
}
