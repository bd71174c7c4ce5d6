import { EXIT } from '../../errors.js';
import { defineCommand, type RenderStyle } from '../types.js';
import { actorOf } from '../system/power-action.js';
import * as z from 'zod/mini';

export interface ConfirmResult {
  confirmed: boolean;
  detail: string;
}

export default defineCommand<ConfirmResult>({
  category: 'network',
  name: 'confirm',
  summary: 'Keep network settings applied with confirm-or-revert',
  description:
    'When settings were applied with a countdown (the change touched the interface of this SSH session, or --confirm-timeout was given), ' +
    'they revert on their own unless confirmed. Run "network confirm" in time, from this session or a new one on the new address, to keep them. ' +
    'Exit code 0 when a change was confirmed, 1 when there was nothing to confirm.',
  examples: ['network confirm', 'network confirm --json'],
  role: 'support',
  async run(ctx) {
    return ctx.system.confirmNetworkSettings(actorOf(ctx.caller));
  },
  render: renderConfirm,
  resultSchema: z.strictObject({ confirmed: z.boolean(), detail: z.string() }),
  exitCode: (result) => (result.confirmed ? EXIT.OK : EXIT.PROBLEM),
});

export function renderConfirm(result: ConfirmResult, style: RenderStyle): string {
  return style.paint(result.confirmed ? 'green' : 'yellow', result.detail);
}
