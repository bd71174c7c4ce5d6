// `troubleshoot <flow>`, one command made from each flow's data (flows.ts), and
// `troubleshoot` alone (`troubleshoot menu`): the flows as a menu.
import * as z from 'zod/mini';
import { EXIT } from '../../errors.js';
import { defineCommand, UserError, type AnyCommand, type CommandContext, type CommandInput, type RenderStyle } from '../types.js';
import { runFlow, type Flow, type FlowReport } from './flow.js';
import { FLOWS } from './flows.js';

const verdict = z.enum(['pass', 'fail', 'unknown', 'skipped']);
export const FlowReportSchema = z.strictObject({
  flow: z.string(),
  title: z.string(),
  interactive: z.boolean(),
  steps: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      kind: z.enum(['check', 'question']),
      verdict,
      finding: z.string(),
      measured: z.array(z.string()),
      answer: z.nullable(z.boolean()),
      next: z.nullable(z.string()),
      changed: z.array(z.string()),
    }),
  ),
  changed: z.array(z.string()),
  remains: z.array(z.string()),
  outcome: z.enum(['pass', 'fail', 'unknown']),
  cancelled: z.boolean(),
});

const OPTIONS = [{ name: 'non-interactive', type: 'boolean' as const, summary: 'Run every automatic check, ask nothing, change nothing (implied by --json)' }];

function interactiveFor(ctx: CommandContext, input: CommandInput): boolean {
  return !ctx.json && input.options['non-interactive'] !== true;
}

async function run(flow: Flow, ctx: CommandContext, input: CommandInput): Promise<FlowReport> {
  const interactive = interactiveFor(ctx, input);
  if (interactive) ctx.prompter.say(`${flow.title}: ${flow.steps.length} steps. Nothing is changed without your yes.`);
  return runFlow(flow, { ctx, interactive, changed: [] });
}

const exitCode = (report: FlowReport) => (report.cancelled ? EXIT.INTERRUPTED : report.outcome === 'fail' ? EXIT.PROBLEM : EXIT.OK);

export function flowCommand(flow: Flow): AnyCommand {
  return defineCommand<FlowReport>({
    category: 'troubleshoot',
    name: flow.name,
    summary: flow.summary,
    description: `${flow.description}\n\nEach step is checked by otshell where it can; questions only a person can answer are asked y/n, with what otshell measured shown first. Where the guide's fix is a command (network edit-settings, system reboot) it is offered and the step is checked again; nothing changes without a yes. Ends with a report: each step, its finding, what changed and what remains. Exit 0 when nothing failed, 1 when something did, 130 when stopped.`,
    examples: [`troubleshoot ${flow.name}`, `troubleshoot ${flow.name} --non-interactive --json`],
    options: OPTIONS,
    role: flow.role ?? 'viewer',
    resultSchema: FlowReportSchema,
    run: (ctx, input) => run(flow, ctx, input),
    render: renderReport,
    exitCode,
  });
}

export const FLOW_COMMANDS: AnyCommand[] = FLOWS.map(flowCommand);

export const menuCommand = defineCommand<FlowReport>({
  category: 'troubleshoot',
  name: 'menu',
  summary: 'Choose a troubleshooting flow from a menu ("troubleshoot" alone)',
  description: `Offers the flows (${FLOWS.map((f) => f.name).join(', ')}) as a menu, then runs the one chosen. In a pipe the choices are numbered.`,
  examples: ['troubleshoot', 'troubleshoot menu'],
  role: 'viewer',
  resultSchema: FlowReportSchema,
  async run(ctx, input) {
    if (!interactiveFor(ctx, input)) throw new UserError(`troubleshoot: name a flow for a run without questions: ${FLOWS.map((f) => `troubleshoot ${f.name}`).join(', ')}.`, EXIT.USAGE);
    const flow = await ctx.prompter.choose(
      'What is the problem?',
      FLOWS.map((f) => ({ label: f.title, value: f, hint: `troubleshoot ${f.name}` })),
    );
    return run(flow, ctx, input);
  },
  render: renderReport,
  exitCode,
});

const SHOWN: Record<string, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', skipped: 'SKIPPED' };
const TONE = { pass: 'green', fail: 'red', unknown: 'yellow', skipped: 'dim' } as const;

export function renderReport(report: FlowReport, style: RenderStyle): string {
  const lines = [style.paint('bold', `Report: ${report.title}`)];
  report.steps.forEach((step, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${style.paint(TONE[step.verdict], SHOWN[step.verdict]!.padEnd(7))} ${step.title}`);
    lines.push(`      ${style.untrusted(step.finding)}`);
    for (const fact of step.measured) lines.push(`      measured: ${style.untrusted(fact)}`);
    for (const change of step.changed) lines.push(`      changed: ${style.untrusted(change)}`);
    if (step.next && step.verdict !== 'skipped') lines.push(`      next: ${step.next}`);
  });
  lines.push(`Changed: ${report.changed.length === 0 ? 'nothing' : ''}`);
  for (const change of report.changed) lines.push(`  - ${style.untrusted(change)}`);
  lines.push(`Remains: ${report.remains.length === 0 ? 'nothing' : ''}`);
  // Step titles and the guide's words: otshell's own text, not cut.
  for (const remain of report.remains) lines.push(`  - ${remain}`);
  lines.push(`Outcome: ${style.paint(TONE[report.outcome], SHOWN[report.outcome]!)}${report.cancelled ? ' (stopped by the user)' : ''}`);
  return lines.join('\n');
}
