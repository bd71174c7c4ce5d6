// The record-reader contract shared by the classic pcap and pcapng readers.
// The driver hands a reader a window [start, end) of a buffer; the reader
// decodes every complete record in it, feeds each packet to the analyzer in
// place, and returns where the first incomplete record starts.

export interface RecordReader {
  /** Absolute file offset of buf[0]; set by the driver before each parse. */
  base: number;
  /**
   * Total length of the incomplete record at the returned offset, when its
   * header was complete (0 when not even the header was). The driver grows
   * its buffer to fit it; readers bound it, so memory stays bounded.
   */
  need: number;
  /** Throws CaptureError on corrupt data. */
  parse(buf: Uint8Array, dv: DataView, start: number, end: number): number;
  /** Message for a file that ends inside the record at `offset`. */
  truncatedMessage(offset: number, fileSize: number, packets: number): string;
  /** e.g. "pcap 2.4, microsecond timestamps, little-endian". */
  formatDetail(): string;
}

export const MAX_RECORD = 256 * 1024;
export const MAX_BLOCK = 16 * 1024 * 1024;
