// SshRunner.batch's framing: the remote script (run here by a local sh, as the
// remote shell would) and the parser, with outputs built to confuse it.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/system/linux/checks.js';
import { batchScript, parseBatch } from '../../src/system/linux/ssh-runner.js';

const D = 'otshell-0123456789abcdef0123456789abcdef';
/** Frame-like, one hex digit off. */
const NEAR = `${D.slice(0, -1)}e`;
const line = (...words: string[]) => words.map(shellQuote).join(' ');

async function runBatch(lines: string[], delimiter = D) {
  const result = await execa('sh', ['-c', batchScript(lines)], { input: `${delimiter}\n`, reject: false, stripFinalNewline: false });
  return parseBatch(String(result.stdout), String(result.stderr), delimiter, lines.length);
}

describe('ssh batch framing', () => {
  it('keeps each command\'s stdout, stderr and exit code apart, byte for byte', async () => {
    const results = await runBatch([
      line('printf', '%s', 'no newline'),
      line('true'),
      line('sh', '-c', 'printf "out\\n\\n"; printf "err\\n" >&2; exit 7'),
      line('sh', '-c', 'if [ -e "$1" ]; then exec cat -- "$1"; else exit 3; fi', 'sh', '/nonexistent/otshell-test'),
      line('printf', '%s\n%s\n', `${NEAR} 4 0`, `${NEAR} 5`),
      line('cat'),
      line('no-such-command-otshell'),
    ]);
    expect(results).not.toBeNull();
    expect(results![0]).toEqual({ stdout: 'no newline', stderr: '', exitCode: 0 });
    expect(results![1]).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(results![2]).toEqual({ stdout: 'out\n\n', stderr: 'err\n', exitCode: 7 });
    expect(results![3]).toEqual({ stdout: '', stderr: '', exitCode: 3 });
    // Frame-like text printed by a command stays its output: the real delimiter is random per call, so none can print it.
    expect(results![4]).toEqual({ stdout: `${NEAR} 4 0\n${NEAR} 5\n`, stderr: '', exitCode: 0 });
    // stdin is /dev/null: a command cannot read the delimiter or hang on input.
    expect(results![5]).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(results![6]!.exitCode).toBe(127);
    expect(results![6]!.stderr).toMatch(/no-such-command-otshell/);
  });

  it('words with quotes, spaces and $ reach the command unchanged', async () => {
    const nasty = `it's "$HOME" $(id) \`x\` ; | & \n done`;
    const [result] = (await runBatch([line('printf', '%s', nasty)]))!;
    expect(result!.stdout).toBe(nasty);
  });

  it('a missing or cut-off frame gives null, never a guess', () => {
    const whole = `${D} 0\nA\n${D} 0 0\n${D} 1\nB\n${D} 1 2\n`;
    const errors = `${D} 0\n\n${D} 0\n${D} 1\n\n${D} 1\n`;
    expect(parseBatch(whole, errors, D, 2)).toEqual([
      { stdout: 'A', stderr: '', exitCode: 0 },
      { stdout: 'B', stderr: '', exitCode: 2 },
    ]);
    expect(parseBatch(whole.slice(0, -4), errors, D, 2)).toBeNull();
    expect(parseBatch(whole, errors.slice(0, -3), D, 2)).toBeNull();
    expect(parseBatch('', '', D, 1)).toBeNull();
    // Noise before the first frame (a chatty login shell) is not output.
    expect(parseBatch(`motd\n${whole}`, `warning\n${errors}`, D, 2)?.[0]).toEqual({ stdout: 'A', stderr: '', exitCode: 0 });
    // Another call's delimiter is just text.
    const other = 'otshell-ffffffffffffffffffffffffffffffff';
    expect(parseBatch(whole, errors, other, 2)).toBeNull();
  });
});
