// The simulated monitor port's traffic, as real packet bytes (Ethernet, IPv4,
// TCP/UDP and the industrial protocols' messages as the standards write them)
// in a pcapng stream, so the real analyser decides the verdict (the simulator
// does not use the detectors: it is written apart from what judges it). One
// call per tick gives that tick's packets for a mirror state.
import type { MirrorState } from './span-state.js';

const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function mac(n: number): number[] {
  return [0x02, 0x00, 0x5e, 0x10, (n >> 8) & 0xff, n & 0xff];
}
function ip(n: number): number[] {
  return [10, 20, (n >> 8) & 0xff, n & 0xff];
}

function ether(dst: number[], src: number[], type: number, payload: Uint8Array): Uint8Array {
  const len = Math.max(60, 14 + payload.length);
  const f = new Uint8Array(len);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = type >> 8;
  f[13] = type & 0xff;
  f.set(payload, 14);
  return f;
}

function ipv4(src: number[], dst: number[], proto: number, payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(20 + payload.length);
  p[0] = 0x45;
  p[2] = p.length >> 8;
  p[3] = p.length & 0xff;
  p[8] = 64;
  p[9] = proto;
  p.set(src, 12);
  p.set(dst, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (p[i]! << 8) | p[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  const c = ~sum & 0xffff;
  p[10] = c >> 8;
  p[11] = c & 0xff;
  p.set(payload, 20);
  return p;
}

function tcp(sp: number, dp: number, seq: number, payload: Uint8Array): Uint8Array {
  const t = new Uint8Array(20 + payload.length);
  t[0] = sp >> 8;
  t[1] = sp & 0xff;
  t[2] = dp >> 8;
  t[3] = dp & 0xff;
  t[4] = (seq >>> 24) & 0xff;
  t[5] = (seq >>> 16) & 0xff;
  t[6] = (seq >>> 8) & 0xff;
  t[7] = seq & 0xff;
  t[12] = 5 << 4;
  t[13] = 0x18; // PSH ACK
  t[14] = 0xff;
  t[15] = 0xff;
  t.set(payload, 20);
  return t;
}

function udp(sp: number, dp: number, payload: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  u[0] = sp >> 8;
  u[1] = sp & 0xff;
  u[2] = dp >> 8;
  u[3] = dp & 0xff;
  u[4] = u.length >> 8;
  u[5] = u.length & 0xff;
  u.set(payload, 8);
  return u;
}

function arp(sender: number, target: number): Uint8Array {
  const a = new Uint8Array(28);
  a.set([0, 1, 8, 0, 6, 4, 0, 1], 0);
  a.set(mac(sender), 8);
  a.set(ip(sender), 14);
  a.set(ip(target), 24);
  return ether(BROADCAST, mac(sender), 0x0806, a);
}

/** CRC-16/DNP, bitwise (reflected 0x3D65, complemented). */
function crcDnp(b: number[]): number {
  let crc = 0;
  for (const byte of b) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa6bc : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/** TPKT (RFC 1006) + COTP data TPDU, last unit, around `data`. */
function tpkt(data: number[]): Uint8Array {
  const len = 7 + data.length;
  return new Uint8Array([3, 0, len >> 8, len & 0xff, 2, 0xf0, 0x80, ...data]);
}

const PAYLOADS: Record<string, () => Uint8Array> = {
  // Modbus/TCP read holding registers 0..9, unit 1
  modbus: () => new Uint8Array([0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a]),
  // S7comm job: setup communication
  s7comm: () => tpkt([0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0]),
  // DNP3 link header, request link status, master 3 -> outstation 1
  dnp3: () => {
    const h = [0x05, 0x64, 0x05, 0xc9, 0x01, 0x00, 0x03, 0x00];
    const crc = crcDnp(h);
    return new Uint8Array([...h, crc & 0xff, crc >> 8]);
  },
  // EtherNet/IP ListIdentity
  enip: () => new Uint8Array([0x63, 0x00, ...new Array(22).fill(0)]),
  // IEC 60870-5-104 TESTFR act
  iec104: () => new Uint8Array([0x68, 0x04, 0x43, 0x00, 0x00, 0x00]),
};

/** A TCP exchange between a client (HMI, engineering station) and a server (PLC, RTU) on `port`. */
interface Conversation {
  client: number;
  server: number;
  port: number;
  payload: () => Uint8Array;
}

const OT_CONVERSATIONS: Conversation[] = [
  { client: 10, server: 100, port: 502, payload: PAYLOADS.modbus! },
  { client: 11, server: 101, port: 102, payload: PAYLOADS.s7comm! },
  { client: 12, server: 102, port: 20000, payload: PAYLOADS.dnp3! },
  { client: 13, server: 103, port: 44818, payload: PAYLOADS.enip! },
  { client: 14, server: 104, port: 2404, payload: PAYLOADS.iec104! },
];
const IT_CONVERSATIONS: Conversation[] = [
  { client: 20, server: 200, port: 443, payload: () => new Uint8Array([0x17, 0x03, 0x03, 0x00, 0x10, ...new Uint8Array(16)]) },
  { client: 21, server: 201, port: 80, payload: () => new TextEncoder().encode('GET / HTTP/1.1\r\nHost: historian\r\n\r\n') },
];

/** The generator's running state: sequence numbers, a tick counter. */
export class SpanTraffic {
  private tick = 0;
  private seq = 1;

  constructor(private readonly mirror: MirrorState) {}

  /** This tick's frames (about 100 ms of traffic). */
  next(): Uint8Array[] {
    const t = this.tick++;
    const frames: Uint8Array[] = [];
    const exchange = (c: Conversation, both: boolean) => {
      const cp = 40000 + c.client;
      const req = c.payload();
      frames.push(ether(mac(c.server), mac(c.client), 0x0800, ipv4(ip(c.client), ip(c.server), 6, tcp(cp, c.port, this.seq, req))));
      if (both) frames.push(ether(mac(c.client), mac(c.server), 0x0800, ipv4(ip(c.server), ip(c.client), 6, tcp(c.port, cp, this.seq, req))));
      this.seq += req.length;
    };
    const dnsQuery = () =>
      frames.push(ether(mac(1), mac(22), 0x0800, ipv4(ip(22), ip(1), 17, udp(53000, 53, new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])))));
    const broadcastNoise = () => {
      frames.push(ether(BROADCAST, mac(30), 0x0800, ipv4(ip(30), [255, 255, 255, 255], 17, udp(137, 137, new Uint8Array(50)))));
      frames.push(ether([0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa], mac(31), 0x0800, ipv4(ip(31), [239, 255, 255, 250], 17, udp(1900, 1900, new Uint8Array(40)))));
    };
    switch (this.mirror) {
      case 'healthy':
        for (const c of OT_CONVERSATIONS) exchange(c, true);
        for (const c of IT_CONVERSATIONS) exchange(c, true);
        dnsQuery();
        if (t % 5 === 0) frames.push(arp(10 + (t % 5), 100));
        if (t % 10 === 0) broadcastNoise();
        break;
      case 'one-direction':
        // a mirror of the switch port's RX only: every request, never an answer
        for (const c of OT_CONVERSATIONS) exchange(c, false);
        for (const c of IT_CONVERSATIONS) exchange(c, false);
        if (t % 5 === 0) frames.push(arp(10, 100));
        break;
      case 'mostly-arp':
        // the wrong VLAN or port: ARP from everywhere, little else
        for (let i = 0; i < 12; i++) frames.push(arp(50 + ((t * 12 + i) % 200), 1));
        if (t % 2 === 0) exchange(OT_CONVERSATIONS[0]!, true);
        break;
      case 'broadcast-only':
        broadcastNoise();
        broadcastNoise();
        if (t % 3 === 0) frames.push(arp(40, 1));
        break;
      case 'silent':
        break;
    }
    return frames;
  }
}

// ------------------------------------------------------------------ pcapng

function block(type: number, body: Uint8Array): Uint8Array {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, len, true);
  b.set(body, 8);
  dv.setUint32(len - 4, len, true);
  return b;
}

/** Section header + one Ethernet interface (microsecond timestamps). */
export function pcapngHeader(): Uint8Array {
  const shb = new Uint8Array(16);
  const s = new DataView(shb.buffer);
  s.setUint32(0, 0x1a2b3c4d, true);
  s.setUint16(4, 1, true);
  s.setUint16(6, 0, true);
  s.setInt32(8, -1, true);
  s.setInt32(12, -1, true);
  const idb = new Uint8Array(8);
  const i = new DataView(idb.buffer);
  i.setUint16(0, 1, true); // LINKTYPE_ETHERNET
  i.setUint32(4, 65535, true);
  const a = block(0x0a0d0d0a, shb);
  const b = block(0x00000001, idb);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Enhanced packet blocks for `frames`, all stamped `timeMs`. */
export function pcapngPackets(frames: Uint8Array[], timeMs: number): Uint8Array {
  const us = BigInt(Math.round(timeMs * 1000));
  const parts = frames.map((f) => {
    const body = new Uint8Array(20 + f.length);
    const dv = new DataView(body.buffer);
    dv.setUint32(0, 0, true);
    dv.setUint32(4, Number(us >> 32n), true);
    dv.setUint32(8, Number(us & 0xffffffffn), true);
    dv.setUint32(12, f.length, true);
    dv.setUint32(16, f.length, true);
    body.set(f, 20);
    return block(0x00000006, body);
  });
  return Buffer.concat(parts);
}
