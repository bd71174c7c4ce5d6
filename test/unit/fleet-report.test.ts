// fleet report's model and view: a playbook run (the ansible.posix.json callback's shape) to a
// sensors x checks matrix, serial batches merged into one column per task name.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleetReport, FleetReportSchema, PlaybookRunSchema } from '../../src/commands/fleet/playbook-run.js';
import { renderFleetReport } from '../../src/commands/fleet/report.js';
import { readRunFile } from '../../src/commands/fleet/run-file.js';
import { PLAIN } from '../../src/output/style.js';

const stats = (ok: number, changed: number, failures: number, unreachable = 0) => ({ ok, changed, failures, unreachable, skipped: 0, rescued: 0, ignored: 0 });
const task = (name: string, hosts: Record<string, object>) => ({ task: { name, id: 'x', duration: { start: '', end: '' } }, hosts });

/** A rolling change with serial: 1 as the callback writes it: one play per batch, the same task names. */
const SERIAL_RUN = {
  plays: ['sensor1', 'sensor2', 'sensor3'].map((host) => ({
    play: { name: 'Rolling management-address change', id: host },
    tasks: [
      task('management address', {
        [host]: host === 'sensor3' ? { changed: true, failed: true, msg: 'could not re-connect to the sensor at 10.81.3.21 within 6 s to confirm' } : { changed: host === 'sensor1' },
      }),
      ...(host === 'sensor3' ? [] : [task('reach the sensor at its new address from here on', { [host]: { changed: false, skipped: host !== 'sensor1' } })]),
    ],
  })),
  stats: { sensor1: stats(2, 1, 0), sensor2: stats(1, 0, 0), sensor3: stats(0, 1, 1) },
  custom_stats: {},
  global_custom_stats: {},
};

describe('fleet report', () => {
  it('merges serial batches into one column per task and marks the failing sensor', () => {
    const report = fleetReport('run.json', PlaybookRunSchema.parse(SERIAL_RUN));
    expect(FleetReportSchema.parse(report)).toEqual(report);
    expect(report.checks).toEqual(['management address', 'reach the sensor at its new address from here on']);
    expect(report.sensors.map((s) => [s.host, s.failed, s.cells])).toEqual([
      ['sensor1', false, ['changed', 'ok']],
      ['sensor2', false, ['ok', 'skipped']],
      ['sensor3', true, ['failed', 'not-run']],
    ]);
    expect(report.failures).toEqual([
      { host: 'sensor3', check: 'management address', state: 'failed', rc: null, msg: 'could not re-connect to the sensor at 10.81.3.21 within 6 s to confirm' },
    ]);
    expect(renderFleetReport(report, PLAIN)).toBe(
      [
        'sensor   management address  reach the sensor at its new address from here on',
        'sensor1  changed             ok',
        'sensor2  ok                  skipped',
        'sensor3  FAILED              -',
        '',
        '2 of 3 sensors passed every check.',
        '',
        'Failures:',
        '  sensor3 management address: could not re-connect to the sensor at 10.81.3.21 within 6 s to confirm',
      ].join('\n'),
    );
  });

  it('a cell shows the worst of several results; unreachable and stats-only hosts are failures', () => {
    const run = {
      plays: [
        {
          play: { name: 'p' },
          tasks: [
            task('check', { a: { changed: false }, b: { unreachable: true, msg: 'Failed to connect to the host via ssh: No route to host' } }),
            task('check', { a: { failed: true, rc: 65, msg: ['not', 'a string'] } }),
          ],
        },
      ],
      stats: { a: stats(1, 0, 1), b: stats(0, 0, 0, 1), c: stats(0, 0, 1) },
    };
    const report = fleetReport('r', PlaybookRunSchema.parse(run));
    expect(report.sensors.map((s) => [s.host, s.failed, s.cells])).toEqual([
      ['a', true, ['failed']],
      ['b', true, ['unreachable']],
      ['c', true, ['not-run']],
    ]);
    expect(report.failures.map((f) => [f.host, f.state, f.rc, f.msg])).toEqual([
      ['b', 'unreachable', null, 'Failed to connect to the host via ssh: No route to host'],
      ['a', 'failed', 65, '["not","a string"]'],
    ]);
    expect(renderFleetReport(report, PLAIN)).toContain('  b check unreachable: Failed to connect');
    expect(renderFleetReport(report, PLAIN)).toContain('  a check (rc 65): ["not","a string"]');
  });

  it('every sensor passing: no failure section', () => {
    const run = { plays: [{ play: { name: 'p' }, tasks: [task('identity', { s: {} })] }], stats: { s: stats(1, 0, 0) } };
    const report = fleetReport('r', PlaybookRunSchema.parse(run));
    expect(renderFleetReport(report, PLAIN)).toBe('sensor  identity\ns       ok\n\n1 of 1 sensors passed every check.');
  });

  it('names the field of a file that is not a playbook run', () => {
    const parsed = PlaybookRunSchema.safeParse({ plays: [{ play: { name: 'p' }, tasks: [{ task: { name: 3 }, hosts: {} }] }], stats: {} });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['plays', 0, 'tasks', 0, 'task', 'name']);
  });

  it('reads at most the limit, and only regular files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otshell-fleet-unit-'));
    try {
      writeFileSync(join(dir, 'big.json'), 'x'.repeat(2000));
      await expect(readRunFile(join(dir, 'big.json'), 1000)).rejects.toThrow('big.json: is 2000 bytes; a playbook run file may have at most 1000');
      writeFileSync(join(dir, 'ok.json'), '{}');
      await expect(readRunFile(join(dir, 'ok.json'), 1000)).resolves.toBe('{}');
      await expect(readRunFile(dir)).rejects.toThrow('is a directory, not a playbook run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
