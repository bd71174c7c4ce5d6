// `fleet report FILE`: the JSON of a playbook run (the otshell.sensor collection's fleet_health.yml,
// or any playbook, with the ansible.posix.json callback) as a sensors x checks table and the
// failing details. Exit 1 when a sensor failed a check, 2 when the file cannot be read or is not
// a playbook run.
import { EXIT } from '../../errors.js';
import { defineCommand, type RenderStyle } from '../types.js';
import { completeCapturePath } from '../network/validate-capture.js';
import { readRunFile, RunFileError } from './run-file.js';
import { describeIssues, fleetReport, FleetReportSchema, PlaybookRunSchema, type CellState, type FleetReport } from './playbook-run.js';

const CELL_TEXT: Record<CellState, string> = {
  failed: 'FAILED',
  unreachable: 'UNREACHABLE',
  changed: 'changed',
  ok: 'ok',
  skipped: 'skipped',
  'not-run': '-',
};

export default defineCommand<FleetReport>({
  category: 'fleet',
  name: 'report',
  summary: 'Show a playbook run (ansible.posix.json) as a sensors x checks table',
  description: [
    'Reads the JSON that Ansible\'s ansible.posix.json callback writes for a playbook run (ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook fleet_health.yml > run.json) and shows one row per sensor and one column per task (check): ok, changed, FAILED, UNREACHABLE, skipped, or - when it did not run there. Below the table, every failure with its exit code and message.',
    '',
    'The file is read on this machine, whatever the target. Exit codes: 0 every sensor passed every check; 1 a sensor failed a check or was unreachable; 2 the file cannot be read or is not a playbook run (the message names the field).',
  ].join('\n'),
  examples: ['fleet report health.json', 'fleet report health.json --json'],
  args: [{ name: 'file', summary: 'The JSON of a playbook run', required: true, complete: completeCapturePath }],
  role: 'viewer',
  resultSchema: FleetReportSchema,
  async run(_ctx, input) {
    const file = String(input.args.file);
    const text = await readRunFile(file);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new RunFileError(file, `is not JSON${whereInvalid(text, error)}; write it with ANSIBLE_STDOUT_CALLBACK=ansible.posix.json`);
    }
    const parsed = PlaybookRunSchema.safeParse(json);
    if (!parsed.success) throw new RunFileError(file, `not a playbook run of the ansible.posix.json callback: ${describeIssues(parsed.error)}`);
    return fleetReport(file, parsed.data);
  },
  render: renderFleetReport,
  exitCode: (report) => (report.sensors.some((s) => s.failed) ? EXIT.PROBLEM : EXIT.OK),
});

/**
 * Where JSON.parse stopped, as " (line L, column C)". Never V8's own message: it quotes the
 * file's content, and the file may be one the user should not see printed (a secret, /etc/shadow).
 */
function whereInvalid(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${Number(position) - before.lastIndexOf('\n')})`;
}

export function renderFleetReport(report: FleetReport, style: RenderStyle): string {
  if (report.sensors.length === 0) return `No sensors in ${style.untrusted(report.file)}.`;
  const header = ['sensor', ...report.checks.map((c) => style.untrusted(c))];
  const rows = report.sensors.map((s) => [style.untrusted(s.host), ...s.cells.map((c) => CELL_TEXT[c])]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], paint?: (cell: string, i: number) => string) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
        return paint ? paint(padded, i) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(header, (cell) => style.paint('bold', cell))];
  for (const [index, row] of rows.entries()) {
    const cells = report.sensors[index]!.cells;
    out.push(line(row, (cell, i) => (i === 0 ? cell : tone(style, cells[i - 1]!, cell))));
  }
  const failed = report.sensors.filter((s) => s.failed).length;
  out.push('', `${report.sensors.length - failed} of ${report.sensors.length} sensors passed every check.`);
  if (report.failures.length > 0) {
    out.push('', 'Failures:');
    for (const f of report.failures) {
      const rc = f.rc === null ? '' : ` (rc ${f.rc})`;
      out.push(`  ${style.untrusted(f.host)} ${style.untrusted(f.check)}${f.state === 'unreachable' ? ' unreachable' : ''}${rc}: ${style.untrusted(f.msg)}`);
    }
  }
  return out.join('\n');
}

function tone(style: RenderStyle, state: CellState, text: string): string {
  if (state === 'failed' || state === 'unreachable') return style.paint('red', text);
  if (state === 'changed') return style.paint('yellow', text);
  if (state === 'ok') return style.paint('green', text);
  return text;
}
