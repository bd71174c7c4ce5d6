// Byte readers and the CRCs that several detectors share.

export const be16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
export const le16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
export const le32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
export const be32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

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

/** Concatenates byte arrays (examples and test frames). */
export function bytes(...parts: (number[] | Uint8Array)[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
