// Reads a capture file in large chunks (bounded memory for any file size),
// sniffs the format by magic, runs the matching reader and builds the report.
// Never throws for problems with the file: they become the report's `error`.

import { open, stat } from 'node:fs/promises';
import { Analyzer } from './analyzer.js';
import { CaptureError } from './errors.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import type { RecordReader } from './reader.js';
import { MAX_BLOCK } from './reader.js';
import { buildReport, emptyReport } from './report.js';
import { sniffFormat } from './sniff.js';
import type { AnalyzeOptions, CaptureReport } from './types.js';

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
export function analyzeBuffer(data: Uint8Array, file = '<buffer>'): CaptureReport {
  if (data.length === 0) return emptyReport(file, 'empty file (0 bytes)');
  const format = sniffFormat(data, data.length);
  if (typeof format !== 'string') return emptyReport(file, format.error);
  const an = new Analyzer();
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
  return buildReport(file, format, an, error, truncated, reader.formatDetail());
}

/** Analyses one capture file, streaming it in chunks. Never throws for file problems. */
export async function analyzeCapture(path: string, options: AnalyzeOptions = {}): Promise<CaptureReport> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) return emptyReport(path, 'is a directory, not a capture file');
    if (!st.isFile()) return emptyReport(path, 'not a regular file');
    size = st.size;
  } catch (e) {
    return emptyReport(path, describe(e));
  }
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return emptyReport(path, describe(e));
  }
  try {
    return await readAll(path, fh, size, options);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function readAll(
  path: string,
  fh: import('node:fs/promises').FileHandle,
  size: number,
  options: AnalyzeOptions,
): Promise<CaptureReport> {
  let buf = new Uint8Array(new ArrayBuffer(Math.max(64 * 1024, Math.min(CHUNK, size + 1)) + 64 * 1024));
  let dv = new DataView(buf.buffer);
  let filled = 0; // bytes in buf
  let start = 0; // first unconsumed byte in buf
  let base = 0; // file offset of buf[0]
  let eof = false;
  let an: Analyzer | null = null;
  let reader: RecordReader | null = null;
  let format: 'pcap' | 'pcapng' | null = null;
  let error: string | null = null;
  let truncated = false;
  const { signal, onProgress } = options;

  try {
    for (;;) {
      if (signal?.aborted) {
        error = `interrupted after ${an?.packets ?? 0} packets`;
        break;
      }
      // make room: move the unconsumed tail to the front, grow for a big record
      if (start > 0) {
        buf.copyWithin(0, start, filled);
        filled -= start;
        base += start;
        start = 0;
      }
      const need = reader?.need ?? 0;
      if (need > MAX_BLOCK + 64) throw new CaptureError(`record of ${need} bytes exceeds the limit`);
      if (need > buf.length - 64 * 1024 || buf.length - filled < 64 * 1024) {
        const bigger = new Uint8Array(new ArrayBuffer(Math.max(need, filled) + CHUNK));
        bigger.set(buf.subarray(0, filled));
        buf = bigger;
        dv = new DataView(buf.buffer);
      }
      if (!eof) {
        let n: number;
        try {
          ({ bytesRead: n } = await fh.read(buf, filled, buf.length - filled, base + filled));
        } catch (e) {
          throw new CaptureError(`${describe(e)} at byte ${base + filled}`);
        }
        if (n === 0) eof = true;
        filled += n;
        onProgress?.(base + filled, Math.max(size, base + filled));
      }
      if (format === null) {
        if (filled === 0) {
          return emptyReport(path, 'empty file (0 bytes)');
        }
        if (filled < 4 && !eof) continue;
        const f = sniffFormat(buf, filled);
        if (typeof f !== 'string') return emptyReport(path, f.error);
        format = f;
        an = new Analyzer();
        reader = makeReader(format, an);
      }
      reader!.base = base;
      try {
        start = reader!.parse(buf, dv, start, filled);
      } catch (e) {
        if (e instanceof CaptureError) throw e;
        throw new CaptureError(internal(e, base + start));
      }
      if (eof) {
        if (start < filled) {
          truncated = true;
          error = reader!.truncatedMessage(base + start, base + filled, an!.packets);
        }
        break;
      }
    }
  } catch (e) {
    error = e instanceof CaptureError ? e.message : describe(e);
    truncated = truncated || (e instanceof CaptureError && e.truncated);
  }
  if (format === null || an === null || reader === null) return emptyReport(path, error ?? 'no data');
  return buildReport(path, format, an, error, truncated, reader.formatDetail());
}
