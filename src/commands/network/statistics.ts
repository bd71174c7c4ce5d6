// `network statistics [INTERFACE]` (alias stats): each NIC's counters as
// `ethtool -S` prints them, and the receive/send rates over a short sample, as
// the appliance's cyberx-nload shows them ("Received: 66.95 KBit/s Sent: 87.94 KBit/s").
import * as z from 'zod/mini';
import { EXIT } from '../../errors.js';
import type { StatisticsResult } from '../../system/adapter.js';
import { completeInterfaceName } from '../completers.js';
import { defineCommand, UserError, type RenderStyle } from '../types.js';
import { isInterfaceNameText } from './interface-arg.js';

export const DEFAULT_SAMPLE_SECONDS = 2;

const counterMap = z.record(z.string(), z.number());
export const StatisticsResultSchema = z.strictObject({
  sampleSeconds: z.number(),
  interfaces: z.array(
    z.strictObject({ name: z.string(), counters: counterMap, driver: counterMap, rxBitsPerSecond: z.number(), txBitsPerSecond: z.number() }),
  ),
});

export default defineCommand<StatisticsResult>({
  category: 'network',
  name: 'statistics',
  aliases: ['stats'],
  summary: 'NIC counters and live receive/send rates',
  description: `Prints each interface's counters ("NIC statistics:": the kernel's counters, then the driver's own from ethtool -S where it has them) and its receive and send rates measured over --seconds (default ${DEFAULT_SAMPLE_SECONDS}): counters are read twice and the difference divided by the time between.`,
  examples: ['network statistics', 'network stats eth1', 'network statistics eth1 --seconds 5 --json'],
  args: [{ name: 'interface', summary: 'Only this interface', complete: completeInterfaceName }],
  options: [{ name: 'seconds', type: 'string', valueName: 'SECONDS', summary: `Sample length for the rates, 1 to 60 (default ${DEFAULT_SAMPLE_SECONDS})` }],
  role: 'viewer',
  resultSchema: StatisticsResultSchema,
  async run(ctx, input) {
    const iface = input.args.interface as string | undefined;
    if (iface !== undefined && !isInterfaceNameText(iface)) throw new UserError(`network statistics: "${ctx.style.untrusted(iface)}" is not an interface name.`, EXIT.USAGE);
    const text = input.options.seconds as string | undefined;
    const seconds = text === undefined ? DEFAULT_SAMPLE_SECONDS : Number(text);
    if (text !== undefined && (!/^\d{1,2}$/.test(text) || seconds < 1 || seconds > 60)) {
      throw new UserError(`network statistics: --seconds takes a whole number from 1 to 60, not "${ctx.style.untrusted(text)}".`, EXIT.USAGE);
    }
    return ctx.system.diagnostics.statistics(iface, seconds, { signal: ctx.signal });
  },
  render: renderStatistics,
});

/** nload's units (1024-based), two decimals: "66.95 KBit/s". */
export function formatRate(bitsPerSecond: number): string {
  const units = ['Bit/s', 'KBit/s', 'MBit/s', 'GBit/s'];
  let value = bitsPerSecond;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

export function renderStatistics(result: StatisticsResult, style: RenderStyle): string {
  return result.interfaces
    .map((iface) => {
      const names = [...Object.keys(iface.counters), ...Object.keys(iface.driver).filter((name) => !(name in iface.counters))];
      const value = (name: string) => iface.driver[name] ?? iface.counters[name];
      return [
        `${style.paint('bold', style.untrusted(iface.name))}:`,
        'NIC statistics:',
        ...names.map((name) => `     ${style.untrusted(name)}: ${value(name)}`),
        `Received: ${formatRate(iface.rxBitsPerSecond)} Sent: ${formatRate(iface.txBitsPerSecond)}`,
      ].join('\n');
    })
    .join('\n\n');
}
