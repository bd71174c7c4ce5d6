// `network edit-settings` from the outside, without a terminal: the built
// otshell with piped answers, one-shot flags and scripts, as automation uses it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOtshell, tempStateDir } from '../helpers/cli.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => {
  state = tempStateDir();
});
afterEach(() => state.cleanup());

const otshell = (args: string[], input?: string) => runOtshell(args, { stateDir: state.dir, input });
const stateBytes = () => readFileSync(join(state.dir, 'simulator.json'));
const lockExists = () => existsSync(join(state.dir, 'edit-settings.lock'));

/** Creates the simulated sensor and returns its state file's bytes. */
async function freshState(): Promise<Buffer> {
  expect((await otshell(['network', 'validate'])).exitCode).toBe(0);
  return stateBytes();
}

describe('piped answers: printf ... | otshell network edit-settings', () => {
  it("the guide's example on a sensor that already has 10.1.0.20: nothing to change", async () => {
    const before = await freshState();
    const run = await otshell(['network', 'edit-settings'], 'y\n10.1.0.20\nn\nn\nn\nn\nn\ny\n');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('New management IP address: 10.1.0.20');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('No changes were made.');
    expect(run.stdout).not.toContain('Apply the settings?');
    expect(stateBytes()).toEqual(before);
  });

  it('a new address: summary, Apply, saved pending a restart, audited', async () => {
    await freshState();
    const run = await otshell(['network', 'edit-settings'], 'y\n10.1.0.30\nn\nn\nn\nn\nn\ny\n');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const out = run.stdout.split('\n');
    expect(out).toContain('Summary of changes:');
    expect(out).toContain('  Management IP   10.1.0.20 -> 10.1.0.30');
    expect(out).toContain('Apply the settings? [y/N] y');
    expect(out.at(-1)).toBe('Settings saved. They take effect after a restart: run "system reboot".');
    expect(lockExists()).toBe(false);

    const list = await otshell(['network', 'list', 'eth0']);
    expect(list.stdout).toMatch(/^ {8}inet 10\.1\.0\.20  netmask 255\.255\.255\.0/m);
    expect(list.stdout).toContain('Restart pending');

    const audit = await otshell(['system', 'audit', '--json']);
    const entries = JSON.parse(audit.stdout).entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ tty: 'pipe', target: 'simulator', old: { ip: '10.1.0.20' }, new: { ip: '10.1.0.30' } });
  });

  it('closed stdin mid-wizard: "No changes were made.", exit 130, state unchanged, lock released', async () => {
    const before = await freshState();
    const run = await otshell(['network', 'edit-settings'], 'y\n10.1.0.30\nn\n');
    expect(run.exitCode).toBe(130);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Input closed: cancelled. No changes were made.');
    expect(stateBytes()).toEqual(before);
    expect(lockExists()).toBe(false);
  });

  it('a wrong answer is asked again with the reason, from a script with the wizard inside', async () => {
    await freshState();
    const script = 'network edit-settings\ny\n10.1.0.0\n10.1.0.31\nn\nn\nn\nn\nn\ny\nnetwork list eth0\n';
    const run = await otshell([], script);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"10.1.0.0" is the network address of 10.1.0.0/24; use a host address from 10.1.0.1 to 10.1.0.254.');
    expect(run.stdout).toContain('Settings saved. They take effect after a restart');
    expect(run.stdout).toMatch(/inet 10\.1\.0\.20 .*[\s\S]*Restart pending/);
  });
});

describe('one-shot flags', () => {
  it('--yes applies valid values, exit 0', async () => {
    await freshState();
    const run = await otshell(['network', 'edit-settings', '--ip', '10.1.0.20', '--mask', '255.255.255.0', '--gateway', '10.1.0.1', '--dns', '10.1.0.2,10.1.0.3', '--input-interfaces', 'eth1,eth2', '--yes']);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout).toBe('Settings saved. They take effect after a restart: run "system reboot".');
  });

  it('--yes on invalid values: exit 1 with the reasons on stderr, state unchanged', async () => {
    const before = await freshState();
    const run = await otshell(['network', 'edit-settings', '--ip', '10.1.0.0', '--dns', '$(reboot)', '--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--ip: "10.1.0.0" is the network address of 10.1.0.0/24');
    expect(run.stderr).toContain('--dns: "$(reboot)" is not a valid IPv4 address');
    expect(stateBytes()).toEqual(before);
  });

  it('--dry-run prints the diff and changes nothing; on invalid input exit 1', async () => {
    const before = await freshState();
    const dry = await otshell(['network', 'edit-settings', '--gateway', '10.1.0.254', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toBe('Dry run: these changes would be made:\n  Default gateway   10.1.0.1 -> 10.1.0.254\nNothing was changed.');
    expect(stateBytes()).toEqual(before);
    const bad = await otshell(['network', 'edit-settings', '--gateway', '10.2.0.1', '--dry-run', '--json']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('outside the management subnet 10.1.0.0/24');
    expect(stateBytes()).toEqual(before);
    const json = await otshell(['network', 'edit-settings', '--mask', '/16', '--dry-run', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ applied: false, dryRun: true, changes: [{ field: 'prefixLength', new: '255.255.0.0 (/16)' }] });
    expect(stateBytes()).toEqual(before);
  });

  it('values without --yes ask "Apply the settings?": a closed stdin changes nothing, a piped y applies', async () => {
    const before = await freshState();
    const closed = await otshell(['network', 'edit-settings', '--ip', '10.1.0.30']);
    expect(closed.exitCode).toBe(130);
    expect(closed.stdout).toContain('Apply the settings? [y/N]');
    expect(closed.stdout).toContain('No changes were made.');
    expect(stateBytes()).toEqual(before);
    const yes = await otshell(['network', 'edit-settings', '--ip', '10.1.0.30'], 'y\n');
    expect(yes.exitCode).toBe(0);
    expect(stateBytes()).not.toEqual(before);
  });

  it('system reboot piped y, then the new settings are in effect and validate reports Success', async () => {
    await freshState();
    await otshell(['network', 'edit-settings', '--ip', '10.1.0.30', '--yes']);
    expect((await otshell(['network', 'validate'])).exitCode).toBe(1);
    const reboot = await otshell(['system', 'reboot'], 'y\n');
    expect(reboot.exitCode).toBe(0);
    expect(reboot.stdout).toContain('Are you sure? [y/N] y');
    const deadline = Date.now() + 10_000;
    let validate = await otshell(['network', 'validate']);
    while (validate.exitCode === 69 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      validate = await otshell(['network', 'validate']);
    }
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toContain('Success! (Appliance configuration matches the network settings)');
    expect(validate.stdout).toContain('  ip: 10.1.0.30');
  });
});
