// `training end`: grades, keeps the report in the state directory, and gives
// the shell back the trainee's own simulated sensor.
import { defineCommand } from '../types.js';
import { buildReport, renderReport, sessionOf } from './common.js';
import { TrainingReportSchema, type TrainingReport } from './schemas.js';

export default defineCommand<TrainingReport>({
  category: 'training',
  name: 'end',
  summary: 'End the running scenario and show its report',
  description:
    'Grades the running scenario, keeps its report (report.json in the run\'s folder under the state directory, and the latest for "training report"), and switches the shell back to your own simulated sensor.',
  examples: ['training end', 'training end --json'],
  role: 'viewer',
  resultSchema: TrainingReportSchema,
  async run(ctx) {
    const session = sessionOf(ctx);
    const run = session.requireActive();
    const goals = await session.goalsNow();
    const endedAt = session.clock();
    const port = session.port();
    // Kept once, with its own path in it (the port knows where the run's folder is).
    const report = await port.saveReport(run.runId, buildReport(run, goals, ctx.caller.user, endedAt, ''));
    session.finish();
    return report;
  },
  render: renderReport,
});
