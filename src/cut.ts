// How otshell shortens a value that can be any length (a file name, a piped line, a
// field of a lock or state file): the first MAX_UNTRUSTED characters and a visible
// marker saying how much was left out. A leaf module: the output layer, the settings
// rules (src/net) and the edit lock (src/system) all cut the same way.

/** Longest untrusted value shown (file names, unknown words, echoed answers, names from state). */
export const MAX_UNTRUSTED = 200;

/** The first `max` characters (never half a surrogate pair) and how many were left out. */
export function keepFirst(text: string, max: number = MAX_UNTRUSTED): { kept: string; omitted: number } {
  if (text.length <= max) return { kept: text, omitted: 0 };
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { kept: text.slice(0, end), omitted: text.length - end };
}

/** The marker after a cut value; empty when nothing was left out. */
export function omittedMarker(omitted: number): string {
  return omitted > 0 ? `...[${omitted} more characters]` : '';
}

/** Cuts long text with a visible marker saying how much was left out. */
export function cut(text: string, max: number = MAX_UNTRUSTED): string {
  const { kept, omitted } = keepFirst(text, max);
  return kept + omittedMarker(omitted);
}
