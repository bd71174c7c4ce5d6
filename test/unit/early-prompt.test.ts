// The prompt drawn before Ink loads (src/cli/early-prompt.ts): raw mode first,
// then the banner and prompt through the sink; erase() climbs exactly the rows drawn.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { drawEarlyPrompt } from '../../src/cli/early-prompt.js';
import { OutputSink } from '../../src/output/sink.js';

function terminal(columns: number | undefined) {
  const stdout = Object.assign(new PassThrough(), { columns, isTTY: true });
  let written = '';
  stdout.on('data', (chunk) => (written += String(chunk)));
  const raw: boolean[] = [];
  const stdin = { isTTY: true, setRawMode: (on: boolean) => raw.push(on) };
  const sink = new OutputSink(stdout, { color: false, ascii: false });
  return { stdout, stdin, sink, raw, written: () => written };
}

describe('early prompt', () => {
  it('goes raw before drawing, so keys typed meanwhile are not echoed by the kernel, and erase() climbs the banner rows', () => {
    const t = terminal(80);
    const early = drawEarlyPrompt(t.stdin, t.stdout, t.sink, 'otshell on simulator as root.', 'shell> ');
    expect(t.raw).toEqual([true]);
    expect(t.written()).toBe('otshell on simulator as root.\nshell> ');
    early!.erase();
    expect(t.written().endsWith('\r\u001b[1A\u001b[J')).toBe(true);
  });

  it('a banner wider than the terminal takes as many rows as it wraps to', () => {
    const t = terminal(40);
    drawEarlyPrompt(t.stdin, t.stdout, t.sink, 'x'.repeat(81), 'shell> ')!.erase();
    expect(t.written().endsWith('\r\u001b[3A\u001b[J')).toBe(true);
  });

  it('leaves the drawing to Ink when the rows are not certain: non-ASCII, unknown width, no raw mode', () => {
    for (const [columns, banner] of [[80, 'otshell on caf\u00e9 as root.'], [undefined, 'otshell on simulator as root.']] as const) {
      const t = terminal(columns);
      expect(drawEarlyPrompt(t.stdin, t.stdout, t.sink, banner, 'shell> ')).toBeNull();
      expect(t.written()).toBe('');
      expect(t.raw).toEqual([]);
    }
    const t = terminal(80);
    expect(drawEarlyPrompt({ isTTY: true }, t.stdout, t.sink, 'otshell', 'shell> ')).toBeNull();
  });
});
