// The dissector table: OT protocols registered by TCP/UDP port or EtherType,
// each confirmed by a payload check, plus heuristic checks that find a
// protocol on any port (DNP3 on 20001, S7 on a NAT'd port...). Heuristics are
// indexed by the payload's first byte, so non-OT traffic costs one lookup.
//
// A check gets the packet bytes and the payload range [s, e) and returns an
// OT protocol id, or -1 when the payload is not that protocol.

import { P, protoId } from './protocols.js';

export type Check = (b: Uint8Array, s: number, e: number) => number;

const be16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const le16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const le32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const be32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

// --- CRCs ---------------------------------------------------------------

const DNP_CRC = new Uint16Array(256);
const CCITT_CRC = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa6bc : c >>> 1;
  DNP_CRC[i] = c;
  let d = i << 8;
  for (let k = 0; k < 8; k++) d = d & 0x8000 ? ((d << 1) ^ 0x1021) & 0xffff : (d << 1) & 0xffff;
  CCITT_CRC[i] = d;
}

/** CRC-16/DNP (reflected 0x3D65, complemented). */
export function crcDnp(b: Uint8Array, s: number, e: number): number {
  let crc = 0;
  for (let i = s; i < e; i++) crc = (crc >>> 8) ^ DNP_CRC[(crc ^ b[i]!) & 0xff]!;
  return ~crc & 0xffff;
}

/** CRC-CCITT (0x1021, init 0xFFFF), as IEEE C37.118 uses. */
export function crcCcitt(b: Uint8Array, s: number, e: number): number {
  let crc = 0xffff;
  for (let i = s; i < e; i++) crc = ((crc << 8) & 0xffff) ^ CCITT_CRC[((crc >>> 8) ^ b[i]!) & 0xff]!;
  return crc;
}

// --- payload checks -----------------------------------------------------

/** Modbus/TCP: MBAP with protocol id 0, a sane length and a function code. */
export const checkModbus: Check = (b, s, e) => {
  const len = e - s;
  if (len < 8) return -1;
  if (b[s + 2] !== 0 || b[s + 3] !== 0) return -1;
  const l = be16(b, s + 4);
  if (l < 2 || l > 254 || 6 + l > len) return -1;
  const fc = b[s + 7]! & 0x7f;
  if (fc === 0) return -1;
  return P.mbtcp;
};

/**
 * ISO-on-TCP (RFC 1006): TPKT + COTP data, then S7comm (0x32), S7comm-plus
 * (0x72) or an ISO session SPDU carrying MMS (IEC 61850).
 */
export const checkCotp: Check = (b, s, e) => {
  const len = e - s;
  if (len < 8 || b[s] !== 3 || b[s + 1] !== 0) return -1;
  const tlen = be16(b, s + 2);
  if (tlen < 8 || tlen > len) return -1;
  const li = b[s + 4]!;
  if (li !== 2 || (b[s + 5]! & 0xf0) !== 0xf0) return -1;
  const d = s + 7;
  if (d >= s + tlen) return -1;
  const first = b[d]!;
  if (first === 0x32) {
    // S7comm header: ROSCTR 1 (job), 2 (ack), 3 (ack data) or 7 (userdata).
    if (tlen - 7 < 10) return -1;
    const rosctr = b[d + 1]!;
    return rosctr === 1 || rosctr === 2 || rosctr === 3 || rosctr === 7 ? P.s7comm : -1;
  }
  if (first === 0x72) {
    // S7comm-plus: protocol version 1, 2, 3 or 0xFE (keep-alive).
    const v = b[d + 1];
    return v === 1 || v === 2 || v === 3 || v === 0xfe ? P.s7comm_plus : -1;
  }
  // ISO 8327 session: CONNECT (0x0D) / ACCEPT (0x0E) or GIVE-TOKENS + DATA
  // ("01 00 01 00") followed by a presentation PPDU (BER 0x61/0x31).
  if ((first === 0x0d || first === 0x0e) && d + 2 < e) return P.mms;
  if (first === 0x01 && d + 4 < e && b[d + 1] === 0 && b[d + 2] === 1 && b[d + 3] === 0 && b[d + 4] === 0x61) return P.mms;
  return -1;
};

/** DNP3 link layer: 0x0564, length >= 5, and the header CRC. */
export const checkDnp3: Check = (b, s, e) => {
  if (e - s < 10 || b[s] !== 0x05 || b[s + 1] !== 0x64 || b[s + 2]! < 5) return -1;
  return crcDnp(b, s, s + 8) === le16(b, s + 8) ? P.dnp3 : -1;
};

/** BACnet/IP BVLC: type 0x81, a known function, length equal to the payload. */
export const checkBvlc: Check = (b, s, e) => {
  const len = e - s;
  if (len < 4 || b[s] !== 0x81 || b[s + 1]! > 0x0c) return -1;
  return be16(b, s + 2) === len ? P.bvlc : -1;
};

const ENIP_COMMANDS = new Set([0x0001, 0x0004, 0x0063, 0x0064, 0x0065, 0x0066, 0x006f, 0x0070, 0x0072, 0x0073]);
/** EtherNet/IP encapsulation header: known command, consistent length, options 0. */
export const checkEnip: Check = (b, s, e) => {
  const len = e - s;
  if (len < 24) return -1;
  if (!ENIP_COMMANDS.has(le16(b, s))) return -1;
  if (24 + le16(b, s + 2) > len) return -1;
  return le32(b, s + 20) === 0 ? P.enip : -1;
};

/** CIP I/O on UDP 2222: a common packet format with 2..4 items. */
export const checkEnipIo: Check = (b, s, e) => {
  const len = e - s;
  if (len < 10) return -1;
  const count = le16(b, s);
  if (count < 2 || count > 4) return -1;
  const t = le16(b, s + 2);
  if (t !== 0x8002 && t !== 0x0000 && t !== 0x00a1) return -1;
  return 6 + le16(b, s + 4) <= len ? P.enip : -1;
};

/** IEC 60870-5-104: a chain of APCI (0x68, length, control field of I/S/U format). */
export const checkIec104: Check = (b, s, e) => {
  let p = s;
  let apdus = 0;
  while (p < e) {
    if (e - p < 6) return apdus > 0 ? P.iec60870_104 : -1;
    if (b[p] !== 0x68) return -1;
    const l = b[p + 1]!;
    if (l < 4 || l > 253) return -1;
    const c = b[p + 2]!;
    if ((c & 1) === 0) {
      if (l < 4) return -1;
    } else if ((c & 3) === 1) {
      if (l !== 4) return -1;
    } else {
      if (l !== 4) return -1;
      if (c !== 0x07 && c !== 0x0b && c !== 0x13 && c !== 0x23 && c !== 0x43 && c !== 0x83) return -1;
    }
    apdus++;
    p += 2 + l;
    if (apdus > 64) break;
  }
  return P.iec60870_104;
};

/** HART-IP: version 1/2, message type, message id, length equal to the payload. */
export const checkHartIp: Check = (b, s, e) => {
  const len = e - s;
  if (len < 8) return -1;
  const v = b[s]!;
  if (v !== 1 && v !== 2) return -1;
  const t = b[s + 1]!;
  if (t > 3 && t !== 15) return -1;
  const id = b[s + 2]!;
  if (id > 4 && id !== 128) return -1;
  const l = be16(b, s + 6);
  return l >= 8 && l <= len && (l === len || v === 1) ? P.hart_ip : -1;
};

/** OMRON FINS: "FINS" + length over TCP, or a sane ICF/RSV/GCT header over UDP. */
export const checkFinsTcp: Check = (b, s, e) => {
  const len = e - s;
  if (len < 16 || b[s] !== 0x46 || b[s + 1] !== 0x49 || b[s + 2] !== 0x4e || b[s + 3] !== 0x53) return -1;
  const l = be32(b, s + 4);
  return l >= 8 && l + 8 <= len ? P.omron : -1;
};
export const checkFinsUdp: Check = (b, s, e) => {
  if (e - s < 12) return -1;
  const icf = b[s]!;
  if ((icf & 0x3e) !== 0 || (icf & 0x80) === 0) return -1;
  if (b[s + 1] !== 0 || b[s + 2]! > 7) return -1;
  return P.omron;
};

/** OPC UA binary: message type, chunk type and a consistent message size. */
export const checkOpcua: Check = (b, s, e) => {
  const len = e - s;
  if (len < 8) return -1;
  const c = b[s + 3];
  if (c !== 0x46 && c !== 0x43 && c !== 0x41) return -1; // F C A
  const t = String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
  if (t !== 'HEL' && t !== 'ACK' && t !== 'OPN' && t !== 'MSG' && t !== 'CLO' && t !== 'ERR' && t !== 'RHE') return -1;
  const size = le32(b, s + 4);
  return size >= 8 && size <= len ? P.opcua : -1;
};

/** IEEE C37.118 synchrophasor: sync 0xAA, frame type/version, frame size and CRC. */
export const checkSynphasor: Check = (b, s, e) => {
  const len = e - s;
  if (len < 16 || b[s] !== 0xaa) return -1;
  const t = b[s + 1]!;
  if (((t >> 4) & 7) > 5 || (t & 0x0f) < 1 || (t & 0x0f) > 3) return -1;
  const fs = be16(b, s + 2);
  if (fs < 16 || fs > len) return -1;
  return crcCcitt(b, s, s + fs - 2) === be16(b, s + fs - 2) ? P.synphasor : -1;
};

/** Beckhoff ADS/AMS over TCP: AMS/TCP header (reserved 0, length) + AMS header. */
export const checkAms: Check = (b, s, e) => {
  const len = e - s;
  if (len < 38 || b[s] !== 0 || b[s + 1] !== 0) return -1;
  const l = le32(b, s + 2);
  if (l < 32) return -1;
  const cmd = le16(b, s + 6 + 16);
  const dataLen = le32(b, s + 6 + 20);
  if (cmd > 9 || dataLen + 32 !== l) return -1;
  return P.ams;
};

/** Niagara Fox: text messages "fox a ..." / "fox s ...". */
export const checkFox: Check = (b, s, e) => {
  if (e - s < 8) return -1;
  if (b[s] !== 0x66 || b[s + 1] !== 0x6f || b[s + 2] !== 0x78 || b[s + 3] !== 0x20) return -1;
  const k = b[s + 4]!;
  return k >= 0x61 && k <= 0x7a && b[s + 5] === 0x20 ? P.fox : -1;
};

/** IEC 61850 GOOSE / SV: APPID, length, reserved, then the PDU tag. */
function checkIec61850(tag: number, id: number): Check {
  return (b, s, e) => {
    const len = e - s;
    if (len < 10) return -1;
    const l = be16(b, s + 2);
    if (l < 8 || l > len) return -1;
    return b[s + 8] === tag ? id : -1;
  };
}
export const checkGoose = checkIec61850(0x61, P.goose);
export const checkSv = checkIec61850(0x60, P.sv);

/** PROFINET RT: a frame id. */
export const checkPnRt: Check = (_b, s, e) => (e - s >= 2 ? P.pn_rt : -1);

/** EtherCAT: frame header with type 1 (commands), 4 or 5, and length that fits. */
export const checkEthercat: Check = (b, s, e) => {
  if (e - s < 2) return -1;
  const h = le16(b, s);
  const type = h >> 12;
  if (type !== 1 && type !== 4 && type !== 5) return -1;
  return (h & 0x7ff) <= e - s - 2 ? P.ethercat : -1;
};

/** Ethernet POWERLINK v2: message type SoC, PReq, PRes, SoA or ASnd. */
export const checkEpl: Check = (b, s, e) => {
  if (e - s < 3) return -1;
  const t = b[s]! & 0x7f;
  return t === 1 || t === 3 || t === 4 || t === 5 || t === 6 ? P.epl : -1;
};

// --- tables ---------------------------------------------------------------

/** Port -> check, for TCP and UDP; 0 = none (index into CHECKS). */
export const CHECKS: Check[] = [() => -1];
export const tcpPorts = new Uint8Array(65536);
export const udpPorts = new Uint8Array(65536);
/** EtherType -> check index. */
export const etherTypes = new Map<number, number>();
/** First payload byte -> heuristic check indexes. */
export const heuristics: number[][] = Array.from({ length: 256 }, () => []);

function index(check: Check): number {
  let i = CHECKS.indexOf(check);
  if (i < 0) {
    i = CHECKS.length;
    CHECKS.push(check);
  }
  return i;
}

export function registerPort(transport: 'tcp' | 'udp', port: number, check: Check): void {
  (transport === 'tcp' ? tcpPorts : udpPorts)[port] = index(check);
}
export function registerEtherType(etherType: number, check: Check): void {
  etherTypes.set(etherType, index(check));
}
export function registerHeuristic(firstBytes: number[], check: Check): void {
  const i = index(check);
  for (const f of firstBytes) if (!heuristics[f]!.includes(i)) heuristics[f]!.push(i);
}

registerPort('tcp', 502, checkModbus);
registerPort('udp', 502, checkModbus);
registerPort('tcp', 102, checkCotp);
registerPort('tcp', 20000, checkDnp3);
registerPort('udp', 20000, checkDnp3);
for (let p = 47808; p <= 47823; p++) registerPort('udp', p, checkBvlc);
registerPort('tcp', 44818, checkEnip);
registerPort('udp', 44818, checkEnip);
registerPort('udp', 2222, checkEnipIo);
registerPort('tcp', 2404, checkIec104);
registerPort('tcp', 5094, checkHartIp);
registerPort('udp', 5094, checkHartIp);
registerPort('tcp', 9600, checkFinsTcp);
registerPort('udp', 9600, checkFinsUdp);
registerPort('tcp', 4840, checkOpcua);
registerPort('tcp', 4712, checkSynphasor);
registerPort('udp', 4712, checkSynphasor);
registerPort('udp', 4713, checkSynphasor);
registerPort('tcp', 48898, checkAms);
registerPort('tcp', 1911, checkFox);
registerPort('tcp', 4911, checkFox);
registerPort('udp', 34980, checkEthercat);
registerPort('udp', 3819, checkEpl);

registerEtherType(0x88b8, checkGoose);
registerEtherType(0x88ba, checkSv);
registerEtherType(0x8892, checkPnRt);
registerEtherType(0x88a4, checkEthercat);
registerEtherType(0x88ab, checkEpl);

// Heuristics: only checks strong enough to trust on any port.
registerHeuristic([0x05], checkDnp3);
registerHeuristic([0x03], checkCotp);
registerHeuristic([0x01, 0x04, 0x63, 0x64, 0x65, 0x66, 0x6f, 0x70, 0x72, 0x73], checkEnip);
registerHeuristic([0xaa], checkSynphasor);
registerHeuristic([0x66], checkFox);
registerHeuristic([0x48, 0x41, 0x4f, 0x4d, 0x43, 0x45, 0x52], checkOpcua);
registerHeuristic([0x81], checkBvlc);
registerHeuristic([0x46], checkFinsTcp);
registerHeuristic([0x01, 0x02], checkHartIp);

// --- well-known non-OT names for the hierarchy ---------------------------

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
