// Wrapping to the terminal's real width, done once here for help, messages and
// renderers. A terminal that wraps a long line itself starts the rest at
// column 1, so a help description or a bullet loses its column; wrapping here
// keeps it (a hanging indent). Nothing is wrapped when stdout is not a
// terminal: pipes and files get each line whole, as scripts expect.

import { cut } from './escape.js';
import { MAX_LINE } from './style.js';

/** Style markers (src/output/style.ts) take no column on screen. */
const ZERO_WIDTH = /[\ue000-\ue00f]/g;

/** Columns a string takes: one per code point, markers none (otshell's text is ASCII or single-width). */
export function columns(text: string): number {
  return Array.from(text.replace(ZERO_WIDTH, '')).length;
}

/**
 * A command line in help: "Usage: network edit-settings [--ip ADDRESS] ..." or an
 * example "  network edit-settings --ip 10.1.0.20 ...": the command's words, then
 * its first option ("[", "--") or placeholder (capitals). Its options continue
 * under the first one, so a continuation never reads as a line of its own.
 */
const COMMAND_LINE = /^((?:Usage: | {2})[a-z][\w-]*(?: [a-z][\w-]*)* )(?=\[|--|[A-Z]{2,}\b)/;

/**
 * Where a wrapped line's continuation starts: under a command's first option
 * (help's usage and example lines), under a table's description column
 * ("  name    description"), after a bullet ("- ", "* ", "• ", "1. "), or under
 * the line's own leading spaces.
 */
export function hangingIndent(line: string): number {
  const plain = line.replace(ZERO_WIDTH, '');
  const command = COMMAND_LINE.exec(plain);
  if (command) return columns(command[1]!);
  const table = /^(\s*\S+(?: \S+)*?\s{2,})\S/.exec(plain);
  if (table) return columns(table[1]!);
  const bullet = /^(\s*(?:[-*\u2022]|\d+\.|\[[ x-]\])\s+)\S/.exec(plain);
  if (bullet) return columns(bullet[1]!);
  return /^\s*/.exec(plain)![0].length;
}

/** One line cut at spaces into rows of at most `width` columns. */
function wrapLine(line: string, width: number): string[] {
  if (columns(line) <= width) return [line];
  let indent = hangingIndent(line);
  // A hanging indent that leaves under a third of the width helps nobody.
  if (width - indent < Math.max(10, Math.floor(width / 3))) indent = 0;
  const pad = ' '.repeat(indent);
  const rows: string[] = [];
  const lead = /^\s*/.exec(line)![0];
  // Words with the spaces before each, so a table's padding stays as it was.
  const parts = wordsAndGaps(line.slice(lead.length));
  let row = lead;
  let rowColumns = columns(lead);
  let rowHasWord = false;
  for (let i = 0; i < parts.length; i += 2) {
    const word = parts[i]!;
    const gap = i > 0 ? parts[i - 1]! : '';
    const w = columns(word);
    // A word that fits no row (a long path) fills this row first instead of leaving it short.
    if (rowHasWord && rowColumns + gap.length + w > width && w <= width - indent) {
      rows.push(row);
      row = pad;
      rowColumns = indent;
      rowHasWord = false;
    }
    if (rowHasWord) {
      row += gap;
      rowColumns += gap.length;
    }
    // A word longer than the room left is cut hard.
    let rest = word;
    while (rowColumns + columns(rest) > width && width - rowColumns > 0) {
      const room = width - rowColumns;
      const chars = Array.from(rest);
      row += chars.slice(0, room).join('');
      rest = chars.slice(room).join('');
      rows.push(row);
      row = pad;
      rowColumns = indent;
    }
    row += rest;
    rowColumns += columns(rest);
    rowHasWord = rest !== '' || rowHasWord;
  }
  if (row.trim() !== '' || rows.length === 0) rows.push(row);
  return rows.map((r) => r.trimEnd());
}

/**
 * [word, gap, word, gap, ..., word]. An option group in brackets ("[--bridge NAME]",
 * "[CATEGORY COMMAND [ARGS...]]") is one word: a usage line breaks between groups,
 * never between an option and its value.
 */
function wordsAndGaps(text: string): string[] {
  const parts: string[] = [];
  let word = '';
  let depth = 0;
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === ' ' && depth === 0) {
      let end = i;
      while (text[end] === ' ') end++;
      parts.push(word, text.slice(i, end));
      word = '';
      i = end;
      continue;
    }
    if (ch === '[') depth++;
    // An unbalanced "]" (prose) must not hold the rest of the line together.
    else if (ch === ']') depth = Math.max(0, depth - 1);
    word += ch;
    i++;
  }
  // An unclosed "[" (prose, untrusted text) would hold the rest together: plain words then.
  if (depth > 0) return text.split(/( +)/);
  parts.push(word);
  return parts;
}

/**
 * Text wrapped to `width` columns with hanging indents; `undefined` (stdout is
 * not a terminal) leaves it exactly as it is.
 */
export function wrapText(text: string, width: number | undefined): string {
  if (width === undefined || width < 20) return text;
  return text
    .split('\n')
    // Cut before wrapping, as the sink would: a 10 MB line must not become 2,500 rows.
    .flatMap((line) => wrapLine(line.length > MAX_LINE ? cut(line, MAX_LINE) : line, width))
    .join('\n');
}
