// Host names as otshell accepts them, apart from the site file (src/net/site.ts)
// so that the simulator can check names without loading the yaml parser.
import ipaddr from 'ipaddr.js';

/** Host names and IPv4/IPv6 literals; never a leading "-", never a control byte. */
export function isHost(value: string): boolean {
  if (ipaddr.isValid(value)) return true;
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/.test(value);
}

/** "host:port" or "[v6]:port". */
export function parseHostPort(value: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return null;
  const name = match[1] ?? match[2]!;
  const number = Number(match[3]);
  if (!isHost(name) || number < 1 || number > 65535) return null;
  return { host: name, port: number };
}
