// Listening TCP sockets from /proc/net/tcp and /proc/net/tcp6 (as `ss -ltn`
// shows them): the inbound rules are "the sensor listens on its management address".
import ipaddr from 'ipaddr.js';

export interface ListeningSocket {
  address: string;
  port: number;
}

/** TCP_LISTEN in the kernel's state numbering. */
const LISTEN = '0A';

/** The kernel prints each 32-bit word of the address in host (little-endian) order. */
function hexAddress(hex: string, family: 4 | 6): string | null {
  if (family === 4) {
    if (!/^[0-9A-F]{8}$/i.test(hex)) return null;
    return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  }
  if (!/^[0-9A-F]{32}$/i.test(hex)) return null;
  const bytes: number[] = [];
  for (let word = 0; word < 4; word += 1) {
    const chunk = hex.slice(word * 8, word * 8 + 8);
    for (const i of [3, 2, 1, 0]) bytes.push(parseInt(chunk.slice(i * 2, i * 2 + 2), 16));
  }
  return ipaddr.fromByteArray(bytes).toString();
}

export function parseProcNetTcp(text: string, family: 4 | 6): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== LISTEN) continue;
    const [hex, portHex] = fields[1]!.split(':');
    const address = hexAddress(hex ?? '', family);
    const port = parseInt(portHex ?? '', 16);
    if (address !== null && Number.isInteger(port)) sockets.push({ address, port });
  }
  return sockets;
}

/** Whether a socket accepts connections to address:port: bound to it, or to the wildcard of its family (:: takes IPv4 too). */
export function listensOn(sockets: ListeningSocket[], address: string, port: number): boolean {
  const wanted = ipaddr.process(address).toString();
  return sockets.some((s) => {
    if (s.port !== port) return false;
    const bound = ipaddr.process(s.address).toString();
    return bound === wanted || bound === '0.0.0.0' || bound === '::';
  });
}
