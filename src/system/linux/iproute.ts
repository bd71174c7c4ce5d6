// iproute2's JSON output turned into otshell's interface shape, the runtime
// state a change may touch (snapshot), and the commands that put it back.
import type { Counters, InterfaceRole, NetworkInterface } from '../adapter.js';
import { broadcastOf, netmaskOf } from '../../net/ipv4.js';
import { EXIT, OtshellError } from '../../errors.js';
import { checkInterfaceName, checkIpv4, checkPrefixLength, InvalidValueError } from './checks.js';
import type { Command, Runner, RunResult } from './runner.js';

export interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope?: string;
  label?: string;
  noprefixroute?: boolean;
}

export interface IpLink {
  ifname: string;
  flags: string[];
  mtu: number;
  operstate?: string;
  txqlen?: number;
  address?: string;
  link_type?: string;
  addr_info?: IpAddrInfo[];
  stats64?: {
    rx?: Record<string, number | undefined>;
    tx?: Record<string, number | undefined>;
  };
}

export interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  metric?: number;
  flags?: string[];
  type?: string;
}

/** A system command on the target failed: the command found a problem (exit 1). */
export class CommandFailedError extends OtshellError {
  constructor(
    readonly step: string,
    readonly stderr: string,
  ) {
    super(`${step} failed: ${stderr.trim().split('\n').at(-1) || 'no reason given'}`, EXIT.PROBLEM);
  }
}

/** The commands behind readLinks and readRoutes, for a Runner.batch; ipJsonOf reads their results. */
export const LINKS_COMMAND: Command = { command: 'ip', args: ['-j', '-s', '-s', 'addr', 'show'] }; // the detail ifconfig shows: -s -s
export const ROUTES_COMMAND: Command = { command: 'ip', args: ['-j', '-4', 'route', 'show', 'table', 'main'] };

export function ipJsonOf<T>(command: Command, result: RunResult): T {
  const what = `ip ${command.args.filter((a) => a !== '-j').join(' ')}`;
  if (result.exitCode !== 0) throw new CommandFailedError(what, result.stderr || `exit code ${result.exitCode}`);
  try {
    return JSON.parse(result.stdout || '[]') as T;
  } catch {
    throw new OtshellError(`${what} printed something that is not JSON; iproute2 is too old (JSON output needs iproute2 4.13 or later).`, EXIT.UNAVAILABLE);
  }
}

async function ipJson<T>(runner: Runner, command: Command): Promise<T> {
  return ipJsonOf<T>(command, await runner.run(command.command, command.args));
}

/** Addresses, flags, MTU, MAC and counters. */
export function readLinks(runner: Runner): Promise<IpLink[]> {
  return ipJson<IpLink[]>(runner, LINKS_COMMAND);
}

export function readRoutes(runner: Runner): Promise<IpRoute[]> {
  return ipJson<IpRoute[]>(runner, ROUTES_COMMAND);
}

export function defaultGateway(routes: IpRoute[]): string | null {
  const defaults = routes.filter((r) => r.dst === 'default' && r.gateway).sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  return defaults[0]?.gateway ?? null;
}

// Linux IFF_* bits, in ifconfig's order, so the flags word matches what ifconfig prints.
const IFF: [string, number][] = [
  ['UP', 0x1], ['BROADCAST', 0x2], ['DEBUG', 0x4], ['LOOPBACK', 0x8], ['POINTOPOINT', 0x10], ['NOTRAILERS', 0x20],
  ['RUNNING', 0x40], ['NOARP', 0x80], ['PROMISC', 0x100], ['ALLMULTI', 0x200], ['MASTER', 0x400], ['SLAVE', 0x800],
  ['MULTICAST', 0x1000], ['DYNAMIC', 0x8000],
];

/** ip prints IFF_* names except RUNNING; the kernel sets RUNNING when the operational state is up (or unknown). */
export function ifconfigFlags(link: IpLink): { flags: string[]; flagsValue: number; running: boolean } {
  const up = link.flags.includes('UP');
  const running = up && (link.operstate === 'UP' || link.operstate === 'UNKNOWN');
  const present = new Set(link.flags.map((f) => f.replace('-', '')));
  if (running) present.add('RUNNING');
  const flags: string[] = [];
  let flagsValue = 0;
  for (const [name, bit] of IFF) {
    if (present.has(name)) {
      flags.push(name);
      flagsValue |= bit;
    }
  }
  return { flags, flagsValue, running };
}

export function toInterface(link: IpLink, role: InterfaceRole): NetworkInterface {
  const { flags, flagsValue, running } = ifconfigFlags(link);
  const rx = link.stats64?.rx ?? {};
  const tx = link.stats64?.tx ?? {};
  const n = (v: number | undefined) => (typeof v === 'number' ? v : 0);
  const rxCounters: Counters = {
    packets: n(rx.packets), bytes: n(rx.bytes), errors: n(rx.errors), dropped: n(rx.dropped),
    overruns: n(rx.fifo_errors ?? rx.over_errors), frame: n(rx.frame_errors),
  };
  const txCounters: Counters = {
    packets: n(tx.packets), bytes: n(tx.bytes), errors: n(tx.errors), dropped: n(tx.dropped),
    carrier: n(tx.carrier_errors), collisions: n(tx.collisions),
  };
  const addrs = link.addr_info ?? [];
  return {
    name: link.ifname,
    role,
    mac: link.address ?? '00:00:00:00:00:00',
    mtu: link.mtu,
    up: link.flags.includes('UP'),
    running,
    promisc: link.flags.includes('PROMISC'),
    flags,
    flagsValue,
    txqueuelen: link.txqlen ?? 0,
    ipv4: addrs
      .filter((a) => a.family === 'inet')
      .map((a) => ({
        address: a.local,
        prefixLength: a.prefixlen,
        netmask: netmaskOf(a.prefixlen),
        broadcast: a.broadcast ?? (a.prefixlen < 31 ? broadcastOf(a.local, a.prefixlen) : a.local),
      })),
    ipv6: addrs.filter((a) => a.family === 'inet6').map((a) => ({ address: a.local, prefixLength: a.prefixlen, scope: a.scope ?? 'global' })),
    rx: rxCounters,
    tx: txCounters,
  };
}

// ---------------------------------------------------------------- snapshots

export interface LinkState {
  name: string;
  up: boolean;
  promisc: boolean;
  ipv4: { address: string; prefixLength: number; broadcast?: string; scope?: string; label?: string; noprefixroute?: boolean }[];
}

/** The runtime state a settings change may touch: its interfaces, their routes, and the default routes. */
export interface RuntimeSnapshot {
  links: LinkState[];
  routes: IpRoute[];
}

export function snapshotOf(links: IpLink[], routes: IpRoute[], touched: string[]): RuntimeSnapshot {
  const byName = new Map(links.map((l) => [l.ifname, l]));
  return {
    links: touched.map((name) => {
      const link = byName.get(name);
      if (!link) throw new InvalidValueError(`There is no interface named "${name}" on this host.`);
      return {
        name,
        up: link.flags.includes('UP'),
        promisc: link.flags.includes('PROMISC'),
        ipv4: (link.addr_info ?? [])
          .filter((a) => a.family === 'inet')
          .map((a) => ({
            address: a.local,
            prefixLength: a.prefixlen,
            ...(a.broadcast ? { broadcast: a.broadcast } : {}),
            ...(a.scope && a.scope !== 'global' ? { scope: a.scope } : {}),
            ...(a.label && a.label !== name ? { label: a.label } : {}),
            ...(a.noprefixroute ? { noprefixroute: true } : {}),
          })),
      };
    }),
    routes: routes
      .filter((r) => r.protocol !== 'kernel' && (r.type === undefined || r.type === 'unicast'))
      .filter((r) => r.dst === 'default' || (r.dev !== undefined && touched.includes(r.dev)))
      .map((r) => ({
        dst: r.dst,
        ...(r.gateway ? { gateway: r.gateway } : {}),
        ...(r.dev ? { dev: r.dev } : {}),
        ...(r.protocol ? { protocol: r.protocol } : {}),
        ...(r.scope && r.scope !== 'global' ? { scope: r.scope } : {}),
        ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
        ...(r.metric !== undefined ? { metric: r.metric } : {}),
        ...(r.flags?.includes('onlink') ? { flags: ['onlink'] } : {}),
      })),
  };
}

export async function takeSnapshot(runner: Runner, touched: string[]): Promise<RuntimeSnapshot> {
  const [links, routes] = await Promise.all([readLinks(runner), readRoutes(runner)]);
  return snapshotOf(links, routes, touched);
}

/** Stable text of a snapshot, to compare two of them. */
export function snapshotKey(snapshot: RuntimeSnapshot): string {
  const routes = [...snapshot.routes].map((r) => JSON.stringify(r)).sort();
  return JSON.stringify({ links: snapshot.links, routes });
}

const SCOPES = new Set(['global', 'link', 'host', 'site', 'nowhere', 'universe']);
const word = (value: string, what: string) => {
  if (!/^[a-z0-9_-]{1,32}$/i.test(value)) throw new InvalidValueError(`Unexpected ${what} "${value.slice(0, 40)}" from ip.`);
  return value;
};

function cidrOrDefault(dst: string): string {
  if (dst === 'default') return dst;
  const [address, prefix] = dst.split('/');
  return prefix === undefined ? checkIpv4(address) : `${checkIpv4(address)}/${checkPrefixLength(Number(prefix))}`;
}

export function routeArgs(route: IpRoute): string[] {
  const args = [cidrOrDefault(route.dst)];
  if (route.gateway) args.push('via', checkIpv4(route.gateway, 'gateway'));
  if (route.dev) args.push('dev', checkInterfaceName(route.dev));
  if (route.protocol && route.protocol !== 'boot') args.push('proto', word(route.protocol, 'route protocol'));
  if (route.scope && SCOPES.has(route.scope) && route.scope !== 'global' && route.scope !== 'universe') args.push('scope', route.scope);
  if (route.prefsrc) args.push('src', checkIpv4(route.prefsrc));
  if (route.metric !== undefined) args.push('metric', String(Math.trunc(route.metric)));
  if (route.flags?.includes('onlink')) args.push('onlink');
  return args;
}

export function addrArgs(a: LinkState['ipv4'][number], dev: string): string[] {
  const args = [`${checkIpv4(a.address)}/${checkPrefixLength(a.prefixLength)}`];
  if (a.broadcast) args.push('broadcast', checkIpv4(a.broadcast, 'broadcast address'));
  if (a.scope && SCOPES.has(a.scope)) args.push('scope', a.scope);
  if (a.label && /^[A-Za-z0-9_.:@-]{1,15}$/.test(a.label)) args.push('label', a.label);
  if (a.noprefixroute) args.push('noprefixroute');
  args.push('dev', checkInterfaceName(dev));
  return args;
}

export interface Step {
  /** What the step does, for "... failed" messages. */
  label: string;
  argv: string[];
  /** Keep going when it fails (restore steps: put back as much as possible). */
  tolerant?: boolean;
}

/**
 * The commands that put a snapshot back, whatever happened since: addresses
 * flushed and re-added in their order (primary first), link state and promisc,
 * then every default route replaced by the snapshot's, and the snapshot's routes.
 * One plan serves the in-process rollback and the detached revert timer.
 */
export function restorePlan(snapshot: RuntimeSnapshot): Step[] {
  const steps: Step[] = [];
  for (const link of snapshot.links) {
    const dev = checkInterfaceName(link.name);
    steps.push({ label: `flushing the IPv4 addresses of ${dev}`, argv: ['ip', '-4', 'addr', 'flush', 'dev', dev], tolerant: true });
    for (const a of link.ipv4) {
      steps.push({ label: `restoring ${a.address}/${a.prefixLength} on ${dev}`, argv: ['ip', 'addr', 'add', ...addrArgs(a, dev)], tolerant: true });
    }
    steps.push({
      label: `restoring the link state of ${dev}`,
      argv: ['ip', 'link', 'set', 'dev', dev, link.up ? 'up' : 'down', 'promisc', link.promisc ? 'on' : 'off'],
      tolerant: true,
    });
  }
  steps.push({ label: 'removing the default routes', argv: ['ip', '-4', 'route', 'flush', 'exact', '0.0.0.0/0', 'table', 'main'], tolerant: true });
  for (const route of snapshot.routes) {
    steps.push({ label: `restoring the route ${route.dst}`, argv: ['ip', 'route', 'replace', ...routeArgs(route)], tolerant: true });
  }
  return steps;
}

/**
 * Runs steps in order. Consecutive `ip` steps go to one `ip -batch -` (one round
 * trip over ssh): strict groups stop at the first failure and say which step it
 * was; tolerant groups run with -force and go on past failures.
 */
export async function runSteps(runner: Runner, steps: Step[]): Promise<{ failed: { step: Step; stderr: string }[] }> {
  const failed: { step: Step; stderr: string }[] = [];
  let i = 0;
  while (i < steps.length) {
    const first = steps[i]!;
    const group: Step[] = [first];
    while (
      first.argv[0] === 'ip' &&
      i + group.length < steps.length &&
      steps[i + group.length]!.argv[0] === 'ip' &&
      Boolean(steps[i + group.length]!.tolerant) === Boolean(first.tolerant)
    ) {
      group.push(steps[i + group.length]!);
    }
    i += group.length;
    if (first.argv[0] !== 'ip' || group.length === 1) {
      for (const step of group) {
        const result = await runner.run(step.argv[0]!, step.argv.slice(1));
        if (result.exitCode !== 0) {
          if (!step.tolerant) throw new CommandFailedError(step.label, result.stderr || `exit code ${result.exitCode}`);
          failed.push({ step, stderr: result.stderr });
        }
      }
      continue;
    }
    const lines = group.map((step) => {
      if (step.argv.slice(1).some((arg) => !/^[A-Za-z0-9_.:\/@-]+$/.test(arg))) throw new InvalidValueError(`Unexpected argument in ${step.label}.`);
      return step.argv.slice(step.argv[1] === '-4' ? 2 : 1).join(' ');
    });
    // Every step otshell runs is IPv4 (-4 for the whole batch: flush must not touch IPv6).
    const result = await runner.run('ip', ['-4', ...(first.tolerant ? ['-force'] : []), '-batch', '-'], { input: `${lines.join('\n')}\n` });
    if (result.exitCode === 0) continue;
    // "Command failed -:N" names each failing line (1-based).
    const failing = [...result.stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1]) - 1);
    const reason = (index: number) => {
      const text = result.stderr.split('\n');
      const at = text.findIndex((line) => line.includes(`Command failed -:${index + 1}`));
      return (at > 0 ? text[at - 1] : text[0]) ?? '';
    };
    if (!first.tolerant) {
      const index = failing[0] ?? 0;
      throw new CommandFailedError(group[index]!.label, reason(index) || result.stderr || `exit code ${result.exitCode}`);
    }
    for (const index of failing) failed.push({ step: group[index]!, stderr: reason(index) });
  }
  return { failed };
}
