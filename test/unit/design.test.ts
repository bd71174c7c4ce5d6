// The architecture's rules, checked on every run from the import graph of src/
// (and bin/): layers point down only, output leaves only through src/output,
// Ink <Text> content only through SafeText, processes only from src/system.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { checkDesign, importsOf, layerOf, ALLOWED_IMPORTS, type SourceFile } from './design-rules.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

const files: SourceFile[] = [...sourceFiles(join(REPO_ROOT, 'src')), ...sourceFiles(join(REPO_ROOT, 'bin'))].map((path) => ({
  path: relative(REPO_ROOT, path).split('\\').join('/'),
  text: readFileSync(path, 'utf8'),
}));

/** The real tree plus one fixture file (replacing a real one of the same path). */
const withFixture = (path: string, text: string) => [...files.filter((f) => f.path !== path), { path, text }];
const rulesBroken = (list: SourceFile[]) => [...new Set(checkDesign(list).map((v) => `${v.rule} ${v.path}`))];

describe('design rules on src/', () => {
  it('finds the source files and places each in a layer', () => {
    expect(files.length).toBeGreaterThan(60);
    const unplaced = files.filter((f) => f.path.startsWith('src/') && layerOf(f.path) === null).map((f) => f.path);
    expect(unplaced).toEqual([]);
  });

  it('reads the import graph (static, type-only, export-from and dynamic imports)', () => {
    const known = new Set(files.map((f) => f.path));
    const main = files.find((f) => f.path === 'src/cli/main.ts')!;
    expect(importsOf(main, known).map((e) => e.target)).toContain('src/output/sink.ts');
    // What comes after the first prompt, and the shell, are loaded lazily: a dynamic import is an edge too.
    expect(importsOf(main, known).find((e) => e.target === 'src/cli/session-run.ts')?.dynamic).toBe(true);
    const session = files.find((f) => f.path === 'src/cli/session-run.ts')!;
    expect(importsOf(session, known).map((e) => e.target)).toContain('src/commands/resolve.ts');
    expect(importsOf(session, known).find((e) => e.target === 'src/ui/interactive.tsx')?.dynamic).toBe(true);
    const index = files.find((f) => f.path === 'src/capture/index.ts')!;
    expect(importsOf(index, known).map((e) => e.target)).toContain('src/capture/render.ts'); // export ... from
  });

  it('has no violation', () => {
    expect(checkDesign(files)).toEqual([]);
  });

  it('allow-lists no import (the lock change removed the last exception)', () => {
    expect(ALLOWED_IMPORTS).toEqual([]);
  });
});

describe('the checker fails on', () => {
  it('an upward import (commands -> output)', () => {
    const broken = withFixture('src/commands/fixture.ts', `import { PLAIN } from '../output/style.js';\nexport const x = PLAIN;\n`);
    expect(rulesBroken(broken)).toEqual(['layers src/commands/fixture.ts']);
  });

  it('an upward type-only import, an export-from and a dynamic import', () => {
    expect(rulesBroken(withFixture('src/net/fixture.ts', `import type { RenderStyle } from '../commands/types.js';`))).toEqual(['layers src/net/fixture.ts']);
    expect(rulesBroken(withFixture('src/ui/fixture.ts', `export { main } from '../cli/main.js';`))).toEqual(['layers src/ui/fixture.ts']);
    expect(rulesBroken(withFixture('src/output/fixture.ts', `const ui = await import('../ui/interactive.js');`))).toEqual(['layers src/output/fixture.ts']);
    expect(rulesBroken(withFixture('src/output/fixture.ts', `const name = 'x'; await import(name);`))).toEqual(['imports src/output/fixture.ts']);
    // Only the entry's bundle loader may (it imports a build output, dist/ink-runtime.mjs).
    expect(rulesBroken(withFixture('bin/fixture.js', `const name = 'x'; await import(name);`))).toEqual(['imports bin/fixture.js']);
  });

  it('a sideways import in the bottom level, and a leaf module importing anything', () => {
    expect(rulesBroken(withFixture('src/capture/fixture.ts', `import { SensorUnavailableError } from '../system/errors.js';`))).toEqual(['layers src/capture/fixture.ts']);
    expect(rulesBroken(withFixture('src/errors.ts', `import { VERSION } from './version.js';\nexport const EXIT = {};`))).toContain('layers src/errors.ts');
  });

  it('a command importing an implementation module of src/system (only the ports)', () => {
    expect(rulesBroken(withFixture('src/commands/fixture.ts', `import { acquireLock } from '../system/edit-lock.js';`))).toEqual(['ports src/commands/fixture.ts']);
  });

  it('console.log or process.stdout.write in a command, and a raw stream write in the CLI', () => {
    expect(rulesBroken(withFixture('src/commands/fixture.ts', `export function f() { console.log('hi'); }`))).toEqual(['output src/commands/fixture.ts']);
    expect(rulesBroken(withFixture('src/system/fixture.ts', `process.stderr.write('x');`))).toEqual(['output src/system/fixture.ts']);
    expect(rulesBroken(withFixture('src/cli/fixture.ts', `export const f = (s: any) => s.stdout.write('x');`))).toEqual(['output src/cli/fixture.ts']);
    // ...but not a comment that mentions it
    expect(rulesBroken(withFixture('src/commands/fixture.ts', `// console.log is banned here\nexport const y = 1;`))).toEqual([]);
  });

  it('a raw Ink <Text> (or Text import) in src/ui, and a raw terminal write', () => {
    const view = `import { Text } from 'ink';\nexport const V = ({ s }: { s: string }) => <Text>{s}</Text>;\n`;
    expect(rulesBroken(withFixture('src/ui/fixture.tsx', view))).toEqual(['text src/ui/fixture.tsx']);
    expect(rulesBroken(withFixture('src/ui/fixture.tsx', `export const f = (write: (s: string) => void) => write('\\u001b[2J');`))).toEqual([
      'output src/ui/fixture.tsx',
    ]);
  });

  it('Ink outside the view, spawning outside src/system, /proc reads and shell: true', () => {
    expect(rulesBroken(withFixture('src/commands/fixture.ts', `import { Box } from 'ink';`))).toEqual(['ink-react src/commands/fixture.ts']);
    expect(rulesBroken(withFixture('src/capture/fixture.ts', `import { execa } from 'execa';`))).toEqual(['spawn src/capture/fixture.ts']);
    expect(rulesBroken(withFixture('src/net/fixture.ts', `export const p = '/proc/net/route';`))).toEqual(['spawn src/net/fixture.ts']);
    expect(rulesBroken(withFixture('src/system/fixture.ts', `execa('ls', [], { shell: true });`))).toEqual(['spawn src/system/fixture.ts']);
  });

  it('node:fs/promises outside src/lazy-fs.ts (its types are fine)', () => {
    expect(rulesBroken(withFixture('src/system/fixture.ts', `import { readFile } from 'node:fs/promises';`))).toEqual(['lazy-fs src/system/fixture.ts']);
    expect(rulesBroken(withFixture('src/cli/fixture.ts', `const { stat } = await import('fs/promises');`))).toEqual(['lazy-fs src/cli/fixture.ts']);
    expect(rulesBroken(withFixture('src/net/fixture.ts', `import { promises as fsp } from 'node:fs';`))).toEqual(['lazy-fs src/net/fixture.ts']);
    expect(rulesBroken(withFixture('src/system/fixture.ts', `import type { FileHandle } from 'node:fs/promises';\nimport { readFile } from '../lazy-fs.js';`))).toEqual([]);
  });
});
