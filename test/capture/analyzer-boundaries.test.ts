// The analyzer's length checks just below, at and just above each bound, the IP and UDP length
// fields that cut Ethernet padding (and must not stretch a cut record), the link-layer headers at
// their exact minimum, and the IPv6 extension-header walk (issue 17: survivors of the mutation
// run of the analyzer). Frames go straight into an Analyzer, inside filler bytes (helpers/
// direct.ts), so a decoder that reads past a record's end or before its start reads the filler.
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/capture/analyzer.js';
import { arp, dnp3Frame, ether, ipv4, ipv6, mac, modbusRequest, tcp, udp } from './helpers/writer.js';
import { ends, fed, feed, reportOf } from './helpers/direct.js';

const A = '00:11:22:33:44:01';
const B = '00:11:22:33:44:02';
const ETH = 1;
const RAW = 101;
const NULL = 0;
const LOOP = 108;
const SLL = 113;
const SLL2 = 276;

const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const bytes = (...b: number[]) => Buffer.from(b);
const u16 = (v: number) => bytes(v >> 8, v & 255);
/** An Ethernet header and payload, without the padding `ether()` adds up to 60 bytes. */
const eth = (et: number, payload: Uint8Array = Buffer.alloc(0), dst = B, src = A) => cat(mac(dst), mac(src), u16(et), payload);
/** An IPv4 header whose total-length field says `total`. */
function ip4Total(total: number, proto: number, payload: Uint8Array, src = '10.0.0.1', dst = '10.0.0.2'): Buffer {
  const h = ipv4(src, dst, proto, payload);
  h.writeUInt16BE(total, 2);
  return h;
}
/** An IPv6 header whose payload-length field says `plen`. */
function ip6Plen(plen: number, nh: number, payload: Uint8Array, src = 'fd00::1', dst = 'fd00::2'): Buffer {
  const h = ipv6(src, dst, nh, payload);
  h.writeUInt16BE(plen, 4);
  return h;
}
/** A UDP header whose length field says `ulen`. */
function udpLen(ulen: number, sport: number, dport: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const h = udp(sport, dport, payload);
  h.writeUInt16BE(ulen, 4);
  return h;
}
const endsOf = (linkType: number, frames: Uint8Array[], o = {}) => ends(reportOf(fed(linkType, frames, o)));

describe('Ethernet, VLAN tags and EtherType at their bounds', () => {
  it('a 14-byte frame is a whole header (its EtherType is named); 13 bytes is malformed', () => {
    expect(endsOf(ETH, [eth(0x88cc)])).toEqual(['eth/lldp 1']);
    expect(endsOf(ETH, [eth(0x88cc).subarray(0, 13)])).toEqual(['eth/_ws.malformed 1']);
  });
  it('a VLAN tag with exactly its 4 bytes is read; 3 bytes is malformed', () => {
    expect(endsOf(ETH, [eth(0x8100, bytes(0, 1, 0x88, 0xcc))])).toEqual(['eth/vlan/lldp 1']);
    expect(endsOf(ETH, [eth(0x8100, bytes(0, 1, 0x88))])).toEqual(['eth/vlan/_ws.malformed 1']);
  });
  it('each tag protocol: 802.1Q 0x8100, 802.1ad 0x88a8 and the older QinQ 0x9100', () => {
    for (const tpid of [0x8100, 0x88a8, 0x9100]) {
      expect(endsOf(ETH, [eth(tpid, cat(bytes(0, 1, 0x88, 0xcc), Buffer.alloc(40)))])).toEqual(['eth/vlan/lldp 1']);
    }
  });
  it('EtherType 0x0600 is the first EtherType; 0x05ff is an 802.3 length (LLC)', () => {
    expect(endsOf(ETH, [eth(0x0600, Buffer.alloc(46))])).toEqual(['eth/data 1']);
    expect(endsOf(ETH, [eth(0x05ff, Buffer.alloc(46))])).toEqual(['eth/llc 1']);
  });
  it('a group MAC whose last four bytes are ff is multicast, only ff:ff:ff:ff:ff:ff is broadcast', () => {
    const r = reportOf(fed(ETH, [eth(0x88cc, Buffer.alloc(46), '01:00:ff:ff:ff:ff'), eth(0x88cc, Buffer.alloc(46), 'ff:ff:ff:ff:ff:ff')]));
    expect(r.traffic).toEqual({ unicast: 0, broadcast: 1, multicast: 1, arp: 0 });
  });
});

describe('distinct MACs: the lookup cache never hides a new address', () => {
  const macs = (...pairs: [string, string][]) => reportOf(fed(ETH, pairs.map(([d, s]) => eth(0x88cc, Buffer.alloc(46), d, s)))).devices.macs;
  it('00:01:00:00:00:00 and 02:00:00:00:00:00 (the cache starts empty, not holding zeros)', () => {
    expect(macs(['00:01:00:00:00:00', '02:00:00:00:00:00'])).toBe(2);
  });
  it('two MACs in the same cache line that differ only in the third byte', () => {
    expect(macs(['00:11:22:33:44:01', '00:11:99:33:44:01'])).toBe(2);
  });
  it('two MACs in the same cache line that differ only in the first byte', () => {
    expect(macs(['00:11:22:33:44:01', '02:11:22:33:44:01'])).toBe(2);
  });
  it('the same MAC again is one', () => {
    expect(macs(['00:11:22:33:44:01', '00:11:22:33:44:01'], ['00:11:22:33:44:01', '00:11:22:33:44:01'])).toBe(1);
  });
});

describe('Linux cooked captures at their exact header sizes', () => {
  /** SLL v1: packet type, ARPHRD 1, address length, 8 address bytes, protocol. */
  const sll = (pktType: number, proto: number, payload: Uint8Array, source = [0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]) =>
    cat(bytes(0, pktType, 0, 1, 0, 6), Buffer.from([...source, 0, 0]), u16(proto), payload);
  /** SLL v2: protocol, reserved, interface, ARPHRD 1, packet type, address length, 8 address bytes. */
  const sll2 = (pktType: number, proto: number, payload: Uint8Array, source = [0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]) =>
    cat(u16(proto), bytes(0, 0, 0, 0, 0, 2, 0, 1, pktType, 6), Buffer.from([...source, 0, 0]), payload);

  it('v1: 16 bytes is a whole header; 15 is malformed; 0x0600 is an EtherType', () => {
    expect(endsOf(SLL, [sll(0, 0x88cc, Buffer.alloc(0))])).toEqual(['sll/lldp 1']);
    expect(endsOf(SLL, [sll(0, 0x88cc, Buffer.alloc(0)).subarray(0, 15)])).toEqual(['sll/_ws.malformed 1']);
    expect(endsOf(SLL, [sll(0, 0x0600, Buffer.alloc(10)), sll(0, 0x05ff, Buffer.alloc(10))])).toEqual(['sll/data 1', 'sll/llc 1']);
  });
  it('v1: a non-IP frame makes its source MAC a talker, all six bytes of it', () => {
    const r = reportOf(fed(SLL, [sll(4, 0x0806, arp(1, '02:aa:bb:cc:dd:ee', '10.0.0.1', '10.0.0.2'), [0x02, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5])]));
    expect(r.devices.topTalkers).toEqual([{ address: '02:a1:b2:c3:d4:e5', kind: 'mac', packets: 1, bytes: 44 }]);
    expect(r.devices.macs).toBe(1);
  });
  it('v2: 20 bytes is a whole header; 19 is malformed; 0x0600 is an EtherType', () => {
    expect(endsOf(SLL2, [sll2(0, 0x88cc, Buffer.alloc(0))])).toEqual(['sll/lldp 1']);
    expect(endsOf(SLL2, [sll2(0, 0x88cc, Buffer.alloc(0)).subarray(0, 19)])).toEqual(['sll/_ws.malformed 1']);
    expect(endsOf(SLL2, [sll2(0, 0x0600, Buffer.alloc(10)), sll2(0, 0x05ff, Buffer.alloc(10))])).toEqual(['sll/data 1', 'sll/llc 1']);
  });
  it('v2: an IPv4 packet is classed once, by its packet type, and its MAC is no talker (its addresses are)', () => {
    const r = reportOf(fed(SLL2, [sll2(0, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 40001, Buffer.alloc(4))))]));
    expect(r.traffic).toEqual({ unicast: 1, broadcast: 0, multicast: 0, arp: 0 });
    expect(r.devices.topTalkers.map((t) => t.kind)).toEqual(['ipv4', 'ipv4']);
  });
});

describe('BSD loopback: the 4-byte family in host or network order', () => {
  const v4 = ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 123, Buffer.alloc(48)));
  it('exactly 4 bytes: the family is read and IPv4 is malformed; 3 bytes: the loopback header is', () => {
    expect(endsOf(NULL, [bytes(2, 0, 0, 0)])).toEqual(['null/ip/_ws.malformed 1']);
    expect(endsOf(NULL, [bytes(2, 0, 0)])).toEqual(['null/_ws.malformed 1']);
  });
  it('NULL in host (little-endian) order and in network order, LOOP in network order, with filler before the record', () => {
    expect(endsOf(NULL, [cat(bytes(2, 0, 0, 0), v4), cat(bytes(0, 0, 0, 2), v4)])).toEqual(['null/ip/udp/ntp 2']);
    expect(endsOf(LOOP, [cat(bytes(0, 0, 0, 2), v4)])).toEqual(['null/ip/udp/ntp 1']);
    expect(endsOf(LOOP, [cat(bytes(2, 0, 0, 0), v4)])).toEqual(['null/data 1']);
  });
});

describe('IPv4 lengths', () => {
  it('raw IP: one byte is a malformed IPv4 header, not a malformed record', () => {
    expect(endsOf(RAW, [bytes(0x45)])).toEqual(['raw/ip/_ws.malformed 1']);
  });
  it('a header of exactly 20 bytes and nothing after it is whole; 19 bytes is malformed', () => {
    const h = ipv4('10.0.0.1', '10.0.0.2', 1, Buffer.alloc(0));
    expect(endsOf(RAW, [h])).toEqual(['raw/ip/icmp 1']);
    expect(endsOf(RAW, [h.subarray(0, 19)])).toEqual(['raw/ip/_ws.malformed 1']);
  });
  it('options that end exactly at the record end are whole', () => {
    const h = cat(ipv4('10.0.0.1', '10.0.0.2', 1, Buffer.alloc(4)));
    h[0] = 0x46;
    expect(endsOf(RAW, [h])).toEqual(['raw/ip/icmp 1']);
  });
  it('the total length cuts Ethernet padding, also when it is the header alone', () => {
    // 20 bytes of IPv4 (UDP, no UDP header) padded to 60: the padding is not a UDP header
    expect(endsOf(ETH, [ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, Buffer.alloc(0)))], { fill: 0 })).toEqual(['eth/ip/udp/_ws.malformed 1']);
    // a TCP header alone, padded: no payload, so no application protocol
    expect(endsOf(ETH, [cat(eth(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(40000, 80))), Buffer.alloc(6))])).toEqual(['eth/ip/tcp 1']);
  });
  it('a total length of 0 (segmentation offload) or under the header length is ignored', () => {
    const payload = tcp(40000, 80, Buffer.from('GET / HTTP/1.1\r\n'));
    expect(endsOf(ETH, [eth(0x0800, ip4Total(0, 6, payload)), eth(0x0800, ip4Total(19, 6, payload))])).toEqual(['eth/ip/tcp/http 2']);
  });
  it('a total length past the captured end does not stretch the record', () => {
    // snaplen cut right after the TCP header; the header says 100 bytes
    const frame = eth(0x0800, ip4Total(100, 6, tcp(40000, 80)));
    expect(endsOf(ETH, [frame], { origLen: 114 })).toEqual(['eth/ip/tcp 1']);
  });
});

describe('raw IP traffic classes: by the destination group address, as Ethernet frames are by the MAC group bit', () => {
  // the fix of this round: 0.0.0.0 and 240.0.0.0/4 used to count as multicast, and IPv6 :: too
  it('IPv4: 255.255.255.255 broadcast, 224.0.0.0-239.255.255.255 multicast, everything else unicast', () => {
    const to = (dst: string) => ipv4('10.0.0.1', dst, 17, udp(40000, 40001, Buffer.alloc(4)));
    const r = reportOf(fed(RAW, ['255.255.255.255', '224.0.0.1', '239.255.255.255', '223.255.255.255', '0.0.0.0', '240.0.0.1', '10.0.0.2'].map(to)));
    expect(r.traffic).toEqual({ unicast: 4, broadcast: 1, multicast: 2, arp: 0 });
  });
  it('IPv6: ff00::/8 multicast, everything else unicast (:: too)', () => {
    const to = (dst: string) => ipv6('fd00::1', dst, 59, Buffer.alloc(0));
    const r = reportOf(fed(RAW, ['ff02::1', 'ff05::1:3', '::', 'fe80::1', 'fd00::2', 'fe00::1'].map(to)));
    expect(r.traffic).toEqual({ unicast: 4, broadcast: 0, multicast: 2, arp: 0 });
  });
  it('on Ethernet the MAC decides, not the IP destination', () => {
    const r = reportOf(fed(ETH, [ether(B, A, 0x0800, ipv4('10.0.0.1', '239.1.1.1', 17, udp(1, 2, Buffer.alloc(4))))]));
    expect(r.traffic).toEqual({ unicast: 1, broadcast: 0, multicast: 0, arp: 0 });
  });
});

describe('IPv6 lengths and extension headers', () => {
  it('40 bytes (no next header) is a whole header with both addresses; 39 is malformed', () => {
    const h = ipv6('fd00::1', 'fd00::2', 59, Buffer.alloc(0));
    const whole = reportOf(fed(ETH, [eth(0x86dd, h)]));
    expect(ends(whole)).toEqual(['eth/ipv6 1']);
    expect(whole.devices.ipv6).toEqual({ private: 2, public: 0 });
    const cut = reportOf(fed(ETH, [eth(0x86dd, h.subarray(0, 39))]));
    expect(ends(cut)).toEqual(['eth/ipv6/_ws.malformed 1']);
    // nothing is read from a cut header: no addresses, and the frame counts for its MACs
    expect(cut.devices.ipv6).toEqual({ private: 0, public: 0 });
    expect(cut.devices.topTalkers.map((t) => t.kind)).toEqual(['mac', 'mac']);
  });
  it('the payload length cuts Ethernet padding', () => {
    // a TCP header alone (payload length 20) and 6 bytes of padding: no application payload
    expect(endsOf(ETH, [cat(eth(0x86dd, ipv6('fd00::1', 'fd00::2', 6, tcp(40000, 80))), Buffer.alloc(6))])).toEqual(['eth/ipv6/tcp 1']);
  });
  it('a payload length of 0 (jumbogram) is ignored', () => {
    expect(endsOf(ETH, [eth(0x86dd, ip6Plen(0, 6, tcp(40000, 80, Buffer.from('GET /'))))])).toEqual(['eth/ipv6/tcp/http 1']);
  });
  it('a payload length past the captured end does not stretch the record', () => {
    expect(endsOf(ETH, [eth(0x86dd, ip6Plen(30, 6, tcp(40000, 80)))], { origLen: 84 })).toEqual(['eth/ipv6/tcp 1']);
    expect(endsOf(ETH, [eth(0x86dd, ip6Plen(100, 6, tcp(40000, 80)))], { origLen: 154 })).toEqual(['eth/ipv6/tcp 1']);
  });
  /** A destination-options header (8 bytes) naming `next`. */
  const dstOpts = (next: number) => bytes(next, 0, 0, 0, 0, 0, 0, 0);
  it('at most 16 extension headers are followed', () => {
    const chain = (n: number) => cat(...Array.from({ length: n }, (_, i) => dstOpts(i === n - 1 ? 17 : 60)), udp(40000, 123, Buffer.alloc(48)));
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 60, chain(16)))])).toEqual(['eth/ipv6/udp/ntp 1']);
    // the 17th is not read: the packet ends at "data" (next header 60 is not named)
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 60, chain(17)))])).toEqual(['eth/ipv6/data 1']);
  });
  it('an extension header that ends exactly at the record end, then no next header', () => {
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 60, dstOpts(59)))])).toEqual(['eth/ipv6 1']);
  });
  it('a fragment header: exactly 8 bytes is read; 4 bytes is not (zeros after the record are not read as one)', () => {
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 44, bytes(59, 0, 0, 0, 0, 0, 0, 1)))])).toEqual(['eth/ipv6 1']);
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 44, bytes(17, 0, 0, 0)))], { fill: 0 })).toEqual(['eth/ipv6/data 1']);
  });
  it('a first fragment (offset 0) is followed; a later one (offset in either byte) is data', () => {
    const frag = (hi: number, lo: number) => eth(0x86dd, ipv6('fd00::1', 'fd00::2', 44, cat(bytes(17, 0, hi, lo, 0, 0, 0, 1), udp(40000, 123, Buffer.alloc(48)))));
    expect(endsOf(ETH, [frag(0, 1)])).toEqual(['eth/ipv6/udp/ntp 1']); // offset 0, more fragments
    expect(endsOf(ETH, [frag(0, 8), frag(1, 0)])).toEqual(['eth/ipv6/data 2']);
  });
  it('an authentication header: exactly 8 bytes is read; 4 bytes is not', () => {
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 51, bytes(59, 0, 0, 0, 0, 0, 0, 0)))])).toEqual(['eth/ipv6 1']);
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 51, bytes(17, 0, 0, 0)))], { fill: 0 })).toEqual(['eth/ipv6/data 1']);
  });
  it('an authentication header is (length + 2) x 4 bytes long', () => {
    const ah = cat(bytes(17, 4), Buffer.alloc(22));
    expect(endsOf(ETH, [eth(0x86dd, ipv6('fd00::1', 'fd00::2', 51, cat(ah, udp(40000, 123, Buffer.alloc(48)))))])).toEqual(['eth/ipv6/udp/ntp 1']);
  });
  it('addresses with three zero words and one not are addresses (only :: is unspecified)', () => {
    const to = (dst: string) => ipv6('2001:db8::1', dst, 59, Buffer.alloc(0));
    const r = reportOf(fed(RAW, ['::1', '::1:0:0', '0:0:0:1::', '0:1::', '::'].map(to)));
    expect(r.devices.ipv6).toEqual({ private: 1, public: 4 }); // ::1 counts as private
  });
});

describe('TCP and UDP lengths', () => {
  it('TCP: one byte of header at the very end of the buffer is malformed, nothing read past it', () => {
    const an = new Analyzer();
    expect(() => feed(an, RAW, ipv4('10.0.0.1', '10.0.0.2', 6, bytes(0x9c)), { after: 0 })).not.toThrow();
    expect(ends(reportOf(an))).toEqual(['raw/ip/tcp/_ws.malformed 1']);
  });
  it('UDP: 8 bytes is a whole header (no payload, so no name); 7 is malformed', () => {
    expect(endsOf(RAW, [ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 123, Buffer.alloc(0)))])).toEqual(['raw/ip/udp 1']);
    expect(endsOf(RAW, [ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 123, Buffer.alloc(0)).subarray(0, 7))])).toEqual(['raw/ip/udp/_ws.malformed 1']);
  });
  it('the UDP length cuts padding the IP length left in, also at 8 (the header alone)', () => {
    // IPv4 total length 0: only UDP's own length can cut
    const v4 = (u: Uint8Array) => ip4Total(0, 17, u);
    expect(endsOf(RAW, [v4(cat(udpLen(8, 40000, 123), Buffer.alloc(4)))])).toEqual(['raw/ip/udp 1']);
    expect(endsOf(RAW, [v4(cat(udpLen(12, 40000, 123), bytes(1, 2, 3, 4), Buffer.alloc(4)))])).toEqual(['raw/ip/udp/ntp 1']);
  });
  it('a UDP length under 8 is ignored; one past the captured end does not stretch the record', () => {
    expect(endsOf(RAW, [ip4Total(0, 17, udpLen(0, 40000, 123, Buffer.alloc(48)))])).toEqual(['raw/ip/udp/ntp 1']);
    expect(endsOf(RAW, [ip4Total(0, 17, udpLen(100, 40000, 123))], { origLen: 128 })).toEqual(['raw/ip/udp 1']);
  });
});

describe('application detection: which port, which check', () => {
  const ot = (frames: Uint8Array[]) => reportOf(fed(ETH, frames)).otProtocols.map((p) => `${p.name} ${p.packets} [${p.ports.join(',')}]`);
  const v4tcp = (sp: number, dp: number, payload: Uint8Array) => ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(sp, dp, payload)));
  it('a protocol confirmed on its destination port is not checked again on a source port bound to another', () => {
    // Modbus to 502 from 20000 (DNP3's port): Modbus on 502
    expect(ot([v4tcp(20000, 502, modbusRequest(1))])).toEqual(['mbtcp 1 [502]']);
  });
  it('the first heuristic that confirms wins over the later ones for the same first byte', () => {
    // an EtherNet/IP UnRegisterSession (first byte 0x66, which Niagara Fox also starts with), on no known port
    const enip = Buffer.alloc(24);
    enip.writeUInt16LE(0x0066, 0);
    expect(ot([v4tcp(50000, 50001, enip)])).toEqual(['enip 1 [50000]']);
  });
  it('ports 0 and 1 are ports; an EtherType protocol has none', () => {
    expect(ot([v4tcp(0, 50000, dnp3Frame())])).toEqual(['dnp3 1 [0]']);
    expect(ot([v4tcp(1, 50000, dnp3Frame())])).toEqual(['dnp3 1 [1]']);
    const goose = cat(bytes(0, 1, 0, 13, 0, 0, 0, 0), bytes(0x61, 0x03, 0x80, 0x01, 0x00));
    expect(ot([ether('01:0c:cd:01:00:01', A, 0x88b8, goose)])).toEqual(['goose 1 []']);
  });
  it('a protocol seen on a UDP port and then by its EtherType keeps only the port', () => {
    const ecat = bytes(0x0e, 0x10, 0x07, 0x00, 0x00, 0x00, 0x30, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    expect(ot([ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 34980, ecat))), ether(B, A, 0x88a4, ecat)])).toEqual(['ethercat 2 [34980]']);
  });
  it('an EtherType bound to a protocol whose payload does not confirm is data', () => {
    expect(endsOf(ETH, [ether('01:0c:cd:01:00:01', A, 0x88b8, Buffer.alloc(46, 0xff))])).toEqual(['eth/data 1']);
  });
});
