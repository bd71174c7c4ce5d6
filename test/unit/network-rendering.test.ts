// network list text for every role (the loopback has no broadcast and is "Local Loopback"),
// RX and TX kept apart from iproute2's counters to the text, and the netplan file otshell
// writes for management, monitor and bridge interfaces (issue 17).
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { renderNetworkList } from '../../src/commands/network/list.js';
import { parseNetplan, renderNetplan } from '../../src/system/linux/netplan.js';
import { toInterface, type IpLink } from '../../src/system/linux/iproute.js';
import type { NetworkInterface, NetworkSettings, NetworkSnapshot } from '../../src/system/adapter.js';
import { PLAIN } from '../../src/output/style.js';
import { runLine, useSimulators } from '../helpers/command-harness.js';

const lo: NetworkInterface = {
  name: 'lo', role: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536, up: true, running: true, promisc: false,
  flags: ['UP', 'LOOPBACK', 'RUNNING'], flagsValue: 73, txqueuelen: 1000,
  ipv4: [{ address: '127.0.0.1', prefixLength: 8, netmask: '255.0.0.0', broadcast: '127.255.255.255' }],
  ipv6: [{ address: '::1', prefixLength: 128, scope: 'host' }],
  rx: { packets: 88412, bytes: 9921004, errors: 0, dropped: 0, overruns: 0, frame: 0 },
  tx: { packets: 88413, bytes: 9921005, errors: 0, dropped: 0, carrier: 0, collisions: 0 },
};
const monitor: NetworkInterface = {
  name: 'eth1', role: 'monitor', mac: '02:42:ac:12:00:03', mtu: 1500, up: true, running: true, promisc: true,
  flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST'], flagsValue: 4419, txqueuelen: 1000,
  ipv4: [],
  rx: { packets: 5, bytes: 6000, errors: 7, dropped: 8, overruns: 9, frame: 10 },
  tx: { packets: 11, bytes: 12000, errors: 13, dropped: 14, carrier: 15, collisions: 16 },
};

const simulators = useSimulators();

describe('network list text: the loopback and the other roles', () => {
  const snapshot: NetworkSnapshot = { interfaces: [monitor, lo], gateway: null, dns: [] };

  it('the loopback: inet without broadcast, "loop" and "(Local Loopback)", its IPv6 address', () => {
    const text = renderNetworkList(snapshot, PLAIN);
    const block = text.split('\n\n')[1]!.split('\n');
    expect(block).toEqual([
      'lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536',
      '        inet 127.0.0.1  netmask 255.0.0.0',
      '        inet6 ::1  prefixlen 128  scopeid <host>',
      '        loop  txqueuelen 1000  (Local Loopback)',
      '        RX packets 88412  bytes 9921004 (9.9 MB)',
      '        RX errors 0  dropped 0  overruns 0  frame 0',
      '        TX packets 88413  bytes 9921005 (9.9 MB)',
      '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0',
      '        role loopback',
    ]);
  });

  it('a monitor interface: no inet line, every RX and TX counter in its own place, no gateway or DNS', () => {
    const text = renderNetworkList(snapshot, PLAIN);
    expect(text.split('\n\n')[0]!.split('\n')).toEqual([
      'eth1: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>  mtu 1500',
      '        ether 02:42:ac:12:00:03  txqueuelen 1000  (Ethernet)',
      '        RX packets 5  bytes 6000 (6.0 KB)',
      '        RX errors 7  dropped 8  overruns 9  frame 10',
      '        TX packets 11  bytes 12000 (12.0 KB)',
      '        TX errors 13  dropped 14 overruns 0  carrier 15  collisions 16',
      '        role monitor',
    ]);
    expect(text.split('\n').slice(-2)).toEqual(['Default gateway: none', 'DNS: none']);
  });

  it('a non-loopback interface keeps its broadcast', () => {
    const eth = { ...lo, name: 'eth9', role: 'unused' as const, ipv4: [{ address: '10.9.0.5', prefixLength: 24, netmask: '255.255.255.0', broadcast: '10.9.0.255' }] };
    expect(renderNetworkList({ interfaces: [eth], gateway: null, dns: [] }, PLAIN)).toContain('        inet 10.9.0.5  netmask 255.255.255.0  broadcast 10.9.0.255\n');
  });

  it('the simulated sensor: lo without broadcast, eth0 with it', async () => {
    const outcome = await runLine(simulators(), 'network list');
    const blocks = outcome.text.split('\n\n');
    const loBlock = blocks.find((b) => b.startsWith('lo:'))!;
    expect(loBlock).toContain('        inet 127.0.0.1  netmask 255.0.0.0\n');
    expect(loBlock).not.toContain('broadcast');
    expect(blocks.find((b) => b.startsWith('eth0:'))).toContain('inet 10.1.0.20  netmask 255.255.255.0  broadcast 10.1.0.255');
  });
});


describe('iproute2 counters to the interface: RX is received, TX is sent', () => {
  const link: IpLink = {
    ifname: 'eth1', flags: ['BROADCAST', 'MULTICAST', 'PROMISC', 'UP', 'LOWER_UP'], mtu: 1500, operstate: 'UP', txqlen: 1000,
    address: '02:42:ac:12:00:03',
    addr_info: [{ family: 'inet', local: '10.77.0.9', prefixlen: 24, scope: 'global', label: 'eth1' }],
    stats64: {
      rx: { bytes: 1001, packets: 11, errors: 1, dropped: 2, over_errors: 3, frame_errors: 4, fifo_errors: 5 },
      tx: { bytes: 2002, packets: 22, errors: 6, dropped: 7, carrier_errors: 8, collisions: 9 },
    },
  };

  it('maps every counter of stats64 to its own field', () => {
    const iface = toInterface(link, 'monitor');
    expect(iface.rx).toEqual({ packets: 11, bytes: 1001, errors: 1, dropped: 2, overruns: 5, frame: 4 });
    expect(iface.tx).toEqual({ packets: 22, bytes: 2002, errors: 6, dropped: 7, carrier: 8, collisions: 9 });
    const text = renderNetworkList({ interfaces: [iface], gateway: null, dns: [] }, PLAIN);
    expect(text).toContain('RX packets 11  bytes 1001 (1.0 KB)');
    expect(text).toContain('TX packets 22  bytes 2002 (2.0 KB)');
  });

  it('overruns fall back to over_errors; missing counters are 0', () => {
    const { fifo_errors: _, ...rx } = link.stats64!.rx!;
    expect(toInterface({ ...link, stats64: { rx } }, 'monitor')).toMatchObject({
      rx: { overruns: 3 },
      tx: { packets: 0, bytes: 0, errors: 0, dropped: 0, carrier: 0, collisions: 0 },
    });
  });

  it('computes the broadcast only when ip gives none, and none for /31 and /32', () => {
    const at = (prefixlen: number, broadcast?: string) =>
      toInterface({ ...link, addr_info: [{ family: 'inet', local: '10.77.0.9', prefixlen, ...(broadcast ? { broadcast } : {}) }] }, 'unused').ipv4[0]!.broadcast;
    expect(at(24)).toBe('10.77.0.255');
    expect(at(24, '10.77.0.250')).toBe('10.77.0.250');
    expect(at(30)).toBe('10.77.0.11');
    expect(at(31)).toBe('10.77.0.9');
    expect(at(32)).toBe('10.77.0.9');
  });
});

describe('renderNetplan', () => {
  const settings: NetworkSettings = {
    managementInterface: 'eth0', ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2', '10.1.0.3'],
    inputInterfaces: ['eth1', 'eth2'], bridgeInterface: 'eth3',
  };
  const PATH = '/etc/netplan/50-otshell.yaml';
  const UNADDRESSED = { dhcp4: false, dhcp6: false, 'link-local': [], optional: true };

  it('management with address, default route and DNS; monitors and the bridge unaddressed and optional', () => {
    const doc = YAML.parse(renderNetplan(settings, PATH));
    expect(doc).toEqual({
      network: {
        version: 2,
        renderer: 'networkd',
        ethernets: {
          eth0: { dhcp4: false, addresses: ['10.1.0.20/24'], routes: [{ to: 'default', via: '10.1.0.1' }], nameservers: { addresses: ['10.1.0.2', '10.1.0.3'] } },
          eth1: UNADDRESSED,
          eth2: UNADDRESSED,
          eth3: UNADDRESSED,
        },
      },
    });
  });

  it('the exact text: header naming the backups, then the YAML', () => {
    expect(renderNetplan({ ...settings, inputInterfaces: ['eth1'], bridgeInterface: null, dns: ['10.1.0.2'] }, PATH)).toBe(
      [
        '# Written by otshell (network edit-settings); edit with otshell, not by hand.',
        '# Earlier versions are kept beside it as 50-otshell.yaml.~N~ files.',
        'network:',
        '  version: 2',
        '  renderer: networkd',
        '  ethernets:',
        '    eth0:',
        '      dhcp4: false',
        '      addresses:',
        '        - 10.1.0.20/24',
        '      routes:',
        '        - to: default',
        '          via: 10.1.0.1',
        '      nameservers:',
        '        addresses:',
        '          - 10.1.0.2',
        '    eth1:',
        '      dhcp4: false',
        '      dhcp6: false',
        '      link-local: []',
        '      optional: true',
        '',
      ].join('\n'),
    );
  });

  it('no monitors and no bridge: only the management interface', () => {
    const doc = YAML.parse(renderNetplan({ ...settings, inputInterfaces: [], bridgeInterface: null }, PATH));
    expect(Object.keys(doc.network.ethernets)).toEqual(['eth0']);
    expect(doc.network.ethernets.eth0.optional).toBeUndefined();
  });

  it('a bridge alone gets the same unaddressed, optional stanza', () => {
    const doc = YAML.parse(renderNetplan({ ...settings, inputInterfaces: [], bridgeInterface: 'eth3' }, PATH));
    expect(doc.network.ethernets.eth3).toEqual(UNADDRESSED);
  });

  it('refuses values that are not an interface name or an address', () => {
    expect(() => renderNetplan({ ...settings, inputInterfaces: ['eth1; rm -rf /'] }, PATH)).toThrow();
    expect(() => renderNetplan({ ...settings, bridgeInterface: '../x' }, PATH)).toThrow();
    expect(() => renderNetplan({ ...settings, ip: '10.1.0.300' }, PATH)).toThrow();
    expect(() => renderNetplan({ ...settings, gateway: 'gw' }, PATH)).toThrow();
    expect(() => renderNetplan({ ...settings, dns: ['10.1.0.2', 'x'] }, PATH)).toThrow();
    expect(() => renderNetplan({ ...settings, prefixLength: 33 }, PATH)).toThrow();
  });

  it('parseNetplan reads back what renderNetplan wrote', () => {
    expect(parseNetplan(renderNetplan(settings, PATH), 'eth0')).toEqual({ ip: '10.1.0.20', prefixLength: 24, gateway: '10.1.0.1', dns: ['10.1.0.2', '10.1.0.3'] });
    expect(parseNetplan(renderNetplan(settings, PATH), 'eth1')).toEqual({ ip: null, prefixLength: null, gateway: null, dns: null });
  });

  it('parseNetplan: older files (gateway4, 0.0.0.0/0, bridges), junk, and values that are not addresses', () => {
    const none = { ip: null, prefixLength: null, gateway: null, dns: null };
    expect(parseNetplan('network: {ethernets: {eth0: {addresses: ["x", "10.0.0.5/16"], gateway4: 10.0.0.1}}}', 'eth0')).toEqual({ ...none, ip: '10.0.0.5', prefixLength: 16, gateway: '10.0.0.1' });
    expect(parseNetplan('network: {ethernets: {eth0: {routes: [{to: 0.0.0.0/0, via: 10.0.0.1}], nameservers: {addresses: [10.0.0.2, "::1", 5]}}}}', 'eth0')).toEqual({ ...none, gateway: '10.0.0.1', dns: ['10.0.0.2'] });
    expect(parseNetplan('network: {bridges: {br0: {addresses: [10.0.0.5/24]}}}', 'br0')).toMatchObject({ ip: '10.0.0.5', prefixLength: 24 });
    expect(parseNetplan('network: {ethernets: {eth0: {routes: [{to: 10.9.0.0/16, via: 10.0.0.9}]}}}', 'eth0')).toEqual(none);
    expect(parseNetplan(': : not yaml [', 'eth0')).toEqual(none);
    expect(parseNetplan('network: {ethernets: {eth0: 5}}', 'eth0')).toEqual(none);
    expect(parseNetplan('', 'eth0')).toEqual(none);
  });
});
