// Minimal ANSI styling that respects RenderStyle (NO_COLOR, pipes, --ascii).
import type { RenderStyle } from '../commands/types.js';

const CODES = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
export type Tone = keyof typeof CODES;

export function paint(style: RenderStyle, tone: Tone, text: string): string {
  return style.color ? `\u001b[${CODES[tone]}m${text}\u001b[0m` : text;
}

/** The plain style: pipes, files and tests. */
export const PLAIN: RenderStyle = { ascii: false, color: false, width: 80 };
