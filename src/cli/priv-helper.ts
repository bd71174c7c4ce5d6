// Entry of the privileged helper (bin/otshell-priv, run by sudo): one request
// as JSON on stdin, one line out, an exit code from the table. See
// src/system/linux/privileged/helper.ts for what it accepts.
import type { Readable, Writable } from 'node:stream';
import { handleRequest, invokerFromSudo } from '../system/linux/privileged/helper.js';
import { MAX_REQUEST_BYTES } from '../system/linux/privileged/requests.js';
import { localOperations, passwdName } from '../system/linux/privileged/local-operations.js';
import { EXIT } from '../errors.js';
import { OutputSink } from '../output/sink.js';

/** Reads at most limit + 1 bytes: enough to know the request is too large, never more. */
async function readBounded(stdin: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit + 1);
}

export async function privilegedMain(env: NodeJS.ProcessEnv, streams: { stdin: Readable; stdout: Writable; stderr: Writable }): Promise<number> {
  const out = new OutputSink(streams.stdout, { color: false, ascii: true, markers: 'escape' });
  const err = new OutputSink(streams.stderr, { color: false, ascii: true, markers: 'escape' });
  const invoker = invokerFromSudo(env, process.geteuid?.() ?? -1, passwdName);
  if (invoker === null) {
    err.line('otshell-priv: must be run by sudo as root (sudo -n /usr/local/libexec/otshell-priv); nothing was changed.');
    return EXIT.NO_PERMISSION;
  }
  const bytes = await readBounded(streams.stdin, MAX_REQUEST_BYTES);
  const ops = localOperations();
  try {
    const result = await handleRequest(bytes, invoker, ops);
    (result.ok ? out : err).line(result.line);
    return result.exitCode;
  } finally {
    await ops.close();
  }
}
