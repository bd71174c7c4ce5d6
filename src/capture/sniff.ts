// Format by magic bytes, never by file name.

export type SniffResult = 'pcap' | 'pcapng' | { error: string };

export function sniffFormat(b: Uint8Array, size: number): SniffResult {
  if (size === 0) return { error: 'empty file (0 bytes)' };
  if (size < 4) return { error: `too short to be a capture file (${size} bytes)` };
  const m = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  switch (m) {
    case 0xa1b2c3d4:
    case 0xd4c3b2a1:
    case 0xa1b23c4d:
    case 0x4d3cb2a1:
      return 'pcap';
    case 0x0a0d0d0a:
      return 'pcapng';
    default: {
      const hex = m.toString(16).padStart(8, '0');
      if (m === 0xa1b2cd34 || m === 0x34cdb2a1) return { error: `unsupported modified (Kuznetzov) pcap format (magic 0x${hex})` };
      if (m === 0x1f8b0800 || (m >>> 16) === 0x1f8b) return { error: 'a gzip-compressed file: decompress it first' };
      return { error: `not a pcap or pcapng file (wrong magic number 0x${hex})` };
    }
  }
}
