// The shell's first line, shared by the early prompt (src/cli/early-prompt.ts)
// and the Ink shell that takes the screen over from it.
import { untrusted } from '../output/escape.js';

export const FIRST_PROMPT = 'shell> ';

export function shellBanner(target: string, user: string): string {
  return `otshell on ${untrusted(target)} as ${untrusted(user)}. Type "help" for commands, Ctrl-D to leave.`;
}
