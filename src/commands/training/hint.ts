// `training hint`: the next hint, in order; each costs the scenario's penalty.
import { defineCommand } from '../types.js';
import { sessionOf } from './common.js';
import { TrainingHintSchema } from './schemas.js';
import type * as z from 'zod/mini';

type Hint = z.infer<typeof TrainingHintSchema>;

export default defineCommand<Hint>({
  category: 'training',
  name: 'hint',
  summary: 'Show the next hint (costs points)',
  description: 'Shows the running scenario\'s next hint. Each hint taken costs the scenario\'s hint penalty from the score.',
  examples: ['training hint'],
  role: 'viewer',
  resultSchema: TrainingHintSchema,
  async run(ctx) {
    const run = sessionOf(ctx).requireActive();
    const hints = run.scenario.hints;
    if (run.hintsUsed >= hints.length) return { number: run.hintsUsed, of: hints.length, text: null, penalty: 0, hintsUsed: run.hintsUsed };
    run.hintsUsed += 1;
    return { number: run.hintsUsed, of: hints.length, text: hints[run.hintsUsed - 1]!, penalty: run.scenario.hintPenalty, hintsUsed: run.hintsUsed };
  },
  render(result, style) {
    if (result.text === null) return `No more hints (${result.of} given).`;
    return `Hint ${result.number} of ${result.of} (-${result.penalty} points): ${style.untrusted(result.text)}`;
  },
});
