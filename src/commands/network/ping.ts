// `ping ADDRESS` / `network ping ADDRESS`: five probes from the management
// interface, shown in iputils' format (the guide: "Ping the appliance IP address").
import * as z from 'zod/mini';
import { EXIT } from '../../errors.js';
import type { PingResult } from '../../system/adapter.js';
import { hostAddressProblem } from '../../net/host-address.js';
import { defineCommand, UserError, type RenderStyle } from '../types.js';

export const PingResultSchema = z.strictObject({
  address: z.string(),
  interface: z.nullable(z.string()),
  transmitted: z.number(),
  received: z.number(),
  lossPercent: z.number(),
  rtt: z.nullable(z.strictObject({ min: z.number(), avg: z.number(), max: z.number(), mdev: z.number() })),
  lines: z.array(z.string()),
});

export default defineCommand<PingResult>({
  category: 'network',
  name: 'ping',
  spellings: ['ping'],
  summary: 'Ping an address from the management interface (5 probes)',
  description:
    'Sends five ICMP echo requests from the management interface, one a second, each waiting at most one second for its reply, and prints the result as iputils ping does. ADDRESS is an IPv4 address or a host name; anything else (an option such as "-c") is refused before anything is sent. Exit code 0 when at least one reply came back, 1 when none did or the name did not resolve.',
  examples: ['ping 10.1.0.1', 'network ping cm.plant.local', 'ping 10.1.0.1 --json'],
  args: [{ name: 'address', summary: 'IPv4 address or host name', required: true }],
  role: 'viewer',
  resultSchema: PingResultSchema,
  async run(ctx, input) {
    const address = input.args.address as string;
    const problem = hostAddressProblem(address);
    if (problem) throw new UserError(`ping: "${ctx.style.untrusted(address)}" cannot be pinged: ${problem}.`, EXIT.USAGE);
    return ctx.system.diagnostics.ping(address, { signal: ctx.signal });
  },
  render: renderPing,
  exitCode: (result) => (result.received > 0 ? EXIT.OK : EXIT.PROBLEM),
});

export function renderPing(result: PingResult, style: RenderStyle): string {
  // The lines come from the target's ping (a resolver's answer among them): untrusted.
  return result.lines.map((line) => style.untrusted(line)).join('\n');
}
