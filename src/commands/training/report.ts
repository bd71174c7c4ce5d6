// `training report [--json]`: the last report kept (for an instructor's grade book).
import { defineCommand, UserError } from '../types.js';
import { renderReport, sessionOf } from './common.js';
import { TrainingReportSchema, type TrainingReport } from './schemas.js';
import { EXIT } from '../../errors.js';

export default defineCommand<TrainingReport>({
  category: 'training',
  name: 'report',
  summary: 'Show the last training report',
  description: 'Shows the report of the last scenario ended with "training end": each goal check met or not, time taken, hints used, score and the commands run with their exit codes. --json gives it for a grade book.',
  examples: ['training report', 'training report --json'],
  role: 'viewer',
  resultSchema: TrainingReportSchema,
  async run(ctx) {
    const raw = await sessionOf(ctx).port().latestReport();
    if (raw === null) throw new UserError('No training report is kept yet; "training end" ends a scenario with one.', EXIT.PROBLEM);
    const parsed = TrainingReportSchema.safeParse(raw);
    if (!parsed.success) throw new UserError('The last training report in the state directory is not a report otshell wrote.', EXIT.DATA);
    return parsed.data;
  },
  render: renderReport,
});
