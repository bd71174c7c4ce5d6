// `training validate FILE`: an instructor's scenario file checked, never started.
import { defineCommand, UserError } from '../types.js';
import { sessionOf } from './common.js';
import { TrainingValidateSchema } from './schemas.js';
import { describeFileIssue as describeScenarioIssue } from '../../net/file-issue.js';
import { EXIT } from '../../errors.js';
import type * as z from 'zod/mini';

type Validation = z.infer<typeof TrainingValidateSchema>;

export default defineCommand<Validation>({
  category: 'training',
  name: 'validate',
  summary: 'Check a scenario file without starting it',
  description: 'Checks an instructor\'s scenario file against the scenario format (see the README\'s Training section): every problem is named with its line and field. Exit code 0 when valid, 65 when not.',
  examples: ['training validate my-scenario.yaml'],
  args: [{ name: 'file', summary: 'The scenario file (YAML)', required: true }],
  role: 'viewer',
  resultSchema: TrainingValidateSchema,
  async run(ctx, input) {
    const file = input.args.file as string;
    if (file === '') throw new UserError('training validate needs a file name.', EXIT.USAGE);
    const load = await sessionOf(ctx).port().load({ file });
    if (load.ok) return { file, valid: true, id: load.scenario.id, title: load.scenario.title, issues: [] };
    return { file, valid: false, id: null, title: null, issues: load.issues };
  },
  render(result, style) {
    if (result.valid) return `${style.untrusted(result.file)}: a valid scenario, "${style.untrusted(result.id ?? '')}" (${style.untrusted(result.title ?? '')}).`;
    return result.issues.map((issue) => style.untrusted(describeScenarioIssue(result.file, issue))).join('\n');
  },
  exitCode: (result) => (result.valid ? EXIT.OK : EXIT.DATA),
});
