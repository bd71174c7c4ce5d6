// Wrapping in the output layer: hanging indents, whole lines for pipes.
import { describe, expect, it } from 'vitest';
import { columns, hangingIndent, wrapText } from '../../src/output/wrap.js';
import { OutputSink } from '../../src/output/sink.js';

const HELP_ROW = '  edit-settings     Change the management address, mask, DNS, gateway, input and bridge interfaces';

describe('wrapText', () => {
  it('continues a table row under its description column', () => {
    expect(wrapText(HELP_ROW, 80).split('\n')).toEqual([
      '  edit-settings     Change the management address, mask, DNS, gateway, input and',
      '                    bridge interfaces',
    ]);
  });

  it('continues a bullet under its text, and prose at column 1 without a leading space', () => {
    expect(hangingIndent('  - a bullet')).toBe(4);
    expect(hangingIndent('[-] Core API')).toBe(4);
    const prose = 'word '.repeat(30).trim();
    for (const row of wrapText(prose, 40).split('\n')) {
      expect(row.startsWith(' ')).toBe(false);
      expect(columns(row)).toBeLessThanOrEqual(40);
    }
    const bullet = `  - ${'long '.repeat(20).trim()}`;
    const rows = wrapText(bullet, 40).split('\n');
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(1)) expect(row).toMatch(/^ {4}\S/);
  });

  it('keeps every row within the width, cutting a word longer than a row', () => {
    const text = `Unknown command "${'x'.repeat(150)}". Type "help" to list commands.`;
    for (const row of wrapText(text, 80).split('\n')) expect(columns(row)).toBeLessThanOrEqual(80);
    expect(wrapText(text, 80).replace(/\n/g, '')).toBe(text);
  });

  it('leaves text alone without a width (not a terminal) and style markers take no column', () => {
    expect(wrapText(HELP_ROW, undefined)).toBe(HELP_ROW);
    expect(columns('\ue001red\ue000')).toBe(3);
  });

  it('the sink wraps on a terminal and not on a pipe; a progress redraw never exceeds the width', () => {
    const written: string[] = [];
    const stream = { write: (s: string) => written.push(s) };
    new OutputSink(stream, { color: false, ascii: false, width: 80 }).line(HELP_ROW);
    new OutputSink(stream, { color: false, ascii: false }).line(HELP_ROW);
    expect(written[0]).toContain('\n                    bridge');
    expect(written[1]).toBe(`${HELP_ROW}\n`);
    written.length = 0;
    new OutputSink(stream, { color: false, ascii: false, width: 80 }).redraw('y'.repeat(96), false);
    expect(written[0]).toBe(`\r\u001b[2K${'y'.repeat(79)}`);
  });
});
