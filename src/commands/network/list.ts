import type { NetworkInterface, NetworkSnapshot } from '../../system/adapter.js';
import { defineCommand, type RenderStyle } from '../types.js';
import { completeInterfaceName } from '../completers.js';
import { UserError } from '../types.js';
import { NetworkSnapshotSchema } from '../shared-schemas.js';

/** An interface as `network list` shows it: with its port LED while `network blink` runs. */
export type ListedInterface = NetworkInterface & { led?: 'blinking' };
export type ListedSnapshot = NetworkSnapshot & { interfaces: ListedInterface[] };

export default defineCommand<ListedSnapshot>({
  category: 'network',
  name: 'list',
  aliases: ['show', 'ifconfig'],
  // The appliance gives the bare `ifconfig` to root only; `network list` is for everyone.
  spellings: ['ifconfig'],
  spellingRoles: { ifconfig: 'root' },
  summary: 'Show every interface (ifconfig style) and its role',
  description:
    'Prints each interface as ifconfig does (flags, inet/netmask/broadcast, ether, RX/TX counters) with its role on the sensor: management, monitor (SPAN input), bridge or unused. Give an interface name to show only that one.',
  examples: ['network list', 'network list eth1', 'network list --json'],
  args: [{ name: 'interface', summary: 'Show only this interface', complete: completeInterfaceName }],
  role: 'viewer',
  async run(ctx, input) {
    const [listed, blinking] = await Promise.all([ctx.system.listInterfaces(), ctx.system.diagnostics.blinking()]);
    const snapshot: ListedSnapshot = {
      ...listed,
      interfaces: listed.interfaces.map((iface) => (blinking.includes(iface.name) ? { ...iface, led: 'blinking' as const } : iface)),
    };
    const only = input.args.interface as string | undefined;
    if (!only) return snapshot;
    const match = snapshot.interfaces.filter((iface) => iface.name === only);
    if (match.length === 0) {
      throw new UserError(`No interface named "${ctx.style.untrusted(only)}". Interfaces: ${snapshot.interfaces.map((i) => ctx.style.untrusted(i.name)).join(', ')}.`);
    }
    return { ...snapshot, interfaces: match };
  },
  render: renderNetworkList,
  resultSchema: NetworkSnapshotSchema,
});

export function renderNetworkList(snapshot: ListedSnapshot, style: RenderStyle): string {
  const blocks = snapshot.interfaces.map((iface) => renderInterface(iface, style));
  const footer = [
    `Default gateway: ${style.untrusted(snapshot.gateway ?? 'none')}`,
    `DNS: ${snapshot.dns.length > 0 ? snapshot.dns.map(style.untrusted).join(', ') : 'none'}`,
  ];
  if (snapshot.pendingRestart) {
    footer.push(style.paint('yellow', 'Restart pending: new network settings take effect after "system reboot".'));
  }
  return `${blocks.join('\n\n')}\n\n${footer.join('\n')}`;
}

const INDENT = '        ';

function renderInterface(iface: ListedInterface, style: RenderStyle): string {
  const lines = [`${style.paint('bold', style.untrusted(iface.name))}: flags=${iface.flagsValue}<${iface.flags.map(style.untrusted).join(',')}>  mtu ${iface.mtu}`];
  for (const addr of iface.ipv4) {
    const broadcast = iface.role === 'loopback' ? '' : `  broadcast ${style.untrusted(addr.broadcast)}`;
    lines.push(`${INDENT}inet ${style.untrusted(addr.address)}  netmask ${style.untrusted(addr.netmask)}${broadcast}`);
  }
  for (const addr of iface.ipv6 ?? []) {
    lines.push(`${INDENT}inet6 ${style.untrusted(addr.address)}  prefixlen ${addr.prefixLength}  scopeid <${style.untrusted(addr.scope)}>`);
  }
  lines.push(
    iface.role === 'loopback'
      ? `${INDENT}loop  txqueuelen ${iface.txqueuelen}  (Local Loopback)`
      : `${INDENT}ether ${style.untrusted(iface.mac)}  txqueuelen ${iface.txqueuelen}  (Ethernet)`,
  );
  const { rx, tx } = iface;
  lines.push(
    `${INDENT}RX packets ${rx.packets}  bytes ${rx.bytes} (${style.format.ifconfigBytes(rx.bytes)})`,
    `${INDENT}RX errors ${rx.errors}  dropped ${rx.dropped}  overruns ${rx.overruns ?? 0}  frame ${rx.frame ?? 0}`,
    `${INDENT}TX packets ${tx.packets}  bytes ${tx.bytes} (${style.format.ifconfigBytes(tx.bytes)})`,
    `${INDENT}TX errors ${tx.errors}  dropped ${tx.dropped} overruns 0  carrier ${tx.carrier ?? 0}  collisions ${tx.collisions ?? 0}`,
    `${INDENT}role ${style.untrusted(iface.role)}`,
  );
  if (iface.led === 'blinking') lines.push(`${INDENT}${style.paint('yellow', 'led blinking')}`);
  return lines.join('\n');
}
