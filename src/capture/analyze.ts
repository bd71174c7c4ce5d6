// Reads a capture file in large chunks (bounded memory for any file size),
// sniffs the format by magic, runs the matching reader and builds the report.
// Never throws for problems with the file: they become the report's `error`.

import { Analyzer } from './analyzer.js';
import { CaptureError } from './errors.js';
import { openCapture } from './open-capture.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import type { RecordReader } from './reader.js';
import { MAX_BLOCK } from './reader.js';
import { buildReport, emptyReport } from './report.js';
import { sniffFormat } from './sniff.js';
import type { AnalyzeOptions, CaptureReport } from './types.js';
import type { FileHandle } from 'node:fs/promises';

/** Read size; the buffer holds one chunk plus the record that straddles it. */
export const CHUNK = 8 * 1024 * 1024;

function makeReader(format: 'pcap' | 'pcapng', an: Analyzer): RecordReader {
  return format === 'pcap' ? new PcapReader(an) : new PcapngReader(an);
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a capture file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: the file is not readable';
    case 'ENOTDIR':
      return 'no such file (a path component is not a directory)';
    case 'EIO':
      return 'input/output error while reading';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return err?.code ? `cannot read: ${err.code}` : `cannot read: ${String((e as Error)?.message ?? e)}`;
  }
}

function internal(e: unknown, where: number): string {
  return `internal error while decoding near byte ${where}: ${(e as Error)?.message ?? String(e)}`;
}

/**
 * Analyses an in-memory capture (tests, fuzzing). Same readers and report as
 * analyzeCapture; never throws.
 */
export function analyzeBuffer(data: Uint8Array, file = '<buffer>', limits: { maxFlows?: number } = {}): CaptureReport {
  if (data.length === 0) return emptyReport(file, 'empty file (0 bytes)');
  const format = sniffFormat(data, data.length);
  if (typeof format !== 'string') return emptyReport(file, format.error);
  const an = new Analyzer(limits);
  const reader = makeReader(format, an);
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let error: string | null = null;
  let truncated = false;
  let p = 0;
  try {
    p = reader.parse(data, dv, 0, data.length);
    if (p < data.length) {
      truncated = true;
      error = reader.truncatedMessage(p, data.length, an.packets);
    }
  } catch (e) {
    error = e instanceof CaptureError ? e.message : internal(e, p);
  }
  try {
    return buildReport(file, format, an, error, truncated, reader.formatDetail());
  } catch (e) {
    return emptyReport(file, internal(e, p));
  }
}

/** Analyses one capture file, streaming it in chunks. Never throws for file problems. */
export async function analyzeCapture(path: string, options: AnalyzeOptions = {}): Promise<CaptureReport> {
  try {
    return await analyzeFile(path, options);
  } catch (e) {
    // a bug, not a file problem: still one clear line, never a rejection
    return emptyReport(path, internal(e, 0));
  }
}

async function analyzeFile(path: string, options: AnalyzeOptions): Promise<CaptureReport> {
  const opened = await openCapture(path, describe);
  if ('error' in opened) return emptyReport(path, opened.error);
  try {
    return await readAll(path, opened.fh, opened.size, options);
  } finally {
    await opened.fh.close().catch(() => undefined);
  }
}

/** Room before each chunk for the unconsumed tail of the previous one. */
const RESERVE = 1024 * 1024;

interface Chunk {
  buf: Uint8Array;
  dv: DataView;
}
function chunk(size: number): Chunk {
  const buf = new Uint8Array(new ArrayBuffer(size));
  return { buf, dv: new DataView(buf.buffer) };
}

/**
 * Double-buffered: while the reader decodes one chunk, the next is read into
 * the other buffer. The undecoded tail of a chunk (an incomplete record) is
 * copied in front of the next chunk's data.
 */
async function readAll(
  path: string,
  fh: FileHandle,
  size: number,
  options: AnalyzeOptions,
): Promise<CaptureReport> {
  const chunkSize = Math.max(64 * 1024, Math.min(CHUNK, size + 1));
  let cur = chunk(RESERVE + chunkSize);
  let nxt: Chunk | null = null;
  let pos = 0; // next file position to read
  let base = -RESERVE; // file offset of cur.buf[0]
  let start = RESERVE;
  let filled = RESERVE;
  let eof = false;
  let pending: Promise<number> | null = null;
  let an: Analyzer | null = null;
  let reader: RecordReader | null = null;
  let format: 'pcap' | 'pcapng' | null = null;
  let error: string | null = null;
  let truncated = false;
  const { signal, onProgress } = options;

  const read = async (into: Uint8Array, at: number, position: number): Promise<number> => {
    try {
      const { bytesRead } = await fh.read(into, at, Math.min(chunkSize, into.length - at), position);
      return bytesRead;
    } catch (e) {
      throw new CaptureError(`${describe(e)} at byte ${position}`);
    }
  };

  try {
    // first chunk: sniff the format
    const n0 = await read(cur.buf, RESERVE, 0);
    filled += n0;
    pos += n0;
    eof = n0 === 0;
    onProgress?.(pos, Math.max(size, pos));
    if (n0 === 0) return emptyReport(path, 'empty file (0 bytes)');
    const f = sniffFormat(cur.buf.subarray(RESERVE), n0);
    if (typeof f !== 'string') return emptyReport(path, f.error);
    format = f;
    an = new Analyzer();
    reader = makeReader(format, an);

    for (;;) {
      if (signal?.aborted) {
        error = `interrupted after ${an.packets} packets`;
        break;
      }
      if (!eof) {
        nxt ??= chunk(RESERVE + chunkSize);
        pending = read(nxt.buf, RESERVE, pos);
      }
      reader.base = base;
      try {
        start = reader.parse(cur.buf, cur.dv, start, filled);
      } catch (e) {
        if (e instanceof CaptureError) throw e;
        throw new CaptureError(internal(e, base + start));
      }
      if (eof) {
        if (start < filled) {
          truncated = true;
          error = reader.truncatedMessage(base + start, base + filled, an.packets);
        }
        break;
      }
      const n = await pending!;
      pending = null;
      if (n === 0) {
        eof = true;
        continue;
      }
      const tail = filled - start;
      if (reader.need > MAX_BLOCK + 64) throw new CaptureError(`record of ${reader.need} bytes exceeds the limit`);
      if (tail <= RESERVE) {
        nxt!.buf.set(cur.buf.subarray(start, filled), RESERVE - tail);
        const was = cur;
        cur = nxt!;
        nxt = was;
        base = pos - RESERVE;
        start = RESERVE - tail;
        filled = RESERVE + n;
      } else {
        // a record longer than RESERVE straddles the chunks: join them
        const big = chunk(tail + n + RESERVE);
        big.buf.set(cur.buf.subarray(start, filled), 0);
        big.buf.set(nxt!.buf.subarray(RESERVE, RESERVE + n), tail);
        cur = big;
        base = pos - tail;
        start = 0;
        filled = tail + n;
      }
      pos += n;
      onProgress?.(pos, Math.max(size, pos));
    }
  } catch (e) {
    error = e instanceof CaptureError ? e.message : describe(e);
    truncated = truncated || (e instanceof CaptureError && e.truncated);
  } finally {
    // never leave a read in flight (the file is closed next)
    if (pending) await pending.catch(() => undefined);
  }
  if (format === null || an === null || reader === null) return emptyReport(path, error ?? 'no data');
  return buildReport(path, format, an, error, truncated, reader.formatDetail());
}
