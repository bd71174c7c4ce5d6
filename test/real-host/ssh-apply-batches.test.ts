// The apply over ssh in two round trips (src/system/linux/two-batch-apply.ts),
// against a real sshd inside a test namespace: what it leaves behind (audit line,
// intent, lock, backup), a failure's rollback, a held lock, and a SIGTERM that
// arrives while the second batch runs. Each ssh call is counted by a logging
// `ssh` first on PATH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { createSensorNamespace, drive, kernelState, missingParts, readText, removeStaleNamespaces, SETTINGS, startSshd, type Namespace, type Sshd } from './harness.js';

const skip = missingParts(['root', 'ip', 'sshd', 'ssh']);

describe.skipIf(skip !== null)('apply over ssh in two batches', () => {
  let ns: Namespace;
  let sshd: Sshd;
  let realSsh: string;
  let sshTmp: string;
  let calls = 0;

  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    sshd = await startSshd(ns);
    realSsh = (await execa('sh', ['-c', 'command -v ssh'])).stdout.trim();
    sshTmp = join(ns.dir, 'client-tmp');
    mkdirSync(sshTmp);
  });
  afterAll(async () => {
    await sshd?.stop();
    await ns?.remove();
  });

  const auditLines = () => (readText(join(ns.stateDir, 'audit.jsonl')) ?? '').split('\n').filter(Boolean);
  const lockFile = () => join(ns.stateDir, 'edit-settings.lock');
  const intentFile = () => join(ns.stateDir, 'apply-intent.json');

  /** Applies through a logging ssh (`extra`: more shell run before the real ssh); returns the result and the round trips after the connection. */
  async function apply(settings: typeof SETTINGS, extra = '') {
    calls += 1;
    const bin = join(ns.dir, `bin-${calls}`);
    const log = join(ns.dir, `ssh-calls-${calls}.log`);
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nprintf '%s\\0' "$*" >> '${log}'\n${extra}\nexec '${realSsh}' "$@"\n`, { mode: 0o755 });
    const request = { target: `ssh://root@127.0.0.1:${sshd.port}`, identityFile: sshd.identityFile, sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, 'IdentitiesOnly=yes'] };
    const result = await drive(ns, { ...request, op: 'apply', settings }, { env: { TMPDIR: sshTmp, PATH: `${bin}:${process.env.PATH}` }, timeout: 90_000 }).catch((error: Error) => ({ ok: false, message: error.message }) as { ok: boolean; message?: string; result?: unknown });
    const all = (readText(log) ?? '').split('\0').filter(Boolean);
    return { result, roundTrips: all.filter((c) => !/ -O exit /.test(c) && !/ -- \S+ true$/.test(c)).length };
  }

  it('a successful apply: 2 round trips; its audit line (old and new), a numbered backup, no intent and no lock left', { timeout: 120_000 }, async () => {
    const before = auditLines().length;
    const netplanBefore = readText(ns.netplanFile);
    const { result, roundTrips } = await apply({ ...SETTINGS, ip: '10.77.0.71' });
    expect(result).toEqual({ ok: true, result: { kind: 'applied' } });
    expect(roundTrips).toBeLessThanOrEqual(2);
    const lines = auditLines();
    expect(lines).toHaveLength(before + 1);
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry.new.ip).toBe('10.77.0.71');
    expect(entry.old.ip).not.toBe('10.77.0.71');
    expect(entry.target).toMatch(/^ssh:\/\/root@127\.0\.0\.1:/);
    expect(existsSync(intentFile())).toBe(false);
    expect(existsSync(lockFile())).toBe(false);
    expect(readText(ns.netplanFile)).toContain('10.77.0.71/24');
    if (netplanBefore !== null) {
      const backups = readdirSync(dirname(ns.netplanFile)).filter((n) => /\.~\d+~$/.test(n));
      expect(backups.length).toBeGreaterThan(0);
      expect(backups.map((n) => readFileSync(join(dirname(ns.netplanFile), n), 'utf8'))).toContain(netplanBefore);
    }
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.71']);
  });

  it('with the lock held by the caller across the apply (network edit-settings): applied, the audit line by that caller, the lock released after', { timeout: 120_000 }, async () => {
    const before = auditLines().length;
    calls += 1;
    const request = { target: `ssh://root@127.0.0.1:${sshd.port}`, identityFile: sshd.identityFile, sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, 'IdentitiesOnly=yes'] };
    const bin = join(ns.dir, `bin-${calls}`);
    const log = join(ns.dir, `ssh-calls-${calls}.log`);
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nprintf '%s\\0' "$*" >> '${log}'\nexec '${realSsh}' "$@"\n`, { mode: 0o755 });
    const result = await drive(ns, { ...request, op: 'apply-held', settings: { ...SETTINGS, ip: '10.77.0.75' } }, { env: { TMPDIR: sshTmp, PATH: `${bin}:${process.env.PATH}` }, timeout: 90_000 });
    expect(result).toEqual({ ok: true, result: { kind: 'applied' } });
    // The apply itself went as the two batches: batch 1 without taking the lock, then the one write batch.
    const sshCalls = (readText(log) ?? '').split('\0').filter(Boolean);
    expect(sshCalls.filter((c) => c.includes('nnone')).length).toBe(1);
    expect(sshCalls.filter((c) => c.includes('no-intent')).length).toBe(1);
    const lines = auditLines();
    expect(lines).toHaveLength(before + 1);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ user: 'driver', new: { ip: '10.77.0.75' } });
    expect(existsSync(intentFile())).toBe(false);
    expect(existsSync(lockFile())).toBe(false);
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.75']);
  });

  it('a failing step: rolled back in the same batch (state and files as before), no audit line, no intent, no lock', { timeout: 120_000 }, async () => {
    const state = await kernelState(ns);
    const netplan = readText(ns.netplanFile);
    const config = readText(ns.configPath);
    const before = auditLines().length;
    const { result, roundTrips } = await apply({ ...SETTINGS, ip: '10.77.0.72', gateway: '10.99.0.1' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/setting the default gateway 10\.99\.0\.1 on eth0 failed: .+\. The change was rolled back/);
    // Two batches, then the intent's removal and the lock's release once the read-back shows the old state.
    expect(roundTrips).toBeLessThanOrEqual(3);
    expect(await kernelState(ns)).toBe(state);
    expect(readText(ns.netplanFile)).toBe(netplan);
    expect(readText(ns.configPath)).toBe(config);
    expect(auditLines()).toHaveLength(before);
    expect(existsSync(intentFile())).toBe(false);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('a lock held by another session: refused with its holder, nothing changed, the lock left as it was', { timeout: 120_000 }, async () => {
    const state = await kernelState(ns);
    const record = `${JSON.stringify({ user: 'alice', pid: 4242, host: 'other-host', since: new Date().toISOString(), id: '0123456789abcdef' })}\n`;
    writeFileSync(lockFile(), record);
    try {
      const { result } = await apply({ ...SETTINGS, ip: '10.77.0.73' });
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/being edited by alice .*pid 4242 on other-host/);
      expect(readText(lockFile())).toBe(record);
      expect(await kernelState(ns)).toBe(state);
    } finally {
      rmSync(lockFile(), { force: true });
    }
    expect(hostname()).not.toBe('other-host');
  });

  it('SIGTERM while the second batch runs: the change completes with its audit line, then otshell ends', { timeout: 120_000 }, async () => {
    const before = auditLines().length;
    // The second batch is the one whose script writes the intent: the signal goes to the driver as it starts.
    const { result } = await apply({ ...SETTINGS, ip: '10.77.0.74' }, `case "$*" in *audit.jsonl*apply-intent.json*) kill -TERM $PPID ;; esac`);
    // The signal was deferred until the batch returned, then ended the driver (143) before it printed its result.
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/driver printed no JSON \(exit 143\)/);
    const lines = auditLines();
    expect(lines).toHaveLength(before + 1);
    expect(JSON.parse(lines.at(-1)!).new.ip).toBe('10.77.0.74');
    expect(existsSync(intentFile())).toBe(false);
    expect(existsSync(lockFile())).toBe(false);
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.74']);
  });
});
