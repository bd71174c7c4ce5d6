// Each OT detector, reached by its registered port (or EtherType), with a payload that breaks
// one confirm condition at a time (issue 17): a detector that drops a condition finds the
// protocol in a payload that is not it. Every negative keeps all the other conditions true,
// and its first byte reaches no heuristic that could confirm it as something else.
import { describe, expect, it } from 'vitest';
import { analyzeBuffer } from '../../src/capture/index.js';
import { dnpCrc, ether, tcpFrame, udpFrame, writePcap } from './helpers/writer.js';

const A = '00:0e:8c:00:00:01';
const B = '00:0e:8c:00:00:02';
const CLIENT_PORT = 40000; // registered for nothing

type Via = { tcp: number } | { udp: number } | { ether: number };
function frame(via: Via, payload: Uint8Array): Buffer {
  if ('tcp' in via) return tcpFrame(A, B, '10.0.0.1', '10.0.0.2', CLIENT_PORT, via.tcp, payload);
  if ('udp' in via) return udpFrame(A, B, '10.0.0.1', '10.0.0.2', CLIENT_PORT, via.udp, payload);
  return ether(B, A, via.ether, payload);
}
/**
 * The OT protocols found in one frame. Ethernet pads short frames to 60 bytes; for an
 * EtherType the frame is captured cut after the payload (as a snapshot length does), so the
 * detector sees exactly the payload and its length checks can be reached.
 */
function found(via: Via, payload: Uint8Array): string[] {
  const data = frame(via, payload);
  const pkt = 'ether' in via ? { ts: 1_700_000_000, data: data.subarray(0, 14 + payload.length), origLen: data.length } : { ts: 1_700_000_000, data };
  return analyzeBuffer(writePcap([pkt])).otProtocols.map((p) => p.name);
}
/** A copy of `b` with `patch(copy)` applied. */
function edit(b: Buffer, patch: (c: Buffer) => void): Buffer {
  const c = Buffer.from(b);
  patch(c);
  return c;
}
const bytes = (...v: number[]) => Buffer.from(v);

// --- valid payloads, built from the protocol specs -------------------------

/** MBAP: transaction 0x0001 (first byte 0: no heuristic), protocol 0, length, unit, PDU. */
function modbus(pdu: number[], o: { protocol?: number; length?: number } = {}): Buffer {
  const h = Buffer.alloc(7);
  h.writeUInt16BE(0x0001, 0);
  h.writeUInt16BE(o.protocol ?? 0, 2);
  h.writeUInt16BE(o.length ?? pdu.length + 1, 4);
  h[6] = 1;
  return Buffer.concat([h, Buffer.from(pdu)]);
}
/** TPKT + COTP DT + data. */
function cotp(data: number[], o: { li?: number; pdu?: number; tlen?: number } = {}): Buffer {
  const b = Buffer.concat([bytes(3, 0, 0, 0, o.li ?? 2, o.pdu ?? 0xf0, 0x80), Buffer.from(data)]);
  b.writeUInt16BE(o.tlen ?? b.length, 2);
  return b;
}
const S7_HEADER = [0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00]; // 10 bytes: the minimum
function dnp3(h: number[]): Buffer {
  const crc = dnpCrc(Buffer.from(h));
  return Buffer.concat([Buffer.from(h), bytes(crc & 0xff, crc >> 8)]);
}
function enip(command: number, o: { length?: number; options?: number; data?: number } = {}): Buffer {
  const b = Buffer.alloc(24 + (o.data ?? 0));
  b.writeUInt16LE(command, 0);
  b.writeUInt16LE(o.length ?? o.data ?? 0, 2);
  b.writeUInt32LE(o.options ?? 0, 20);
  return b;
}
function hart(v: number, type: number, id: number, o: { length?: number; total?: number } = {}): Buffer {
  const b = Buffer.alloc(o.total ?? 8);
  b[0] = v;
  b[1] = type;
  b[2] = id;
  b.writeUInt16BE(o.length ?? b.length, 6);
  return b;
}
function finsTcp(o: { magic?: string; length?: number; total?: number } = {}): Buffer {
  const b = Buffer.alloc(o.total ?? 20);
  b.write(o.magic ?? 'FINS', 0, 'latin1');
  b.writeUInt32BE(o.length ?? b.length - 8, 4);
  return b;
}
function opcua(type: string, chunk: string, o: { size?: number; total?: number } = {}): Buffer {
  const b = Buffer.alloc(o.total ?? 28);
  b.write(type + chunk, 0, 'latin1');
  b.writeUInt32LE(o.size ?? b.length, 4);
  return b;
}
/** C37.118 frame: sync 0xAA, type byte, frame size, then CRC-CCITT over all but the last 2 bytes. */
function ccitt(b: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of b) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
function synphasor(type: number, o: { size?: number; total?: number; sync?: number; badCrc?: boolean } = {}): Buffer {
  const b = Buffer.alloc(o.total ?? 18);
  b[0] = o.sync ?? 0xaa;
  b[1] = type;
  const size = o.size ?? b.length;
  b.writeUInt16BE(size, 2);
  const end = Math.min(size, b.length);
  if (end >= 4) b.writeUInt16BE(ccitt(b.subarray(0, end - 2)) ^ (o.badCrc ? 1 : 0), end - 2);
  return b;
}
function ams(o: { reserved?: number; length?: number; cmd?: number; dataLen?: number; total?: number } = {}): Buffer {
  const b = Buffer.alloc(o.total ?? 38);
  b.writeUInt16LE(o.reserved ?? 0, 0);
  b.writeUInt32LE(o.length ?? 32, 2);
  b.writeUInt16LE(o.cmd ?? 2, 6 + 16);
  b.writeUInt32LE(o.dataLen ?? 0, 6 + 20);
  return b;
}
function iec61850(tag: number, o: { length?: number; total?: number } = {}): Buffer {
  const b = Buffer.alloc(o.total ?? 13);
  b.writeUInt16BE(0x0001, 0);
  b.writeUInt16BE(o.length ?? b.length, 2);
  b[8] = tag;
  return b;
}
function ethercat(type: number, length: number, total: number): Buffer {
  const b = Buffer.alloc(total);
  b.writeUInt16LE((type << 12) | length, 0);
  return b;
}

interface Detector {
  name: string;
  via: Via;
  valid: [string, Buffer][];
  /** Each breaks exactly one condition. */
  invalid: [string, Buffer][];
}

const DETECTORS: Detector[] = [
  {
    name: 'mbtcp',
    via: { tcp: 502 },
    valid: [
      ['read holding registers', modbus([3, 0, 0, 0, 10])],
      ['the shortest (length 2: unit + function)', modbus([3])],
      ['the longest length (254)', modbus([3, ...new Array(252).fill(0)])],
      ['an exception response (function | 0x80)', modbus([0x83, 2])],
      ['a payload longer than the length field says', Buffer.concat([modbus([3, 0, 0, 0, 10]), bytes(9, 9)])],
    ],
    invalid: [
      ['protocol id high byte not 0', modbus([3, 0, 0, 0, 10], { protocol: 0x0100 })],
      ['protocol id low byte not 0', modbus([3, 0, 0, 0, 10], { protocol: 0x0001 })],
      ['length field 1 (under 2)', modbus([3, 0, 0, 0, 10], { length: 1 })],
      ['length field 255 (over 254)', modbus([3, ...new Array(253).fill(0)], { length: 255 })],
      ['length field past the payload', modbus([3, 0, 0, 0, 10], { length: 7 })],
      ['function code 0', modbus([0, 0, 0, 0, 10])],
      ['function code 0x80 (0 with the exception bit)', modbus([0x80, 0, 0, 0, 10])],
      ['seven bytes', modbus([3]).subarray(0, 7)],
    ],
  },
  {
    name: 's7comm',
    via: { tcp: 102 },
    valid: [
      ['job (ROSCTR 1)', cotp(S7_HEADER)],
      ...[2, 3, 7].map((r): [string, Buffer] => [`ROSCTR ${r}`, cotp([0x32, r, ...S7_HEADER.slice(2)])]),
      // issue 12: a TPKT longer than its segment continues in the next one
      ['TPKT length past the payload (continued in the next segment)', cotp(S7_HEADER, { tlen: 18 })],
    ],
    invalid: [
      ['TPKT version 4', edit(cotp(S7_HEADER), (c) => (c[0] = 4))],
      ['TPKT reserved byte not 0', edit(cotp(S7_HEADER), (c) => (c[1] = 1))],
      ['TPKT length 7 (under 8)', cotp(S7_HEADER, { tlen: 7 })],
      ['COTP length indicator 3', cotp(S7_HEADER, { li: 3 })],
      ['COTP PDU type not DT (0xe0: connect request)', cotp(S7_HEADER, { pdu: 0xe0 })],
      ['S7 header of 9 bytes', cotp(S7_HEADER.slice(0, 9))],
      ...[0, 4, 5, 6, 8].map((r): [string, Buffer] => [`ROSCTR ${r}`, cotp([0x32, r, ...S7_HEADER.slice(2)])]),
    ],
  },
  {
    name: 's7comm_plus',
    via: { tcp: 102 },
    valid: [1, 2, 3, 0xfe].map((v) => [`version ${v}`, cotp([0x72, v, 0, 0x10])]),
    invalid: [0, 4, 0xff].map((v) => [`version ${v}`, cotp([0x72, v, 0, 0x10])]),
  },
  {
    name: 'mms',
    via: { tcp: 102 },
    valid: [
      ['session CONNECT', cotp([0x0d, 0x05, 0x06])],
      ['session ACCEPT', cotp([0x0e, 0x05, 0x06])],
      ['GIVE-TOKENS + DATA, then a presentation PPDU', cotp([0x01, 0x00, 0x01, 0x00, 0x61, 0x02])],
      ['GIVE-TOKENS + DATA, the PPDU tag last', cotp([0x01, 0x00, 0x01, 0x00, 0x61])],
    ],
    invalid: [
      ['CONNECT cut short', cotp([0x0d, 0x05])],
      ['an unknown SPDU', cotp([0x0f, 0x05, 0x06])],
      ['GIVE-TOKENS with byte 1 not 0', cotp([0x01, 0x01, 0x01, 0x00, 0x61, 0x02])],
      ['GIVE-TOKENS with byte 2 not 1', cotp([0x01, 0x00, 0x02, 0x00, 0x61, 0x02])],
      ['GIVE-TOKENS with byte 3 not 0', cotp([0x01, 0x00, 0x01, 0x01, 0x61, 0x02])],
      ['no presentation PPDU (0x62)', cotp([0x01, 0x00, 0x01, 0x00, 0x62, 0x02])],
    ],
  },
  {
    name: 'dnp3',
    via: { tcp: 20000 },
    valid: [
      ['a link header', dnp3([0x05, 0x64, 0x05, 0xc0, 1, 0, 3, 0])],
      ['the largest length', dnp3([0x05, 0x64, 0xff, 0xc0, 1, 0, 3, 0])],
    ],
    invalid: [
      ['first start byte 0x06', dnp3([0x06, 0x64, 0x05, 0xc0, 1, 0, 3, 0])],
      ['second start byte 0x65', dnp3([0x05, 0x65, 0x05, 0xc0, 1, 0, 3, 0])],
      ['length 4 (under 5)', dnp3([0x05, 0x64, 0x04, 0xc0, 1, 0, 3, 0])],
      ['a wrong header CRC', edit(dnp3([0x05, 0x64, 0x05, 0xc0, 1, 0, 3, 0]), (c) => (c[8] ^= 1))],
      ['a CRC wrong in its high byte', edit(dnp3([0x05, 0x64, 0x05, 0xc0, 1, 0, 3, 0]), (c) => (c[9] ^= 0x80))],
      ['nine bytes', dnp3([0x05, 0x64, 0x05, 0xc0, 1, 0, 3, 0]).subarray(0, 9)],
    ],
  },
  {
    name: 'bvlc',
    via: { udp: 47808 },
    valid: [
      ['original-unicast-NPDU', bytes(0x81, 0x0a, 0, 6, 1, 0)],
      ['function 0x0c (the last)', bytes(0x81, 0x0c, 0, 4)],
      ['function 0', bytes(0x81, 0x00, 0, 4)],
    ],
    invalid: [
      ['type 0x82', bytes(0x82, 0x0a, 0, 6, 1, 0)],
      ['function 0x0d', bytes(0x81, 0x0d, 0, 6, 1, 0)],
      ['length one less than the payload', bytes(0x81, 0x0a, 0, 5, 1, 0)],
      ['length one more than the payload', bytes(0x81, 0x0a, 0, 7, 1, 0)],
      ['length in the wrong byte', bytes(0x81, 0x0a, 6, 0, 1, 0)],
      ['three bytes', bytes(0x81, 0x0a, 0)],
    ],
  },
  {
    name: 'enip',
    via: { tcp: 44818 },
    valid: [
      ['ListIdentity', enip(0x0063)],
      ['SendRRData with its data', enip(0x006f, { data: 16 })],
      ...[0x0001, 0x0004, 0x0064, 0x0065, 0x0066, 0x0070, 0x0072, 0x0073].map((c): [string, Buffer] => [`command 0x${c.toString(16)}`, enip(c)]),
    ],
    invalid: [
      ['an unknown command (0x0002)', enip(0x0002)],
      ['an unknown command (0x0163)', enip(0x0163)],
      ['length past the payload', enip(0x006f, { data: 16, length: 17 })],
      ['options not 0', enip(0x0063, { options: 1 })],
      ['options not 0 in the high byte', enip(0x0063, { options: 0x01000000 })],
      ['23 bytes', enip(0x0063).subarray(0, 23)],
    ],
  },
  {
    name: 'enip',
    via: { udp: 2222 },
    valid: [
      ['two items, sequenced address', bytes(2, 0, 0x02, 0x80, 4, 0, 0, 0, 0, 0)],
      ['four items, null address', bytes(4, 0, 0x00, 0x00, 0, 0, 0, 0, 0, 0)],
      ['connected address 0xa1', bytes(3, 0, 0xa1, 0x00, 4, 0, 0, 0, 0, 0)],
    ],
    invalid: [
      ['one item', bytes(1, 0, 0x02, 0x80, 4, 0, 0, 0, 0, 0)],
      ['five items', bytes(5, 0, 0x02, 0x80, 4, 0, 0, 0, 0, 0)],
      ['an unknown address type', bytes(2, 0, 0x03, 0x80, 4, 0, 0, 0, 0, 0)],
      ['item length past the payload', bytes(2, 0, 0x02, 0x80, 5, 0, 0, 0, 0, 0)],
      ['nine bytes', bytes(2, 0, 0x02, 0x80, 0, 0, 0, 0, 0)],
    ],
  },
  {
    name: 'iec60870_104',
    via: { tcp: 2404 },
    valid: [
      ['STARTDT act (U format)', bytes(0x68, 4, 0x07, 0, 0, 0)],
      ...[0x0b, 0x13, 0x23, 0x43, 0x83].map((c): [string, Buffer] => [`U format 0x${c.toString(16)}`, bytes(0x68, 4, c, 0, 0, 0)]),
      ['S format', bytes(0x68, 4, 0x01, 0, 2, 0)],
      ['I format with an ASDU', bytes(0x68, 6, 0x00, 0, 0, 0, 0x64, 0x01)],
      ['two APDUs', bytes(0x68, 4, 0x07, 0, 0, 0, 0x68, 4, 0x0b, 0, 0, 0)],
      ['an APDU then a partial one', bytes(0x68, 4, 0x07, 0, 0, 0, 0x68, 4, 0x0b)],
    ],
    invalid: [
      ['start byte 0x69', bytes(0x69, 4, 0x07, 0, 0, 0)],
      ['length 3', bytes(0x68, 3, 0x07, 0, 0, 0)],
      ['length 254', Buffer.concat([bytes(0x68, 254, 0x00), Buffer.alloc(253)])],
      ['S format with length 6', bytes(0x68, 6, 0x01, 0, 2, 0, 0, 0)],
      ['U format with length 6', bytes(0x68, 6, 0x07, 0, 0, 0, 0, 0)],
      ['U format with an unknown function (0x03)', bytes(0x68, 4, 0x03, 0, 0, 0)],
      ['U format with two functions (0x0f)', bytes(0x68, 4, 0x0f, 0, 0, 0)],
      ['five bytes', bytes(0x68, 4, 0x07, 0, 0)],
      ['a good APDU then a bad start byte', bytes(0x68, 4, 0x07, 0, 0, 0, 0x00, 4, 0x0b, 0, 0, 0)],
    ],
  },
  {
    name: 'hart_ip',
    via: { tcp: 5094 },
    valid: [
      ['version 1', hart(1, 0, 0)],
      ['version 2', hart(2, 1, 1)],
      ['message type 3', hart(1, 3, 0)],
      ['message type 15 (NAK)', hart(1, 15, 0)],
      ['message id 4', hart(1, 0, 4)],
      ['message id 128', hart(1, 0, 128)],
      ['version 1 with a shorter length than the payload', hart(1, 0, 0, { length: 8, total: 12 })],
    ],
    invalid: [
      ['version 0', hart(0, 0, 0)],
      ['version 3', hart(3, 0, 0)],
      ['message type 4', hart(1, 4, 0)],
      ['message type 16', hart(1, 16, 0)],
      ['message id 5', hart(1, 0, 5)],
      ['message id 127', hart(1, 0, 127)],
      ['length 7', hart(1, 0, 0, { length: 7, total: 12 })],
      ['length past the payload', hart(1, 0, 0, { length: 13, total: 12 })],
      ['version 2 with a shorter length than the payload', hart(2, 0, 0, { length: 8, total: 12 })],
      ['seven bytes', hart(1, 0, 0).subarray(0, 7)],
    ],
  },
  {
    name: 'omron',
    via: { tcp: 9600 },
    valid: [
      ['FINS/TCP', finsTcp()],
      ['the shortest length (8)', finsTcp({ total: 16 })],
    ],
    invalid: [
      ['magic FONS', finsTcp({ magic: 'FONS' })],
      ['magic GINS', finsTcp({ magic: 'GINS' })],
      ['magic FIMS', finsTcp({ magic: 'FIMS' })],
      ['magic FINT', finsTcp({ magic: 'FINT' })],
      ['length 7', finsTcp({ length: 7 })],
      ['length past the payload', finsTcp({ length: 13 })],
      ['15 bytes', finsTcp({ total: 15, length: 7 })],
    ],
  },
  {
    name: 'omron',
    via: { udp: 9600 },
    valid: [
      ['a command header', bytes(0x80, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
      ['a response header (ICF 0xc1), gateway count 7', bytes(0xc1, 0, 7, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
    ],
    invalid: [
      ['ICF without bit 7', bytes(0x00, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
      ['ICF with a reserved bit (0x02)', bytes(0x82, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
      ['ICF with a reserved bit (0x20)', bytes(0xa0, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
      ['RSV not 0', bytes(0x80, 1, 2, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
      ['gateway count 8', bytes(0x80, 0, 8, 0, 1, 0, 0, 2, 0, 0, 1, 1)],
      ['11 bytes', bytes(0x80, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1)],
    ],
  },
  {
    name: 'opcua',
    via: { tcp: 4840 },
    valid: [
      ...['HEL', 'ACK', 'OPN', 'MSG', 'CLO', 'ERR', 'RHE'].map((t): [string, Buffer] => [`${t}F`, opcua(t, 'F')]),
      ['MSGC (intermediate chunk)', opcua('MSG', 'C')],
      ['MSGA (abort)', opcua('MSG', 'A')],
      ['size 8', opcua('HEL', 'F', { total: 8 })],
    ],
    invalid: [
      ['chunk type X', opcua('HEL', 'X')],
      ['message type HEX', opcua('HEX', 'F')],
      ['message type hel', opcua('hel', 'F')],
      ['size 7', opcua('HEL', 'F', { size: 7 })],
      ['size past the payload', opcua('HEL', 'F', { size: 29 })],
      ['seven bytes', opcua('HEL', 'F').subarray(0, 7)],
    ],
  },
  {
    name: 'synphasor',
    via: { tcp: 4712 },
    valid: [
      ['a data frame (type 0, version 1)', synphasor(0x01)],
      ['a config frame, version 3', synphasor(0x53)],
      ['frame size 16', synphasor(0x01, { total: 16 })],
      ['frame size shorter than the payload', synphasor(0x01, { size: 16, total: 20 })],
    ],
    invalid: [
      ['sync 0xab', synphasor(0x01, { sync: 0xab })],
      ['frame type 6', synphasor(0x61)],
      ['version 0', synphasor(0x00)],
      ['version 4', synphasor(0x04)],
      ['frame size 15', synphasor(0x01, { size: 15 })],
      ['frame size past the payload', edit(synphasor(0x01), (c) => c.writeUInt16BE(19, 2))],
      ['a wrong CRC', synphasor(0x01, { badCrc: true })],
      ['15 bytes', synphasor(0x01, { total: 15, size: 15 })],
    ],
  },
  {
    name: 'ams',
    via: { tcp: 48898 },
    valid: [
      ['a read request header', ams()],
      ['with its data', ams({ length: 36, dataLen: 4, total: 42 })],
      ['command 9', ams({ cmd: 9 })],
    ],
    invalid: [
      ['reserved byte 0 not 0', ams({ reserved: 1 })],
      ['reserved byte 1 not 0', ams({ reserved: 0x100 })],
      ['length 31', ams({ length: 31, dataLen: 0 })],
      ['command 10', ams({ cmd: 10 })],
      ['data length not matching the AMS length', ams({ length: 36, dataLen: 3, total: 42 })],
      ['37 bytes', ams().subarray(0, 37)],
    ],
  },
  {
    name: 'fox',
    via: { tcp: 1911 },
    valid: [
      ['fox a', Buffer.from('fox a 0 -1 fox hello\n')],
      ['fox z', Buffer.from('fox z 1 2')],
    ],
    invalid: [
      ['gox', Buffer.from('gox a 0 -1 fox hello\n')],
      ['fpx', Buffer.from('fpx a 0 -1 fox hello\n')],
      ['foy', Buffer.from('foy a 0 -1 fox hello\n')],
      ['no space after fox', Buffer.from('fox_a 0 -1 fox hello\n')],
      ['an upper-case kind', Buffer.from('fox A 0 -1 fox hello\n')],
      ['a kind after z', Buffer.from('fox { 0 -1 fox hello\n')],
      ['a kind before a', Buffer.from('fox ` 0 -1 fox hello\n')],
      ['no space after the kind', Buffer.from('fox ab0 -1 fox hello\n')],
      ['seven bytes', Buffer.from('fox a 0')],
    ],
  },
  {
    name: 'goose',
    via: { ether: 0x88b8 },
    valid: [['a GOOSE PDU', iec61850(0x61)], ['length 8', iec61850(0x61, { length: 8 })]],
    invalid: [
      ['an SV tag', iec61850(0x60)],
      ['length 7', iec61850(0x61, { length: 7 })],
      ['length past the payload', iec61850(0x61, { length: 14 })],
      ['nine bytes', iec61850(0x61, { total: 9, length: 9 })],
    ],
  },
  {
    name: 'sv',
    via: { ether: 0x88ba },
    valid: [['an SV PDU', iec61850(0x60)]],
    invalid: [
      ['a GOOSE tag', iec61850(0x61)],
      ['length past the payload', iec61850(0x60, { length: 14 })],
    ],
  },
  {
    name: 'pn_rt',
    via: { ether: 0x8892 },
    valid: [['a frame id', bytes(0xfe, 0xfe)]],
    invalid: [['one byte', bytes(0xfe)]],
  },
  {
    name: 'ethercat',
    via: { ether: 0x88a4 },
    valid: [
      ['type 1', ethercat(1, 10, 12)],
      ['type 4', ethercat(4, 0, 2)],
      ['type 5, length filling the frame', ethercat(5, 12, 14)],
    ],
    invalid: [
      ['type 2', ethercat(2, 10, 12)],
      ['type 0', ethercat(0, 10, 12)],
      ['length past the frame', ethercat(1, 13, 14)],
      ['one byte', bytes(0x10)],
    ],
  },
  {
    name: 'ethercat',
    via: { udp: 34980 },
    valid: [['type 1 over UDP', ethercat(1, 10, 12)]],
    invalid: [['type 3 over UDP', ethercat(3, 10, 12)]],
  },
  {
    name: 'epl',
    via: { ether: 0x88ab },
    valid: [1, 3, 4, 5, 6, 0x81].map((t) => [`message type ${t}`, bytes(t, 0, 0)]),
    invalid: [
      ...[0, 2, 7].map((t): [string, Buffer] => [`message type ${t}`, bytes(t, 0, 0)]),
      ['two bytes', bytes(1, 0)],
    ],
  },
  {
    name: 'epl',
    via: { udp: 3819 },
    valid: [['SoA over UDP', bytes(5, 0, 0)]],
    invalid: [['message type 2 over UDP', bytes(2, 0, 0)]],
  },
];

const label = (v: Via) => ('tcp' in v ? `tcp/${v.tcp}` : 'udp' in v ? `udp/${v.udp}` : `ethertype 0x${v.ether.toString(16)}`);

for (const d of DETECTORS) {
  describe(`${d.name} on ${label(d.via)}`, () => {
    it.each(d.valid)('finds it: %s', (_what, payload) => {
      expect(found(d.via, payload)).toEqual([d.name]);
    });
    it.each(d.invalid)('not it: %s', (_what, payload) => {
      expect(found(d.via, payload)).toEqual([]);
    });
  });
}

describe('the port is checked on both ends, and a registered port that does not confirm is data', () => {
  it('a response from port 502 is found by its source port', () => {
    const r = analyzeBuffer(writePcap([{ ts: 1, data: tcpFrame(B, A, '10.0.0.2', '10.0.0.1', 502, CLIENT_PORT, modbus([3, 0, 0, 0, 10])) }]));
    expect(r.otProtocols).toEqual([expect.objectContaining({ name: 'mbtcp', packets: 1, ports: [502] })]);
  });

  it('a protocol-id-1 payload on 502 is counted as data under tcp, not as mbtcp', () => {
    const r = analyzeBuffer(writePcap([{ ts: 1, data: frame({ tcp: 502 }, modbus([3, 0, 0, 0, 10], { protocol: 1 })) }]));
    const tcp = r.hierarchy[0]!.children[0]!.children[0]!;
    expect(tcp.name).toBe('tcp');
    expect(tcp.children.map((c) => c.name)).toEqual(['data']);
  });
});
