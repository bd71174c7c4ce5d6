// The persistent side of the settings: otshell's own netplan file, written
// with the yaml library, read back for the configured values, and backed up
// as numbered copies (50-otshell.yaml.~N~; netplan reads only *.yaml).
import YAML from 'yaml';
import { basename, dirname, join } from 'node:path';
import type { NetworkSettings } from '../adapter.js';
import type { Runner } from './runner.js';
import { checkInterfaceName, checkIpv4, checkPrefixLength } from './checks.js';

export const KEEP_BACKUPS = 10;

export function renderNetplan(next: NetworkSettings, path: string): string {
  const m = checkInterfaceName(next.managementInterface);
  const ethernets: Record<string, unknown> = {
    [m]: {
      dhcp4: false,
      addresses: [`${checkIpv4(next.ip)}/${checkPrefixLength(next.prefixLength)}`],
      routes: [{ to: 'default', via: checkIpv4(next.gateway, 'gateway') }],
      nameservers: { addresses: next.dns.map((d) => checkIpv4(d, 'DNS server')) },
    },
  };
  // Monitor (SPAN) and bridge interfaces carry no address; they are brought up
  // by otshell (promisc is not a netplan setting) and must not delay boot.
  for (const name of next.inputInterfaces) {
    ethernets[checkInterfaceName(name)] = { dhcp4: false, dhcp6: false, 'link-local': [], optional: true };
  }
  if (next.bridgeInterface) {
    ethernets[checkInterfaceName(next.bridgeInterface)] = { dhcp4: false, dhcp6: false, 'link-local': [], optional: true };
  }
  const body = YAML.stringify({ network: { version: 2, renderer: 'networkd', ethernets } });
  return `# Written by otshell (network edit-settings); edit with otshell, not by hand.\n# Earlier versions are kept beside it as ${basename(path)}.~N~ files.\n${body}`;
}

export interface NetplanValues {
  ip: string | null;
  prefixLength: number | null;
  gateway: string | null;
  dns: string[] | null;
}

/** What otshell's netplan file says about the management interface (nulls where it says nothing). */
export function parseNetplan(text: string, managementInterface: string): NetplanValues {
  const none: NetplanValues = { ip: null, prefixLength: null, gateway: null, dns: null };
  let doc: any;
  try {
    doc = YAML.parse(text);
  } catch {
    return none;
  }
  const eth = doc?.network?.ethernets?.[managementInterface] ?? doc?.network?.bridges?.[managementInterface];
  if (!eth || typeof eth !== 'object') return none;
  const out = { ...none };
  const first = Array.isArray(eth.addresses) ? eth.addresses.find((a: unknown) => typeof a === 'string' && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(a)) : undefined;
  if (first) {
    const [ip, prefix] = (first as string).split('/');
    out.ip = ip!;
    out.prefixLength = Number(prefix);
  }
  const route = Array.isArray(eth.routes)
    ? eth.routes.find((r: any) => r && (r.to === 'default' || r.to === '0.0.0.0/0') && typeof r.via === 'string')
    : undefined;
  out.gateway = route?.via ?? (typeof eth.gateway4 === 'string' ? eth.gateway4 : null);
  if (Array.isArray(eth.nameservers?.addresses)) {
    out.dns = eth.nameservers.addresses.filter((a: unknown) => typeof a === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(a));
  }
  return out;
}

/** Copies the current file to the next numbered backup; keeps the last KEEP_BACKUPS. Returns the backup path. */
export async function backupNumbered(runner: Runner, path: string, content: string): Promise<string> {
  const dir = dirname(path);
  const base = basename(path);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.~(\\d+)~$`);
  const numbers = (await runner.listDir(dir))
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const next = (numbers.at(-1) ?? 0) + 1;
  const backup = join(dir, `${base}.~${next}~`);
  await runner.writeFileAtomic(backup, content, 0o600);
  for (const old of numbers.slice(0, Math.max(0, numbers.length + 1 - KEEP_BACKUPS))) {
    await runner.remove(join(dir, `${base}.~${old}~`));
  }
  return backup;
}
