// The analyzer's decoding branches, each with a frame built to reach it, and the whole protocol
// hierarchy it yields (issue 17: mutation testing of the analyzer). Each case asserts every node
// with its packet and byte counts, the traffic classes and the device counts, so a mutant that
// sends a frame down another branch, or counts it elsewhere, changes the expected text.
import { describe, expect, it } from 'vitest';
import { analyzeBuffer, type CaptureReport, type HierarchyNode } from '../../src/capture/index.js';
import { BROADCAST, arp, dnp3Frame, ether, ipv4, ipv6, modbusRequest, tcp, udp, writePcap, type Pkt } from './helpers/writer.js';

const A = '00:11:22:33:44:01';
const B = '00:11:22:33:44:02';

/** The hierarchy as "eth/ip/tcp 3 180" lines, depth first. */
function tree(r: CaptureReport): string[] {
  const out: string[] = [];
  const walk = (nodes: HierarchyNode[], at: string) => {
    for (const n of nodes) {
      out.push(`${at}${n.name} ${n.packets} ${n.bytes}`);
      walk(n.children, `${at}${n.name}/`);
    }
  };
  walk(r.hierarchy, '');
  return out;
}

const frames = (datas: Uint8Array[], linkType?: number) =>
  analyzeBuffer(writePcap(datas.map((data, i): Pkt => ({ ts: 1_700_000_000 + i, data })), linkType === undefined ? {} : { linkType }), 'edges.pcap');

const raw = (...bytes: number[]) => Buffer.from(bytes);
const hdr = (dst: string, src: string) => Buffer.concat([Buffer.from(dst.split(':').map((h) => parseInt(h, 16))), Buffer.from(src.split(':').map((h) => parseInt(h, 16)))]);

/** An IPv4 header with the given first byte (version/IHL) and fragment word. */
function ip4Custom(first: number, fragment: number, proto: number, payload: Uint8Array): Buffer {
  const h = ipv4('10.0.0.1', '10.0.0.2', proto, payload);
  h[0] = first;
  h.writeUInt16BE(fragment, 6);
  return h;
}
/** A TCP header whose data offset is `words` 32-bit words. */
function tcpOffset(words: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const t = tcp(40000, 80, payload);
  t[12] = words << 4;
  return t;
}
/** An IPv6 extension header: next header, length in 8-octet units after the first 8. */
const ext = (next: number, len = 0, fill = 0) => Buffer.concat([raw(next, len), Buffer.alloc(6 + len * 8, fill)]);

/** What a case is checked on: everything the analyzer counts. */
const summary = (r: CaptureReport) => ({
  tree: tree(r),
  traffic: r.traffic,
  devices: r.devices,
  ot: r.otProtocols,
  rate: [r.firstTime, r.lastTime, r.durationSeconds, r.avgBitsPerSecond, r.peakBitsPerSecond],
  tcp: r.verdict.checks.find((c) => c.id === 'tcp-directions')?.detail ?? null,
});

const CASES: Record<string, () => CaptureReport> = {
  'Ethernet: short frame, cut VLAN tag, nine stacked tags, LLC length, unknown EtherType': () =>
    frames([
      Buffer.alloc(13, 2),
      Buffer.concat([hdr(B, A), raw(0x81, 0x00, 0x00)]),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 2, Buffer.alloc(4))), [1, 2, 3, 4, 5, 6, 7, 8, 9]),
      ether(B, A, 0x0050, Buffer.alloc(80)),
      ether(B, A, 0x1234, Buffer.alloc(50)),
    ]),
  'IPv4: short, wrong version, IHL under 20, options past the end, non-first fragment, ICMP, GRE, an unnamed protocol': () =>
    frames([
      ether(B, A, 0x0800, Buffer.alloc(10)),
      ether(B, A, 0x0800, ip4Custom(0x55, 0, 6, tcp(1, 2))),
      ether(B, A, 0x0800, ip4Custom(0x44, 0, 6, tcp(1, 2))),
      Buffer.concat([hdr(B, A), raw(0x08, 0x00), ip4Custom(0x4f, 0, 6, Buffer.alloc(10))]),
      ether(B, A, 0x0800, ip4Custom(0x45, 0x0001, 6, tcp(1, 2))),
      ether(B, A, 0x0800, ip4Custom(0x45, 0x2000, 17, udp(5000, 123, Buffer.alloc(48)))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 1, Buffer.alloc(8))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 47, Buffer.alloc(8))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 200, Buffer.alloc(8))),
    ]),
  'TCP and UDP: short headers, data offsets under 20 and past the end, names by either port, no payload': () =>
    frames([
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, Buffer.alloc(19))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcpOffset(4, Buffer.alloc(8)))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcpOffset(15, Buffer.alloc(8)))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, Buffer.alloc(7))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(50000, 22, Buffer.alloc(10)))),
      ether(A, B, 0x0800, ipv4('10.0.0.2', '10.0.0.1', 6, tcp(22, 50000, Buffer.alloc(10)))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(50000, 50001, Buffer.alloc(10)))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(50000, 22))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(123, 50000, Buffer.alloc(48)))),
      ether(B, A, 0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, udp(50000, 50001, Buffer.alloc(4)))),
    ]),
  'IPv6: short, wrong version, hop-by-hop, routing, destination options, fragments, AH, no next header, headers past the end': () =>
    frames([
      ether(B, A, 0x86dd, Buffer.alloc(30)),
      ether(B, A, 0x86dd, (() => { const h = ipv6('fd00::1', 'fd00::2', 59, Buffer.alloc(0)); h[0] = 0x40; return h; })()),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 0, Buffer.concat([ext(6), tcp(50000, 22, Buffer.alloc(4))]))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 43, Buffer.concat([ext(60, 1), ext(17), udp(50000, 123, Buffer.alloc(48))]))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 44, Buffer.concat([raw(6, 0, 0x00, 0x08, 0, 0, 0, 1), tcp(50000, 22, Buffer.alloc(4))]))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 44, Buffer.concat([raw(6, 0, 0x00, 0x01, 0, 0, 0, 1), tcp(50000, 22, Buffer.alloc(4))]))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 51, Buffer.concat([raw(58, 4), Buffer.alloc(22), Buffer.alloc(8)]))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 59, Buffer.alloc(8))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 0, raw(6, 30, 0, 0, 0, 0, 0, 0))),
      ether(B, A, 0x86dd, ipv6('fd00::1', 'fd00::2', 0, raw(6, 0, 0, 0))),
      ether('33:33:00:00:00:01', A, 0x86dd, ipv6('fe80::1', 'ff02::1', 58, Buffer.alloc(8))),
      ether(B, A, 0x86dd, ipv6('::', '2001:db8::1', 58, Buffer.alloc(8))),
    ]),
  'raw IP: empty, neither version 4 nor 6; classes by destination address': () =>
    frames(
      [
        Buffer.alloc(0),
        raw(0x50, 1, 2, 3),
        ipv4('10.0.0.1', '255.255.255.255', 17, udp(68, 67, Buffer.alloc(8))),
        ipv4('10.0.0.1', '239.1.1.1', 17, udp(1, 2, Buffer.alloc(8))),
        ipv4('10.0.0.1', '0.0.0.0', 17, udp(1, 2, Buffer.alloc(8))),
        ipv4('10.0.0.1', '240.0.0.1', 17, udp(1, 2, Buffer.alloc(8))),
        ipv4('10.0.0.1', '8.8.8.8', 17, udp(1, 53, Buffer.alloc(8))),
        ipv6('fd00::1', 'ff02::1', 58, Buffer.alloc(8)),
        ipv6('fd00::1', 'fd00::2', 58, Buffer.alloc(8)),
      ],
      101,
    ),
  'BSD loopback: short, IPv6 families 10, 24 and 28, an unknown family': () =>
    frames(
      [
        raw(2, 0, 0),
        Buffer.concat([raw(10, 0, 0, 0), ipv6('fd00::1', 'fd00::2', 58, Buffer.alloc(8))]),
        Buffer.concat([raw(24, 0, 0, 0), ipv6('fd00::1', 'fd00::2', 58, Buffer.alloc(8))]),
        Buffer.concat([raw(28, 0, 0, 0), ipv6('fd00::1', 'fd00::2', 58, Buffer.alloc(8))]),
        Buffer.concat([raw(7, 0, 0, 0), Buffer.alloc(20)]),
        Buffer.concat([raw(0, 0, 0, 30), ipv6('fd00::1', 'fd00::2', 58, Buffer.alloc(8))]),
      ],
      0,
    ),
  'Linux cooked v1: short, packet types, address lengths, a multicast source, LLC': () => {
    const sll = (pktType: number, addrLen: number, source: number[], proto: number, payload: Uint8Array) =>
      Buffer.concat([raw(0, pktType, 0, 1, 0, addrLen), Buffer.from([...source, 0, 0].slice(0, 8)), raw(proto >> 8, proto & 255), payload]);
    const v4 = ipv4('10.0.0.1', '10.0.0.2', 17, udp(1, 2, Buffer.alloc(8)));
    return frames(
      [
        Buffer.alloc(15),
        sll(0, 6, [0x02, 0, 0, 0, 0, 1], 0x0800, v4),
        sll(3, 6, [0x02, 0, 0, 0, 0, 2], 0x0800, v4),
        sll(4, 6, [0x02, 0, 0, 0, 0, 1], 0x0800, v4),
        sll(1, 8, [0x02, 0, 0, 0, 0, 3, 7, 7], 0x0806, Buffer.alloc(28)),
        sll(2, 6, [0x03, 0, 0, 0, 0, 4], 0x0004, Buffer.alloc(10)),
      ],
      113,
    );
  },
  'Linux cooked v2: short, LLC, an ARP': () => {
    const sll2 = (proto: number, pktType: number, payload: Uint8Array) =>
      Buffer.concat([raw(proto >> 8, proto & 255, 0, 0, 0, 0, 0, 2, 0, 1, pktType, 6, 0x02, 0, 0, 0, 0, 9, 0, 0), payload]);
    return frames([Buffer.alloc(19), sll2(0x0004, 0, Buffer.alloc(10)), sll2(0x0806, 1, Buffer.alloc(28))], 276);
  },
  'ARP and MAC classes: broadcast, multicast, unicast; multicast sources are not devices': () =>
    frames([
      ether(BROADCAST, A, 0x0806, arp(1, A, '10.0.0.1', '10.0.0.2')),
      ether('01:80:c2:00:00:0e', A, 0x88cc, Buffer.alloc(40)),
      ether('ff:ff:ff:ff:ff:fe', A, 0x88cc, Buffer.alloc(40)),
      ether(A, '01:00:00:00:00:09', 0x88cc, Buffer.alloc(40)),
      ether(B, A, 0x88cc, Buffer.alloc(40)),
    ]),
  'one-second bins: a packet back in an earlier second joins its bin; the average spans every second': () =>
    analyzeBuffer(
      writePcap([
        { ts: 10.1, data: ether(B, A, 0x88cc, Buffer.alloc(86)) },
        { ts: 11.5, data: ether(B, A, 0x88cc, Buffer.alloc(186)) },
        { ts: 10.7, data: ether(B, A, 0x88cc, Buffer.alloc(286)) },
        { ts: 13.2, data: ether(B, A, 0x88cc, Buffer.alloc(36)) },
      ]),
      'bins.pcap',
    ),
  'OT ports: server port from either side, heuristic on the lower port, at most 16 ports kept': () => {
    const v4 = (src: string, dst: string, t: Uint8Array) => ether(B, A, 0x0800, ipv4(src, dst, 6, t));
    return frames([
      v4('10.0.0.1', '10.0.0.2', tcp(50000, 502, modbusRequest(1))),
      v4('10.0.0.2', '10.0.0.1', tcp(502, 50000, modbusRequest(1))),
      ...Array.from({ length: 20 }, (_, i) => v4('10.0.0.1', '10.0.0.2', tcp(50000, 30000 + i, dnp3Frame()))),
      ...Array.from({ length: 2 }, () => v4('10.0.0.2', '10.0.0.1', tcp(30000, 50000, dnp3Frame()))),
    ]);
  },
  'TCP directions: one conversation answered, two not, one with itself': () => {
    const v4 = (src: string, dst: string, t: Uint8Array) => ether(B, A, 0x0800, ipv4(src, dst, 6, t));
    return frames([
      v4('10.0.0.1', '10.0.0.2', tcp(50000, 80)),
      v4('10.0.0.2', '10.0.0.1', tcp(80, 50000)),
      v4('10.0.0.1', '10.0.0.3', tcp(50001, 80)),
      v4('10.0.0.4', '10.0.0.1', tcp(80, 50002)),
      v4('10.0.0.5', '10.0.0.5', tcp(40000, 40001)),
      v4('10.0.0.5', '10.0.0.5', tcp(40001, 40000)),
    ]);
  },
};

/** What each case yields (worked out by hand from the frames: see each case's name). */
const EXPECTED: Record<string, ReturnType<typeof summary>> = {
  "Ethernet: short frame, cut VLAN tag, nine stacked tags, LLC length, unknown EtherType": {
    "tree": [
      "eth 5 268",
      "eth/vlan 2 97",
      "eth/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan/vlan/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan/vlan/vlan/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan/vlan/vlan/vlan/vlan/vlan 1 82",
      "eth/vlan/vlan/vlan/vlan/vlan/vlan/vlan/vlan/data 1 82",
      "eth/vlan/_ws.malformed 1 15",
      "eth/llc 1 94",
      "eth/data 1 64",
      "eth/_ws.malformed 1 13"
    ],
    "traffic": {
      "unicast": 4,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 0,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "00:11:22:33:44:01",
          "kind": "mac",
          "packets": 3,
          "bytes": 240
        },
        {
          "address": "00:11:22:33:44:02",
          "kind": "mac",
          "packets": 3,
          "bytes": 240
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:24.000000Z",
      4,
      429,
      752
    ],
    "tcp": "no TCP conversations to judge"
  },
  "IPv4: short, wrong version, IHL under 20, options past the end, non-first fragment, ICMP, GRE, an unnamed protocol": {
    "tree": [
      "eth 9 554",
      "eth/ip 9 554",
      "eth/ip/_ws.malformed 4 224",
      "eth/ip/data 2 120",
      "eth/ip/udp 1 90",
      "eth/ip/udp/ntp 1 90",
      "eth/ip/gre 1 60",
      "eth/ip/icmp 1 60"
    ],
    "traffic": {
      "unicast": 9,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 2,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "10.0.0.1",
          "kind": "ipv4",
          "packets": 5,
          "bytes": 330
        },
        {
          "address": "10.0.0.2",
          "kind": "ipv4",
          "packets": 5,
          "bytes": 330
        },
        {
          "address": "00:11:22:33:44:01",
          "kind": "mac",
          "packets": 4,
          "bytes": 224
        },
        {
          "address": "00:11:22:33:44:02",
          "kind": "mac",
          "packets": 4,
          "bytes": 224
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:28.000000Z",
      8,
      492,
      720
    ],
    "tcp": "only 0 of 1 TCP conversations seen in both directions: the mirror may copy one direction only"
  },
  "TCP and UDP: short headers, data offsets under 20 and past the end, names by either port, no payload": {
    "tree": [
      "eth 10 646",
      "eth/ip 10 646",
      "eth/ip/tcp 7 436",
      "eth/ip/tcp/_ws.malformed 3 184",
      "eth/ip/tcp/ssh 2 128",
      "eth/ip/tcp/data 1 64",
      "eth/ip/udp 3 210",
      "eth/ip/udp/ntp 1 90",
      "eth/ip/udp/_ws.malformed 1 60",
      "eth/ip/udp/data 1 60"
    ],
    "traffic": {
      "unicast": 10,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 2,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "10.0.0.1",
          "kind": "ipv4",
          "packets": 10,
          "bytes": 646
        },
        {
          "address": "10.0.0.2",
          "kind": "ipv4",
          "packets": 10,
          "bytes": 646
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:29.000000Z",
      9,
      517,
      720
    ],
    "tcp": "only 1 of 4 TCP conversations seen in both directions: the mirror may copy one direction only"
  },
  "IPv6: short, wrong version, hop-by-hop, routing, destination options, fragments, AH, no next header, headers past the end": {
    "tree": [
      "eth 12 906",
      "eth/ipv6 12 906",
      "eth/ipv6/icmpv6 3 210",
      "eth/ipv6/_ws.malformed 3 182",
      "eth/ipv6/tcp 2 172",
      "eth/ipv6/tcp/ssh 2 172",
      "eth/ipv6/data 2 146",
      "eth/ipv6/udp 1 134",
      "eth/ipv6/udp/ntp 1 134"
    ],
    "traffic": {
      "unicast": 11,
      "broadcast": 0,
      "multicast": 1,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 0,
        "public": 0
      },
      "ipv6": {
        "private": 3,
        "public": 1
      },
      "topTalkers": [
        {
          "address": "fd00::1",
          "kind": "ipv6",
          "packets": 8,
          "bytes": 662
        },
        {
          "address": "fd00::2",
          "kind": "ipv6",
          "packets": 8,
          "bytes": 662
        },
        {
          "address": "00:11:22:33:44:01",
          "kind": "mac",
          "packets": 2,
          "bytes": 120
        },
        {
          "address": "00:11:22:33:44:02",
          "kind": "mac",
          "packets": 2,
          "bytes": 120
        },
        {
          "address": "2001:db8::1",
          "kind": "ipv6",
          "packets": 1,
          "bytes": 62
        },
        {
          "address": "fe80::1",
          "kind": "ipv6",
          "packets": 1,
          "bytes": 62
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:31.000000Z",
      11,
      604,
      1072
    ],
    "tcp": "only 0 of 1 TCP conversations seen in both directions: the mirror may copy one direction only"
  },
  "raw IP: empty, neither version 4 nor 6; classes by destination address": {
    "tree": [
      "raw 9 280",
      "raw/ip 5 180",
      "raw/ip/udp 5 180",
      "raw/ip/udp/data 3 108",
      "raw/ip/udp/dhcp 1 36",
      "raw/ip/udp/dns 1 36",
      "raw/ipv6 2 96",
      "raw/ipv6/icmpv6 2 96",
      "raw/data 1 4",
      "raw/_ws.malformed 1 0"
    ],
    "traffic": {
      "unicast": 4,
      "broadcast": 1,
      "multicast": 2,
      "arp": 0
    },
    "devices": {
      "macs": 0,
      "ipv4": {
        "private": 1,
        "public": 1
      },
      "ipv6": {
        "private": 2,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "10.0.0.1",
          "kind": "ipv4",
          "packets": 5,
          "bytes": 180
        },
        {
          "address": "fd00::1",
          "kind": "ipv6",
          "packets": 2,
          "bytes": 96
        },
        {
          "address": "fd00::2",
          "kind": "ipv6",
          "packets": 1,
          "bytes": 48
        },
        {
          "address": "8.8.8.8",
          "kind": "ipv4",
          "packets": 1,
          "bytes": 36
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:28.000000Z",
      8,
      249,
      384
    ],
    "tcp": "no TCP conversations to judge"
  },
  "BSD loopback: short, IPv6 families 10, 24 and 28, an unknown family": {
    "tree": [
      "null 6 235",
      "null/ipv6 4 208",
      "null/ipv6/icmpv6 4 208",
      "null/data 1 24",
      "null/_ws.malformed 1 3"
    ],
    "traffic": {
      "unicast": 4,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 0,
      "ipv4": {
        "private": 0,
        "public": 0
      },
      "ipv6": {
        "private": 2,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "fd00::1",
          "kind": "ipv6",
          "packets": 4,
          "bytes": 208
        },
        {
          "address": "fd00::2",
          "kind": "ipv6",
          "packets": 4,
          "bytes": 208
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:25.000000Z",
      5,
      313,
      416
    ],
    "tcp": "no TCP conversations to judge"
  },
  "Linux cooked v1: short, packet types, address lengths, a multicast source, LLC": {
    "tree": [
      "sll 6 241",
      "sll/ip 3 156",
      "sll/ip/udp 3 156",
      "sll/ip/udp/data 3 156",
      "sll/arp 1 44",
      "sll/llc 1 26",
      "sll/_ws.malformed 1 15"
    ],
    "traffic": {
      "unicast": 3,
      "broadcast": 1,
      "multicast": 1,
      "arp": 1
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 2,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "10.0.0.1",
          "kind": "ipv4",
          "packets": 3,
          "bytes": 156
        },
        {
          "address": "10.0.0.2",
          "kind": "ipv4",
          "packets": 3,
          "bytes": 156
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:25.000000Z",
      5,
      321,
      416
    ],
    "tcp": "no TCP conversations to judge"
  },
  "Linux cooked v2: short, LLC, an ARP": {
    "tree": [
      "sll 3 97",
      "sll/arp 1 48",
      "sll/llc 1 30",
      "sll/_ws.malformed 1 19"
    ],
    "traffic": {
      "unicast": 1,
      "broadcast": 1,
      "multicast": 0,
      "arp": 1
    },
    "devices": {
      "macs": 1,
      "ipv4": {
        "private": 0,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "02:00:00:00:00:09",
          "kind": "mac",
          "packets": 2,
          "bytes": 78
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:22.000000Z",
      2,
      259,
      384
    ],
    "tcp": "no TCP conversations to judge"
  },
  "ARP and MAC classes: broadcast, multicast, unicast; multicast sources are not devices": {
    "tree": [
      "eth 5 300",
      "eth/lldp 4 240",
      "eth/arp 1 60"
    ],
    "traffic": {
      "unicast": 2,
      "broadcast": 1,
      "multicast": 2,
      "arp": 1
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 0,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "00:11:22:33:44:01",
          "kind": "mac",
          "packets": 5,
          "bytes": 300
        },
        {
          "address": "00:11:22:33:44:02",
          "kind": "mac",
          "packets": 1,
          "bytes": 60
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:24.000000Z",
      4,
      480,
      480
    ],
    "tcp": "no TCP conversations to judge"
  },
  "one-second bins: a packet back in an earlier second joins its bin; the average spans every second": {
    "tree": [
      "eth 4 660",
      "eth/lldp 4 660"
    ],
    "traffic": {
      "unicast": 4,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 0,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "00:11:22:33:44:01",
          "kind": "mac",
          "packets": 4,
          "bytes": 660
        },
        {
          "address": "00:11:22:33:44:02",
          "kind": "mac",
          "packets": 4,
          "bytes": 660
        }
      ]
    },
    "ot": [],
    "rate": [
      "1970-01-01T00:00:10.100000Z",
      "1970-01-01T00:00:13.200000Z",
      3.1,
      1320,
      3200
    ],
    "tcp": "no TCP conversations to judge"
  },
  "OT ports: server port from either side, heuristic on the lower port, at most 16 ports kept": {
    "tree": [
      "eth 24 1540",
      "eth/ip 24 1540",
      "eth/ip/tcp 24 1540",
      "eth/ip/tcp/dnp3 22 1408",
      "eth/ip/tcp/mbtcp 2 132"
    ],
    "traffic": {
      "unicast": 24,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 2,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "10.0.0.1",
          "kind": "ipv4",
          "packets": 24,
          "bytes": 1540
        },
        {
          "address": "10.0.0.2",
          "kind": "ipv4",
          "packets": 24,
          "bytes": 1540
        }
      ]
    },
    "ot": [
      {
        "name": "dnp3",
        "packets": 22,
        "bytes": 1408,
        "ports": [
          30000,
          30001,
          30002,
          30003,
          30004,
          30005,
          30006,
          30007,
          30008,
          30009,
          30010,
          30011,
          30012,
          30013,
          30014,
          30015
        ]
      },
      {
        "name": "mbtcp",
        "packets": 2,
        "bytes": 132,
        "ports": [
          502
        ]
      }
    ],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:43.000000Z",
      23,
      513,
      528
    ],
    "tcp": "only 2 of 21 TCP conversations seen in both directions: the mirror may copy one direction only"
  },
  "TCP directions: one conversation answered, two not, one with itself": {
    "tree": [
      "eth 6 360",
      "eth/ip 6 360",
      "eth/ip/tcp 6 360"
    ],
    "traffic": {
      "unicast": 6,
      "broadcast": 0,
      "multicast": 0,
      "arp": 0
    },
    "devices": {
      "macs": 2,
      "ipv4": {
        "private": 5,
        "public": 0
      },
      "ipv6": {
        "private": 0,
        "public": 0
      },
      "topTalkers": [
        {
          "address": "10.0.0.1",
          "kind": "ipv4",
          "packets": 4,
          "bytes": 240
        },
        {
          "address": "10.0.0.2",
          "kind": "ipv4",
          "packets": 2,
          "bytes": 120
        },
        {
          "address": "10.0.0.5",
          "kind": "ipv4",
          "packets": 2,
          "bytes": 120
        },
        {
          "address": "10.0.0.3",
          "kind": "ipv4",
          "packets": 1,
          "bytes": 60
        },
        {
          "address": "10.0.0.4",
          "kind": "ipv4",
          "packets": 1,
          "bytes": 60
        }
      ]
    },
    "ot": [],
    "rate": [
      "2023-11-14T22:13:20.000000Z",
      "2023-11-14T22:13:25.000000Z",
      5,
      480,
      480
    ],
    "tcp": "2 of 4 TCP conversations seen in both directions"
  }
};

describe('analyzer branches: the whole hierarchy, traffic, devices, OT ports, rates and TCP directions of each case', () => {
  it('every case has its expected result', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(CASES).sort());
  });
  it.each(Object.keys(CASES))('%s', (name) => {
    expect(summary(CASES[name]!())).toEqual(EXPECTED[name]);
  });
});
