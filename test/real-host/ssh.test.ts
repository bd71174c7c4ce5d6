// --target ssh://: the same checks through a real sshd (private config, throwaway
// keys) running inside the test namespace, so the remote host is the namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, readdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSensorNamespace, drive, kernelState, missingParts, readText, removeStaleNamespaces, SETTINGS, startSshd, type Namespace, type Sshd } from './harness.js';
import { startTestServices, type TestServices } from './services-setup.js';
import { BIN } from '../helpers/cli.js';
import { revertTimer } from './revert-timer-watch.js';

const skip = missingParts(['root', 'ip', 'sshd', 'ssh']);
/** Issue #14: an apply over ssh in at most two round trips after the connection (src/system/linux/two-batch-apply.ts). */
const APPLY_ROUND_TRIPS = 2;

describe.skipIf(skip !== null)('--target ssh:// against a real sshd', () => {
  let ns: Namespace;
  let sshd: Sshd;
  let services: TestServices;
  let target: string;
  let sshTmp: string;
  const viaSsh = (args: string[], env: Record<string, string> = {}) =>
    ns.otshell(['--target', target, ...sshd.clientArgs, ...args], { env: { TMPDIR: sshTmp, ...env } });

  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
    sshd = await startSshd(ns);
    services = await startTestServices(ns, 18180);
    target = `ssh://root@127.0.0.1:${sshd.port}`;
    sshTmp = join(ns.dir, 'client-tmp');
    mkdirSync(sshTmp);
  });
  afterAll(async () => {
    await services?.stop();
    await sshd?.stop();
    await ns?.remove();
  });

  it('network list --json over ssh matches ip -j addr, and the ControlMaster is gone afterwards', async () => {
    const result = await viaSsh(['network', 'list', '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const listed = JSON.parse(result.stdout);
    const kernel = await ns.ipJson<any[]>(['addr', 'show']);
    expect(listed.interfaces.map((i: any) => [i.name, i.mac, i.mtu, i.promisc])).toEqual(kernel.map((l) => [l.ifname, l.address, l.mtu, l.flags.includes('PROMISC')]));
    expect(listed.interfaces.find((i: any) => i.name === 'eth0')).toMatchObject({ role: 'management', ipv4: [expect.objectContaining({ address: '10.77.0.20' })] });
    expect(listed.gateway).toBe('10.77.0.1');
    // The private ControlPath directory was removed at close, and no master is left running.
    expect(readdirSync(sshTmp)).toEqual([]);
    const masters = await execa('pgrep', ['-f', `ControlPath=${sshTmp}`], { reject: false });
    expect(masters.stdout).toBe('');
  });

  it('network list over ssh: one ssh process on a shared master, never one per read', async () => {
    // An ssh first on PATH that logs each call (NUL-terminated: a batch's script spans lines), then runs the real client.
    const realSsh = (await execa('sh', ['-c', 'command -v ssh'])).stdout.trim();
    const bin = join(ns.dir, 'counting-bin');
    const log = join(ns.dir, 'ssh-calls.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nprintf '%s\\0' "$*" >> '${log}'\nexec '${realSsh}' "$@"\n`, { mode: 0o755 });
    const env = { TMPDIR: sshTmp, PATH: `${bin}:${process.env.PATH}` };
    const calls = () => {
      const lines = (readText(log) ?? '').split('\0').filter(Boolean);
      rmSync(log, { force: true });
      return lines;
    };
    const expected = JSON.parse((await viaSsh(['network', 'list', '--json'])).stdout);

    // Its own connection, with the test config's netplan file off the default path:
    // the batch (which opens the master), that file, and -O exit at the end.
    const own = await viaSsh(['network', 'list', '--json'], env);
    expect(own.exitCode).toBe(0);
    expect(JSON.parse(own.stdout).interfaces.map((i: any) => i.name)).toEqual(expected.interfaces.map((i: any) => i.name));
    const ownCalls = calls();
    expect(ownCalls.length, ownCalls.join('\n---\n')).toBeLessThanOrEqual(3);
    expect(ownCalls[0]).not.toMatch(/-O exit/); // the log keeps calls apart
    expect(ownCalls.at(-1)).toMatch(/-O exit -- 127\.0\.0\.1$/);

    // The default netplan path: the batch (which also reads the netplan file) and -O exit.
    const config = join(ns.dir, 'default-netplan.yaml');
    writeFileSync(config, `roles:\n  management: eth0\n  monitor: [eth1, eth2]\nstateDir: ${ns.stateDir}\n`);
    const own2 = await ns.exec('node', [BIN, '--state-dir', ns.stateDir, '--config', config, '--target', target, ...sshd.clientArgs, 'network', 'list', '--json'], { env });
    expect(own2.stderr).toBe('');
    expect(JSON.parse(own2.stdout)).toMatchObject({ gateway: expected.gateway, interfaces: expected.interfaces.map((i: any) => ({ name: i.name, role: i.role, ipv4: i.ipv4 })) });
    const ownCalls2 = calls();
    expect(ownCalls2, ownCalls2.join('\n---\n')).toHaveLength(2);

    // A ControlPath of the user's is refused (otshell owns its master): no ssh runs at all.
    const shared = await ns.exec('node', [BIN, '--state-dir', ns.stateDir, '--config', config, '--target', target, ...sshd.clientArgs, '--ssh-option', `ControlPath=${join(ns.dir, 'user-cm')}`, 'network', 'list', '--json'], { env });
    expect(shared.exitCode).toBe(64);
    expect(shared.stderr).toMatch(/^--ssh-option #3: ControlPath is not allowed .*Allowed keys: Port, /);
    expect(calls()).toEqual([]);
  });

  it('applies settings over ssh, writes the netplan file remotely, and rolls back a failure', { timeout: 60_000 }, async () => {
    const request = { target, identityFile: sshd.identityFile, sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, 'IdentitiesOnly=yes'] };
    const next = { ...SETTINGS, ip: '10.77.0.33', inputInterfaces: ['eth1'], bridgeInterface: 'eth3' };
    expect(await drive(ns, { ...request, op: 'apply', settings: next })).toEqual({ ok: true, result: { kind: 'applied' } });
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.33']);
    expect(readText(ns.netplanFile)).toContain('10.77.0.33/24');
    expect(readText(ns.configPath)).toMatch(/monitor: \[ eth1 \]/);

    const before = await kernelState(ns);
    const fileBefore = readText(ns.netplanFile);
    const failed = await drive(ns, { ...request, op: 'apply', settings: { ...next, ip: '10.77.0.44', gateway: '10.99.0.1' } });
    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(/default gateway 10\.99\.0\.1 .*failed.*The change was rolled back/);
    expect(await kernelState(ns)).toBe(before);
    expect(readText(ns.netplanFile)).toBe(fileBefore);
  });

  // Issue #14 asks for an apply in at most two round trips after the connection.
  // Counted here through an ssh that logs each call; the figure (and the time next
  // to `ssh host true`) is also written for `npm run bench:real` when it asks.
  it('an apply over ssh: counts its round trips after the connection', { timeout: 120_000 }, async () => {
    const realSsh = (await execa('sh', ['-c', 'command -v ssh'])).stdout.trim();
    const bin = join(ns.dir, 'apply-counting-bin');
    const log = join(ns.dir, 'apply-ssh-calls.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nprintf '%s\\0' "$*" >> '${log}'\nexec '${realSsh}' "$@"\n`, { mode: 0o755 });
    const request = { target, identityFile: sshd.identityFile, sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, 'IdentitiesOnly=yes'] };
    const env = { TMPDIR: sshTmp, PATH: `${bin}:${process.env.PATH}` };
    const started = performance.now();
    const applied = await drive(ns, { ...request, op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.35' } }, { env, timeout: 90_000 });
    const applyMs = performance.now() - started;
    const calls = (readText(log) ?? '').split('\0').filter(Boolean);
    expect(applied, `after ${applyMs.toFixed(0)} ms and ${calls.length} ssh calls:\n${calls.map((c) => c.slice(-300)).join('\n---\n')}`).toEqual({ ok: true, result: { kind: 'applied' } });
    // The connection: the call that opens the master with a bare `true`; the end: `-O exit`.
    const roundTrips = calls.filter((c) => !/ -O exit /.test(c) && !/ -- \S+ true$/.test(c));
    const truth = performance.now();
    await ns.exec('ssh', ['-o', `UserKnownHostsFile=${sshd.knownHosts}`, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-i', sshd.identityFile, '-p', String(sshd.port), 'root@127.0.0.1', 'true']);
    const trueMs = performance.now() - truth;
    const figure = { roundTrips: roundTrips.length, applyMs, sshTrueMs: trueMs };
    if (process.env.OTSHELL_BENCH_APPLY_OUT) writeFileSync(process.env.OTSHELL_BENCH_APPLY_OUT, JSON.stringify(figure));
    console.log(`apply over ssh: ${roundTrips.length} round trips after the connection, ${applyMs.toFixed(0)} ms; ssh host true (own connection) ${trueMs.toFixed(0)} ms`);
    expect(roundTrips.length, roundTrips.join('\n---\n')).toBeLessThanOrEqual(APPLY_ROUND_TRIPS);
    expect(readText(ns.netplanFile)).toContain('10.77.0.35/24');
  });

  it('confirm-or-revert over ssh: reverts when not confirmed, keeps when confirmed with network confirm', { timeout: 90_000 }, async () => {
    const request = { target, identityFile: sshd.identityFile, sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, 'IdentitiesOnly=yes'] };
    const before = await kernelState(ns);
    // Windows no loaded 2-core machine can miss: the checks between apply and revert (or
    // confirm, over a fresh ssh connection) take a second or two.
    const first = await drive(ns, { ...request, op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.61' }, confirmTimeoutSeconds: 10 });
    expect(first.result?.kind).toBe('awaiting-confirmation');
    const changed = await kernelState(ns);
    expect(Date.now(), 'checked inside the window').toBeLessThan(Date.parse(first.result.revertAt));
    expect(changed).not.toBe(before);
    // The timer outlived the ssh session that started it; its window is ended early here
    // (the full wait runs in network.test.ts), the revert itself is the same script.
    const firstTimer = await revertTimer(ns.stateDir);
    await firstTimer.runOutNow();
    const deadline = Date.parse(first.result.revertAt) + 15_000;
    while (Date.now() < deadline && (await kernelState(ns)) !== before) await new Promise((r) => setTimeout(r, 200));
    expect(await kernelState(ns)).toBe(before);

    const second = await drive(ns, { ...request, op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.62' }, confirmTimeoutSeconds: 20 });
    expect(second.result?.kind).toBe('awaiting-confirmation');
    const timer = await revertTimer(ns.stateDir);
    const confirm = await viaSsh(['network', 'confirm']);
    expect(confirm.stdout).toContain('Confirmed: eth0 10.77.0.62/24');
    // The timer ended (stopped by the confirm, at the latest at the end of its window): nothing reverts after that.
    await timer.ended(Math.max(0, Date.parse(second.result.revertAt) - Date.now()) + 15_000);
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.62']);
    expect(readText(ns.netplanFile)).toContain('10.77.0.62/24');
  });

  it('a TCP check over ssh says running only after a real connection: unknown host, closed port, open port', async () => {
    const sanity = async (services: string[]) => {
      writeFileSync(ns.servicesFile, ['profile: test', 'services:', ...services, ''].join('\n'));
      const result = await viaSsh(['system', 'sanity', '--timeout', '3', '--json']);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(1);
      return JSON.parse(result.stdout).services as any[];
    };
    const ports = await sanity([`  - { name: Closed, tcp: "127.0.0.1:${services.ports.tcp + 7}" }`, `  - { name: Open, tcp: "127.0.0.1:${services.ports.tcp}" }`]);
    expect(ports.map((s) => [s.name, s.status]), JSON.stringify(ports)).toEqual([
      ['Closed', 'not-responding'],
      ['Open', 'running'],
    ]);
    expect(ports[0].detail).toMatch(/could not connect/);
    // Alone: sshd resolves a direct-tcpip host name in its session process, so a name
    // that does not resolve holds up the other channels of the same connection meanwhile.
    const nowhere = await sanity(['  - { name: Nowhere, tcp: "no-such-host.invalid:80" }']);
    expect(nowhere.map((s) => [s.name, s.status])).toEqual([['Nowhere', 'not-responding']]);
  });

  it('system sanity over ssh: up, hung reported as not responding in time', async () => {
    services.writeServices();
    const up = await viaSsh(['system', 'sanity', '--json']);
    expect(up.stderr).toBe('');
    expect(JSON.parse(up.stdout).services.filter((s: any) => s.status !== 'running')).toEqual([]);
    expect(JSON.parse(up.stdout).status).toBe('up');
    services.writeServices([`  - { name: Upload Manager Service, http: "http://127.0.0.1:${services.ports.hung}/" }`]);
    const started = Date.now();
    const hung = await viaSsh(['system', 'sanity', '--timeout', '1', '--json']);
    // Never hangs (9.7 s at a load average of 40, ssh connection and node start included);
    // the timeout itself is pinned to the millisecond in test/unit/sanity-status.test.ts.
    expect(Date.now() - started).toBeLessThan(20_000);
    const report = JSON.parse(hung.stdout);
    expect(report.services.find((s: any) => s.name === 'Upload Manager Service').status).toBe('not-responding');
    expect(hung.exitCode).toBe(1);
    services.writeServices();
    await services.stop();
    const down = JSON.parse((await viaSsh(['system', 'sanity', '--json'])).stdout);
    // Over ssh a port nobody accepts on is "not-responding": ssh reports a failed connect, not why.
    expect(down.services.map((s: any) => s.status)).toEqual(['stopped', 'not-responding', 'stopped', 'stopped']);
  });

  describe('connection failures get one clear line and never hang', () => {
    const cases: [string, () => string[], RegExp][] = [
      ['connection refused', () => ['--target', `ssh://root@127.0.0.1:${sshd.port + 1}`, ...sshd.clientArgs], /was refused: nothing listens there/],
      ['authentication failure', () => ['--target', target, '--identity-file', join(ns.dir, 'wrong_key'), '--ssh-option', `UserKnownHostsFile=${sshd.knownHosts}`, '--ssh-option', 'IdentitiesOnly=yes'], /Authentication as root .* failed/],
      ['host key mismatch', () => ['--target', target, '--identity-file', sshd.identityFile, '--ssh-option', `UserKnownHostsFile=${join(ns.dir, 'wrong_known_hosts')}`, '--ssh-option', 'IdentitiesOnly=yes'], /Host key mismatch/],
      ['unknown host key', () => ['--target', target, '--identity-file', sshd.identityFile, '--ssh-option', 'UserKnownHostsFile=/dev/null', '--ssh-option', 'IdentitiesOnly=yes'], /not in known_hosts/],
      ['timeout', () => ['--target', `ssh://root@127.0.0.1:${services.ports.hung}`, '--ssh-option', 'ConnectTimeout=2', ...sshd.clientArgs], /timed out/],
    ];
    beforeAll(async () => {
      await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(ns.dir, 'wrong_key')]);
      writeFileSync(join(ns.dir, 'wrong_known_hosts'), `[127.0.0.1]:${sshd.port} ${readFileSync(join(ns.dir, 'wrong_key.pub'), 'utf8')}`);
      // the hung port (a TCP server that never speaks) stands in for a host that does not answer
      services = await startTestServices(ns, 18280);
    });
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const started = Date.now();
        const result = await ns.otshell([...args(), 'network', 'list'], { env: { TMPDIR: sshTmp } });
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.exitCode).toBe(69);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(readdirSync(sshTmp)).toEqual([]);
      });
    }
  });
});
