// A hint such as `"otshell --reset-simulator"` must act on the state and
// target the user is using: without their own `--state-dir` it would reset the
// default state. Both the plain output (src/cli) and the interactive shell
// (src/ui) repeat the user's global options in every quoted otshell hint.

/** Global options that choose which sensor and state a command acts on. */
export const HINT_OPTIONS = ['target', 'state-dir', 'config', 'identity-file', 'ssh-option'] as const;

/** The given global options as words for a hint, e.g. ["--state-dir", "/tmp/s"]. */
export function globalsForHints(globals: Record<string, unknown>): string[] {
  const shellWord = (value: string) => (/^[\w./:@=+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  return HINT_OPTIONS.flatMap((name) => {
    const value = globals[name];
    const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    return values.flatMap((v: string) => [`--${name}`, shellWord(v)]);
  });
}

/** `"otshell --x"`, `"sudo otshell ..."`: the user's global options go right after "otshell". */
export function repeatGlobals(text: string, globals: readonly string[] | undefined): string {
  if (!globals || globals.length === 0) return text;
  return text.replace(/"((?:sudo )?)otshell (?=-|\.\.\.)/g, `"$1otshell ${globals.join(' ')} `);
}
