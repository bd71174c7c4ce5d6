// The prompt line's echo: what a keystroke writes to the terminal (issue #14).
// A tiny terminal model checks that the bytes leave exactly the next line on
// screen with the cursor where Ink puts it, and counts them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameEcho, lineEcho } from '../../src/ui/line-echo.js';

/** Applies echo bytes to one terminal row: printable text, \b, CSI n@ / n P / n C / n D / K. */
function applyEcho(row: string[], cursor: number, bytes: string): { row: string[]; cursor: number } {
  const cells = [...row];
  for (let i = 0; i < bytes.length; ) {
    const ch = bytes[i]!;
    if (ch === '\b') {
      cursor = Math.max(0, cursor - 1);
      i++;
    } else if (ch === '\u001b') {
      const m = /^\u001b\[(\d*)([@PCDK])/.exec(bytes.slice(i));
      if (!m) throw new Error(`unexpected escape at ${i}: ${JSON.stringify(bytes.slice(i))}`);
      const n = m[1] === '' ? 1 : Number(m[1]);
      if (m[2] === '@') cells.splice(cursor, 0, ...Array(n).fill(' '));
      if (m[2] === 'P') cells.splice(cursor, n), cells.push(...Array(n).fill(' '));
      if (m[2] === 'C') cursor += n;
      if (m[2] === 'D') cursor = Math.max(0, cursor - n);
      if (m[2] === 'K') cells.fill(' ', cursor);
      cells.length = row.length;
      i += m[0].length;
    } else {
      expect(ch >= ' ' && ch <= '~').toBe(true);
      cells[cursor++] = ch;
      i++;
    }
  }
  return { row: cells, cursor };
}

const WIDTH = 80;
const rowOf = (text: string) => [...text.padEnd(WIDTH)];
const screen = (row: string[]) => row.join('').trimEnd();

function check(previous: string, next: string, from: number, to: number): string {
  const bytes = lineEcho(previous.padEnd(from), next.padEnd(to), from, to);
  const after = applyEcho(rowOf(previous), from, bytes);
  expect(screen(after.row)).toBe(next.trimEnd());
  expect(after.cursor).toBe(to);
  return bytes;
}

describe('prompt line echo', () => {
  it('a printable character typed at the end writes that character only', () => {
    expect(check('shell> net', 'shell> netw', 10, 11)).toBe('w');
    // Ink trims the prompt's trailing blank: the first key still writes one byte.
    expect(check('shell>', 'shell> n', 7, 8)).toBe('n');
    expect(check('shell> net', 'shell> net', 10, 11)).toBe(' '); // a typed blank
  });

  it('Backspace at the end writes \\b \\b', () => {
    expect(check('shell> netw', 'shell> net', 11, 10)).toBe('\b \b');
    expect(check('shell> n', 'shell>', 8, 7)).toBe('\b \b');
  });

  it('a mid-line insert or delete writes only from the changed column, in place', () => {
    expect(check('shell> nework list', 'shell> network list', 9, 10)).toBe('\u001b[@t');
    expect(check('shell> networkk list', 'shell> network list', 15, 14)).toBe('\b\u001b[P');
    expect(check('shell> network list', 'shell> network ist', 15, 15)).toBe('\u001b[P'); // Delete key
    // Repeated characters: the edit is placed at the cursor, not moved there and back.
    expect(check('shell> --targe', 'shell> ---targe', 8, 9)).toBe('\u001b[@-');
  });

  it('cursor moves alone write one byte to the left and stay short to the right', () => {
    expect(check('shell> network', 'shell> network', 14, 13)).toBe('\b');
    expect(check('shell> network', 'shell> network', 14, 7)).toBe('\u001b[7D');
    expect(check('shell> network', 'shell> network', 7, 8)).toBe('n');
  });

  it('Home and End after a typed blank move the cursor only (Ink trims the blank from its frame)', () => {
    // Ink's frames have no trailing blanks, so the typed blank is only in the cursor's column.
    expect(check('shell> network list', 'shell> network list', 20, 7)).toBe('\u001b[13D');
    expect(check('shell> etwork list', 'shell> etwork list', 7, 19)).toBe('\u001b[12C');
    expect(check('shell> net', 'shell> net l', 11, 12)).toBe('l');
    // Ctrl-W after "etwork list ": back to the word's start, then erase to the end.
    expect(check('shell> etwork list', 'shell> etwork', 19, 14)).toBe('\u001b[5D\u001b[K');
  });

  it('one key never redraws the line: a cursor move is at most 6 bytes, a one-cell edit at most 16 (property)', () => {
    const text = fc.stringMatching(/^[ -~]{0,60}$/);
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), fc.stringMatching(/^[ -~]$/), (a, i, j, ch) => {
        const previous = `shell> ${a}`;
        const from = 7 + (i % (a.length + 1));
        const to = 7 + (j % (a.length + 1));
        // The cursor past the trimmed text (after typed blanks) is as Ink reports it.
        expect(check(previous.trimEnd(), previous.trimEnd(), from, to).length).toBeLessThanOrEqual(6);
        const inserted = previous.slice(0, from) + ch + previous.slice(from);
        expect(check(previous.trimEnd(), inserted.trimEnd(), from, from + 1).length).toBeLessThanOrEqual(16);
        if (from > 7) {
          const deleted = previous.slice(0, from - 1) + previous.slice(from);
          expect(check(previous.trimEnd(), deleted.trimEnd(), from, from - 1).length).toBeLessThanOrEqual(16);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('any edit of a line leaves exactly the next line on screen (property)', () => {
    const line = fc.stringMatching(/^[ -~]{0,60}$/);
    fc.assert(
      fc.property(line, line, fc.nat(), fc.nat(), (a, b, i, j) => {
        const previous = `shell> ${a}`;
        const next = `shell> ${b}`;
        const from = 7 + (i % (a.length + 1));
        const to = 7 + (j % (b.length + 1));
        check(previous.trimEnd(), next.trimEnd(), from, to);
      }),
      { numRuns: 400 },
    );
  });

  it('frames Ink must draw itself are left to Ink', () => {
    const at = (x: number) => ({ x, y: 0 });
    expect(frameEcho('shell> a\n', 'shell> ab\n', at(8), at(9), 80)).toBe('b');
    expect(frameEcho('shell> a\n', 'shell> a\nmore\n', at(8), at(8), 80)).toBeUndefined(); // two rows
    expect(frameEcho('shell> a\n', 'shell> \u00e9\n', at(8), at(8), 80)).toBeUndefined(); // not ASCII
    expect(frameEcho('shell> a\n', 'shell> a\u001b[31m\n', at(8), at(8), 80)).toBeUndefined(); // styled
    expect(frameEcho('shell> a\n', 'shell> ab\n', undefined, at(9), 80)).toBeUndefined(); // cursor unknown
    expect(frameEcho('shell> a\n', 'shell> ab\n', at(8), { x: 0, y: 1 }, 80)).toBeUndefined();
    const long = `shell> ${'x'.repeat(72)}`;
    expect(frameEcho(`${long}\n`, `${long}y\n`, at(79), at(80), 80)).toBeUndefined(); // reaches the margin
  });

  it('a command wrapped over two rows: keys on its last row echo in place, Home/End only move', () => {
    const full = `shell> ${'x'.repeat(73)}`; // 80 columns: the terminal wrapped the rest onto row 1
    const cell = (x: number, y: number) => ({ x, y });
    expect(frameEcho(`${full}\nabc\n`, `${full}\nabcd\n`, cell(3, 1), cell(4, 1), 80, 24)).toBe('d');
    expect(frameEcho(`${full}\nabcd\n`, `${full}\nabc\n`, cell(4, 1), cell(3, 1), 80, 24)).toBe('\b \b');
    expect(frameEcho(`${full}\nabc\n`, `${full}\nabc\n`, cell(3, 1), cell(7, 0), 80, 24)).toBe('\u001b[A\u001b[8G'); // Home
    expect(frameEcho(`${full}\nabc\n`, `${full}\nabc\n`, cell(7, 0), cell(3, 1), 80, 24)).toBe('\u001b[B\u001b[4G'); // End
    expect(frameEcho(`${full}\nabc\n`, `${full}\nabc\n`, cell(7, 0), cell(8, 0), 80, 24)).toBe('x'); // Right on the full row
    // A hint row below the prompt stays as it is while the prompt row changes.
    expect(frameEcho('shell> a\nhint\n', 'shell> ab\nhint\n', cell(8, 0), cell(9, 0), 80, 24)).toBe('b');
  });

  it('a wrapped command whose other rows change, or a frame as tall as the screen, is left to Ink', () => {
    const full = `shell> ${'x'.repeat(73)}`;
    const cell = (x: number, y: number) => ({ x, y });
    // Delete on the full row reflows the text onto row 1: both rows change.
    expect(frameEcho(`${full}\nabc\n`, `shell> ${'x'.repeat(72)}a\nbc\n`, cell(8, 0), cell(8, 0), 80, 24)).toBeUndefined();
    expect(frameEcho('shell> a\nhint\n', 'shell> ab\nhint2\n', cell(8, 0), cell(9, 0), 80, 24)).toBeUndefined();
    const tall = `${'row\n'.repeat(23)}shell> a\n`;
    expect(frameEcho(tall, `${'row\n'.repeat(23)}shell> ab\n`, cell(8, 23), cell(9, 23), 80, 24)).toBeUndefined();
    expect(frameEcho(`${full}\nabc\n`, `${full}\nabd\n`, cell(3, 1), cell(7, 0), 80, 24)).toBeUndefined(); // moved and changed
  });
});
