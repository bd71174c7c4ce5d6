// The Linux adapter's reboot and shutdown over a scripted Runner: privileges
// first, systemctl under systemd, and an ssh session that drops as the sensor
// goes down counted as success. (test/real-host/power.test.ts runs them for real
// against fake commands.)
import { describe, expect, it } from 'vitest';
import { LinuxAdapter } from '../../src/system/linux/linux-adapter.js';
import { SshConnectionError } from '../../src/system/linux/ssh-runner.js';
import type { RunResult, Runner } from '../../src/system/linux/runner.js';

const ROOT_STATUS = 'Name:\tnode\nUid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n';
const NOBODY_STATUS = 'Name:\tnode\nUid:\t65534\t65534\t65534\t65534\nCapEff:\t0000000000000000\n';

function scriptedRunner(options: { status: string; systemd: boolean; power?: () => RunResult | Promise<RunResult>; target?: string }) {
  const calls: string[] = [];
  // The state directory's files (the lock every state change takes), in memory.
  const files = new Map<string, string>();
  const runner = {
    target: options.target ?? 'local',
    async readFile(path: string) {
      return path === '/proc/self/status' ? options.status : (files.get(path) ?? null);
    },
    async canWrite() {
      return true;
    },
    async createExclusive(path: string, data: string) {
      if (files.has(path)) return false;
      files.set(path, data);
      return true;
    },
    async ageSeconds(path: string) {
      return files.has(path) ? 0 : null;
    },
    async remove(path: string) {
      files.delete(path);
    },
    async run(command: string, args: string[]): Promise<RunResult> {
      calls.push([command, ...args].join(' '));
      if (command === 'test') return { stdout: '', stderr: '', exitCode: options.systemd ? 0 : 1 };
      return options.power ? options.power() : { stdout: '', stderr: '', exitCode: 0 };
    },
    async close() {},
  } as unknown as Runner;
  return { runner, calls };
}

describe('LinuxAdapter reboot and shutdown', () => {
  it.each([
    [true, 'reboot', 'systemctl reboot'],
    [true, 'shutdown', 'systemctl poweroff'],
    [false, 'reboot', 'reboot'],
    [false, 'shutdown', 'poweroff'],
  ] as const)('systemd %s: %s runs %s', async (systemd, op, command) => {
    const { runner, calls } = scriptedRunner({ status: ROOT_STATUS, systemd });
    await new LinuxAdapter(runner)[op]();
    expect(calls).toEqual(['test -d /run/systemd/system', command]);
  });

  it.each([
    ['reboot', 'Restarting the sensor'],
    ['shutdown', 'Powering the sensor off'],
  ] as const)('%s without privileges: "needs root" before any command runs', async (op, what) => {
    const { runner, calls } = scriptedRunner({ status: NOBODY_STATUS, systemd: true });
    await expect(new LinuxAdapter(runner)[op]()).rejects.toMatchObject({ name: 'NeedsRootError', exitCode: 77, message: expect.stringMatching(new RegExp(`^${what} needs root`)) });
    expect(calls).toEqual([]);
  });

  it('over ssh, the connection dropping during the action is the action working', async () => {
    for (const op of ['reboot', 'shutdown'] as const) {
      const { runner, calls } = scriptedRunner({
        status: ROOT_STATUS,
        systemd: true,
        target: 'ssh://root@sensor:22',
        power: () => {
          throw new SshConnectionError('The ssh connection to ssh://root@sensor:22 was closed.');
        },
      });
      await expect(new LinuxAdapter(runner)[op]()).resolves.toBeUndefined();
      expect(calls).toHaveLength(2);
    }
  });

  it('a failing command, or another error, is reported', async () => {
    const failing = scriptedRunner({ status: ROOT_STATUS, systemd: false, power: () => ({ stdout: '', stderr: 'poweroff: must be superuser.\n', exitCode: 1 }) });
    await expect(new LinuxAdapter(failing.runner).shutdown()).rejects.toThrow('poweroff failed: poweroff: must be superuser.');
    const silent = scriptedRunner({ status: ROOT_STATUS, systemd: true, power: () => ({ stdout: '', stderr: '', exitCode: 1 }) });
    await expect(new LinuxAdapter(silent.runner).reboot()).rejects.toThrow('systemctl reboot failed: exit code 1');
    const broken = scriptedRunner({ status: ROOT_STATUS, systemd: true, power: () => { throw new Error('spawn failed'); } });
    await expect(new LinuxAdapter(broken.runner).shutdown()).rejects.toThrow('spawn failed');
  });
});
