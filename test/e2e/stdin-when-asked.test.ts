// Stdin only when asked: a one-shot command that asks no question never reads
// stdin, so a `while read` loop keeps its remaining lines for `read`.
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO_ROOT, tempStateDir } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('stdin only when asked', () => {
  it('a while-read loop over three captures analyses all three', async () => {
    const state = tempStateDir();
    cleanups.push(state.cleanup);
    const files = ['a', 'b', 'c'].map((name) => {
      const file = join(state.dir, `${name}.pcap`);
      copyFileSync(join(REPO_ROOT, 'samples/enip-sample.pcap'), file);
      return file;
    });
    const loop = `while read f; do node '${BIN}' --state-dir '${state.dir}' network validate-capture "$f"; echo "done $f"; done`;
    const result = await execa('sh', ['-c', loop], { input: `${files.join('\n')}\n`, reject: false, timeout: 30_000, env: { LANG: 'C.UTF-8' } });
    for (const file of files) {
      expect(result.stdout).toContain(`══ ${file} `);
      expect(result.stdout).toContain(`done ${file}`);
    }
  });

  it('a command that asks still reads its answer from the pipe', async () => {
    const state = tempStateDir();
    cleanups.push(state.cleanup);
    const result = await execa('node', [BIN, '--state-dir', state.dir, 'system', 'reboot'], { input: 'n\n', reject: false, timeout: 20_000, env: { LANG: 'C.UTF-8' } });
    expect(result.stdout).toMatch(/Are you sure\?/);
    expect(result.exitCode).toBe(0);
  });
});
