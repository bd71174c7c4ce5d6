// `training outside ACTION ...`: what a trainee does away from the sensor's
// shell (moving a cable, asking the site's network team to open a firewall
// rule or to fix the switch's mirror). Only during a scenario; audited.
import { defineCommand, UserError } from '../types.js';
import { sessionOf } from './common.js';
import { TrainingOutsideSchema } from './schemas.js';
import type { OutsideAction } from '../../system/training-port.js';
import { EXIT } from '../../errors.js';
import type * as z from 'zod/mini';

type Outside = z.infer<typeof TrainingOutsideSchema>;

const USAGE = 'training outside takes one of: move-cable INTERFACE, open-firewall HOST PORT, fix-mirror INTERFACE.';
const IFNAME = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/;

function parseAction(words: string[]): OutsideAction {
  const [kind, first, second, ...rest] = words;
  if (rest.length > 0) throw new UserError(USAGE, EXIT.USAGE);
  if (kind === 'move-cable' && first !== undefined && second === undefined && IFNAME.test(first)) return { kind, interface: first };
  if (kind === 'fix-mirror' && first !== undefined && second === undefined && IFNAME.test(first)) return { kind, interface: first };
  if (kind === 'open-firewall' && first !== undefined && HOST.test(first) && second !== undefined && /^\d{1,5}$/.test(second) && Number(second) >= 1 && Number(second) <= 65535) {
    return { kind, host: first, port: Number(second) };
  }
  throw new UserError(USAGE, EXIT.USAGE);
}

export default defineCommand<Outside>({
  category: 'training',
  name: 'outside',
  summary: 'Act outside the sensor during a scenario (cable, firewall, switch)',
  description:
    'During a scenario, what you would do away from the sensor\'s shell: move-cable INTERFACE (plug the GUI cable into that port), open-firewall HOST PORT (ask the site\'s network team to open that path for the sensor), fix-mirror INTERFACE (have the switch\'s SPAN session mirror both directions to that port). Changes only the scenario\'s simulated surroundings, under the edit lock, audited.',
  examples: ['training outside move-cable eth0', 'training outside open-firewall 10.1.0.10 443', 'training outside fix-mirror eth1'],
  args: [{ name: 'action', summary: 'move-cable, open-firewall or fix-mirror, and its values', required: true, variadic: true }],
  // Viewer: it changes only the scenario's simulated surroundings, never a sensor's settings (the cable scenario is played as a viewer too).
  role: 'viewer',
  resultSchema: TrainingOutsideSchema,
  async run(ctx, input) {
    const session = sessionOf(ctx);
    const run = session.requireActive();
    const raw = input.args.action;
    const action = parseAction(Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]);
    const said = await session.port().outside(run.runId, action, { user: ctx.caller.user, role: ctx.caller.role, ...(ctx.caller.tty ? { tty: ctx.caller.tty } : {}) });
    return { action: action.kind, said };
  },
  render(result, style) {
    return style.untrusted(result.said);
  },
});
