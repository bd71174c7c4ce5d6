// Per-packet decoding and statistics. Readers call `packet()` once per record
// with the record's bytes in place (no copy, no per-packet objects): the hot
// path touches only typed arrays, numbers and a few small tables.

import { KeyTable } from './table.js';
import { etherNames, tcpNames, udpNames } from './port-names.js';
import { P, hasProto, protoCount, protoId } from './protocols.js';
import './protocols/index.js';
import { CHECKS, CHECK_IDS, etherTypes, heuristics, tcpPorts, udpPorts, type SegmentContext } from './protocols/table.js';
import {
  DLT_RAW_12,
  DLT_RAW_14,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  linkTypeName,
} from './linktypes.js';

const SLOTS = 256; // child slots per hierarchy node (protocol ids < 256)
const MAX_NODES = 4096;
const MAX_BINS = 1 << 20;
const MAX_PORTS = 16;

const IP_PROTO_NAMES = new Int32Array(256).fill(P.data);
IP_PROTO_NAMES[1] = P.icmp;
IP_PROTO_NAMES[2] = P.igmp;
IP_PROTO_NAMES[6] = P.tcp;
IP_PROTO_NAMES[17] = P.udp;
IP_PROTO_NAMES[47] = protoId('gre');
IP_PROTO_NAMES[50] = protoId('esp');
IP_PROTO_NAMES[58] = P.icmpv6;
IP_PROTO_NAMES[89] = protoId('ospf');
IP_PROTO_NAMES[103] = protoId('pim');
IP_PROTO_NAMES[112] = protoId('vrrp');
IP_PROTO_NAMES[132] = protoId('sctp');

export class Analyzer implements SegmentContext {
  packets = 0;
  bytes = 0;
  tMin = Infinity;
  tMax = -Infinity;
  unicast = 0;
  broadcast = 0;
  multicast = 0;
  arp = 0;
  /** Link types in order of first appearance (from headers and IDBs). */
  linkTypes: number[] = [];
  /** Packets per undecodable link type. */
  unsupported = new Map<number, number>();

  // one-second bins
  private binSec = NaN;
  private binBytes = 0;
  private bins = new Map<number, number>();
  peakBinBytes = 0;
  /** Bytes of packets that have a timestamp: exactly what the bins hold. */
  binnedBytes = 0;
  /** Partial bins that could not be merged into a stored one (more than MAX_BINS seconds). */
  private unmergedBins = 0;

  // hierarchy: node 0 is the virtual root
  nodeCount = 1;
  children = new Int32Array(64 * SLOTS);
  nodeProto = new Int32Array(64);
  nodeParent = new Int32Array(64);
  nodePackets = new Float64Array(64);
  nodeBytes = new Float64Array(64);

  // registered protocols, indexed by protocol id (ids of registered protocols are < SLOTS)
  otPackets = new Float64Array(SLOTS);
  otBytes = new Float64Array(SLOTS);
  otPorts: Set<number>[] = Array.from({ length: SLOTS }, () => new Set<number>());
  private otLastPort = new Int32Array(SLOTS).fill(-1);

  // the TCP segment being looked at, for checks that follow a PDU across segments
  private segSrc = 0;
  private segDst = 0;
  private segPorts = 0;
  private segOnTcp = false;
  continued = new Map<number, { left: number; id: number }>();
  /** A hash of the current TCP segment's flow and direction (never 0); 0 off TCP. */
  get segmentFlow(): number {
    if (!this.segOnTcp) return 0;
    return (Math.imul(this.segSrc, 0x9e3779b1) ^ Math.imul(this.segDst ^ 0x5bd1e995, 0x85ebca6b) ^ this.segPorts) | 1;
  }

  // devices
  macs = new KeyTable(2, false, 1 << 18);
  macTalkers = new KeyTable(2, true, 1 << 17);
  ip4 = new KeyTable(1, true, 1 << 19);
  ip6 = new KeyTable(4, true, 1 << 17);
  /** TCP conversations; flags bit 1: seen low->high, bit 2: seen high->low. */
  conv = new KeyTable(3, false, 1 << 20);
  /** IPv4 flows: canonical (low address, high address, ports, protocol); flags as conv. */
  flows: KeyTable;
  private finished = false;

  /** `maxFlows` bounds the IPv4 flow table (tests lower it to exercise the fallback). */
  constructor(limits: { maxFlows?: number } = {}) {
    this.flows = new KeyTable(4, true, limits.maxFlows ?? 1 << 20);
  }

  // per-packet state
  private len = 0;
  private leaf = 0;
  private sawIp = false;
  private classByIp = false;
  private srcHi = 0;
  private srcLo = 0;
  private dstHi = 0;
  private dstLo = 0;
  private srcUni = false;
  private dstUni = false;
  private macCacheLo = new Int32Array(256);
  private macCacheHi = new Int32Array(256).fill(-1);
  private w6 = new Int32Array(8);
  private dv: DataView = new DataView(new ArrayBuffer(0));

  addLinkType(linkType: number): void {
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }

  /**
   * One record: bytes b[off, off+caplen), original length, timestamp in
   * seconds (NaN when the record has none, as in pcapng simple packet blocks).
   */
  packet(linkType: number, b: Uint8Array, dv: DataView, off: number, caplen: number, origLen: number, ts: number): void {
    this.dv = dv;
    this.packets++;
    const len = origLen > caplen ? origLen : caplen;
    this.len = len;
    this.bytes += len;
    if (ts === ts) {
      if (ts < this.tMin) this.tMin = ts;
      if (ts > this.tMax) this.tMax = ts;
      const sec = Math.floor(ts);
      if (sec !== this.binSec) this.flushBin(sec);
      this.binBytes += len;
      this.binnedBytes += len;
    }
    this.sawIp = false;
    this.leaf = 0;
    const end = off + caplen;
    switch (linkType) {
      case LINKTYPE_ETHERNET:
        this.classByIp = false;
        this.ether(b, off, end);
        break;
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP:
        this.classByIp = true;
        this.loopback(linkType, b, off, end);
        break;
      case LINKTYPE_RAW:
      case DLT_RAW_12:
      case DLT_RAW_14:
      case LINKTYPE_IPV4:
      case LINKTYPE_IPV6: {
        this.classByIp = true;
        const node = this.enter(0, P.raw);
        if (caplen < 1) this.enter(node, P.malformed);
        else if (b[off]! >> 4 === 4) this.ipv4(node, b, off, end);
        else if (b[off]! >> 4 === 6) this.ipv6(node, b, off, end);
        else this.enter(node, P.data);
        break;
      }
      case LINKTYPE_LINUX_SLL:
        this.sll(b, off, end);
        break;
      case LINKTYPE_LINUX_SLL2:
        this.sll2(b, off, end);
        break;
      default:
        this.other(linkType);
    }
    const leaf = this.leaf;
    this.nodePackets[leaf]++;
    this.nodeBytes[leaf] += len;
  }

  /** Closes the current one-second bin; turns IPv4 flows into addresses and conversations. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.flushBin(NaN);
    const f = this.flows;
    f.forEach((slot) => {
      const k = slot << 2;
      const a = f.keys[k]!;
      const b = f.keys[k + 1]!;
      const aOk = a !== 0 && a >>> 28 < 14;
      const bOk = b !== 0 && b >>> 28 < 14;
      if (aOk) this.addr4(a, f.packets[slot]!, f.bytes[slot]!);
      if (bOk && b !== a) this.addr4(b, f.packets[slot]!, f.bytes[slot]!);
      if (f.keys[k + 3] === 6 && aOk && bOk) {
        const c = this.conv.find3(a, b, f.keys[k + 2]!);
        if (c >= 0) this.conv.flags[c] |= f.flags[slot]!;
      }
    });
  }

  /**
   * The average bit rate, which can never exceed the peak (8 * peakBinBytes), by
   * construction: the numerator is the bytes of the very bins the peak is the
   * largest of, and the denominator is at least the number of bins they are split
   * into (every second from the first packet's to the last's, each a bin, empty or
   * not; plus any partial bin that could not be merged). A mean of bins is never
   * above their maximum. (Before, all bytes, with or without a timestamp, were
   * divided by last - first time, which is shorter than the bins it spans: 0.9 s
   * and 1.1 s are 0.2 s apart but fall in two bins.)
   */
  averageBitsPerSecond(): number {
    if (this.binnedBytes === 0) return 0;
    const spanned = Math.floor(this.tMax) - Math.floor(this.tMin) + 1;
    return Math.round((this.binnedBytes * 8) / Math.max(spanned, this.bins.size + this.unmergedBins));
  }

  private flushBin(sec: number): void {
    const prev = this.binSec;
    if (prev === prev) {
      let total = this.binBytes;
      const had = this.bins.get(prev);
      if (had !== undefined) {
        total += had;
        this.bins.set(prev, total);
      } else if (this.bins.size < MAX_BINS) {
        this.bins.set(prev, total);
      } else {
        this.unmergedBins++;
      }
      if (total > this.peakBinBytes) this.peakBinBytes = total;
    }
    this.binSec = sec;
    this.binBytes = 0;
  }

  // --- hierarchy ----------------------------------------------------------

  /**
   * Descends to the child node for `proto`. Counts go to the deepest node a
   * packet reaches (its leaf); report.ts sums subtrees, so each level costs
   * one array read here.
   */
  private enter(parent: number, proto: number): number {
    let n = this.children[parent * SLOTS + proto]!;
    if (n === 0) {
      n = this.newNode(parent, proto);
      if (n === 0) return parent;
    }
    this.leaf = n;
    return n;
  }

  private newNode(parent: number, proto: number): number {
    if (this.nodeCount >= MAX_NODES || proto >= SLOTS) return 0;
    const n = this.nodeCount++;
    if (n >= this.nodeProto.length) {
      const cap = this.nodeProto.length * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, size: number): T => {
        const g = new (a.constructor as new (n: number) => T)(size);
        g.set(a);
        return g;
      };
      this.children = grow(this.children, cap * SLOTS);
      this.nodeProto = grow(this.nodeProto, cap);
      this.nodeParent = grow(this.nodeParent, cap);
      this.nodePackets = grow(this.nodePackets, cap);
      this.nodeBytes = grow(this.nodeBytes, cap);
    }
    this.children[parent * SLOTS + proto] = n;
    this.nodeProto[n] = proto;
    this.nodeParent[n] = parent;
    return n;
  }

  // --- link layers -----------------------------------------------------------

  private other(linkType: number): void {
    this.unsupported.set(linkType, (this.unsupported.get(linkType) ?? 0) + 1);
    const name = linkTypeName(linkType).toLowerCase();
    // the id space is shared by all analyses: past 224 names, one catch-all node
    this.enter(0, hasProto(name) || protoCount() < 224 ? protoId(name) : protoId('unsupported_link_type'));
  }

  private ether(b: Uint8Array, off: number, end: number): void {
    const node = this.enter(0, P.eth);
    if (end - off < 14) {
      this.enter(node, P.malformed);
      return;
    }
    const dv = this.dv;
    const d0 = b[off]!;
    this.dstHi = dv.getUint16(off);
    this.dstLo = dv.getInt32(off + 2);
    this.srcHi = dv.getUint16(off + 6);
    this.srcLo = dv.getInt32(off + 8);
    if ((d0 & 1) === 0) {
      this.unicast++;
      this.dstUni = true;
      this.seenMac(this.dstHi, this.dstLo);
    } else {
      this.dstUni = false;
      if (this.dstHi === 0xffff && this.dstLo === -1) this.broadcast++;
      else this.multicast++;
    }
    this.srcUni = (b[off + 6]! & 1) === 0;
    if (this.srcUni) this.seenMac(this.srcHi, this.srcLo);

    let p = off + 14;
    let et = dv.getUint16(off + 12);
    let n = node;
    for (let tags = 0; (et === 0x8100 || et === 0x88a8 || et === 0x9100) && tags < 8; tags++) {
      n = this.enter(n, P.vlan);
      if (end - p < 4) {
        this.enter(n, P.malformed);
        return;
      }
      et = dv.getUint16(p + 2);
      p += 4;
    }
    if (et < 0x0600) this.enter(n, P.llc);
    else this.l3(n, et, b, p, end);
    if (!this.sawIp) this.l2Talkers();
  }

  /** Adds a MAC to the distinct set; a direct-mapped cache skips the table for known ones. */
  private seenMac(hi: number, lo: number): void {
    const i = (lo ^ (lo >>> 8) ^ (lo >>> 16) ^ hi) & 255;
    if (this.macCacheLo[i] === lo && this.macCacheHi[i] === hi) return;
    this.macCacheLo[i] = lo;
    this.macCacheHi[i] = hi;
    this.macs.find2(hi, lo);
  }

  private l2Talkers(): void {
    const t = this.macTalkers;
    if (this.srcUni) {
      const s = t.find2(this.srcHi, this.srcLo);
      if (s >= 0) {
        t.packets[s]++;
        t.bytes[s] += this.len;
      }
    }
    if (this.dstUni) {
      const s = t.find2(this.dstHi, this.dstLo);
      if (s >= 0) {
        t.packets[s]++;
        t.bytes[s] += this.len;
      }
    }
  }

  /** Linux cooked capture v1: packet type, ARPHRD, address, protocol. */
  private sll(b: Uint8Array, off: number, end: number): void {
    this.classByIp = false;
    const node = this.enter(0, P.sll);
    if (end - off < 16) {
      this.enter(node, P.malformed);
      return;
    }
    this.sllCommon((b[off]! << 8) | b[off + 1]!, (b[off + 4]! << 8) | b[off + 5]!, b, off + 6);
    const proto = (b[off + 14]! << 8) | b[off + 15]!;
    if (proto < 0x0600) this.enter(node, P.llc);
    else this.l3(node, proto, b, off + 16, end);
    if (!this.sawIp) this.l2Talkers();
  }

  /** Linux cooked capture v2. */
  private sll2(b: Uint8Array, off: number, end: number): void {
    this.classByIp = false;
    const node = this.enter(0, P.sll);
    if (end - off < 20) {
      this.enter(node, P.malformed);
      return;
    }
    this.sllCommon(b[off + 10]!, b[off + 11]!, b, off + 12);
    const proto = (b[off]! << 8) | b[off + 1]!;
    if (proto < 0x0600) this.enter(node, P.llc);
    else this.l3(node, proto, b, off + 20, end);
    if (!this.sawIp) this.l2Talkers();
  }

  private sllCommon(pktType: number, addrLen: number, b: Uint8Array, a: number): void {
    // 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us
    if (pktType === 1) this.broadcast++;
    else if (pktType === 2) this.multicast++;
    else this.unicast++;
    this.dstUni = false;
    this.srcUni = addrLen === 6 && (b[a]! & 1) === 0;
    if (this.srcUni) {
      this.srcHi = (b[a]! << 8) | b[a + 1]!;
      this.srcLo = (b[a + 2]! << 24) | (b[a + 3]! << 16) | (b[a + 4]! << 8) | b[a + 5]!;
      this.seenMac(this.srcHi, this.srcLo);
    }
  }

  /** BSD loopback: a 4-byte address family, host order (NULL) or network order (LOOP). */
  private loopback(linkType: number, b: Uint8Array, off: number, end: number): void {
    const node = this.enter(0, P.null);
    if (end - off < 4) {
      this.enter(node, P.malformed);
      return;
    }
    let fam = linkType === LINKTYPE_LOOP ? 0 : b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24);
    if (linkType === LINKTYPE_LOOP || (fam & 0xffff0000) !== 0) {
      fam = (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
    }
    if (fam === 2) this.ipv4(node, b, off + 4, end);
    else if (fam === 24 || fam === 28 || fam === 30 || fam === 10) this.ipv6(node, b, off + 4, end);
    else this.enter(node, P.data);
  }

  // --- network layer ---------------------------------------------------------

  private l3(node: number, et: number, b: Uint8Array, p: number, end: number): void {
    if (et === 0x0800) this.ipv4(node, b, p, end);
    else if (et === 0x86dd) this.ipv6(node, b, p, end);
    else if (et === 0x0806) {
      this.arp++;
      this.enter(node, P.arp);
    } else {
      const ci = etherTypes.get(et);
      if (ci !== undefined) {
        this.segOnTcp = false;
        const id = this.check(ci, b, p, end);
        if (id >= 0) {
          this.ot(id, -1);
          this.enter(node, id);
          return;
        }
      }
      this.enter(node, etherNames.get(et) ?? P.data);
    }
  }

  private ipv4(parent: number, b: Uint8Array, p: number, end: number): void {
    const node = this.enter(parent, P.ip);
    if (end - p < 20 || b[p]! >> 4 !== 4) {
      this.enter(node, P.malformed);
      return;
    }
    const ihl = (b[p]! & 15) << 2;
    if (ihl < 20 || p + ihl > end) {
      this.enter(node, P.malformed);
      return;
    }
    this.sawIp = true;
    const dv = this.dv;
    const total = dv.getUint16(p + 2);
    if (total >= ihl && p + total < end) end = p + total; // Ethernet padding
    const src = dv.getInt32(p + 12);
    const dst = dv.getInt32(p + 16);
    const srcOk = src !== 0 && src >>> 28 < 14;
    const dstOk = dst !== 0 && dst >>> 28 < 14;
    if (this.classByIp) {
      // by the destination's group address, as an Ethernet frame is by its destination MAC's
      // group bit: 0.0.0.0 and 240.0.0.0/4 are not addresses of a device (dstOk), but no group
      // either
      if (dst === -1) this.broadcast++;
      else if (dst >>> 28 === 14) this.multicast++;
      else this.unicast++;
    }
    const first = (dv.getUint16(p + 6) & 0x1fff) === 0;
    const proto = b[p + 9]!;
    const q = p + ihl;
    // one flow-table update per packet; addresses and TCP conversations are
    // derived from the flows in finish()
    const ports = first && (proto === 6 || proto === 17) && end - q >= 4 ? dv.getInt32(q) : 0;
    const fwd = src !== dst ? src >>> 0 < dst >>> 0 : ports >>> 16 <= (ports & 0xffff);
    const flows = this.flows;
    const slot = fwd
      ? flows.find4(src, dst, ports, proto)
      : flows.find4(dst, src, ((ports & 0xffff) << 16) | (ports >>> 16), proto);
    let track = false;
    if (slot >= 0) {
      flows.packets[slot]++;
      flows.bytes[slot] += this.len;
      flows.flags[slot] |= fwd ? 1 : 2;
    } else {
      // flow table full (e.g. a scan): count addresses and conversations directly
      if (srcOk) this.addr4(src);
      if (dstOk) this.addr4(dst);
      track = srcOk && dstOk;
    }
    if (!first) {
      this.enter(node, P.data); // a non-first fragment
      return;
    }
    if (proto === 6) this.tcp(node, b, q, end, src, dst, track);
    else if (proto === 17) this.udp(node, b, q, end);
    else this.enter(node, IP_PROTO_NAMES[proto]!);
  }

  /** Counts a unicast IPv4 address. */
  private addr4(a: number, packets = 1, bytes = this.len): void {
    const t = this.ip4;
    const s = t.find1(a);
    if (s >= 0) {
      t.packets[s] += packets;
      t.bytes[s] += bytes;
    }
  }

  private ipv6(parent: number, b: Uint8Array, p: number, end: number): void {
    const node = this.enter(parent, P.ipv6);
    if (end - p < 40 || b[p]! >> 4 !== 6) {
      this.enter(node, P.malformed);
      return;
    }
    this.sawIp = true;
    const plen = (b[p + 4]! << 8) | b[p + 5]!;
    if (plen > 0 && p + 40 + plen < end) end = p + 40 + plen;
    const w = this.w6;
    for (let i = 0; i < 8; i++) {
      const j = p + 8 + i * 4;
      w[i] = (b[j]! << 24) | (b[j + 1]! << 16) | (b[j + 2]! << 8) | b[j + 3]!;
    }
    const srcOk = this.addr6(w[0]!, w[1]!, w[2]!, w[3]!);
    const dstOk = this.addr6(w[4]!, w[5]!, w[6]!, w[7]!);
    if (this.classByIp) {
      // ff00::/8 is the group range; the unspecified :: is no device (dstOk) but no group either
      if (w[4]! >>> 24 === 0xff) this.multicast++;
      else this.unicast++;
    }
    let nh = b[p + 6]!;
    let q = p + 40;
    for (let hops = 0; hops < 16; hops++) {
      if (nh === 0 || nh === 43 || nh === 60) {
        if (end - q < 8) break;
        nh = b[q]!;
        q += (b[q + 1]! + 1) * 8;
      } else if (nh === 44) {
        if (end - q < 8) break;
        if ((((b[q + 2]! << 8) | b[q + 3]!) & 0xfff8) !== 0) {
          this.enter(node, P.data);
          return;
        }
        nh = b[q]!;
        q += 8;
      } else if (nh === 51) {
        if (end - q < 8) break;
        nh = b[q]!;
        q += (b[q + 1]! + 2) * 4;
      } else break;
    }
    if (q > end) {
      this.enter(node, P.malformed);
      return;
    }
    if (nh === 6) {
      // fold each address to one word for the conversation key
      const s = w[0]! ^ Math.imul(w[1]!, 31) ^ Math.imul(w[2]!, 961) ^ Math.imul(w[3]!, 29791);
      const d = w[4]! ^ Math.imul(w[5]!, 31) ^ Math.imul(w[6]!, 961) ^ Math.imul(w[7]!, 29791);
      this.tcp(node, b, q, end, s, d, srcOk && dstOk);
    } else if (nh === 17) this.udp(node, b, q, end);
    else if (nh === 59) return;
    else this.enter(node, IP_PROTO_NAMES[nh]!);
  }

  private addr6(a: number, b: number, c: number, d: number): boolean {
    if ((a >>> 24) === 0xff || (a === 0 && b === 0 && c === 0 && d === 0)) return false;
    const t = this.ip6;
    const s = t.find4(a, b, c, d);
    if (s >= 0) {
      t.packets[s]++;
      t.bytes[s] += this.len;
    }
    return true;
  }

  // --- transport and application ------------------------------------------------

  private tcp(parent: number, b: Uint8Array, q: number, end: number, src: number, dst: number, track: boolean): void {
    const node = this.enter(parent, P.tcp);
    if (end - q < 20) {
      this.enter(node, P.malformed);
      return;
    }
    const sp = this.dv.getUint16(q);
    const dp = this.dv.getUint16(q + 2);
    const doff = (b[q + 12]! >> 4) << 2;
    if (doff < 20 || q + doff > end) {
      this.enter(node, P.malformed);
      return;
    }
    if (track) {
      // canonical key: the lower (address, port) endpoint first
      const fwd = src !== dst ? src >>> 0 < dst >>> 0 : sp <= dp;
      const slot = fwd
        ? this.conv.find3(src, dst, (sp << 16) | dp)
        : this.conv.find3(dst, src, (dp << 16) | sp);
      if (slot >= 0) this.conv.flags[slot] |= fwd ? 1 : 2;
    }
    const s = q + doff;
    if (s < end) {
      this.segSrc = src;
      this.segDst = dst;
      this.segPorts = (sp << 16) | dp;
      this.segOnTcp = true;
      this.app(node, b, s, end, sp, dp, tcpPorts, tcpNames);
    }
  }

  private udp(parent: number, b: Uint8Array, q: number, end: number): void {
    const node = this.enter(parent, P.udp);
    if (end - q < 8) {
      this.enter(node, P.malformed);
      return;
    }
    const dv = this.dv;
    const sp = dv.getUint16(q);
    const dp = dv.getUint16(q + 2);
    const ulen = dv.getUint16(q + 4);
    if (ulen >= 8 && q + ulen < end) end = q + ulen;
    const s = q + 8;
    if (s < end) {
      this.segOnTcp = false;
      this.app(node, b, s, end, sp, dp, udpPorts, udpNames);
    }
  }

  private app(
    node: number,
    b: Uint8Array,
    s: number,
    e: number,
    sp: number,
    dp: number,
    ports: Uint8Array,
    names: Int16Array,
  ): void {
    let id = -1;
    let port = dp;
    const cd = ports[dp]!;
    if (cd !== 0) id = this.check(cd, b, s, e);
    if (id < 0) {
      const cs = ports[sp]!;
      if (cs !== 0 && cs !== cd) {
        id = this.check(cs, b, s, e);
        port = sp;
      }
    }
    if (id < 0) {
      const h = heuristics[b[s]!]!;
      for (let i = 0; i < h.length && id < 0; i++) id = this.check(h[i]!, b, s, e);
      port = sp < dp ? sp : dp;
    }
    if (id >= 0) {
      this.ot(id, port);
      this.enter(node, id);
      return;
    }
    let n = names[dp]!;
    if (n < 0) n = names[sp]!;
    this.enter(node, n >= 0 ? n : P.data);
  }

  /** Runs check `i`: a protocol's confirm (its id from CHECK_IDS) or a carrier's check (the id it returns). */
  private check(i: number, b: Uint8Array, s: number, e: number): number {
    const r = CHECKS[i]!(b, s, e, this);
    return r === true ? CHECK_IDS[i]! : r === false ? -1 : r;
  }

  private ot(id: number, port: number): void {
    this.otPackets[id]++;
    this.otBytes[id] += this.len;
    if (port >= 0 && this.otLastPort[id] !== port) {
      this.otLastPort[id] = port;
      const set = this.otPorts[id]!;
      if (set.size < MAX_PORTS) set.add(port);
    }
  }
}
