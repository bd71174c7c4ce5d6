// What happens on a TCP connection once it is open, for each kind of rule:
// TLS handshake and certificate, SMTP greeting, HTTP status, proxy CONNECT,
// DNS over TCP. The stream comes from this host (net.connect) or from the
// sensor (ssh -W): the same code runs over both.
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProbeRequest, ProbeResult } from '../../net/requirements.js';
import { describeDnsAnswer, dnsQuery, parseDnsReply, tcpFrame } from './dns-query.js';
import { describeTls, tlsDetailsOf } from './tls-details.js';

/** Everything a probe opened, destroyed when it ends or times out. */
export type Track = (stream: Duplex) => void;

const cut = (text: string, n = 120) => (text.length > n ? `${text.slice(0, n)}...` : text);

/** Collects data until `done(text)` says enough; rejects when the stream ends first. */
function readUntil(stream: Duplex, done: (data: Buffer) => boolean, limit = 65_536): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (done(data) || data.length >= limit) {
        cleanup();
        resolve(data);
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(data.length === 0 ? 'the connection closed without an answer' : `the answer ended early: ${cut(data.toString('latin1'))}`));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
  });
}

const firstLine = (data: Buffer) => data.toString('latin1').split('\r\n')[0]!.split('\n')[0]!;
const hasLine = (data: Buffer) => data.includes(0x0a);

function startTls(stream: Duplex, host: string, track: Track): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    // Sensors and site servers often have self-signed certificates: the check reports them, it does not refuse them.
    const socket = tlsConnect({ socket: stream as never, servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    track(socket);
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the connection closed during the TLS handshake')));
  });
}

async function tlsResult(stream: Duplex, request: ProbeRequest, track: Track): Promise<ProbeResult> {
  let socket: TLSSocket;
  try {
    socket = await startTls(stream, request.host, track);
  } catch (error) {
    return { status: 'failed', detail: `TCP connected, TLS handshake failed: ${(error as Error).message}` };
  }
  const cert = socket.getPeerX509Certificate();
  if (!cert) return { status: 'failed', detail: 'TLS handshake done, but the server sent no certificate' };
  const tls = tlsDetailsOf(cert);
  return { status: 'open', detail: describeTls(tls), tls };
}

async function httpStatus(stream: Duplex, request: ProbeRequest, track: Track): Promise<ProbeResult> {
  const url = new URL(request.url!);
  let s = stream;
  if (url.protocol === 'https:') {
    try {
      s = await startTls(stream, request.host, track);
    } catch (error) {
      return { status: 'failed', detail: `TCP connected, TLS handshake failed: ${(error as Error).message}` };
    }
  }
  const answer = readUntil(s, hasLine);
  s.write(`GET ${url.pathname}${url.search} HTTP/1.0\r\nHost: ${url.host}\r\nUser-Agent: otshell-requirements\r\nConnection: close\r\n\r\n`);
  const line = firstLine(await answer);
  const code = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(line)?.[1]);
  if (!Number.isFinite(code)) return { status: 'failed', detail: `TCP connected, but not an HTTP answer: ${cut(line)}` };
  if (code >= 400) return { status: 'failed', detail: `HTTP ${code}: the server answers, but does not serve the CRL` };
  return { status: 'open', detail: `HTTP ${code}` };
}

async function smtpGreeting(stream: Duplex): Promise<ProbeResult> {
  const line = firstLine(await readUntil(stream, hasLine));
  stream.write('QUIT\r\n');
  if (/^220[ -]/.test(line)) return { status: 'open', detail: `SMTP banner: ${cut(line)}` };
  return { status: 'failed', detail: `TCP connected, but no SMTP 220 greeting: ${cut(line)}` };
}

async function proxyConnect(stream: Duplex, request: ProbeRequest): Promise<ProbeResult> {
  const answer = readUntil(stream, (d) => d.includes('\r\n\r\n') || d.includes('\n\n'));
  stream.write(`CONNECT ${request.through} HTTP/1.1\r\nHost: ${request.through}\r\nUser-Agent: otshell-requirements\r\n\r\n`);
  const line = firstLine(await answer);
  const code = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(line)?.[1]);
  if (!Number.isFinite(code)) return { status: 'failed', detail: `TCP connected, but not an HTTP proxy answer: ${cut(line)}` };
  if (code >= 200 && code < 300) return { status: 'open', detail: `the proxy answered CONNECT ${request.through}: ${code}` };
  return { status: 'failed', detail: `the proxy answers, but refused CONNECT ${request.through}: ${cut(line)}` };
}

async function dnsOverTcp(stream: Duplex, request: ProbeRequest): Promise<ProbeResult> {
  const name = request.name ?? '.';
  const query = dnsQuery(name);
  const answer = readUntil(stream, (d) => d.length >= 2 && d.length >= 2 + d.readUInt16BE(0));
  stream.write(tcpFrame(query));
  const data = await answer;
  const reply = parseDnsReply(data.subarray(2, 2 + data.readUInt16BE(0)), query);
  return { status: 'open', detail: describeDnsAnswer(name, reply) };
}

/** The rule's check on an open connection. Throws only for stream errors (the caller words them). */
export async function onConnected(stream: Duplex, request: ProbeRequest, track: Track): Promise<ProbeResult> {
  switch (request.kind) {
    case 'tls':
      return tlsResult(stream, request, track);
    case 'smtp':
      return smtpGreeting(stream);
    case 'http':
      return httpStatus(stream, request, track);
    case 'proxy':
      return proxyConnect(stream, request);
    case 'dns':
      return dnsOverTcp(stream, request);
    default:
      return { status: 'open', detail: 'TCP connected' };
  }
}
