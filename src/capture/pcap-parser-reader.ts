// The classic pcap path through pcap-parser (the dependency issue 4 asked to
// start from), wrapped with what it lacks: nanosecond pcap (the magic is
// patched for it), a bound on the record length (a corrupt length would make
// it buffer the rest of the file and report nothing), and detection of a
// truncated last record. bench/capture.mjs measures it against otshell's own
// reader (pcap.ts); the benchmark's figures decide which one analyseCapture
// uses for classic pcap.

import { openCapture } from './open-capture.js';
import { Transform } from 'node:stream';
import pcapParser from 'pcap-parser';
import { Analyzer } from './analyzer.js';
import { analyzeCapture } from './analyze.js';
import { parsePcapHeader, recordBound, PCAP_HEADER } from './pcap.js';
import { buildReport, emptyReport } from './report.js';
import { sniffFormat } from './sniff.js';
import type { AnalyzeOptions, CaptureReport } from './types.js';
import { CaptureError } from './errors.js';

export async function analyzeCaptureWithPcapParser(path: string, options: AnalyzeOptions = {}): Promise<CaptureReport> {
  let head: Uint8Array;
  // The one capture open (open-capture.ts): a FIFO or device swapped in cannot hang the benchmark path either.
  const opened = await openCapture(path, () => 'cannot read');
  // the main path has the detailed messages for missing/unreadable files
  if ('error' in opened) return analyzeCapture(path, options);
  const { fh, size } = opened;
  try {
    head = new Uint8Array(PCAP_HEADER);
    const { bytesRead } = await fh.read(head, 0, PCAP_HEADER, 0);
    head = head.subarray(0, bytesRead);
  } catch {
    await fh.close().catch(() => undefined);
    return analyzeCapture(path, options);
  }
  const handOff = (): Promise<CaptureReport> => fh.close().catch(() => undefined).then(() => analyzeCapture(path, options));
  const format = sniffFormat(head, head.length);
  if (format !== 'pcap') return handOff();
  let header;
  try {
    header = parsePcapHeader(head, head.length);
  } catch (e) {
    await fh.close().catch(() => undefined);
    return emptyReport(path, (e as CaptureError).message, 'pcap');
  }
  const h = header;
  const an = new Analyzer();
  an.addLinkType(h.linkType);
  const bound = recordBound(h.snaplen);
  const scale = h.nano ? 1e-9 : 1e-6;
  const lt = h.linkType;

  return new Promise<CaptureReport>((resolve) => {
    let offset = PCAP_HEADER; // file offset of the next record
    let done = false;
    let read = 0;
    const file = fh.createReadStream({ start: 0, highWaterMark: 1024 * 1024 });
    let first = true;
    const patch = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        if (first && h.nano) {
          // pcap-parser knows only the microsecond magic
          chunk = Buffer.from(chunk);
          chunk.writeUInt32BE(h.littleEndian ? 0xd4c3b2a1 : 0xa1b2c3d4, 0);
        }
        first = false;
        read += chunk.length;
        options.onProgress?.(read, size);
        cb(null, chunk);
      },
    });
    const parser = pcapParser.parse(file.pipe(patch));
    const finish = (error: string | null, truncated: boolean) => {
      if (done) return;
      done = true;
      file.destroy();
      resolve(buildReport(path, 'pcap', an, error, truncated, `pcap ${h.major}.${h.minor} via pcap-parser`));
    };
    const abort = () => finish(`interrupted after ${an.packets} packets`, false);
    options.signal?.addEventListener('abort', abort, { once: true });
    parser.on('packetHeader', (ph: { capturedLength: number }) => {
      if (ph.capturedLength > bound) {
        parser.errored = true;
        finish(`corrupt record length ${ph.capturedLength} at byte ${offset} (limit ${bound}); ${an.packets} packets analysed`, false);
      }
    });
    parser.on('packet', (p: { header: { timestampSeconds: number; timestampMicroseconds: number; originalLength: number }; data: Buffer }) => {
      if (done) return;
      const d = new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.length);
      an.packet(lt, d, new DataView(d.buffer, d.byteOffset, d.length), 0, d.length, p.header.originalLength, p.header.timestampSeconds + p.header.timestampMicroseconds * scale);
      offset += 16 + p.data.length;
    });
    parser.on('error', (e: Error) => finish(`cannot read: ${e.message}`, false));
    parser.on('end', () => {
      const left = parser.buffer?.length ?? 0;
      if (left > 0 || parser.currentPacketHeader !== undefined && offset < size) {
        finish(`truncated at byte ${size}; ${an.packets} packets analysed (the record at byte ${offset} is incomplete)`, true);
      } else finish(null, false);
    });
  }).catch((e) => emptyReport(path, `cannot read: ${(e as Error).message}`));
}
