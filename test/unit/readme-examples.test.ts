// The README stays true: every command in a fenced `sh` block runs against a fresh
// simulated sensor (one per block; the lines of a block share it, in order) and
// must end with the exit code written after it (`# exit N`; none means 0).
// A line marked `# needs: REASON` needs more than a simulator and is skipped,
// with the reason printed. `otshell` is `node bin/otshell.js --state-dir TMP`.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT } from '../helpers/cli.js';

interface Example {
  line: number;
  command: string;
  exitCode: number;
  needs?: string;
}

/** Each `sh` block's commands, with their documented exit codes. */
export function readmeExamples(markdown: string): Example[][] {
  const blocks: Example[][] = [];
  const lines = markdown.split('\n');
  let block: Example[] | null = null;
  lines.forEach((text, index) => {
    if (block === null) {
      if (/^```sh\s*$/.test(text)) block = [];
      return;
    }
    if (/^```\s*$/.test(text)) {
      blocks.push(block);
      block = null;
      return;
    }
    if (text.trim() === '' || text.trim().startsWith('#')) return;
    // A comment starts at " # " (never inside the commands these examples use).
    const at = text.search(/\s#\s/);
    const command = (at < 0 ? text : text.slice(0, at)).trim();
    const comment = at < 0 ? '' : text.slice(at).trim();
    const needs = /#\s*needs:\s*(.+)$/.exec(comment)?.[1];
    const exit = /#\s*exit (\d+)\s*$/.exec(comment)?.[1];
    block.push({ line: index + 1, command, exitCode: exit ? Number(exit) : 0, needs });
  });
  return blocks;
}

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const blocks = readmeExamples(readme);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('README examples', () => {
  it('finds the shell examples, each either run or marked with what it needs', () => {
    const all = blocks.flat();
    expect(all.length).toBeGreaterThan(10);
    for (const example of all) {
      if (!example.needs) expect(example.command, `README line ${example.line}`).toMatch(/(^|\| *)otshell\b/);
    }
  });

  it.concurrent('the install step puts otshell on the PATH (npm install -g . into a temporary prefix)', async () => {
    // The README's `npm link` / `npm install -g .`, without touching this machine's global folder.
    const prefix = mkdtempSync(join(tmpdir(), 'otshell-prefix-'));
    dirs.push(prefix);
    const install = await execa('npm', ['install', '-g', '.', '--prefix', prefix, '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: REPO_ROOT, reject: false, timeout: 60_000 });
    expect(install.exitCode, install.stderr).toBe(0);
    const run = await execa('otshell', ['--version'], { reject: false, env: { PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
    expect(run.stdout).toMatch(/^otshell \d+\.\d+\.\d+$/);
  }, 70_000);

  it.concurrent.each(blocks.map((block, i) => [i + 1, block] as const))('sh block %i: every command ends with its documented exit code', async (_, block) => {
    const state = mkdtempSync(join(tmpdir(), 'otshell-readme-'));
    dirs.push(state);
    for (const example of block) {
      if (example.needs) {
        console.log(`skipped README line ${example.line} (${example.command}): needs ${example.needs}`);
        continue;
      }
      const script = `otshell() { node '${BIN}' --state-dir '${state}' "$@"; }\n${example.command}`;
      const result = await execa('sh', ['-c', script], { cwd: REPO_ROOT, reject: false, timeout: 30_000, input: '', env: { LANG: 'C.UTF-8', NO_COLOR: '1' } });
      expect(result.exitCode, `README line ${example.line}: ${example.command}\n${result.stdout}\n${result.stderr}`).toBe(example.exitCode);
      expect(result.stderr, `README line ${example.line}`).not.toMatch(/Internal error|at .*\.js:\d+/);
    }
    // A block runs up to ten commands one after another (sanity waits for its checks): generous on a loaded machine.
  }, 180_000);
});
