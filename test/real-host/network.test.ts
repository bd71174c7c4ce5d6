// --target local on a real kernel: a namespace per test file with veth pairs,
// otshell run inside it. Never this machine's own interfaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSensorNamespace, drive, kernelState, missingParts, readText, removeStaleNamespaces, SETTINGS, type Namespace } from './harness.js';
import { skipWithout } from '../helpers/tool.js';
import { revertTimer } from './revert-timer-watch.js';

const skip = missingParts(['root', 'ip', 'netplan']);
/** Confirm-or-revert windows: wide enough that a loaded 2-core machine never misses them. */
const CONFIRM_WINDOW_SECONDS = 10;

describe.skipIf(skip !== null)('--target local in a network namespace', () => {
  let ns: Namespace;
  beforeAll(async () => {
    removeStaleNamespaces();
    ns = await createSensorNamespace();
  });
  afterAll(async () => {
    await ns?.remove();
  });

  it('network list --json matches ip -j addr', async () => {
    const result = await ns.otshell(['--target', 'local', 'network', 'list', '--json']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const listed = JSON.parse(result.stdout);
    const kernel = await ns.ipJson<any[]>(['addr', 'show']);
    expect(listed.interfaces.map((i: any) => i.name)).toEqual(kernel.map((l) => l.ifname));
    for (const link of kernel) {
      const iface = listed.interfaces.find((i: any) => i.name === link.ifname);
      expect(iface.mac).toBe(link.address);
      expect(iface.mtu).toBe(link.mtu);
      expect(iface.up).toBe(link.flags.includes('UP'));
      expect(iface.promisc).toBe(link.flags.includes('PROMISC'));
      expect(iface.ipv4.map((a: any) => `${a.address}/${a.prefixLength}`)).toEqual(
        (link.addr_info ?? []).filter((a: any) => a.family === 'inet').map((a: any) => `${a.local}/${a.prefixlen}`),
      );
    }
    const roles = Object.fromEntries(listed.interfaces.map((i: any) => [i.name, i.role]));
    expect(roles).toMatchObject({ lo: 'loopback', eth0: 'management', eth1: 'monitor', eth2: 'monitor', eth3: 'unused' });
    expect(listed.gateway).toBe('10.77.0.1');
    const eth0 = listed.interfaces.find((i: any) => i.name === 'eth0');
    expect(eth0.ipv4[0]).toEqual({ address: '10.77.0.20', prefixLength: 24, netmask: '255.255.255.0', broadcast: '10.77.0.255' });
    expect(eth0.flags).toEqual(['UP', 'BROADCAST', 'RUNNING', 'MULTICAST']);
    expect(eth0.flagsValue).toBe(4163);

    const text = await ns.otshell(['--target', 'local', 'network', 'list', 'eth0']);
    expect(text.stdout).toContain('eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500');
    expect(text.stdout).toContain('inet 10.77.0.20  netmask 255.255.255.0  broadcast 10.77.0.255');
  });

  it('network list --json RX and TX counters match ip -j -s link (received vs sent)', async () => {
    // Asymmetric traffic: broadcast pings out of eth0 are not answered (the kernel ignores
    // broadcast echo), so eth0 sends far more than it receives.
    const ping = await ns.exec('ping', ['-b', '-c', '20', '-i', '0.05', '-W', '1', '-I', 'eth0', '10.77.0.255']);
    expect(ping.stderr).not.toMatch(/unknown|invalid/i);
    const counters = async () => {
      const links = await ns.ipJson<any[]>(['-s', 'link', 'show']);
      return new Map(links.map((l) => [l.ifname as string, l.stats64 as { rx: Record<string, number>; tx: Record<string, number> }]));
    };
    const before = await counters();
    const result = await ns.otshell(['--target', 'local', 'network', 'list', '--json']);
    const after = await counters();
    expect(result.exitCode).toBe(0);
    const listed = JSON.parse(result.stdout);
    // Counters only grow: what otshell read lies between the kernel's reads before and after.
    const between = (value: number, low: number, high: number) => value >= low && value <= high;
    const sent = before.get('eth0')!.tx.packets - before.get('eth0')!.rx.packets;
    // The traffic is asymmetric enough to tell RX from TX: 20 sent, a margin for the odd packet
    // received meanwhile (neighbour discovery from the peer) on a loaded machine.
    expect(sent).toBeGreaterThanOrEqual(10);
    for (const iface of listed.interfaces) {
      const b = before.get(iface.name)!;
      const a = after.get(iface.name)!;
      for (const [field, kernel] of [['packets', 'packets'], ['bytes', 'bytes'], ['errors', 'errors'], ['dropped', 'dropped']] as const) {
        expect(between(iface.rx[field], b.rx[kernel]!, a.rx[kernel]!), `${iface.name} rx.${field} ${iface.rx[field]} not in [${b.rx[kernel]}, ${a.rx[kernel]}]`).toBe(true);
        expect(between(iface.tx[field], b.tx[kernel]!, a.tx[kernel]!), `${iface.name} tx.${field} ${iface.tx[field]} not in [${b.tx[kernel]}, ${a.tx[kernel]}]`).toBe(true);
      }
      expect(between(iface.tx.carrier, b.tx.carrier_errors!, a.tx.carrier_errors!)).toBe(true);
      expect(between(iface.tx.collisions, b.tx.collisions!, a.tx.collisions!)).toBe(true);
    }
    const eth0 = listed.interfaces.find((i: any) => i.name === 'eth0');
    expect(eth0.tx.packets - eth0.rx.packets).toBeGreaterThanOrEqual(10);
    // The text shows the same numbers on the RX and TX lines.
    const text = (await ns.otshell(['--target', 'local', 'network', 'list', 'eth0'])).stdout;
    const rxLine = /RX packets (\d+)/.exec(text)!;
    const txLine = /TX packets (\d+)/.exec(text)!;
    expect(Number(txLine[1]) - Number(rxLine[1])).toBeGreaterThanOrEqual(6);
  });

  it('the loopback is listed without a broadcast address', async () => {
    const text = await ns.otshell(['--target', 'local', 'network', 'list', 'lo']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^ {8}inet 127\.0\.0\.1 {2}netmask 255\.0\.0\.0$/m);
    expect(text.stdout).not.toContain('broadcast');
    expect(text.stdout).toContain('(Local Loopback)');
  });

  it('applies new settings to the kernel and writes a netplan file that netplan generate accepts', async () => {
    const next = { ...SETTINGS, ip: '10.77.0.30', prefixLength: 25, dns: ['10.77.0.53', '10.77.0.54'], inputInterfaces: ['eth1'], bridgeInterface: 'eth3' };
    const outcome = await drive(ns, { op: 'apply', settings: next });
    expect(outcome).toEqual({ ok: true, result: { kind: 'applied' } });

    const links = await ns.ipJson<any[]>(['addr', 'show']);
    const eth0 = links.find((l) => l.ifname === 'eth0');
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => `${a.local}/${a.prefixlen}`)).toEqual(['10.77.0.30/25']);
    expect(links.find((l) => l.ifname === 'eth1').flags).toContain('PROMISC');
    expect(links.find((l) => l.ifname === 'eth2').flags).not.toContain('PROMISC');
    expect(links.find((l) => l.ifname === 'eth3').flags).toContain('UP');
    const routes = await ns.ipJson<any[]>(['route', 'show', 'default']);
    expect(routes).toEqual([expect.objectContaining({ dst: 'default', gateway: '10.77.0.1', dev: 'eth0' })]);

    // The file is netplan's: validated by netplan itself.
    const yaml = readFileSync(ns.netplanFile, 'utf8');
    expect(yaml).toContain('10.77.0.30/25');
    const root = join(ns.dir, 'netplan-root');
    mkdirSync(join(root, 'etc/netplan'), { recursive: true });
    cpSync(ns.netplanFile, join(root, 'etc/netplan/50-otshell.yaml'));
    const generated = await execa('netplan', ['generate', '--root-dir', root], { reject: false });
    expect(generated.stderr).not.toMatch(/error/i);
    expect(generated.exitCode).toBe(0);
    const networkd = readFileSync(join(root, 'run/systemd/network/10-netplan-eth0.network'), 'utf8');
    expect(networkd).toContain('Address=10.77.0.30/25');
    expect(networkd).toContain('Gateway=10.77.0.1');
    expect(networkd).toContain('DNS=10.77.0.53');
    expect(networkd).not.toContain('RequiredForOnline=no');
    // The monitor and the bridge carry no address and must not hold up boot (optional: true).
    for (const name of ['eth1', 'eth3']) {
      const unit = readFileSync(join(root, `run/systemd/network/10-netplan-${name}.network`), 'utf8');
      expect(unit, name).toContain('RequiredForOnline=no');
      expect(unit, name).not.toMatch(/^Address=/m);
    }

    // The roles moved with the settings; list and getNetworkSettings read them back.
    const listed = JSON.parse((await ns.otshell(['--target', 'local', 'network', 'list', '--json'])).stdout);
    expect(Object.fromEntries(listed.interfaces.map((i: any) => [i.name, i.role]))).toMatchObject({ eth1: 'monitor', eth2: 'unused', eth3: 'bridge' });
    expect(listed.dns).toEqual(['10.77.0.53', '10.77.0.54']);
    const settings = await drive(ns, { op: 'settings' });
    expect(settings.result.current).toEqual(next);

    // A second change keeps the previous file as a numbered backup.
    expect(await drive(ns, { op: 'apply', settings: SETTINGS })).toEqual({ ok: true, result: { kind: 'applied' } });
    const backups = readdirSync(join(ns.dir, 'etc/netplan')).filter((n) => n.includes('.~'));
    expect(backups).toEqual(['50-otshell.yaml.~1~']);
    expect(readFileSync(join(ns.dir, 'etc/netplan/50-otshell.yaml.~1~'), 'utf8')).toBe(yaml);
  });

  it('a failure midway (a gateway the kernel rejects) rolls back to the exact previous state and file', async () => {
    const before = await kernelState(ns);
    const fileBefore = readText(ns.netplanFile);
    const configBefore = readText(ns.configPath);
    // 10.99.0.1 is outside every subnet: the kernel refuses the route after the address changed.
    const outcome = await drive(ns, {
      op: 'apply',
      settings: { ...SETTINGS, ip: '10.77.0.40', gateway: '10.99.0.1', inputInterfaces: ['eth2'], bridgeInterface: 'eth3' },
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/setting the default gateway 10\.99\.0\.1 on eth0 failed: .*(Nexthop|unreachable|invalid)/i);
    expect(outcome.message).toContain('The change was rolled back');
    expect(await kernelState(ns)).toBe(before);
    expect(readText(ns.netplanFile)).toBe(fileBefore);
    expect(readText(ns.configPath)).toBe(configBefore);
  });

  it('an interface that does not exist is refused before anything is touched', async () => {
    const before = await kernelState(ns);
    const outcome = await drive(ns, { op: 'apply', settings: { ...SETTINGS, inputInterfaces: ['eth1', 'ghost9'] } });
    expect(outcome).toMatchObject({ ok: false, message: expect.stringContaining('no interface named "ghost9"') });
    expect(await kernelState(ns)).toBe(before);
  });

  // setpriv (util-linux) drops root for the child; without it the test says so, and fails in CI.
  it.skipIf(skipWithout('setpriv', ['--version']))('without root a change fails with "needs root" and nothing is touched', async () => {
    chmodSync(ns.dir, 0o755); // nobody must be able to read the sensor's config
    const before = await kernelState(ns);
    const fileBefore = readText(ns.netplanFile);
    const outcome = await drive(ns, { op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.50' } }, { asUser: 65534 });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/needs root \(or CAP_NET_ADMIN\).*Nothing was changed/);
    expect(await kernelState(ns)).toBe(before);
    expect(readText(ns.netplanFile)).toBe(fileBefore);
    // Reads still work without root.
    const list = await ns.exec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', join(process.cwd(), 'bin/otshell.js'), '--state-dir', ns.stateDir, '--config', ns.configPath, '--target', 'local', 'network', 'list', '--json']);
    expect(list.exitCode).toBe(0);
  });

  it('confirm-or-revert: not confirmed, the previous settings come back on their own', { timeout: 60_000 }, async () => {
    const before = await kernelState(ns);
    const fileBefore = readText(ns.netplanFile);
    const started = Date.now();
    // A window no loaded 2-core machine can miss between the apply and the checks below
    // (they take well under a second); the revert itself is waited for, not slept for.
    const outcome = await drive(ns, { op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.60' }, confirmTimeoutSeconds: CONFIRM_WINDOW_SECONDS });
    expect(outcome.ok).toBe(true);
    expect(outcome.result.kind).toBe('awaiting-confirmation');
    const revertAt = Date.parse(outcome.result.revertAt);
    expect(revertAt - started).toBeGreaterThan(CONFIRM_WINDOW_SECONDS * 1000 - 500);
    // The applying process has exited: the change is live, the file not yet written.
    const live = await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']);
    const file = readText(ns.netplanFile);
    expect(Date.now(), 'the checks ran inside the window').toBeLessThan(revertAt);
    expect(live[0].addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.60']);
    expect(file).toBe(fileBefore);

    await waitFor(async () => (await kernelState(ns)) === before, revertAt - Date.now() + 15_000);
    expect(await kernelState(ns)).toBe(before);
    const confirm = await ns.otshell(['--target', 'local', 'network', 'confirm']);
    expect(confirm.exitCode).toBe(1);
    expect(confirm.stderr + confirm.stdout).toMatch(/not confirmed in time and was reverted/);
  });

  it('confirm-or-revert: confirmed with network confirm, the change stays and is saved', { timeout: 60_000 }, async () => {
    const outcome = await drive(ns, { op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.70' }, confirmTimeoutSeconds: CONFIRM_WINDOW_SECONDS });
    expect(outcome.result?.kind).toBe('awaiting-confirmation');
    const timer = await revertTimer(ns.stateDir);
    const confirm = await ns.otshell(['--target', 'local', 'network', 'confirm']);
    expect(confirm.stdout).toContain('Confirmed: eth0 10.77.0.70/24 via 10.77.0.1');
    expect(confirm.exitCode).toBe(0);
    // Once the timer has ended (stopped by the confirm, or at the latest at the end of its window)
    // nothing can revert any more: waiting for that is waiting past the countdown, without its sleep.
    await timer.ended(Math.max(0, Date.parse(outcome.result.revertAt) - Date.now()) + 15_000);
    const live = await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']);
    expect(live[0].addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.70']);
    expect(readText(ns.netplanFile)).toContain('10.77.0.70/24');
    const again = await ns.otshell(['--target', 'local', 'network', 'confirm']);
    expect(again.exitCode).toBe(1);
    expect(again.stdout + again.stderr).toContain('Nothing to confirm');
  });

  it('a change that touches the SSH session interface gets the countdown without --confirm-timeout', async () => {
    const outcome = await drive(
      ns,
      { op: 'apply', settings: { ...SETTINGS, ip: '10.77.0.80' } },
      { env: { SSH_CONNECTION: '10.77.0.1 50000 10.77.0.70 22' } },
    );
    expect(outcome.result?.kind).toBe('awaiting-confirmation');
    const confirm = await drive(ns, { op: 'confirm' });
    expect(confirm.result).toMatchObject({ confirmed: true });
  });
});

async function waitFor(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(skip !== null)('network edit-settings --yes with --target local (the CLI path)', () => {
  let ns: Namespace;
  beforeAll(async () => {
    ns = await createSensorNamespace();
  });
  afterAll(async () => {
    await ns?.remove();
  });

  it('shows up in the kernel state afterwards', async () => {
    const result = await ns.otshell(['--target', 'local', 'network', 'edit-settings', '--ip', '10.77.0.90', '--gateway', '10.77.0.1', '--yes']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const eth0 = (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0];
    expect(eth0.addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local)).toEqual(['10.77.0.90']);
    expect(readText(ns.netplanFile)).toContain('10.77.0.90/24');
  });

  it('--confirm-timeout applies with a countdown; network confirm keeps the change', { timeout: 60_000 }, async () => {
    const started = Date.now();
    const applied = await ns.otshell(['--target', 'local', 'network', 'edit-settings', '--ip', '10.77.0.91', '--yes', '--confirm-timeout', String(CONFIRM_WINDOW_SECONDS)]);
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toMatch(/revert at .* unless you run "network confirm"/);
    const timer = await revertTimer(ns.stateDir);
    const inet = async () => (await ns.ipJson<any[]>(['addr', 'show', 'dev', 'eth0']))[0].addr_info.filter((a: any) => a.family === 'inet').map((a: any) => a.local);
    expect(await inet()).toEqual(['10.77.0.91']);
    const confirmed = await ns.otshell(['--target', 'local', 'network', 'confirm']);
    expect(confirmed.exitCode).toBe(0);
    // past the countdown (it started after `started`): nothing reverts once its timer has ended
    await timer.ended(Math.max(0, started + CONFIRM_WINDOW_SECONDS * 1000 - Date.now()) + 15_000);
    expect(await inet()).toEqual(['10.77.0.91']);
    expect(readText(ns.netplanFile)).toContain('10.77.0.91/24');
  });

  it('refuses a confirm timeout out of range before touching anything', async () => {
    const before = await kernelState(ns);
    const r = await ns.otshell(['--target', 'local', 'network', 'edit-settings', '--ip', '10.77.0.92', '--yes', '--confirm-timeout', '2']);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('--confirm-timeout takes whole seconds from 5 to 3600, not "2"');
    expect(await kernelState(ns)).toBe(before);
  });
});
