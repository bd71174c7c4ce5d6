declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';
  export interface PcapParser extends EventEmitter {
    buffer: Buffer | null;
    errored?: boolean;
    state: unknown;
    currentPacketHeader?: { capturedLength: number };
  }
  export function parse(input: string | Readable): PcapParser;
  const _default: { parse: typeof parse };
  export default _default;
}
