// Protocol names (Wireshark display-filter names) and their numeric ids, used
// as hierarchy node keys on the hot path.

const names: string[] = [];
const ids = new Map<string, number>();

export function protoId(name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = names.length;
    names.push(name);
    ids.set(name, id);
  }
  return id;
}

export function hasProto(name: string): boolean {
  return ids.has(name);
}

export function protoName(id: number): string {
  return names[id] ?? `proto${id}`;
}

export function protoCount(): number {
  return names.length;
}

/** The OT protocols the issue lists, in its order. */
export const OT_PROTOCOLS = [
  'mbtcp',
  's7comm',
  's7comm_plus',
  'dnp3',
  'bvlc',
  'enip',
  'iec60870_104',
  'goose',
  'sv',
  'mms',
  'pn_rt',
  'hart_ip',
  'omron',
  'opcua',
  'synphasor',
  'ams',
  'ethercat',
  'epl',
  'fox',
] as const;
export type OtProtocolName = (typeof OT_PROTOCOLS)[number];

// OT protocols take ids 0..18 so per-protocol counters can be small arrays.
for (const name of OT_PROTOCOLS) protoId(name);
export const OT_COUNT = OT_PROTOCOLS.length;

export const P = {
  mbtcp: protoId('mbtcp'),
  s7comm: protoId('s7comm'),
  s7comm_plus: protoId('s7comm_plus'),
  dnp3: protoId('dnp3'),
  bvlc: protoId('bvlc'),
  enip: protoId('enip'),
  iec60870_104: protoId('iec60870_104'),
  goose: protoId('goose'),
  sv: protoId('sv'),
  mms: protoId('mms'),
  pn_rt: protoId('pn_rt'),
  hart_ip: protoId('hart_ip'),
  omron: protoId('omron'),
  opcua: protoId('opcua'),
  synphasor: protoId('synphasor'),
  ams: protoId('ams'),
  ethercat: protoId('ethercat'),
  epl: protoId('epl'),
  fox: protoId('fox'),
  eth: protoId('eth'),
  sll: protoId('sll'),
  null: protoId('null'),
  raw: protoId('raw'),
  vlan: protoId('vlan'),
  llc: protoId('llc'),
  ip: protoId('ip'),
  ipv6: protoId('ipv6'),
  arp: protoId('arp'),
  tcp: protoId('tcp'),
  udp: protoId('udp'),
  icmp: protoId('icmp'),
  icmpv6: protoId('icmpv6'),
  igmp: protoId('igmp'),
  data: protoId('data'),
  malformed: protoId('_ws.malformed'),
} as const;
