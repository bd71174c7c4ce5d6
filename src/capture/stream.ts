// Analysis of a capture that arrives as a stream (a live capture's pcapng on
// a pipe): the same readers, analyzer and report as a file, fed chunk by chunk.
// Each stream may feed more than one analyzer (its own, and an overall one for
// several interfaces): one reader per analyzer, the bytes parsed once by each.

import { Analyzer } from './analyzer.js';
import { CaptureError } from './errors.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import { MAX_BLOCK, type RecordReader } from './reader.js';
import { buildReport, emptyReport } from './report.js';
import { sniffFormat } from './sniff.js';
import type { CaptureReport } from './types.js';

export class StreamAnalysis {
  readonly analyzer = new Analyzer();
  private buf = new Uint8Array(256 * 1024);
  private dv = new DataView(this.buf.buffer);
  private start = 0;
  private filled = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private format: 'pcap' | 'pcapng' | null = null;
  private readers: RecordReader[] = [];
  private error: string | null = null;
  bytes = 0;

  /** `shared`: further analyzers that see this stream's packets too (the overall report). */
  constructor(private readonly shared: Analyzer[] = []) {}

  get packets(): number {
    return this.analyzer.packets;
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.error !== null) return;
    this.append(chunk);
    if (this.format === null) {
      if (this.filled < 4) return;
      const f = sniffFormat(this.buf, this.filled);
      if (typeof f !== 'string') {
        this.error = f.error;
        return;
      }
      this.format = f;
      this.readers = [this.analyzer, ...this.shared].map((an) => (f === 'pcap' ? new PcapReader(an) : new PcapngReader(an)));
    }
    try {
      let next = this.start;
      for (const r of this.readers) {
        r.base = this.base;
        next = r.parse(this.buf, this.dv, this.start, this.filled);
        if (r.need > MAX_BLOCK + 64) throw new CaptureError(`record of ${r.need} bytes exceeds the limit`);
      }
      this.start = next;
    } catch (e) {
      this.error = e instanceof CaptureError ? e.message : `internal error while decoding: ${(e as Error)?.message ?? String(e)}`;
    }
  }

  private append(chunk: Uint8Array): void {
    if (this.filled + chunk.length > this.buf.length) {
      const tail = this.filled - this.start;
      const size = Math.max(this.buf.length, (tail + chunk.length) * 2);
      const grown = size > this.buf.length ? new Uint8Array(size) : this.buf;
      if (grown === this.buf) this.buf.copyWithin(0, this.start, this.filled);
      else grown.set(this.buf.subarray(this.start, this.filled), 0);
      this.buf = grown;
      this.dv = new DataView(grown.buffer);
      this.base += this.start;
      this.filled = tail;
      this.start = 0;
    }
    this.buf.set(chunk, this.filled);
    this.filled += chunk.length;
  }

  /**
   * The report of what arrived. `failure` is why the capture itself failed
   * (dumpcap's error), used when nothing readable came.
   */
  report(label: string, failure: string | null): CaptureReport {
    if (this.format === null) return emptyReport(label, failure ?? this.error ?? 'no packets captured');
    const reader = this.readers[0]!;
    let error = this.error ?? failure;
    let truncated = false;
    if (error === null && this.start < this.filled) {
      // the capture was stopped inside a record: what came before still counts
      truncated = true;
      error = reader.truncatedMessage(this.base + this.start, this.base + this.filled, this.analyzer.packets);
    }
    return buildReport(label, this.format, this.analyzer, error, truncated, reader.formatDetail());
  }
}

/** The overall report of several streams: one analyzer all of them fed. */
export function overallReport(label: string, an: Analyzer, failure: string | null): CaptureReport {
  if (an.packets === 0 && an.linkTypes.length === 0) return emptyReport(label, failure ?? 'no packets captured');
  return buildReport(label, 'pcapng', an, failure, false, 'live capture');
}
