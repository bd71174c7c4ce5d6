// A small SNTP client (RFC 4330): one request over UDP, the server's stratum and
// the clock offset. For `network requirements` (the NTP 123 rule); written so
// other NTP code can reuse it (it takes a host address, a port and a timeout).
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

/** Seconds between 1900-01-01 (NTP era 0) and 1970-01-01. */
const NTP_EPOCH_OFFSET = 2_208_988_800;

export interface SntpAnswer {
  /** 1 (primary) to 15; 0 is a kiss-o'-death and is rejected. */
  stratum: number;
  /** How far this clock is from the server's, ms (positive: we are behind). */
  offsetMs: number;
  /** Round trip, ms. */
  delayMs: number;
  /** The reference id: 4 ASCII characters for stratum 1, an IPv4 address above. */
  refId: string;
  leap: number;
  version: number;
}

export class SntpError extends Error {
  constructor(
    message: string,
    /** The socket error code (ECONNREFUSED: an ICMP port unreachable came back). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Milliseconds since 1970 as a 64-bit NTP timestamp, written at offset. */
export function writeNtpTime(buffer: Buffer, offset: number, ms: number): void {
  const seconds = Math.floor(ms / 1000) + NTP_EPOCH_OFFSET;
  const fraction = Math.floor(((ms % 1000) / 1000) * 2 ** 32);
  buffer.writeUInt32BE(seconds >>> 0, offset);
  buffer.writeUInt32BE(fraction >>> 0, offset + 4);
}

export function readNtpTime(buffer: Buffer, offset: number): number {
  const seconds = buffer.readUInt32BE(offset);
  const fraction = buffer.readUInt32BE(offset + 4);
  return (seconds - NTP_EPOCH_OFFSET) * 1000 + (fraction / 2 ** 32) * 1000;
}

/** A client request (mode 3, version 4) carrying our transmit time. */
export function sntpRequest(nowMs: number): Buffer {
  const packet = Buffer.alloc(48);
  packet[0] = (0 << 6) | (4 << 3) | 3;
  writeNtpTime(packet, 40, nowMs);
  return packet;
}

/** The answer to `request`, received at `receivedMs`; throws SntpError for anything that is not one. */
export function parseSntpReply(reply: Buffer, request: Buffer, receivedMs: number): SntpAnswer {
  if (reply.length < 48) throw new SntpError(`short NTP reply (${reply.length} bytes)`);
  const leap = reply[0]! >> 6;
  const version = (reply[0]! >> 3) & 7;
  const mode = reply[0]! & 7;
  const stratum = reply[1]!;
  if (mode !== 4) throw new SntpError(`not an NTP server reply (mode ${mode})`);
  // The server copies our transmit time into its originate field: anything else is not our answer.
  if (!reply.subarray(24, 32).equals(request.subarray(40, 48))) throw new SntpError('NTP reply does not answer our request');
  const refBytes = reply.subarray(12, 16);
  const refId = stratum <= 1 ? refBytes.toString('latin1').replace(/\0+$/, '') : [...refBytes].join('.');
  if (stratum === 0) throw new SntpError(`the server refused (kiss code ${refId || 'none'})`);
  if (stratum > 15) throw new SntpError(`the server is not synchronised (stratum ${stratum})`);
  const t1 = readNtpTime(request, 40);
  const t2 = readNtpTime(reply, 32);
  const t3 = readNtpTime(reply, 40);
  const t4 = receivedMs;
  return { stratum, leap, version, refId, offsetMs: (t2 - t1 + (t3 - t4)) / 2, delayMs: t4 - t1 - (t3 - t2) };
}

/**
 * One SNTP exchange with `address` (an IP address: resolve names first).
 * Rejects with SntpError on timeout ("no answer"), refusal (code ECONNREFUSED) or a bad reply.
 */
export function sntpQuery(
  address: string,
  options: { port?: number; timeoutMs: number; localAddress?: string; clock?: () => number },
): Promise<SntpAnswer> {
  const clock = options.clock ?? Date.now;
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    let request: Buffer = Buffer.alloc(0);
    const finish = (error: Error | null, answer?: SntpAnswer) => {
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        // already closed
      }
      if (error) reject(error);
      else resolve(answer!);
    };
    const timer = setTimeout(() => finish(new SntpError(`no NTP answer within ${options.timeoutMs} ms`, 'ETIMEDOUT')), options.timeoutMs);
    socket.on('error', (error: NodeJS.ErrnoException) => finish(new SntpError(error.message, error.code)));
    socket.on('message', (message) => {
      const received = clock();
      try {
        finish(null, parseSntpReply(message, request, received));
      } catch (error) {
        finish(error as Error);
      }
    });
    const start = () =>
      socket.connect(options.port ?? 123, address, () => {
        request = sntpRequest(clock());
        socket.send(request);
      });
    if (options.localAddress) socket.bind({ address: options.localAddress, port: 0 }, start);
    else start();
  });
}
