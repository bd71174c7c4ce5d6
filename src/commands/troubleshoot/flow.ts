// The troubleshooting engine. A flow is data (flows.ts): an ordered list of
// steps. A step is either a check otshell decides through the SystemAdapter, or
// a question only a person can answer (asked Y/N, with what otshell measured
// shown first). A failed step may offer the guide's fix as a command; nothing
// changes without the user's yes, and the step is checked again afterwards.
import type { CommandContext } from '../types.js';
import { PromptCancelled } from '../prompter.js';
import { OtshellError } from '../../errors.js';
import { roleAllows } from '../roles.js';

export type Verdict = 'pass' | 'fail' | 'unknown' | 'skipped';

/** What a check found. */
export interface Finding {
  verdict: Verdict;
  /** One line: what was found. */
  finding: string;
  /** Facts measured on the way (carrier, counters, SSH client address). */
  measured?: string[];
}

/** The state shared by the steps of one run. */
export interface FlowRun {
  ctx: CommandContext;
  /** Questions and fixes are offered (false with --non-interactive or --json). */
  interactive: boolean;
  /** What was changed, in order ("network settings: ip 10.1.0.55 -> 10.1.0.20"). */
  changed: string[];
}

export interface Fix {
  /** The question offering it: "Run network edit-settings now?" */
  offer: string;
  /** The least role that may run it. */
  role: 'support' | 'root';
  /** Runs it (its own questions included); returns what changed, or null when nothing did. */
  run(run: FlowRun): Promise<string | null>;
}

interface StepBase {
  id: string;
  title: string;
  /** The guide's wording for what to do next when the step fails. */
  next: string;
  /** Fixes offered in order when the step fails (edit-settings, then reboot). */
  fixes?: Fix[];
  /** Later steps make no sense when this one fails (nothing more is checked). */
  stopOnFail?: boolean;
}

/** Decided by otshell. */
export interface CheckStep extends StepBase {
  kind: 'check';
  check(run: FlowRun): Promise<Finding>;
}

/** Only a person can tell; otshell measures what it can first. */
export interface QuestionStep extends StepBase {
  kind: 'question';
  question: string;
  /** What otshell can measure; a verdict here stands for --non-interactive runs. */
  measure(run: FlowRun): Promise<Finding>;
}

export type Step = CheckStep | QuestionStep;

export interface Flow {
  /** The command name: `troubleshoot <name>`. */
  name: string;
  title: string;
  summary: string;
  /** The guide's procedure, one paragraph, for help. */
  description: string;
  steps: Step[];
  /** The least role that may run the flow (default viewer); a flow whose checks need more says so here. */
  role?: 'viewer' | 'support';
}

export interface StepReport {
  id: string;
  title: string;
  kind: Step['kind'];
  verdict: Verdict;
  finding: string;
  measured: string[];
  /** The person's answer to a question step; null when not asked. */
  answer: boolean | null;
  /** What to do next (the guide's words) when the step did not pass. */
  next: string | null;
  /** What a fix changed for this step. */
  changed: string[];
}

export interface FlowReport {
  flow: string;
  title: string;
  interactive: boolean;
  steps: StepReport[];
  /** Everything changed during the run. */
  changed: string[];
  /** What is still wrong or unknown, with what to do next. */
  remains: string[];
  /** pass: nothing failed; fail: something failed; unknown: nothing failed but something could not be decided. */
  outcome: 'pass' | 'fail' | 'unknown';
  /** Set when the user stopped the flow (Ctrl-C, Ctrl-D, closed input). */
  cancelled: boolean;
}

export async function runFlow(flow: Flow, run: FlowRun): Promise<FlowReport> {
  const { prompter } = run.ctx;
  const steps: StepReport[] = [];
  let cancelled = false;
  let stopped = false;
  for (const [index, step] of flow.steps.entries()) {
    if (stopped || run.ctx.signal.aborted) {
      steps.push({ id: step.id, title: step.title, kind: step.kind, verdict: 'skipped', finding: 'Not checked: an earlier step failed.', measured: [], answer: null, next: null, changed: [] });
      continue;
    }
    if (run.interactive) prompter.say(`Step ${index + 1}/${flow.steps.length}: ${step.title}`);
    try {
      const report = await runStep(step, run);
      steps.push(report);
      if (report.verdict === 'fail' && step.stopOnFail) stopped = true;
    } catch (error) {
      if (error instanceof PromptCancelled) {
        cancelled = true;
        stopped = true;
        steps.push({ id: step.id, title: step.title, kind: step.kind, verdict: 'skipped', finding: 'Stopped by the user.', measured: [], answer: null, next: null, changed: [] });
      } else if (error instanceof OtshellError) {
        // The sensor could not answer the check (restarting, powered off, unreachable): that is the finding.
        stopped = true;
        steps.push({ id: step.id, title: step.title, kind: step.kind, verdict: 'fail', finding: error.message, measured: [], answer: null, next: step.next, changed: [] });
        if (run.interactive) prompter.say(`  FAIL: ${error.message}`);
      } else {
        throw error;
      }
    }
  }
  const remains = steps.filter((s) => s.verdict === 'fail' || s.verdict === 'unknown').map((s) => `${s.title}: ${s.next}`);
  const outcome = steps.some((s) => s.verdict === 'fail') ? 'fail' : steps.some((s) => s.verdict === 'unknown' || (s.verdict === 'skipped' && s.kind === 'check')) ? 'unknown' : 'pass';
  return { flow: flow.name, title: flow.title, interactive: run.interactive, steps, changed: [...run.changed], remains, outcome, cancelled };
}

async function runStep(step: Step, run: FlowRun): Promise<StepReport> {
  let finding = await decide(step, run);
  const changed: string[] = [];
  const { prompter } = run.ctx;
  if (run.interactive) {
    if (step.kind === 'check') for (const line of finding.result.measured ?? []) prompter.say(`  otshell measured: ${line}`);
    prompter.say(`  ${finding.result.verdict.toUpperCase()}: ${finding.result.finding}`);
    if (finding.result.verdict === 'fail') prompter.say(`  Next (the guide): ${step.next}`);
  }
  // The guide's fixes, each only with a yes; the step is checked again after each one that ran.
  if (finding.result.verdict === 'fail' && run.interactive) {
    for (const fix of step.fixes ?? []) {
      if (!roleAllows(run.ctx.caller.role, fix.role)) {
        run.ctx.prompter.say(`  (${fix.offer.replace(/\?$/, '')} needs the ${fix.role} role; you are signed in as ${run.ctx.caller.role}.)`);
        continue;
      }
      if (!(await run.ctx.prompter.confirm(fix.offer, { default: false }))) continue;
      const what = await fix.run(run);
      if (what === null) continue;
      changed.push(what);
      run.changed.push(what);
      finding = await decide(step, run, true);
      run.ctx.prompter.say(`  Checked again: ${finding.result.verdict.toUpperCase()}: ${finding.result.finding}`);
      if (finding.result.verdict !== 'fail') break;
    }
  }
  const { result, answer } = finding;
  return {
    id: step.id,
    title: step.title,
    kind: step.kind,
    verdict: result.verdict,
    finding: result.finding,
    measured: result.measured ?? [],
    answer,
    next: result.verdict === 'pass' ? null : step.next,
    changed,
  };
}

/** A check decides; a question shows what was measured, then asks (interactive) or stands on the measurement. */
async function decide(step: Step, run: FlowRun, again = false): Promise<{ result: Finding; answer: boolean | null }> {
  if (step.kind === 'check') return { result: await step.check(run), answer: null };
  const measured = await step.measure(run);
  if (!run.interactive) {
    return { result: measured.verdict === 'unknown' ? { ...measured, verdict: 'skipped', finding: `Not asked (--non-interactive). ${measured.finding}` } : measured, answer: null };
  }
  for (const line of measured.measured ?? []) run.ctx.prompter.say(`  otshell measured: ${line}`);
  const question = again ? `${step.question} (again, after the change)` : step.question;
  const answer = await run.ctx.prompter.confirm(question, { default: true });
  const verdict: Verdict = answer ? 'pass' : 'fail';
  const said = answer ? 'You answered yes.' : 'You answered no.';
  return { result: { ...measured, verdict, finding: `${said} ${measured.finding}` }, answer };
}
