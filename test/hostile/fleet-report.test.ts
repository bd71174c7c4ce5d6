// fleet report against hostile run files: control bytes and 1 MB values from a playbook run
// (host names, task names, messages come from sensors and inventories), arguments starting with
// "-", a FIFO, /dev/zero, a huge sparse file, deep nesting, path traversal. One specific line and
// exit 2 for a file it cannot use; escaped text; exact JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';
import { expectExit, expectNoStackTrace, RAW_CONTROL } from './helpers.js';

const MB = 'y'.repeat(1024 * 1024);
const stats = { ok: 0, changed: 0, failures: 1, unreachable: 0, skipped: 0 };

describe('fleet report with hostile input', () => {
  let dir: string;
  let state: ReturnType<typeof tempStateDir>;
  const report = (args: string[]) => runOtshell(['fleet', 'report', ...args], { stateDir: state.dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'otshell-fleet-hostile-'));
    state = tempStateDir();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    state.cleanup();
  });

  it('control bytes in host, task and message are shown escaped; --json keeps them exact', async () => {
    const host = 'evil\u001b]0;owned\u0007host';
    const run = { plays: [{ play: { name: 'p' }, tasks: [{ task: { name: 'sani\u009bty' }, hosts: { [host]: { failed: true, rc: 1, msg: 'down\u001b[2J\u202e' } } }] }], stats: { [host]: stats } };
    writeFileSync(join(dir, 'ctl.json'), JSON.stringify(run));
    const text = await report([join(dir, 'ctl.json')]);
    expectExit(text.exitCode, 1);
    expect(text.stdout).not.toMatch(RAW_CONTROL);
    expect(text.stdout).toContain('evil\\x1b]0;owned\\x07host');
    expect(text.stdout).toContain('down\\x1b[2J\\u202e');
    const json = await report([join(dir, 'ctl.json'), '--json']);
    expect(JSON.parse(json.stdout).failures[0]).toMatchObject({ host, check: 'sani\u009bty', msg: 'down\u001b[2J\u202e' });
  });

  it('a 1 MB message is cut: 200 characters in text, 1000 in JSON', async () => {
    const run = { plays: [{ play: { name: 'p' }, tasks: [{ task: { name: MB }, hosts: { s: { failed: true, msg: MB } } }] }], stats: { s: stats } };
    writeFileSync(join(dir, 'mb.json'), JSON.stringify(run));
    const text = await report([join(dir, 'mb.json')]);
    expectExit(text.exitCode, 1);
    expect(text.stdout.length).toBeLessThan(3000);
    expect(text.stdout).toContain('...[1048376 more characters]');
    const json = JSON.parse((await report([join(dir, 'mb.json'), '--json'])).stdout);
    expect(json.failures[0].msg.length).toBeLessThan(1100);
  });

  // Concurrent: each case writes and reads its own file, through its own CLI process.
  it.concurrent.each([
    ['not JSON', () => writeFileSync(join(dir, 'text.json'), 'PLAY [all] ****'), 'text.json', /text\.json: is not JSON( \(line \d+, column \d+\))?; write it with ANSIBLE_STDOUT_CALLBACK=ansible.posix.json$/],
    ['JSON of another shape', () => writeFileSync(join(dir, 'shape.json'), '{"plays":[{"play":{"name":"p"},"tasks":[{"task":{},"hosts":{}}]}],"stats":{}}'), 'shape.json', /shape\.json: not a playbook run of the ansible\.posix\.json callback: plays\.0\.tasks\.0\.task\.name: Invalid input/],
    ['deep nesting', () => writeFileSync(join(dir, 'deep.json'), '['.repeat(200_000) + ']'.repeat(200_000)), 'deep.json', /deep\.json: (is not JSON|not a playbook run)/],
    ['a huge (sparse) file', () => (writeFileSync(join(dir, 'huge.json'), ''), truncateSync(join(dir, 'huge.json'), 65 * 1024 * 1024)), 'huge.json', /huge\.json: is 68157440 bytes; a playbook run file may have at most 67108864$/],
    ['a missing file', () => undefined, 'missing.json', /missing\.json: no such file$/],
    ['path traversal to a file that is not a run', () => undefined, '../../../../../../etc/passwd', /passwd: is not JSON/],
  ])('%s: one line naming the file and the problem, exit 2', async (_name, make, file, message) => {
    make();
    const result = await report([file.startsWith('..') ? join(dir, file) : join(dir, file)]);
    expectExit(result.exitCode, 2);
    expectNoStackTrace(result.stderr);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr).not.toContain('root:x:0');
    expect(result.stdout).toBe('');
  });

  it('a FIFO and /dev/zero are refused without blocking', async () => {
    const fifo = join(dir, 'fifo.json');
    await execa('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      const result = await report([path]);
      expectExit(result.exitCode, 2);
      expect(result.stderr.trim()).toMatch(/: is not a regular file$/);
    }
  });

  it('a file name starting with "-" is an unknown option, not a file; after "--" it is a file', async () => {
    const dashed = await report(['-x.json']);
    expectExit(dashed.exitCode, 64);
    expectNoStackTrace(dashed.stderr);
    const afterDashes = await runOtshell(['fleet', 'report', '--', '-x.json'], { stateDir: state.dir });
    expect([2, 64]).toContain(afterDashes.exitCode);
    expect(afterDashes.stderr.trim().split('\n')).toHaveLength(1);
  });
});
