import { describe, expect, it } from 'vitest';
import { renderNetworkList } from '../../src/commands/network/list.js';
import { renderSanity } from '../../src/commands/system/sanity.js';
import { ifconfigBytes, uptimeClock } from '../../src/output/format.js';
import { PLAIN, toTerminal } from '../../src/output/style.js';
import type { NetworkSnapshot, SanityReport } from '../../src/system/adapter.js';

const snapshot: NetworkSnapshot = {
  interfaces: [
    {
      name: 'eth0', role: 'management', mac: '02:42:ac:12:00:02', mtu: 1500, up: true, running: true, promisc: false,
      flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'], flagsValue: 4163, txqueuelen: 1000,
      ipv4: [{ address: '10.1.0.20', prefixLength: 24, netmask: '255.255.255.0', broadcast: '10.1.0.255' }],
      rx: { packets: 1843221, bytes: 740021554, errors: 0, dropped: 0, overruns: 0, frame: 0 },
      tx: { packets: 12, bytes: 999, errors: 1, dropped: 2, carrier: 0, collisions: 0 },
    },
  ],
  gateway: '10.1.0.1',
  dns: ['10.1.0.2', '10.1.0.3'],
};

describe('network list text', () => {
  it('matches ifconfig line by line', () => {
    expect(renderNetworkList(snapshot, PLAIN).split('\n')).toEqual([
      'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
      '        inet 10.1.0.20  netmask 255.255.255.0  broadcast 10.1.0.255',
      '        ether 02:42:ac:12:00:02  txqueuelen 1000  (Ethernet)',
      '        RX packets 1843221  bytes 740021554 (740.0 MB)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 12  bytes 999 (999.0 B)',
      '        TX errors 1  dropped 2 overruns 0  carrier 0  collisions 0',
      '        role management',
      '',
      'Default gateway: 10.1.0.1',
      'DNS: 10.1.0.2, 10.1.0.3',
    ]);
  });

  it('says when a restart is pending', () => {
    expect(renderNetworkList({ ...snapshot, pendingRestart: true }, PLAIN)).toMatch(/Restart pending: new network settings take effect after "system reboot"\./);
    expect(renderNetworkList(snapshot, PLAIN)).not.toMatch(/Restart pending/);
  });

  it('uses ANSI only when colour is allowed', () => {
    expect(renderNetworkList(snapshot, PLAIN)).not.toContain('\u001b[');
    expect(toTerminal(renderNetworkList(snapshot, { ...PLAIN, color: true }), { color: true, ascii: false })).toContain('\u001b[1meth0\u001b[0m');
  });
});

describe('system sanity text', () => {
  const report: SanityReport = {
    status: 'down',
    profile: 'medium',
    services: [
      { name: 'Core API', status: 'running', uptimeSeconds: 62788 },
      { name: 'Web Apps', status: 'stopped' },
      { name: 'Health Monitor', status: 'stopped', detail: 'systemd is not running on this host (use process, tcp or http checks)' },
      { name: 'Cache Layer', status: 'not-responding', detail: 'no answer within 3.0 s' },
      { name: 'Watch Dog', status: 'starting' },
    ],
  };
  it('prints the appliance lines and a DOWN summary naming the failures', () => {
    expect(renderSanity(report, PLAIN).split('\n')).toEqual([
      '[+] Core API | Running for 17:26:28',
      '[-] Web Apps | Stopped',
      '[-] Health Monitor | Stopped (systemd is not running on this host (use process, tcp or http checks))',
      '[?] Cache Layer | Not responding (no answer within 3.0 s)',
      '[~] Watch Dog | Starting',
      'System is DOWN! (medium) Failed: Web Apps, Health Monitor, Cache Layer',
    ]);
  });
  it('prints System is UP! when all run', () => {
    const up: SanityReport = { status: 'up', profile: 'medium', services: [report.services[0]!] };
    expect(renderSanity(up, PLAIN)).toBe('[+] Core API | Running for 17:26:28\nSystem is UP! (medium)');
  });
});

describe('units', () => {
  it('formats bytes as ifconfig does (decimal units)', () => {
    expect(ifconfigBytes(0)).toBe('0.0 B');
    expect(ifconfigBytes(740_021_554)).toBe('740.0 MB');
    expect(ifconfigBytes(21_304_566_902)).toBe('21.3 GB');
    expect(ifconfigBytes(1500)).toBe('1.5 KB');
  });
  it('formats uptime with hours past 24', () => {
    expect(uptimeClock(62788)).toBe('17:26:28');
    expect(uptimeClock(176405)).toBe('49:00:05');
    expect(uptimeClock(5)).toBe('00:00:05');
  });
});

describe('progress line', () => {
  it('shows the bar, percent, rate and time left from the elapsed time', async () => {
    const { progressLine } = await import('../../src/output/format.js');
    const line = progressLine({ label: 'big.pcap', done: 50e6, total: 200e6 }, 0.5, 20, true);
    expect(line).toBe('big.pcap [#####---------------]  25% 100.0 MB/s 2 s left');
    expect(progressLine({ label: 'x', done: 0, total: 10 }, 0, 10, false)).toBe('x [\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591]   0% 0.0 MB/s');
  });
});
