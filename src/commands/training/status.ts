// `training status`: the goal checks now, the time left and the hints used.
import { defineCommand } from '../types.js';
import { goalsJson, renderGoals, sessionOf, timeLeftText } from './common.js';
import { scoreOf } from './session.js';
import { TrainingStatusSchema } from './schemas.js';
import type * as z from 'zod/mini';

type Status = z.infer<typeof TrainingStatusSchema>;

export default defineCommand<Status>({
  category: 'training',
  name: 'status',
  summary: 'Show the running scenario\'s goal checks and time left',
  description: 'Runs every goal check of the running scenario against its simulated sensor now (settings in effect, services, mirror, site firewall...), and shows the time left and the hints used.',
  examples: ['training status', 'training status --json'],
  role: 'viewer',
  resultSchema: TrainingStatusSchema,
  async run(ctx) {
    const session = sessionOf(ctx);
    const run = session.requireActive();
    const goals = await session.goalsNow();
    const leftMs = run.deadline - session.clock();
    return {
      runId: run.runId,
      title: run.scenario.title,
      timeLeftSeconds: Math.max(0, Math.ceil(leftMs / 1000)),
      expired: leftMs <= 0,
      hintsUsed: run.hintsUsed,
      hints: run.scenario.hints.length,
      goals: goalsJson(goals),
      score: scoreOf(run, goals),
    };
  },
  render(result, style) {
    return [
      `${style.untrusted(result.title)}: ${timeLeftText(result.timeLeftSeconds * 1000)}; hints used ${result.hintsUsed} of ${result.hints}`,
      'Goal:',
      ...renderGoals(result.goals, style),
    ].join('\n');
  },
});
