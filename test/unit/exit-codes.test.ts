// The README's "Exit codes" table and src/errors.ts EXIT are the same list, both ways,
// and no module in src picks an exit code of its own.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODES } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/cli.js';

function readmeExitTable(): Map<number, string[]> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Exit codes');
  expect(start, 'README has an "### Exit codes" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n### ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const rows = new Map<number, string[]>();
  for (const line of section.split('\n')) {
    const match = /^\|\s*(\d+)\s*\|(.*)\|\s*$/.exec(line);
    if (!match) continue;
    const cells = match[2]!.split(/(?<!\\)\|/).map((cell) => cell.trim());
    expect(rows.has(Number(match[1])), `code ${match[1]} listed twice`).toBe(false);
    rows.set(Number(match[1]), cells);
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('exit codes', () => {
  it('the README lists every code in EXIT, and only those', () => {
    const table = readmeExitTable();
    expect([...table.keys()].sort((a, b) => a - b)).toEqual([...EXIT_CODES].sort((a, b) => a - b));
  });

  it('each README row says what the code means and what to do', () => {
    for (const [code, cells] of readmeExitTable()) {
      expect(cells, `row ${code}`).toHaveLength(2);
      expect(cells[0]!.length, `meaning of ${code}`).toBeGreaterThan(5);
      expect(cells[1]!.length, `what to do for ${code}`).toBeGreaterThan(3);
    }
  });

  it('EXIT names each code once', () => {
    expect(new Set(EXIT_CODES).size).toBe(Object.keys(EXIT).length);
  });

  it('no module in src sets an exit code from a bare number', () => {
    const offenders: string[] = [];
    const patterns = [
      /exitCode\s*(=|:)\s*\d/, // readonly exitCode = 78; { exitCode: 64 }
      /exitCode\s*\?\?\s*\d/,
      /\?\s*\d+\s*:\s*\d+\s*\)\s*,?\s*$/, // (x ? 130 : 0)
      /process\.exit(Code\s*=\s*|\()\d/,
      /(UserError|OtshellError)\([^;]*,\s*\d+\)/,
      /_EXIT_CODE\b/,
    ];
    for (const file of sourceFiles(join(REPO_ROOT, 'src'))) {
      if (file.endsWith(join('src', 'errors.ts'))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/runner|RunResult|result\.exitCode|child\.exitCode|stdout: /.test(line)) return; // exit codes of programs otshell runs
          if (patterns.some((p) => p.test(line))) offenders.push(`${file.slice(REPO_ROOT.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
