// Protocol names (Wireshark display-filter names) and their numeric ids, used
// as hierarchy node keys on the hot path. The industrial protocols are declared
// one per file in ./protocols/ and take their ids from here when they register.

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

export const P = {
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
