// ping, statistics, blink, version and date with --target local on a real
// kernel: a sensor namespace whose eth0 reaches a namespace that answers and
// whose eth1 reaches one that drops ICMP (nftables), both over veth pairs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingParts, startSshd, type Namespace, type Sshd } from './harness.js';
import { BIN } from '../helpers/cli.js';
import { skipWithout } from '../helpers/tool.js';

const skip = missingParts(['root', 'ip', 'sshd', 'ssh']) ?? (skipWithout('ping', ['-V']) || skipWithout('ethtool', ['--version']) || skipWithout('nft', ['--version']) ? 'tools' : null);

const REPLY = /^64 bytes from 10\.79\.0\.1: icmp_seq=[1-5] ttl=64 time=\d+(\.\d+)? ms$/;

// The ping tests wait on the network (five probes a second apart) and share nothing they change,
// so they run side by side (it.concurrent); the tests that write the version file run alone.
describe.skipIf(skip !== null)('diagnostics with --target local in namespaces', () => {
  const tag = `otdg${process.pid}`;
  const sensor = `${tag}s`;
  const answers = `${tag}r`;
  const drops = `${tag}d`;
  const dir = mkdtempSync(join(tmpdir(), 'otshell-diag-'));
  const versionFile = join(dir, 'sensor-version');
  const config = (management: string) => {
    const path = join(dir, `otshell-${management}.yaml`);
    // Written whole (temp + rename): the concurrent tests' CLIs read it while another test writes it.
    const temp = `${path}.${process.hrtime.bigint()}.tmp`;
    writeFileSync(temp, `roles:\n  management: ${management}\n  monitor: []\nstateDir: ${join(dir, 'state')}\nsensor:\n  versionFile: ${versionFile}\n`);
    renameSync(temp, path);
    return path;
  };
  const inNs = (ns: string, command: string, args: string[]) => execa('ip', ['netns', 'exec', ns, command, ...args], { reject: false, timeout: 60_000 });
  let sshd: Sshd | undefined;
  const otshell = async (args: string[], management = 'eth0', target: string[] = ['--target', 'local']) => {
    const result = await execa('ip', ['netns', 'exec', sensor, 'node', BIN, '--state-dir', join(dir, 'state'), '--config', config(management), ...target, ...args], {
      reject: false,
      timeout: 60_000,
      env: { LANG: 'C.UTF-8', NO_COLOR: '1', TMPDIR: join(dir, 'client-tmp') },
    });
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
  };

  beforeAll(async () => {
    for (const ns of [sensor, answers, drops]) {
      await execa('ip', ['netns', 'add', ns]);
      // No IPv6: router solicitations would move the counters the statistics test compares.
      await inNs(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
      await execa('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    await execa('ip', ['-n', sensor, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'r0', 'netns', answers]);
    await execa('ip', ['-n', sensor, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'd0', 'netns', drops]);
    await execa('ip', ['-n', sensor, 'addr', 'add', '10.79.0.20/24', 'dev', 'eth0']);
    await execa('ip', ['-n', sensor, 'addr', 'add', '10.79.1.20/24', 'dev', 'eth1']);
    await execa('ip', ['-n', answers, 'addr', 'add', '10.79.0.1/24', 'dev', 'r0']);
    await execa('ip', ['-n', drops, 'addr', 'add', '10.79.1.1/24', 'dev', 'd0']);
    for (const [ns, dev] of [[sensor, 'eth0'], [sensor, 'eth1'], [answers, 'r0'], [drops, 'd0']] as const) await execa('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    const rules = 'table inet otshell_test {\n chain input {\n  type filter hook input priority 0;\n  icmp type echo-request drop\n }\n}\n';
    const nft = await execa('ip', ['netns', 'exec', drops, 'nft', '-f', '-'], { input: rules, reject: false });
    expect(nft.exitCode, nft.stderr).toBe(0);
    mkdirSync(join(dir, 'client-tmp'));
    // The sensor namespace also runs a private sshd: the same commands with --target ssh://.
    sshd = await startSshd({ name: sensor } as Namespace);
  });

  afterAll(async () => {
    await sshd?.stop();
    for (const ns of [sensor, answers, drops]) await execa('ip', ['netns', 'del', ns], { reject: false });
    rmSync(dir, { recursive: true, force: true });
  });

  it.concurrent('ping to the namespace that answers: iputils\' own lines, five replies, exit 0', async () => {
    // The text and the JSON ping wait on the network (4 s each): side by side.
    const [result, jsonRun] = await Promise.all([otshell(['ping', '10.79.0.1']), otshell(['network', 'ping', '10.79.0.1', '--json'])]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('PING 10.79.0.1 (10.79.0.1) from 10.79.0.20 eth0: 56(84) bytes of data.');
    expect(lines.filter((l) => REPLY.test(l))).toHaveLength(5);
    expect(result.stdout).toContain('--- 10.79.0.1 ping statistics ---');
    expect(result.stdout).toMatch(/^5 packets transmitted, 5 received, 0% packet loss, time \d+ms$/m);
    expect(result.stdout).toMatch(/^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/m);
    const json = JSON.parse(jsonRun.stdout);
    expect(json).toMatchObject({ address: '10.79.0.1', interface: 'eth0', transmitted: 5, received: 5, lossPercent: 0 });
  });

  it.concurrent('ping to the namespace that drops: 100% loss, no rtt line, exit 1', async () => {
    const result = await otshell(['ping', '10.79.1.1'], 'eth1');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('PING 10.79.1.1 (10.79.1.1) from 10.79.1.20 eth1: 56(84) bytes of data.');
    expect(result.stdout).toMatch(/^5 packets transmitted, 0 received, 100% packet loss, time \d+ms$/m);
    expect(result.stdout).not.toContain('bytes from');
    expect(result.stdout).not.toMatch(/^rtt/m);
    const dropped = await inNs(drops, 'nft', ['list', 'ruleset']);
    expect(dropped.stdout).toContain('echo-request drop');
  });

  it.concurrent('ping refuses an option before running anything', async () => {
    const result = await otshell(['ping', '--', '-c']);
    expect(result.exitCode).toBe(64);
    expect(result.stderr).toContain('starts with "-"');
  });

  it.concurrent('network statistics counters agree with ip -s -j link in the same run', async () => {
    const counters = async () => {
      const links = JSON.parse(String((await execa('ip', ['-n', sensor, '-s', '-j', 'link', 'show', 'eth0'])).stdout));
      return links[0].stats64 as { rx: { bytes: number; packets: number }; tx: { bytes: number; packets: number } };
    };
    // Some traffic, so the counters are not all zero: two quick probes (otshell's own ping, five a
    // second apart, is the ping tests' subject; here it only cost 4 s of waiting).
    const traffic = await inNs(sensor, 'ping', ['-c', '2', '-i', '0.2', '-W', '5', '10.79.0.1']);
    expect(traffic.exitCode, String(traffic.stdout) + String(traffic.stderr)).toBe(0);
    const before = await counters();
    const result = await otshell(['network', 'statistics', 'eth0', '--seconds', '1', '--json']);
    const after = await counters();
    expect(result.exitCode, result.stderr).toBe(0);
    const eth0 = JSON.parse(result.stdout).interfaces[0];
    expect(eth0.name).toBe('eth0');
    for (const [ours, key] of [['rx_bytes', 'rx.bytes'], ['rx_packets', 'rx.packets'], ['tx_bytes', 'tx.bytes'], ['tx_packets', 'tx.packets']] as const) {
      const [side, field] = key.split('.') as ['rx' | 'tx', 'bytes' | 'packets'];
      expect(eth0.counters[ours]).toBeGreaterThan(0);
      expect(eth0.counters[ours]).toBeGreaterThanOrEqual(before[side][field]);
      expect(eth0.counters[ours]).toBeLessThanOrEqual(after[side][field]);
    }
    // veth's driver counters come from ethtool -S.
    expect(eth0.driver).toHaveProperty('peer_ifindex');
    const text = await otshell(['network', 'stats', 'eth0', '--seconds', '1']);
    expect(text.stdout).toMatch(/^eth0:\nNIC statistics:\n {5}rx_packets: \d+$/m);
    expect(text.stdout).toMatch(/^Received: \d+\.\d\d (Bit|KBit|MBit)\/s Sent: \d+\.\d\d (Bit|KBit|MBit)\/s$/m);
  });

  it('network blink on a veth: the clear refusal from ethtool -p', async () => {
    const result = await otshell(['network', 'blink', 'eth0', '1']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('eth0 cannot blink: its driver has no port identification (LED) support.');
  });

  it('system version reads the configured version file; date is the host clock in UTC', async () => {
    rmSync(versionFile, { force: true });
    expect((await otshell(['system', 'version'])).stdout).toContain(`Version: unknown (no version file at ${versionFile})`);
    writeFileSync(versionFile, '23.1.2-r-77\n');
    const version = await otshell(['cyberx-xsense-version']);
    expect(version.stdout.split('\n')[0]).toBe('Version: 23.1.2-r-77');
    const before = Math.floor(Date.now() / 1000);
    const date = await otshell(['date', '--json']);
    const after = Math.ceil(Date.now() / 1000);
    const seconds = Date.parse(JSON.parse(date.stdout).utc) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(before - 1);
    expect(seconds).toBeLessThanOrEqual(after + 1);
    expect((await otshell(['date'])).stdout.trim()).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
  });

  // Root running otshell on the local host has the root role (issue 9); lower roles are refused
  // ifconfig in test/unit/appliance-commands.test.ts.
  it('ifconfig is root\'s: root on the local host gets the same view as network list', async () => {
    const rooted = await otshell(['ifconfig', 'eth0']);
    expect(rooted.exitCode, rooted.stderr).toBe(0);
    expect(rooted.stdout).toContain('inet 10.79.0.20  netmask 255.255.255.0');
    const listed = await otshell(['network', 'list', 'eth0']);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('inet 10.79.0.20  netmask 255.255.255.0');
  });

  it('over ssh: ping both ways, statistics, version and the remote clock', async () => {
    const ssh = ['--target', `ssh://root@127.0.0.1:${sshd!.port}`, ...sshd!.clientArgs];
    // The two pings wait on the network (4 s each), not on this machine: side by side, with the
    // other commands over the same ssh target (the counters are read from ip once all have ended).
    writeFileSync(versionFile, '23.1.2-r-77\n');
    const [answered, dropped, statsRun, version, date] = await Promise.all([
      otshell(['ping', '10.79.0.1'], 'eth0', ssh),
      otshell(['ping', '10.79.1.1'], 'eth1', ssh),
      otshell(['network', 'statistics', 'eth0', '--seconds', '1', '--json'], 'eth0', ssh),
      otshell(['system', 'version'], 'eth0', ssh),
      otshell(['date', '--json'], 'eth0', ssh),
    ]);
    expect(answered.exitCode, answered.stderr).toBe(0);
    expect(answered.stdout.split('\n')[0]).toBe('PING 10.79.0.1 (10.79.0.1) from 10.79.0.20 eth0: 56(84) bytes of data.');
    expect(answered.stdout).toMatch(/^5 packets transmitted, 5 received, 0% packet loss/m);
    expect(dropped.exitCode).toBe(1);
    expect(dropped.stdout).toMatch(/^5 packets transmitted, 0 received, 100% packet loss/m);
    const stats = JSON.parse(statsRun.stdout);
    const ip = JSON.parse(String((await execa('ip', ['-n', sensor, '-s', '-j', 'link', 'show', 'eth0'])).stdout))[0].stats64;
    expect(stats.interfaces[0].counters.rx_packets).toBeGreaterThan(0);
    expect(stats.interfaces[0].counters.rx_packets).toBeLessThanOrEqual(ip.rx.packets);
    expect(version.stdout.split('\n')[0]).toBe('Version: 23.1.2-r-77');
    const seconds = Date.parse(JSON.parse(date.stdout).utc) / 1000;
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(30);
    const blink = await otshell(['network', 'blink', 'eth0', '1'], 'eth0', ssh);
    expect(blink.stderr.trim()).toBe('eth0 cannot blink: its driver has no port identification (LED) support.');
  }, 180_000);
});
