// The architecture's rules, checked on every run.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const SRC = join(REPO_ROOT, 'src');
const files = sourceFiles(SRC).map((path) => ({ path: relative(REPO_ROOT, path), text: readFileSync(path, 'utf8') }));
/** Code without comments, so a comment that mentions /proc is not a violation. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('design rules', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('no file under src/commands imports Ink or React', () => {
    const offenders = files.filter((f) => f.path.startsWith('src/commands/') && /from\s+['"](ink|react)(\/[^'"]*)?['"]/.test(f.text));
    expect(offenders.map((f) => f.path)).toEqual([]);
  });

  it('only src/system spawns processes or reads /proc, /sys or network configuration', () => {
    const spawning = /from\s+['"](node:)?child_process['"]|from\s+['"]execa['"]|require\(['"](node:)?child_process['"]\)/;
    const osPaths = /['"`]\/(proc|sys)\/|['"`]\/etc\/(netplan|resolv\.conf|network|hosts)/;
    const offenders = files
      .filter((f) => !f.path.startsWith('src/system/'))
      .filter((f) => spawning.test(code(f.text)) || osPaths.test(code(f.text)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('execa is never called with shell: true', () => {
    const offenders = files.filter((f) => /shell\s*:\s*(true|['"`])/.test(code(f.text))).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('the rule checks themselves catch a violation', () => {
    expect(/from\s+['"](ink|react)(\/[^'"]*)?['"]/.test(`import { Box } from 'ink';`)).toBe(true);
    expect(/shell\s*:\s*(true|['"`])/.test(code(`execa('ls', [], { shell: true })`))).toBe(true);
    expect(/shell\s*:\s*(true|['"`])/.test(code(`// shell: true is banned`))).toBe(false);
  });
});
