// `network blink INTERFACE [SECONDS]`: blinks the port's LED so someone at the
// rack finds the cable (ethtool -p on real hosts). Changes no setting.
import * as z from 'zod/mini';
import { EXIT } from '../../errors.js';
import type { BlinkResult } from '../../system/adapter.js';
import { completeInterfaceName } from '../completers.js';
import { defineCommand, UserError } from '../types.js';
import { isInterfaceNameText } from './interface-arg.js';
import { actorOf } from '../system/power-action.js';

export const DEFAULT_BLINK_SECONDS = 20;
export const MAX_BLINK_SECONDS = 600;

export const BlinkResultSchema = z.strictObject({ interface: z.string(), seconds: z.number(), completed: z.boolean() });

export default defineCommand<BlinkResult>({
  category: 'network',
  name: 'blink',
  summary: 'Blink the LED of an interface\'s port (default 20 s)',
  description: `Blinks the port LED of INTERFACE for SECONDS (default ${DEFAULT_BLINK_SECONDS}, at most ${MAX_BLINK_SECONDS}) so the port can be found at the rack; "network list" shows "led blinking" meanwhile. Ctrl-C stops early. A NIC whose driver has no identify support says so. Changes no setting.`,
  examples: ['network blink eth1', 'network blink eth1 5'],
  args: [
    { name: 'interface', summary: 'The port to blink', required: true, complete: completeInterfaceName },
    { name: 'seconds', summary: `How long (default ${DEFAULT_BLINK_SECONDS})` },
  ],
  role: 'support',
  resultSchema: BlinkResultSchema,
  async run(ctx, input) {
    const iface = input.args.interface as string;
    if (!isInterfaceNameText(iface)) throw new UserError(`network blink: "${ctx.style.untrusted(iface)}" is not an interface name.`, EXIT.USAGE);
    const text = input.args.seconds as string | undefined;
    const seconds = text === undefined ? DEFAULT_BLINK_SECONDS : Number(text);
    if (text !== undefined && (!/^\d{1,4}$/.test(text) || seconds < 1 || seconds > MAX_BLINK_SECONDS)) {
      throw new UserError(`network blink: SECONDS is a whole number from 1 to ${MAX_BLINK_SECONDS}, not "${ctx.style.untrusted(text)}".`, EXIT.USAGE);
    }
    return ctx.system.diagnostics.blink(iface, seconds, { signal: ctx.signal, by: actorOf(ctx.caller) });
  },
  render(result, style) {
    const lines = [`Blinking interface for ${result.seconds} seconds ...`];
    if (!result.completed) lines.push(`Stopped early; the LED of ${style.untrusted(result.interface)} is off.`);
    return lines.join('\n');
  },
});
