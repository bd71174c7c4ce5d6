// Making untrusted text safe to show, the way OpenSSH's vis(3) does: every
// character that could drive a terminal (C0 controls, DEL, C1 controls, bidi
// overrides and isolates, line/paragraph separators) and the private style
// markers (style.ts) become visible escapes such as \x1b, \x7f, \u202e.

import { MAX_UNTRUSTED, cut, keepFirst, omittedMarker } from '../cut.js';

export { MAX_UNTRUSTED, cut };

/** The private-use characters style.ts uses as colour markers: U+E000 (end) and U+E001.. (tones). */
export const MARKER_FIRST = 0xe000;
export const MARKER_LAST = 0xe00f;

/** Every character escaped: C0 (all), DEL, C1, LRM/RLM, U+2028/9, bidi overrides and isolates, markers. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ue000-\ue00f]/g;
/** The same, but keeping line feeds: for multi-line text (a whole rendered result). */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  switch (ch) {
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    case '\n':
      return '\\n';
  }
  const cp = ch.codePointAt(0)!;
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * Multi-line text made terminal-safe: line feeds stay, every other control is
 * shown. Style markers are left alone (the sink turns them into SGR or drops them).
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}

/** Multi-line text whose style markers, too, are shown as escapes (error messages). */
export function escapeValueKeepingLines(text: string): string {
  return text.split('\n').map(escapeValue).join('\n');
}

/** One untrusted value on one line: everything unsafe, line feeds and markers included, escaped. */
export function escapeValue(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** An untrusted value as shown anywhere: cut first (so a 10 MB line costs nothing), then escaped. */
export function untrusted(text: string, max: number = MAX_UNTRUSTED): string {
  // Escaping can grow a character to six; cut the raw text, then escape only what is kept.
  const { kept, omitted } = keepFirst(String(text), max);
  return escapeValue(kept) + omittedMarker(omitted);
}

/** JSON text with C1, DEL, bidi, U+2028/9 and markers written as \uXXXX: the same value, safe bytes. */
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ue000-\ue00f]/g;
export function jsonSafe(json: string): string {
  // Inside JSON these characters can only occur in strings, where \uXXXX means the same.
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
