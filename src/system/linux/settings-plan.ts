// Pure decisions of a network change on a real sensor, kept apart from the
// adapter so they can be read (and tested) without a runner: which settings
// are acceptable, which interface manages the sensor, each interface's role,
// and the ordered ip steps of the change. Used by the adapter's reads, by both
// apply paths (step by step and two batches) and by the privileged helper.
import type { InterfaceRole, NetworkSettings } from '../adapter.js';
import { checkInterfaceName, checkIpv4, checkPrefixLength, InvalidValueError } from './checks.js';
import type { OtshellConfig } from './config.js';
import type { IpLink, IpRoute, RuntimeSnapshot, Step } from './iproute.js';
import { broadcastOf } from '../../net/ipv4.js';

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** The settings as given, every value checked (names, addresses, at most three DNS servers), duplicates of monitors dropped. */
export function checkSettings(next: NetworkSettings): NetworkSettings {
  const prefixLength = checkPrefixLength(next.prefixLength);
  if (prefixLength < 1) throw new InvalidValueError('The prefix length must be 1 to 32.');
  if (!Array.isArray(next.dns) || next.dns.length > 3) throw new InvalidValueError('Give at most three DNS servers.');
  return {
    managementInterface: checkInterfaceName(next.managementInterface),
    ip: checkIpv4(next.ip),
    prefixLength,
    gateway: checkIpv4(next.gateway, 'gateway'),
    dns: next.dns.map((d) => checkIpv4(d, 'DNS server')),
    inputInterfaces: unique(next.inputInterfaces.map((n) => checkInterfaceName(n))),
    bridgeInterface: next.bridgeInterface === null ? null : checkInterfaceName(next.bridgeInterface),
  };
}

/** Management: from the config, else the default route's interface, else the first non-loopback with an address. */
export function managementOf(config: OtshellConfig, routes: IpRoute[], links: IpLink[]): string | null {
  if (config.roles.management) return config.roles.management;
  const viaDefault = routes.find((r) => r.dst === 'default' && r.dev)?.dev;
  if (viaDefault) return viaDefault;
  return links.find((l) => !l.flags.includes('LOOPBACK') && (l.addr_info ?? []).some((a) => a.family === 'inet'))?.ifname ?? null;
}

export function roleOf(link: IpLink, config: OtshellConfig, management: string | null): InterfaceRole {
  if (link.flags.includes('LOOPBACK')) return 'loopback';
  if (link.ifname === management) return 'management';
  if (config.roles.monitor.includes(link.ifname)) return 'monitor';
  if (config.roles.bridge === link.ifname) return 'bridge';
  if (config.roles.monitor.length === 0 && link.flags.includes('PROMISC')) return 'monitor';
  return 'unused';
}

/**
 * The runtime change, in an order that keeps the kernel happy: the management
 * link up; addresses that go away removed first (deleting a primary address
 * would take same-subnet secondaries with it); the new address; monitor links
 * up and promiscuous, dropped monitors out of promisc; the bridge link up; and
 * the default route last (the kernel checks the gateway against the addresses).
 */
export function forwardPlan(next: NetworkSettings, snapshot: RuntimeSnapshot, routes: IpRoute[], oldMonitors: string[]): Step[] {
  const m = next.managementInterface;
  const current = snapshot.links.find((l) => l.name === m)!;
  const steps: Step[] = [{ label: `bringing ${m} up`, argv: ['ip', 'link', 'set', 'dev', m, 'up'] }];
  for (const a of current.ipv4) {
    if (a.address === next.ip && a.prefixLength === next.prefixLength) continue;
    steps.push({ label: `removing ${a.address}/${a.prefixLength} from ${m}`, argv: ['ip', 'addr', 'del', `${a.address}/${a.prefixLength}`, 'dev', m] });
  }
  steps.push({
    label: `setting ${next.ip}/${next.prefixLength} on ${m}`,
    argv: ['ip', 'addr', 'replace', `${next.ip}/${next.prefixLength}`, 'broadcast', broadcastOf(next.ip, next.prefixLength), 'dev', m],
  });
  for (const name of next.inputInterfaces) {
    steps.push({ label: `bringing monitor interface ${name} up in promiscuous mode`, argv: ['ip', 'link', 'set', 'dev', name, 'up', 'promisc', 'on'] });
  }
  for (const name of oldMonitors.filter((n) => !next.inputInterfaces.includes(n) && n !== m)) {
    steps.push({ label: `taking ${name} out of promiscuous mode`, argv: ['ip', 'link', 'set', 'dev', name, 'promisc', 'off'] });
  }
  if (next.bridgeInterface) {
    steps.push({ label: `bringing bridge interface ${next.bridgeInterface} up`, argv: ['ip', 'link', 'set', 'dev', next.bridgeInterface, 'up'] });
  }
  for (const r of routes.filter((r) => r.dst === 'default' && !(r.gateway === next.gateway && r.dev === m && !r.metric))) {
    const args = ['default', ...(r.gateway ? ['via', checkIpv4(r.gateway)] : []), ...(r.dev ? ['dev', checkInterfaceName(r.dev)] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])];
    steps.push({ label: `removing the old default route${r.gateway ? ` via ${r.gateway}` : ''}`, argv: ['ip', 'route', 'del', ...args], tolerant: true });
  }
  steps.push({ label: `setting the default gateway ${next.gateway} on ${m}`, argv: ['ip', 'route', 'replace', 'default', 'via', next.gateway, 'dev', m] });
  return steps;
}
