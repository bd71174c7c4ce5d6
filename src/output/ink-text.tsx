// The only Ink <Text> in otshell: its content always passes through the output
// layer (escaped controls, style markers turned into SGR or dropped), so the
// interactive shell draws untrusted text exactly as safely as plain output.
// Imported only by src/ui (Ink stays out of the one-shot path).
import { Text, type TextProps } from 'ink';
import { jsonSafe } from './escape.js';
import { toTerminal } from './style.js';
import { wrapText } from './wrap.js';

export interface SafeTextProps extends Omit<TextProps, 'children'> {
  /** The text to show: any string, untrusted parts included. */
  text: string;
  /** The session's style: colour allowed, ASCII only. */
  look: { color: boolean; ascii: boolean };
  /** The text is --json output: kept exact. */
  json?: boolean;
  /** The text carries no style of its own (an error message): markers are shown, not obeyed. */
  unstyled?: boolean;
  /** Wrap to this many columns with hanging indents (Ink's own wrap starts the rest at column 1). */
  columns?: number;
}

export function SafeText({ text, look, json, unstyled, columns, ...props }: SafeTextProps) {
  const shown = json ? jsonSafe(text) : toTerminal(wrapText(text, columns), { ...look, markers: unstyled ? 'escape' : 'style' });
  return <Text {...props}>{shown}</Text>;
}
