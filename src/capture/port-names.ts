// Well-known non-OT protocol names by port and EtherType, for the protocol
// hierarchy (the OT protocols are declared in ./protocols/, one per file).

import { protoId } from './protocols.js';


export const tcpNames = new Int16Array(65536).fill(-1);
export const udpNames = new Int16Array(65536).fill(-1);
export const etherNames = new Map<number, number>();
function name(table: Int16Array, ports: number[], n: string): void {
  const id = protoId(n);
  for (const p of ports) table[p] = id;
}
name(tcpNames, [20, 21], 'ftp');
name(tcpNames, [22], 'ssh');
name(tcpNames, [23], 'telnet');
name(tcpNames, [25], 'smtp');
name(tcpNames, [53], 'dns');
name(tcpNames, [80, 8080], 'http');
name(tcpNames, [139], 'nbss');
name(tcpNames, [443, 8443], 'tls');
name(tcpNames, [445], 'smb');
name(tcpNames, [3389], 'rdp');
name(udpNames, [53], 'dns');
name(udpNames, [67, 68], 'dhcp');
name(udpNames, [69], 'tftp');
name(udpNames, [123], 'ntp');
name(udpNames, [137], 'nbns');
name(udpNames, [138], 'browser');
name(udpNames, [161, 162], 'snmp');
name(udpNames, [319, 320], 'ptp');
name(udpNames, [514], 'syslog');
name(udpNames, [520], 'rip');
name(udpNames, [546, 547], 'dhcpv6');
name(udpNames, [1900], 'ssdp');
name(udpNames, [5353], 'mdns');
name(udpNames, [5355], 'llmnr');
etherNames.set(0x88cc, protoId('lldp'));
etherNames.set(0x88f7, protoId('ptp'));
etherNames.set(0x88e3, protoId('mrp'));
etherNames.set(0x888e, protoId('eapol'));
etherNames.set(0x8809, protoId('slow'));
etherNames.set(0x88e5, protoId('macsec'));
etherNames.set(0x892f, protoId('hsr'));
