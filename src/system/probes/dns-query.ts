// A minimal DNS client for the DNS 53 rules: one A query for a name, over UDP
// or TCP, and what the server answered (rcode, addresses). It asks the site's
// servers directly, which the system resolver (getaddrinfo) cannot.
import { randomBytes } from 'node:crypto';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export interface DnsAnswer {
  rcode: string;
  /** IPv4 addresses of the A records in the answer section. */
  addresses: string[];
}

/** An A query with recursion desired; `id` is random (a reply must carry it back). */
export function dnsQuery(name: string, id: number = randomBytes(2).readUInt16BE(0)): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4); // QDCOUNT
  parts.push(header);
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length > 63) throw new Error(`DNS label too long: ${label.slice(0, 20)}...`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0, 0, 1, 0, 1])); // root, QTYPE A, QCLASS IN
  return Buffer.concat(parts);
}

/** Skips a (possibly compressed) name; returns the offset after it. */
function skipName(message: Buffer, offset: number): number {
  for (let guard = 0; guard < 128; guard += 1) {
    const length = message[offset];
    if (length === undefined) throw new Error('truncated DNS name');
    if ((length & 0xc0) === 0xc0) return offset + 2;
    if (length === 0) return offset + 1;
    offset += length + 1;
  }
  throw new Error('DNS name too long');
}

/** The reply to `query`; throws for anything else (wrong id, not a response, truncated). */
export function parseDnsReply(reply: Buffer, query: Buffer): DnsAnswer {
  if (reply.length < 12) throw new Error('short DNS reply');
  if (reply.readUInt16BE(0) !== query.readUInt16BE(0)) throw new Error('DNS reply for another query');
  const flags = reply.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new Error('not a DNS response');
  const rcode = RCODES[flags & 0xf] ?? `RCODE ${flags & 0xf}`;
  const qd = reply.readUInt16BE(4);
  const an = reply.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < qd; i += 1) offset = skipName(reply, offset) + 4;
  const addresses: string[] = [];
  for (let i = 0; i < an && offset < reply.length; i += 1) {
    offset = skipName(reply, offset);
    if (offset + 10 > reply.length) break;
    const type = reply.readUInt16BE(offset);
    const length = reply.readUInt16BE(offset + 8);
    const data = reply.subarray(offset + 10, offset + 10 + length);
    if (type === 1 && data.length === 4) addresses.push([...data].join('.'));
    offset += 10 + length;
  }
  return { rcode, addresses };
}

/** TCP framing: a two-byte length before the message. */
export function tcpFrame(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length, 0);
  return Buffer.concat([length, message]);
}

/** "answered NOERROR: example.com -> 10.1.2.3" */
export function describeDnsAnswer(name: string, answer: DnsAnswer): string {
  if (answer.rcode !== 'NOERROR') return `answered ${answer.rcode} for ${name}`;
  return answer.addresses.length > 0 ? `answered: ${name} -> ${answer.addresses.slice(0, 3).join(', ')}` : `answered NOERROR for ${name} (no A record)`;
}
