// ansible-test sanity for the otshell.sensor collection, as far as it runs offline, and the same
// checkers for the tests whose virtualenv ansible-test would download (scripts/ansible-sanity.sh).
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { hasTool } from '../helpers/tool.js';

function missing(): string | null {
  const parts = [
    ['ansible-test', ['--version'], 'ansible'],
    ['/usr/bin/python3', ['-c', 'import voluptuous'], 'python3-voluptuous'],
    ['/usr/bin/python3', ['-m', 'pycodestyle', '--version'], 'pycodestyle'],
    ['/usr/bin/python3', ['-c', 'import yamllint'], 'yamllint'],
  ] as const;
  const absent = parts.filter(([command, args]) => !hasTool(command, [...args])).map(([, , name]) => name);
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
