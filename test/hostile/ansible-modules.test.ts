// The collection's modules run by hand the way Ansible runs them on a sensor (python3 with the
// module's arguments in a JSON file), against a fake otshell that fails, prints no JSON, or is
// missing: every failure is Ansible's JSON with otshell's rc and message, never a traceback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, execaSync } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

function missing(): string | null {
  // A generous bound: importing ansible on a loaded 2-core machine can pass hasTool's 5 s.
  if (execaSync('/usr/bin/python3', ['-c', 'import ansible.module_utils.basic'], { reject: false, timeout: 60_000 }).exitCode === 0) return null;
  if (process.env.CI === 'true') throw new Error('ansible is required in CI: install it in .ci/run');
  console.warn('skipping: ansible is not installed (these tests run in CI)');
  return 'ansible';
}
const skip = missing();

describe.skipIf(skip !== null)('otshell.sensor modules when otshell fails', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'otshell-modules-'));
    mkdirSync(join(dir, 'ansible_collections/otshell'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'ansible'), join(dir, 'ansible_collections/otshell/sensor'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fake otshell: a shell script with this body. */
  function fake(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  async function runModule(module: string, args: Record<string, unknown>, options: { check?: boolean } = {}) {
    const argsFile = join(dir, `args-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(argsFile, JSON.stringify({ ANSIBLE_MODULE_ARGS: { ...args, ...(options.check ? { _ansible_check_mode: true } : {}) } }));
    const result = await execa('/usr/bin/python3', ['-m', `ansible_collections.otshell.sensor.plugins.modules.${module}`, argsFile], {
      reject: false,
      env: { PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1' },
      cwd: dir,
    });
    expect(result.stderr).not.toContain('Traceback');
    expect(result.stdout).not.toContain('Traceback');
    return { exitCode: result.exitCode, json: JSON.parse(String(result.stdout)) };
  }

  it('otshell exits with a code and a message: the module fails with that rc and msg', async () => {
    const otshell = fake('otshell-65', 'echo "services.yaml line 3: services.0.name: expected a string" >&2; exit 65');
    const { json } = await runModule('otshell_facts', { otshell_path: otshell, gather: ['sanity'] });
    expect(json).toMatchObject({ failed: true, rc: 65, msg: 'services.yaml line 3: services.0.name: expected a string' });
  });

  it('otshell is missing: rc 127 and a message naming it', async () => {
    const { json } = await runModule('otshell_backup', { otshell_path: join(dir, 'no-such-otshell') });
    expect(json).toMatchObject({ failed: true, rc: 127 });
    expect(json.msg).toContain('otshell was not found on the sensor');
    const onPath = await runModule('otshell_requirements', { otshell_path: 'otshell-not-on-path-xyz' });
    expect(onPath.json).toMatchObject({ failed: true, rc: 127 });
  });

  it('otshell prints something that is not JSON: the module fails saying so', async () => {
    const otshell = fake('otshell-text', 'echo "Version: 22.2.5.9"; exit 0');
    const { json } = await runModule('otshell_facts', { otshell_path: otshell, gather: ['version'] });
    expect(json).toMatchObject({ failed: true, rc: 1 });
    expect(json.msg).toBe('otshell printed output that is not JSON (exit 0): Version: 22.2.5.9');
  });

  it('otshell_settings passes values as --name=value, so a value starting with "-" stays a value; check mode only runs --dry-run', async () => {
    const log = join(dir, 'argv.log');
    const otshell = fake(
      'otshell-argv',
      `printf '%s\\n' "$@" >> ${log}; echo '{"status":"dry-run","changes":[{"field":"ip"}],"old":{"ip":"10.1.0.20"},"new":{"ip":"10.1.0.30"}}'`,
    );
    const { json } = await runModule('otshell_settings', { otshell_path: otshell, ip: '--yes', dns: ['-x', '10.1.0.2'] }, { check: true });
    expect(json).toMatchObject({ changed: true, address: '10.1.0.30', old_address: '10.1.0.20' });
    expect(json.diff.before).toContain('ip: "10.1.0.20"');
    const argv = (await import('node:fs')).readFileSync(log, 'utf8').split('\n');
    expect(argv).toContain('--ip=--yes');
    expect(argv).toContain('--dns=-x,10.1.0.2');
    expect(argv).toContain('--dry-run');
    expect(argv).not.toContain('--yes');
  });

  it('otshell_settings: invalid values are otshell\'s message with rc 1; a bad job path is refused', async () => {
    const otshell = fake('otshell-invalid', 'printf "This value is not valid; nothing was changed:\\n  --ip: \\"x\\" is not a valid IPv4 address.\\n" >&2; exit 1');
    const { json } = await runModule('otshell_settings', { otshell_path: otshell, ip: 'x' });
    expect(json).toMatchObject({ failed: true, rc: 1, msg: 'This value is not valid; nothing was changed: --ip: "x" is not a valid IPv4 address.' });
    const traversal = await runModule('otshell_settings', { otshell_path: otshell, step: 'confirm', job: '/tmp/../etc' });
    expect(traversal.json).toMatchObject({ failed: true, rc: 64 });
  });
});
