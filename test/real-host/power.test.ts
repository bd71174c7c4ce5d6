// reboot and shutdown with --target local on a real host, without powering
// anything off: PATH starts with a directory of fake `reboot`, `poweroff` and
// `systemctl` that only log their name and arguments. Before the adapter runs
// as root, the test proves those fakes are what the namespace would run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSensorNamespace, drive, missingParts, removeStaleNamespaces, type Namespace } from './harness.js';
import { hasTool } from '../helpers/tool.js';

const skip = missingParts(['root', 'ip']) ?? (hasTool('setpriv', ['--version']) ? null : noSetpriv());

function noSetpriv(): string {
  const reason = 'the power tests need setpriv (util-linux) for the "needs root" check';
  if (process.env.CI === 'true') throw new Error(`${reason}: CI must have it installed (.ci/run)`);
  console.warn(`skipping: ${reason} (these tests run in CI)`);
  return reason;
}

const FAKES = ['reboot', 'poweroff', 'systemctl'] as const;

describe.skipIf(skip !== null)('system reboot / shutdown with --target local (fake power commands)', () => {
  let ns: Namespace;
  let fakeDir: string;
  let log: string;
  let env: Record<string, string>;
  // The adapter chooses systemctl when /run/systemd/system exists; so does the expectation.
  const systemd = existsSync('/run/systemd/system');
  const expected = (action: 'reboot' | 'poweroff') => (systemd ? `systemctl ${action}` : action);

  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    chmodSync(ns.dir, 0o755);
    fakeDir = mkdtempSync(join(tmpdir(), 'otshell-fake-power-'));
    chmodSync(fakeDir, 0o755);
    log = join(fakeDir, 'calls.log');
    writeFileSync(log, '');
    chmodSync(log, 0o666); // so a call made as nobody would be logged too, not hidden by EACCES
    for (const name of FAKES) {
      writeFileSync(join(fakeDir, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\nexit 0\n`);
      chmodSync(join(fakeDir, name), 0o755);
    }
    env = { PATH: `${fakeDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` };
  });
  afterAll(async () => {
    await ns?.remove();
    if (fakeDir) rmSync(fakeDir, { recursive: true, force: true });
  });

  const logged = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => line.trimEnd());

  /** Guard: the namespace's exec must hand our PATH through, or the real commands would run. */
  async function assertFakesFirst(): Promise<void> {
    for (const name of FAKES) {
      const found = await ns.exec('sh', ['-c', `command -v ${name}`], { env });
      expect(found.stdout.trim(), `${name} must resolve to the fake`).toBe(join(fakeDir, name));
    }
  }

  it('the namespace exec passes PATH through, so the fakes come first', async () => {
    await assertFakesFirst();
  });

  it.each([
    ['reboot', 'reboot'],
    ['shutdown', 'poweroff'],
  ] as const)('%s runs the system command (%s) and succeeds', async (op, action) => {
    await assertFakesFirst();
    writeFileSync(log, '');
    const outcome = await drive(ns, { op, stateDir: ns.stateDir }, { env });
    expect(outcome).toEqual({ ok: true });
    expect(logged()).toEqual([expected(action)]);
  });

  it.each([
    ['reboot', /^Restarting the sensor needs root \(or CAP_NET_ADMIN\) on local; run otshell as root \("sudo otshell \.\.\."\)\. Nothing was changed\.$/],
    ['shutdown', /^Powering the sensor off needs root \(or CAP_NET_ADMIN\) on local; run otshell as root \("sudo otshell \.\.\."\)\. Nothing was changed\.$/],
  ] as const)('%s as an unprivileged user is refused with "needs root" and runs nothing', async (op, message) => {
    await assertFakesFirst();
    writeFileSync(log, '');
    const outcome = await drive(ns, { op, stateDir: ns.stateDir }, { env, asUser: 65534 });
    expect(outcome).toMatchObject({ ok: false, name: 'NeedsRootError' });
    expect(outcome.message).toMatch(message);
    expect(logged()).toEqual([]);
  });

  it('a failing power command is reported, not taken for success', async () => {
    await assertFakesFirst();
    writeFileSync(log, '');
    const failing = systemd ? 'systemctl' : 'poweroff';
    const path = join(fakeDir, failing);
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, `#!/bin/sh\necho "${failing} $*" >> '${log}'\necho 'Failed to power off system: Access denied' >&2\nexit 1\n`);
    try {
      const outcome = await drive(ns, { op: 'shutdown', stateDir: ns.stateDir }, { env });
      expect(outcome.ok).toBe(false);
      expect(outcome.message).toBe(`${expected('poweroff')} failed: Failed to power off system: Access denied`);
      expect(logged()).toEqual([expected('poweroff')]);
    } finally {
      writeFileSync(path, original);
    }
  });
});
