// ping, blink, statistics, version, date and ifconfig on the simulated sensor,
// through the shell's dispatcher as a user types them; iputils/ethtool formats.
import { describe, expect, it } from 'vitest';
import { ADMIN, runLine, useSimulators } from '../helpers/command-harness.js';
import { resolveLine } from '../../src/commands/resolve.js';
import { fullName } from '../../src/commands/registry.js';
import { formatPing, iputilsTime, parsePing } from '../../src/system/iputils.js';
import { parseEthtoolStats } from '../../src/system/linux/diagnostics.js';
import { formatUtcDate } from '../../src/commands/system/date.js';
import { formatRate } from '../../src/commands/network/statistics.js';
import { hostAddressProblem } from '../../src/net/host-address.js';
import { EXIT } from '../../src/errors.js';
import { PingResultSchema } from '../../src/commands/network/ping.js';

const VIEWER = { ...ADMIN, role: 'viewer' as const };
const ROOT = { ...ADMIN, role: 'root' as const };

/** iputils' lines, as `ping -c 5 -n -W 1 -I eth0` prints them. */
const HEADER = /^PING \S+ \(\d+\.\d+\.\d+\.\d+\) from \d+\.\d+\.\d+\.\d+ \S+: 56\(84\) bytes of data\.$/;
const REPLY = /^64 bytes from \d+\.\d+\.\d+\.\d+: icmp_seq=[1-5] ttl=\d+ time=\d+(\.\d+)? ms$/;
const SUMMARY = /^5 packets transmitted, (\d) received, (\d+)% packet loss, time \d+ms$/;
const RTT = /^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/;

describe('spellings of the appliance commands', () => {
  it.each([
    ['ping 10.1.0.1', 'network ping'],
    ['network ping 10.1.0.1', 'network ping'],
    ['network blink eth1', 'network blink'],
    ['network blink eth1 5', 'network blink'],
    ['network statistics', 'network statistics'],
    ['network stats eth0', 'network statistics'],
    ['system version', 'system version'],
    ['cyberx-xsense-version', 'system version'],
    ['date', 'system date'],
    ['system date', 'system date'],
    ['ifconfig', 'network list'],
  ])('"%s" is %s', (line, path) => {
    const resolution = resolveLine(line, null);
    expect(resolution.kind).toBe('command');
    if (resolution.kind === 'command') expect(fullName(resolution.command)).toBe(path);
  });

  it('"ping -- -c" gives ping the word "-c" as its address (then refused)', () => {
    const resolution = resolveLine('ping -- -c', null);
    expect(resolution.kind === 'command' && resolution.input.args.address).toBe('-c');
  });
});

describe('network ping on the simulator', () => {
  const sim = useSimulators();

  it('the gateway answers five probes, in iputils format', async () => {
    const outcome = await runLine(sim(), 'ping 10.1.0.1');
    expect(outcome.exitCode).toBe(EXIT.OK);
    const lines = outcome.text.split('\n');
    expect(lines[0]).toMatch(HEADER);
    expect(lines.slice(1, 6).every((l) => REPLY.test(l))).toBe(true);
    expect(lines[6]).toBe('');
    expect(lines[7]).toBe('--- 10.1.0.1 ping statistics ---');
    expect(lines[8]).toMatch(SUMMARY);
    expect(SUMMARY.exec(lines[8]!)![1]).toBe('5');
    expect(lines[9]).toMatch(RTT);
  });

  it('an address the site does not have times out: no replies, 100% loss, exit 1', async () => {
    const outcome = await runLine(sim(), 'network ping 10.1.0.99');
    expect(outcome.exitCode).toBe(EXIT.PROBLEM);
    expect(outcome.text).toContain('5 packets transmitted, 0 received, 100% packet loss');
    expect(outcome.text).not.toMatch(/bytes from/);
    expect(outcome.text).not.toMatch(/^rtt/m);
  });

  it('resolves the site\'s names through its DNS server; an unknown name is refused as iputils does', async () => {
    const system = sim();
    const named = await runLine(system, 'ping cm.plant.local --json');
    const result = PingResultSchema.parse(JSON.parse(named.text));
    expect(result.received).toBe(5);
    expect(result.lines[0]).toContain('(10.1.0.10)');
    const unknown = await runLine(system, 'ping nosuchhost');
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toBe('ping: nosuchhost: Name or service not known');
  });

  it('after a bad edit and a restart the gateway stops answering; mended settings bring it back', async () => {
    let now = Date.now();
    const system = sim(() => now);
    const edit = await runLine(system, 'network edit-settings --ip 192.168.7.20 --mask 255.255.255.0 --gateway 192.168.7.1 --yes');
    expect(edit.exitCode).toBe(EXIT.OK);
    // Pending until the restart: the sensor still answers from its old address.
    expect((await runLine(system, 'ping 10.1.0.1')).exitCode).toBe(EXIT.OK);
    expect((await runLine(system, 'system reboot --yes')).exitCode).toBe(EXIT.OK);
    now += 60_000;
    const broken = await runLine(system, 'ping 10.1.0.1');
    expect(broken.exitCode).toBe(EXIT.PROBLEM);
    expect(broken.text).toContain('from 192.168.7.20 eth0:');
    expect(broken.text).toContain('0 received, 100% packet loss');
    expect((await runLine(system, 'ping cm')).text).toBe('ping: cm: Temporary failure in name resolution');
    await runLine(system, 'network edit-settings --ip 10.1.0.20 --mask 255.255.255.0 --gateway 10.1.0.1 --yes');
    await runLine(system, 'system reboot --yes');
    now += 60_000;
    expect((await runLine(system, 'ping 10.1.0.1')).exitCode).toBe(EXIT.OK);
  });

  it('a wrong gateway still reaches the subnet but nothing beyond it', async () => {
    let now = Date.now();
    const system = sim(() => now);
    await runLine(system, 'network edit-settings --gateway 10.1.0.254 --yes');
    await runLine(system, 'system reboot --yes');
    now += 60_000;
    expect((await runLine(system, 'ping 10.1.0.1')).exitCode).toBe(EXIT.OK);
    expect((await runLine(system, 'ping 10.2.0.5')).exitCode).toBe(EXIT.PROBLEM);
  });

  it('refuses what is not an address before sending anything', async () => {
    for (const bad of ['-c', '--', '10.1.0.256', '010.1.0.1', 'a_b', 'x'.repeat(300)]) {
      const outcome = await runLine(sim(), `ping -- ${bad}`);
      expect(outcome.exitCode, bad).toBe(EXIT.USAGE);
    }
  });
});

describe('network blink on the simulator', () => {
  const sim = useSimulators();

  it('network list shows "led blinking" until the blink ends', async () => {
    const system = sim();
    const blinking = runLine(system, 'network blink eth1 2');
    let seen = '';
    for (let i = 0; i < 40 && !seen.includes('led blinking'); i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await runLine(system, 'network list eth1')).text;
    }
    expect(seen).toContain('led blinking');
    expect((await runLine(system, 'network list eth2')).text).not.toContain('led blinking');
    const outcome = await blinking;
    expect(outcome.text).toBe('Blinking interface for 2 seconds ...');
    expect((await runLine(system, 'network list eth1')).text).not.toContain('led blinking');
  });

  it('defaults to 20 seconds, refuses bad durations, lo, unknown ports and the viewer role', async () => {
    const system = sim();
    expect((await runLine(system, 'network blink eth1 0')).exitCode).toBe(EXIT.USAGE);
    expect((await runLine(system, 'network blink eth1 601')).exitCode).toBe(EXIT.USAGE);
    expect((await runLine(system, 'network blink eth1 1.5')).exitCode).toBe(EXIT.USAGE);
    expect((await runLine(system, 'network blink lo 1')).text).toContain('lo cannot blink');
    expect((await runLine(system, 'network blink eth9 1')).text).toContain('No interface named "eth9"');
    const viewer = await runLine(system, 'network blink eth1 1', undefined, VIEWER);
    expect(viewer.exitCode).toBe(EXIT.NO_PERMISSION);
    expect((await runLine(system, 'network blink --help')).text).toContain('default 20');
  });
});

describe('network statistics on the simulator', () => {
  const sim = useSimulators();

  it('counters grow with time and the rates follow the simulated traffic', async () => {
    const system = sim();
    const first = JSON.parse((await runLine(system, 'network stats eth0 --seconds 1 --json')).text);
    const second = JSON.parse((await runLine(system, 'network stats eth0 --seconds 1 --json')).text);
    const a = first.interfaces[0];
    const b = second.interfaces[0];
    expect(b.counters.rx_packets).toBeGreaterThan(a.counters.rx_packets);
    // eth0 of the factory sensor: 12 packets/s of 410 bytes in, 9 of 380 out.
    expect(a.rxBitsPerSecond).toBeGreaterThan(12 * 410 * 8 * 0.8);
    expect(a.rxBitsPerSecond).toBeLessThan(12 * 410 * 8 * 1.3);
    expect(a.txBitsPerSecond).toBeGreaterThan(9 * 380 * 8 * 0.8);
  });

  it('prints NIC statistics and the rate line for each interface', async () => {
    const outcome = await runLine(sim(), 'network statistics --seconds 1');
    expect(outcome.exitCode).toBe(EXIT.OK);
    for (const name of ['eth0', 'eth1', 'eth2', 'eth3', 'lo']) expect(outcome.text).toContain(`${name}:\nNIC statistics:\n     rx_packets: `);
    expect(outcome.text.match(/^Received: \d+\.\d\d (Bit|KBit|MBit|GBit)\/s Sent: \d+\.\d\d (Bit|KBit|MBit|GBit)\/s$/gm)).toHaveLength(5);
  });

  it('refuses an unknown interface and bad --seconds', async () => {
    const system = sim();
    expect((await runLine(system, 'network statistics eth9 --seconds 1')).text).toContain('No interface named "eth9"');
    expect((await runLine(system, 'network statistics --seconds 0')).exitCode).toBe(EXIT.USAGE);
    expect((await runLine(system, 'network statistics --seconds 61')).exitCode).toBe(EXIT.USAGE);
  });
});

describe('system version, date and ifconfig on the simulator', () => {
  const sim = useSimulators();

  it('version in the documented format, under both spellings', async () => {
    const system = sim();
    for (const line of ['system version', 'cyberx-xsense-version']) {
      const text = (await runLine(system, line, undefined, VIEWER)).text;
      expect(text.split('\n')[0]).toBe('Version: 22.2.5.9-r-2121448');
      expect(text).toMatch(/^otshell: \S+$/m);
    }
  });

  it('date is the simulated clock in UTC, as date(1) prints it', async () => {
    const system = sim(() => Date.parse('2022-09-29T18:38:23.400Z'));
    expect((await runLine(system, 'date', undefined, VIEWER)).text).toBe('Thu Sep 29 18:38:23 UTC 2022');
    expect(JSON.parse((await runLine(system, 'system date --json')).text)).toEqual({ utc: '2022-09-29T18:38:23.400Z', text: 'Thu Sep 29 18:38:23 UTC 2022' });
    expect(formatUtcDate(Date.parse('2026-01-05T03:04:05Z'))).toBe('Mon Jan  5 03:04:05 UTC 2026');
  });

  it('ifconfig is root\'s: a viewer is told the role it needs and what to use instead', async () => {
    const system = sim();
    const viewer = await runLine(system, 'ifconfig', undefined, VIEWER);
    expect(viewer.exitCode).toBe(EXIT.NO_PERMISSION);
    expect(viewer.text).toBe('ifconfig needs the root role; you are signed in as viewer. "network list" shows the same.');
    const root = await runLine(system, 'ifconfig eth0', undefined, ROOT);
    expect(root.exitCode).toBe(EXIT.OK);
    expect(root.text).toMatch(/^eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500/);
    expect((await runLine(system, 'network list eth0', undefined, VIEWER)).exitCode).toBe(EXIT.OK);
    expect((await runLine(system, 'help network list', undefined, VIEWER)).text).toContain('ifconfig (root only)');
  });
});

describe('formats', () => {
  it('iputils prints fewer decimals as the round trip grows', () => {
    expect(iputilsTime(0.0456)).toBe('0.046');
    expect(iputilsTime(1.234)).toBe('1.23');
    expect(iputilsTime(12.34)).toBe('12.3');
    expect(iputilsTime(123.4)).toBe('123');
  });

  it('reads the numbers of a real iputils run', () => {
    const out = [
      'PING 10.77.0.1 (10.77.0.1) from 10.77.0.20 eth0: 56(84) bytes of data.',
      '64 bytes from 10.77.0.1: icmp_seq=1 ttl=64 time=0.046 ms',
      '',
      '--- 10.77.0.1 ping statistics ---',
      '5 packets transmitted, 5 received, 0% packet loss, time 4093ms',
      'rtt min/avg/max/mdev = 0.030/0.041/0.055/0.009 ms',
      '',
    ].join('\n');
    const parsed = parsePing('10.77.0.1', 'eth0', out);
    expect(parsed).toMatchObject({ transmitted: 5, received: 5, lossPercent: 0, rtt: { min: 0.03, avg: 0.041, max: 0.055, mdev: 0.009 } });
    expect(parsed.lines).toHaveLength(6);
    expect(parsePing('x', null, '5 packets transmitted, 0 received, 100% packet loss, time 4099ms\n')).toMatchObject({ received: 0, lossPercent: 100, rtt: null });
  });

  it('formatPing writes what parsePing reads', () => {
    const written = formatPing({ typed: 'gw', address: '10.0.0.1', source: '10.0.0.2', iface: 'eth0', probes: [{ ttl: 64, timeMs: 1 }, { ttl: 64, timeMs: null }, { ttl: 64, timeMs: 3 }], elapsedMs: 2003 });
    const read = parsePing('gw', 'eth0', written.lines.join('\n'));
    expect(read).toEqual(written);
    expect(written.lossPercent).toBe(33);
    expect(written.rtt!.avg).toBe(2);
    expect(written.rtt!.mdev).toBe(1);
  });

  it('ethtool -S: name: value lines; nothing when the driver has none', () => {
    expect(parseEthtoolStats({ exitCode: 0, stderr: '', stdout: 'NIC statistics:\n     peer_ifindex: 2\n     rx_queue_0_drops: 0\n     __proto__: 7\n' })).toEqual(
      Object.fromEntries([['peer_ifindex', 2], ['rx_queue_0_drops', 0], ['__proto__', 7]]),
    );
    expect(parseEthtoolStats({ exitCode: 94, stderr: 'no stats available', stdout: '' })).toEqual({});
  });

  it('rates in nload\'s 1024-based units', () => {
    expect(formatRate(0)).toBe('0.00 Bit/s');
    expect(formatRate(68_557)).toBe('66.95 KBit/s');
    expect(formatRate(3 * 1024 * 1024)).toBe('3.00 MBit/s');
  });

  it('what ping accepts', () => {
    expect(hostAddressProblem('10.1.0.1')).toBeNull();
    expect(hostAddressProblem('cm.plant.local')).toBeNull();
    expect(hostAddressProblem('-c')).toMatch(/starts with "-"/);
    expect(hostAddressProblem('1.2.3')).toMatch(/IPv4/);
    expect(hostAddressProblem('a b')).not.toBeNull();
    expect(hostAddressProblem('a\u001b[31m')).not.toBeNull();
  });
});

describe('completion of the new commands', () => {
  const sim = useSimulators();
  it('interface names after blink and statistics, the commands after "network", troubleshoot flows', async () => {
    const { complete } = await import('../../src/commands/complete.js');
    const system = sim();
    expect((await complete('network blink e', null, system)).candidates).toEqual(['eth0', 'eth1', 'eth2', 'eth3']);
    expect((await complete('network stats eth', null, system)).candidates).toEqual(['eth0', 'eth1', 'eth2', 'eth3']);
    expect((await complete('network st', null, system)).candidates).toEqual(['statistics']);
    expect((await complete('troubleshoot ', null, system)).candidates).toEqual(['health', 'menu', 'not-responding', 'span', 'web-ui']);
  });
});
