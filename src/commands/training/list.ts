// `training list`: the built-in scenarios.
import { defineCommand } from '../types.js';
import { sessionOf } from './common.js';
import { TrainingListSchema } from './schemas.js';
import type { ScenarioListing } from '../../system/training-port.js';

export default defineCommand<{ scenarios: ScenarioListing[] }>({
  category: 'training',
  name: 'list',
  summary: 'List the built-in training scenarios',
  description: 'Each built-in scenario breaks a fresh simulated sensor the way a real deployment breaks (one per troubleshooting path of the guide, and a mixed one). "training start ID" plays one. Simulator only.',
  examples: ['training list', 'training list --json'],
  role: 'viewer',
  resultSchema: TrainingListSchema,
  async run(ctx) {
    return { scenarios: await sessionOf(ctx).port().builtins() };
  },
  render(result, style) {
    return [
      'Training scenarios ("training start ID"):',
      ...result.scenarios.map((s) => `  ${style.untrusted(s.id).padEnd(20)} ${style.untrusted(s.title)}  (${s.timeLimitMinutes} min, ${s.points} points)`),
    ].join('\n');
  },
});
