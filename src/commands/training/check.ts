// `training check`: grades the running scenario now (exit 0 when every goal check passes).
import { defineCommand } from '../types.js';
import { EXIT } from '../../errors.js';
import status from './status.js';

export default defineCommand({
  ...status,
  name: 'check',
  summary: 'Grade the running scenario now',
  description: 'Runs the goal checks against the scenario\'s simulated sensor and says whether the goal is met and what the score would be. Exit code 0 when every check passes, 1 otherwise.',
  examples: ['training check', 'training check --json'],
  render(result, style) {
    const met = result.goals.every((g) => g.met);
    return [
      status.render(result, style),
      met ? style.paint('green', `Goal met. Score now: ${result.score}. "training end" ends the scenario with its report.`) : style.paint('red', 'Goal not met yet.'),
    ].join('\n');
  },
  exitCode: (result) => (result.goals.every((g) => g.met) ? EXIT.OK : EXIT.PROBLEM),
});
