// The login shell's side of privilege separation: `sudo -n HELPER` with an
// argument array and the request on stdin; the helper's answers and sudo's own
// refusals become one clear error each. A recording runner stands in for sudo.
import { describe, expect, it } from 'vitest';
import { PrivilegedClient, PRIV_HELPER_PATH } from '../../src/system/linux/privileged/client.js';
import type { Runner } from '../../src/system/linux/runner.js';
import { EXIT } from '../../src/errors.js';

function fakeRunner(answer: { stdout?: string; stderr?: string; exitCode: number }) {
  const calls: { command: string; args: string[]; input?: string }[] = [];
  const runner = {
    target: 'local',
    run: async (command: string, args: string[], options: { input?: string } = {}) => {
      calls.push({ command, args, input: options.input });
      return { stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', exitCode: answer.exitCode };
    },
  } as unknown as Runner;
  return { runner, calls };
}

const SETTINGS = { managementInterface: 'eth0', ip: '10.77.0.30', prefixLength: 24, gateway: '10.77.0.1', dns: ['10.77.0.2'], inputInterfaces: [], bridgeInterface: null };

describe('PrivilegedClient', () => {
  it('runs sudo -n -- HELPER with the request as JSON on stdin (the password never in argv) and reads the JSON answer', async () => {
    const { runner, calls } = fakeRunner({ stdout: '{"kind":"applied"}\n', exitCode: 0 });
    const client = new PrivilegedClient(runner);
    expect(await client.applyNetworkSettings(SETTINGS, 60)).toEqual({ kind: 'applied' });
    await client.changePassword('otsupport', 'Old#secret9', 'Secret#1234');
    expect(calls.map((c) => [c.command, ...c.args])).toEqual([
      ['sudo', '-n', '--', PRIV_HELPER_PATH],
      ['sudo', '-n', '--', PRIV_HELPER_PATH],
    ]);
    expect(JSON.parse(calls[0]!.input!)).toEqual({ op: 'apply-network-settings', settings: SETTINGS, confirmTimeoutSeconds: 60 });
    expect(JSON.parse(calls[1]!.input!)).toEqual({ op: 'change-password', user: 'otsupport', current: 'Old#secret9', password: 'Secret#1234' });
    expect(calls.flatMap((c) => c.args).join(' ')).not.toContain('Secret');
  });

  it("the helper's refusal keeps its exit code and line", async () => {
    const { runner } = fakeRunner({ stderr: 'otshell-priv: refused: reboot needs the support role; bob has viewer; nothing was changed.\n', exitCode: EXIT.NO_PERMISSION });
    await expect(new PrivilegedClient(runner).reboot()).rejects.toMatchObject({ exitCode: EXIT.NO_PERMISSION, message: expect.stringMatching(/^refused: reboot needs the support role/) });
  });

  it("sudo's own refusal (no sudoers line) is exit 77 naming the helper and the README", async () => {
    const { runner } = fakeRunner({ stderr: 'sudo: a password is required\n', exitCode: 1 });
    await expect(new PrivilegedClient(runner).shutdown()).rejects.toMatchObject({
      exitCode: EXIT.NO_PERMISSION,
      message: expect.stringMatching(/sudo -n \/usr\/local\/libexec\/otshell-priv" was refused \(sudo: a password is required\).*sudoers line.*Nothing was changed\.$/),
    });
  });

  it('an unreadable answer is exit 65, not a crash', async () => {
    const { runner } = fakeRunner({ stdout: 'hello\n', exitCode: 0 });
    await expect(new PrivilegedClient(runner).confirmNetworkSettings()).rejects.toMatchObject({ exitCode: EXIT.DATA });
  });
});
