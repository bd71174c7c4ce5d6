// src/output/fd-stream.ts: stdout and stderr as file descriptors written synchronously,
// for output that is not a terminal. Everything arrives, in order, even through a full
// non-blocking pipe; a failed write is reported as a stream reports it (an 'error' on the
// next tick), and nothing is written after it.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdStream } from '../../src/output/fd-stream.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'otshell-fd-stream-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FdStream', () => {
  it('writes every byte in order (UTF-8 text and bytes); the callback comes after, on a later tick', async () => {
    const path = join(tempDir(), 'out');
    const fd = openSync(path, 'w');
    const stream = new FdStream(fd);
    expect(stream.write('réseau ✓\n')).toBe(true);
    expect(stream.write(Buffer.from('bytes\n'))).toBe(true);
    let called = false;
    stream.write('', () => (called = true));
    expect(called).toBe(false);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(called).toBe(true);
    closeSync(fd);
    expect(readFileSync(path, 'utf8')).toBe('réseau ✓\nbytes\n');
    expect(stream.isTTY).toBe(false);
    expect(stream.writableLength).toBe(0);
  });

  it('a full disk (/dev/full): false, the error on the next tick to every listener, nothing written after', async () => {
    const fd = openSync('/dev/full', 'w');
    const stream = new FdStream(fd);
    const errors: string[] = [];
    stream.on('error', (error) => errors.push(`a:${error.code}`));
    stream.on('error', (error) => errors.push(`b:${error.code}`));
    stream.on('close', () => errors.push('not an error listener'));
    expect(stream.write('x\n')).toBe(false);
    expect(errors).toEqual([]);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(errors).toEqual(['a:ENOSPC', 'b:ENOSPC']);
    expect(stream.destroyed).toBe(true);
    expect(stream.write('y\n')).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(2);
    closeSync(fd);
  });

  it('a non-blocking pipe that is full waits for its reader (EAGAIN) and loses nothing', async () => {
    const out = join(tempDir(), 'received');
    // A reader that starts 300 ms late: 1 MB cannot fit in the pipe before it does.
    const reader = spawn('sh', ['-c', `sleep 0.3; cat > '${out}'`], { stdio: ['pipe', 'ignore', 'ignore'] });
    const fd = (reader.stdin as unknown as { _handle: { fd: number } })._handle.fd; // libuv's side: non-blocking
    const stream = new FdStream(fd);
    const chunk = `${'0123456789abcdef'.repeat(4096)}\n`;
    const started = Date.now();
    for (let i = 0; i < 16; i++) expect(stream.write(chunk)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200); // it did wait for the reader
    reader.stdin!.end();
    await new Promise((resolve) => reader.on('exit', resolve));
    expect(statSync(out).size).toBe(chunk.length * 16);
  });
});
