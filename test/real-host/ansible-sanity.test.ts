// ansible-test sanity for the otshell.sensor collection, as far as it runs offline, and the same
// checkers for the tests whose virtualenv ansible-test would download (scripts/ansible-sanity.sh).
import { describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/** Whether a command succeeds; a generous bound, since ansible's start-up on a loaded 2-core machine takes seconds. */
function works(command: string, args: string[]): boolean {
  return execaSync(command, args, { reject: false, timeout: 60_000 }).exitCode === 0;
}

function missing(): string | null {
  const parts: [string, string[], string][] = [
    ['sh', ['-c', 'command -v ansible-test'], 'ansible'],
    ['/usr/bin/python3', ['-c', 'import voluptuous'], 'python3-voluptuous'],
    ['/usr/bin/python3', ['-c', 'import pycodestyle'], 'pycodestyle'],
    ['/usr/bin/python3', ['-c', 'import yamllint'], 'yamllint'],
  ];
  const absent = parts.filter(([command, args]) => !works(command, args)).map(([, , name]) => name);
  if (absent.length === 0) return null;
  const reason = `the collection's sanity checks need ${absent.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}: install them in .ci/run`);
  console.warn(`skipping: ${reason} (these tests run in CI)`);
  return reason;
}
const skip = missing();

describe.skipIf(skip !== null)('the otshell.sensor collection', () => {
  it('passes ansible-test sanity (offline tests) and the offline equivalents of the rest', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const result = await execa(join(REPO_ROOT, 'scripts/ansible-sanity.sh'), [], { reject: false, all: true, env: { HOME: process.env.HOME ?? '/root' } });
    console.log(`ansible sanity: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(result.exitCode, String(result.all)).toBe(0);
    for (const step of ['validate-modules', 'pep8', 'yamllint', 'ansible-doc', 'import', 'runtime-metadata']) expect(String(result.all)).toMatch(new RegExp(`== ${step}[^\\n]*\\nok`));
    expect(String(result.all)).toContain('Running sanity test "compile"');
  });
});
