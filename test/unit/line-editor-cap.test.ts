// The prompt line's length cap (src/ui/line-editor.ts): a 1 MB paste keeps the
// first 4095 characters, as the kernel's own line discipline does.
import { describe, expect, it } from 'vitest';
import { EMPTY_LINE, insert, lineOf, MAX_LINE_LENGTH } from '../../src/ui/line-editor.js';

describe('prompt line length cap', () => {
  it('a 1 MB paste keeps the first 4095 characters; more typing at the cap adds nothing', () => {
    const pasted = insert(EMPTY_LINE, 'x'.repeat(1 << 20));
    expect(MAX_LINE_LENGTH).toBe(4095);
    expect(pasted.text.length).toBe(4095);
    expect(pasted.cursor).toBe(4095);
    expect(insert(pasted, 'y')).toEqual(pasted);
    expect(insert({ text: pasted.text, cursor: 10 }, 'y').text).toBe(pasted.text);
  });

  it('fills the room left exactly, and never cuts a surrogate pair in half', () => {
    const almost = lineOf('a'.repeat(4093));
    expect(insert(almost, 'bcd').text).toBe(`${'a'.repeat(4093)}bc`);
    // Room for one UTF-16 unit: the emoji (two units) is dropped whole.
    const one = lineOf('a'.repeat(4094));
    expect(insert(one, '\u{1f600}z').text).toBe('a'.repeat(4094));
    expect(insert(lineOf('a'.repeat(4093)), '\u{1f600}z').text).toBe(`${'a'.repeat(4093)}\u{1f600}`);
  });
});
