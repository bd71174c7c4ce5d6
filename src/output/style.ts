// Colour, bold and the ASCII fallback. Renderers (below this layer) get a
// RenderStyle; its paint() wraps text in private-use markers, and only the
// output sink (toTerminal) turns them into SGR sequences, or drops them when
// colour is off. So no renderer ever emits an escape byte itself, and hostile
// text cannot forge style: untrusted() escapes the marker characters too.
import type { RenderStyle, Tone } from '../commands/types.js';
import { cut, escapeControls, escapeValueKeepingLines, untrusted } from './escape.js';
import { ifconfigBytes, uptimeClock } from './format.js';

const TONES: readonly Tone[] = ['red', 'green', 'yellow', 'bold', 'dim'];
const SGR: Record<Tone, number> = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 };
const END = '\ue000';
const open = (tone: Tone) => String.fromCharCode(0xe001 + TONES.indexOf(tone));

export function createStyle(options: { ascii: boolean; color: boolean; width: number }): RenderStyle {
  return {
    ascii: options.ascii,
    color: options.color,
    width: options.width,
    // `this`: a copy made with spread ({ ...style, color: true }) paints by its own setting.
    paint(this: RenderStyle, tone: Tone, text: string): string {
      return this.color ? `${open(tone)}${text}${END}` : text;
    },
    untrusted: (text: string) => untrusted(text),
    format: { ifconfigBytes, uptimeClock },
  };
}

/** The plain style: pipes, files and tests. */
export const PLAIN: RenderStyle = createStyle({ ascii: false, color: false, width: 80 });

const MARKERS = /[\ue000-\ue00f]/g;

/** Longest line of text output; every renderer's lines are far shorter. */
export const MAX_LINE = 4096;

/**
 * The last step before any byte reaches a terminal or pipe: every control
 * character but the line feed is shown as an escape, style markers become SGR
 * (or vanish without colour), and with ASCII output anything else non-ASCII becomes "?".
 */
export function toTerminal(text: string, options: { color: boolean; ascii: boolean; markers?: 'style' | 'escape' }): string {
  // A backstop for messages built below this layer that quote a huge value (a lock holder's
  // name, an ssh error): no line of text output is longer than MAX_LINE characters.
  if (text.length > MAX_LINE) text = text.split('\n').map((line) => cut(line, MAX_LINE)).join('\n');
  // Text that carries no style (error messages quote raw values): markers are shown, not obeyed.
  let out = options.markers === 'escape' ? escapeValueKeepingLines(text) : escapeControls(text);
  if (options.ascii) out = out.replace(/[^\n\x20-\x7e\ue000-\ue00f]/gu, '?');
  return out.replace(MARKERS, (ch) => {
    if (!options.color) return '';
    const code = ch.charCodeAt(0);
    if (code === 0xe000) return '\u001b[0m';
    const tone = TONES[code - 0xe001];
    return tone ? `\u001b[${SGR[tone]}m` : '';
  });
}
