// The TCP service check over ssh -W: "running" only once ssh reported the sensor's
// connect() accepted; a failed connect or no report in time is "not-responding".
// (test/real-host/ssh.test.ts runs the same through a real sshd.)
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { checkServicesOn } from '../../src/system/linux/services.js';
import type { Runner } from '../../src/system/linux/runner.js';

function runnerWith(accepted: (host: string) => Promise<boolean> | undefined): Runner {
  return {
    openTcp: async (host: string) => Object.assign(new PassThrough(), { remoteAccepted: accepted(host) }),
  } as unknown as Runner;
}

const file = {
  profile: 'test',
  services: [
    { name: 'Nowhere', tcp: { host: 'no-such-host.invalid', port: 80 } },
    { name: 'Closed', tcp: { host: 'closed.test', port: 1 } },
    { name: 'Open', tcp: { host: 'open.test', port: 2 } },
  ],
};

describe('TCP check through ssh -W', () => {
  it('unknown host (no report), closed port (failed), open port (accepted)', async () => {
    const runner = runnerWith((host) => (host === 'open.test' ? Promise.resolve(true) : host === 'closed.test' ? Promise.resolve(false) : new Promise(() => {})));
    const report = await checkServicesOn(runner, file as never, 300);
    expect(report.services.map((s) => [s.name, s.status])).toEqual([
      ['Nowhere', 'not-responding'],
      ['Closed', 'not-responding'],
      ['Open', 'running'],
    ]);
    expect(report.services[1]!.detail).toMatch(/could not connect/);
    expect(report.status).toBe('down');
  });

  it('silence is never success: a stream that opened but was not confirmed is not running', async () => {
    const runner = runnerWith(() => new Promise(() => {}));
    const report = await checkServicesOn(runner, { profile: 'test', services: [file.services[2]] } as never, 200);
    expect(report.services[0]!.status).toBe('not-responding');
  });
});
