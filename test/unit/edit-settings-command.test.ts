// `network edit-settings` as a command: through dispatchLine/executeCommand
// against the simulator in a temp state dir, driven by the scripted prompter
// (wizard) or by flags. Checks what is written: state file, lock, audit log.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dispatchLine } from '../../src/commands/dispatch.js';
import { executeCommand } from '../../src/commands/execute.js';
import { resolveWords } from '../../src/commands/resolve.js';
import { PLAIN } from '../../src/output/style.js';
import type { Caller, CommandContext } from '../../src/commands/types.js';
import type { Prompter } from '../../src/commands/prompter.js';
import { NO_CHANGES } from '../../src/commands/network/edit-wizard.js';
import { SimulatorAdapter } from '../../src/system/simulator/simulator-adapter.js';
import type { NetworkSettings } from '../../src/system/adapter.js';
import { tempStateDir } from '../helpers/cli.js';
import { ADMIN } from '../helpers/command-harness.js';
import { FakePrompter, type Step } from './settings-fake-prompter.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));


export async function freshSensor() {
  const temp = tempStateDir();
  dirs.push(temp);
  const sim = new SimulatorAdapter(temp.dir);
  await sim.getNetworkSettings(); // creates the state file
  const statePath = sim.statePath;
  const lockPath = join(temp.dir, 'edit-settings.lock');
  return {
    dir: temp.dir,
    sim,
    statePath,
    lockPath,
    bytes: () => readFileSync(statePath),
  };
}

export function contextFor(sim: SimulatorAdapter, prompter: Prompter, caller: Caller = ADMIN, signal = new AbortController().signal): CommandContext {
  return { system: sim, prompter, style: PLAIN, caller, signal, progress: () => {}, json: false };
}

/** Holds its first y/n question until release(); answers N to every one. */
class HeldPrompter implements Prompter {
  confirms = 0;
  private gate!: () => void;
  private readonly opened = new Promise<void>((r) => (this.gate = r));
  private askedFirst!: () => void;
  readonly firstAsked = new Promise<void>((r) => (this.askedFirst = r));
  release(): void {
    this.gate();
  }
  async confirm(): Promise<boolean> {
    this.confirms += 1;
    this.askedFirst();
    await this.opened;
    return false;
  }
  text(): Promise<string> {
    throw new Error('not scripted');
  }
  choose<T>(): Promise<T> {
    throw new Error('not scripted');
  }
  chooseMany<T>(): Promise<T[]> {
    throw new Error('not scripted');
  }
  say(): void {}
}

/** A prompter that fails the test if anything is asked. */
const silent = () => new FakePrompter([]);

async function line(sim: SimulatorAdapter, text: string, prompter: Prompter = silent(), caller?: Caller) {
  const result = await dispatchLine(text, { mode: null, history: [] }, contextFor(sim, prompter, caller));
  return result.outcome!;
}

/** argv as the one-shot path receives it (values may hold anything, so always --flag=value). */
async function argv(sim: SimulatorAdapter, words: string[], prompter: Prompter = silent()) {
  const resolution = resolveWords(['network', 'edit-settings', ...words], null);
  if (resolution.kind !== 'command') throw new Error(`did not resolve: ${JSON.stringify(resolution)}`);
  return executeCommand(resolution.command, resolution.input, resolution, { ...contextFor(sim, prompter), json: resolution.json });
}

const Q = {
  ip: /^Change the management network IP address\? \(current: /,
  mask: /^Change the subnet mask\?/,
  dns: /^Change the DNS\?/,
  gateway: /^Change the default gateway IP address\?/,
  inputs: /^Change the input interfaces/,
  bridge: /^Change the bridge interface\?/,
  apply: 'Apply the settings?',
};
const ALL_NO: Step[] = [Q.ip, Q.mask, Q.dns, Q.gateway, Q.inputs, Q.bridge].map((expect) => ({ confirm: false, expect }));

/** Y at every step, each with a new value, in the wizard's order; `apply` answers the last question. */
function fullWalk(apply: boolean): Step[] {
  return [
    { confirm: true, expect: Q.ip },
    { text: ['10.1.0.30'] },
    { confirm: true, expect: Q.mask },
    { text: ['/23'] },
    { confirm: true, expect: Q.dns },
    { text: ['10.1.0.2 10.1.0.3'] },
    { confirm: true, expect: Q.gateway },
    { text: ['10.1.1.1'] },
    { confirm: true, expect: Q.inputs },
    { chooseMany: [['eth1', 'eth3']] },
    { confirm: true, expect: Q.bridge },
    { choose: 'eth2' },
    { confirm: apply, expect: Q.apply },
  ];
}
const WALKED: NetworkSettings = {
  managementInterface: 'eth0',
  ip: '10.1.0.30',
  prefixLength: 23,
  gateway: '10.1.1.1',
  dns: ['10.1.0.2', '10.1.0.3'],
  inputInterfaces: ['eth1', 'eth3'],
  bridgeInterface: 'eth2',
};

describe('network edit-settings: the wizard', () => {
  it('applies a full Y walk: pending until restart, audited, lock released', async () => {
    const { sim, lockPath, dir } = await freshSensor();
    const before = await sim.getNetworkSettings();
    const prompter = new FakePrompter(fullWalk(true));
    const outcome = await line(sim, 'network edit-settings', prompter);
    expect(prompter.remaining).toBe(0);
    expect(outcome).toEqual({
      text: 'Settings saved. They take effect after a restart: run "system reboot".',
      exitCode: 0,
      isError: false,
    });
    const after = await sim.getNetworkSettings();
    expect(after.current).toEqual(before.current); // pending, like the appliance
    expect(after.pending).toEqual(WALKED);
    expect(existsSync(lockPath)).toBe(false);

    const audit = (await sim.readAudit()).entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user: 'operator', tty: '/dev/pts/3', target: 'simulator', old: before.current, new: WALKED });
    expect(Math.abs(Date.parse(audit[0]!.time) - Date.now())).toBeLessThan(60_000);
    // One JSON line on disk.
    const raw = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
    expect(raw.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(raw)).toEqual(audit[0]);
    // The summary was shown before the final question.
    expect(prompter.said.at(-1)).toMatch(/^Summary of changes:\n {2}Management IP +10\.1\.0\.20 -> 10\.1\.0\.30/);
  });

  it('N at every step: "No changes were made.", nothing written, exit 0', async () => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const outcome = await line(sim, 'network edit-settings', new FakePrompter(ALL_NO));
    expect(outcome).toEqual({ text: NO_CHANGES, exitCode: 0, isError: false });
    expect(bytes()).toEqual(before);
    expect((await sim.readAudit()).entries).toEqual([]);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('N at "Apply the settings?" after a full walk writes nothing', async () => {
    const { sim, bytes } = await freshSensor();
    const before = bytes();
    const outcome = await line(sim, 'network edit-settings', new FakePrompter(fullWalk(false)));
    expect(outcome.text).toBe(NO_CHANGES);
    expect(outcome.exitCode).toBe(0);
    expect(bytes()).toEqual(before);
    expect((await sim.readAudit()).entries).toEqual([]);
  });

  // Cancel at each of the seven steps, after Y with new values at every earlier one.
  const walk = fullWalk(true);
  const questionIndexes = walk.flatMap((step, i) => ('confirm' in step ? [i] : []));
  const cancels = questionIndexes.flatMap((index, n) =>
    (['interrupt', 'eof'] as const).map((reason) => ({ step: n + 1, index, reason })),
  );
  it.each(cancels)('cancel ($reason) at step $step: nothing written, lock released', async ({ index, reason }) => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const prompter = new FakePrompter([...walk.slice(0, index), { cancel: reason }]);
    const outcome = await line(sim, 'network edit-settings', prompter);
    expect(prompter.remaining).toBe(0);
    expect(outcome.exitCode).toBe(130);
    expect(outcome.text).toBe(`${reason === 'eof' ? 'Input closed: cancelled.' : 'Cancelled.'} ${NO_CHANGES}`);
    expect(bytes()).toEqual(before);
    expect((await sim.readAudit()).entries).toEqual([]);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses --json before asking anything, and takes no lock', async () => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const outcome = await line(sim, 'network edit-settings --json');
    expect(outcome.exitCode).toBe(64);
    expect(outcome.isError).toBe(true);
    expect(outcome.text).toMatch(/the wizard asks questions and cannot run with --json/);
    expect(bytes()).toEqual(before);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('a second edit before the restart starts from the pending settings and keeps them', async () => {
    const { sim } = await freshSensor();
    await line(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    const prompter = new FakePrompter([
      { confirm: false, expect: /current: 10\.1\.0\.30\)$/ },
      { confirm: false },
      { confirm: true, expect: Q.dns },
      { text: ['10.1.0.9'] },
      { confirm: false },
      { confirm: false },
      { confirm: false },
      { confirm: true, expect: Q.apply },
    ]);
    const outcome = await line(sim, 'network edit-settings', prompter);
    expect(outcome.exitCode).toBe(0);
    expect(prompter.said.some((s) => s.includes('waiting for a restart'))).toBe(true);
    const { pending } = await sim.getNetworkSettings();
    expect(pending).toMatchObject({ ip: '10.1.0.30', dns: ['10.1.0.9'] });
    const audit = (await sim.readAudit()).entries;
    expect(audit.map((e) => [e.old.ip, e.new.ip, e.new.dns])).toEqual([
      ['10.1.0.20', '10.1.0.30', ['10.1.0.2']],
      ['10.1.0.30', '10.1.0.30', ['10.1.0.9']],
    ]);
  });

  it('needs an administrator', async () => {
    const { sim, bytes } = await freshSensor();
    const before = bytes();
    const outcome = await line(sim, 'network edit-settings --ip 10.1.0.30 --yes', silent(), { user: 'guest', role: 'viewer' });
    expect(outcome.exitCode).toBe(77);
    expect(outcome.text).toBe('network edit-settings needs the support role; you are signed in as viewer.');
    expect(bytes()).toEqual(before);
  });
});

describe('network edit-settings: one editor at a time', () => {
  it('refuses a second concurrent session, naming the holder (user, ssh client, since)', async () => {
    const { sim, bytes, lockPath } = await freshSensor();
    // Session A stops at its first question until we answer it; then N to the rest.
    const held = new HeldPrompter();
    const alice: Caller = { user: 'alice', tty: '/dev/pts/7', sshClient: '192.0.2.7', role: 'support' };
    const sessionA = line(sim, 'network edit-settings', held, alice);
    await held.firstAsked;
    const holder = JSON.parse(readFileSync(lockPath, 'utf8'));
    expect(holder).toMatchObject({ user: 'alice', sshClient: '192.0.2.7', pid: process.pid, host: hostname() });

    const before = bytes();
    const second = await line(sim, 'network edit-settings --ip 10.1.0.30 --yes', silent(), { user: 'bob', tty: '/dev/pts/9', role: 'support' });
    expect(second.exitCode).toBe(75);
    expect(second.isError).toBe(true);
    expect(second.text).toContain('being edited by alice from 192.0.2.7');
    expect(second.text).toContain(`since ${holder.since.slice(0, 10)} ${holder.since.slice(11, 19)} UTC`);
    expect(bytes()).toEqual(before);

    // The wizard too is refused before its first question.
    const wizardB = new FakePrompter([]);
    expect((await line(sim, 'network edit-settings', wizardB)).exitCode).toBe(75);
    expect(wizardB.asked).toEqual([]);

    // A dry run reads only and still works meanwhile.
    expect((await line(sim, 'network edit-settings --ip 10.1.0.30 --dry-run')).exitCode).toBe(0);

    // Session A answers N everywhere and ends: the lock goes away.
    held.release();
    expect((await sessionA).text).toBe(NO_CHANGES);
    expect(held.confirms).toBe(6);
    expect(existsSync(lockPath)).toBe(false);
    expect((await line(sim, 'network edit-settings --ip 10.1.0.30 --yes', silent(), { user: 'bob', role: 'support' })).exitCode).toBe(0);
  });

  it('names a holder on a console terminal', async () => {
    const { sim } = await freshSensor();
    const lock = await sim.acquireEditLock({ user: 'carol', tty: '/dev/tty1' });
    try {
      const outcome = await line(sim, 'network edit-settings --dns 10.1.0.9 --yes');
      expect(outcome.exitCode).toBe(75);
      expect(outcome.text).toMatch(/being edited by carol on \/dev\/tty1 \(pid \d+ on .+\) since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    } finally {
      await lock.release();
    }
  });

  it('takes over a stale lock whose process is gone', async () => {
    const { sim, lockPath } = await freshSensor();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = { user: 'dave', tty: '/dev/pts/1', pid: dead, host: hostname(), since: '2024-01-01T00:00:00.000Z' };
    writeFileSync(lockPath, `${JSON.stringify(stale)}\n`);
    const outcome = await line(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    expect(outcome).toMatchObject({ exitCode: 0, isError: false });
    expect((await sim.getNetworkSettings()).pending?.ip).toBe('10.1.0.30');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('respects a lock held on another host (its pid cannot be checked from here)', async () => {
    const { sim, lockPath, bytes } = await freshSensor();
    const remote = { user: 'erin', sshClient: '198.51.100.4', pid: 1, host: 'other-host', since: new Date().toISOString() };
    writeFileSync(lockPath, `${JSON.stringify(remote)}\n`);
    const before = bytes();
    const outcome = await line(sim, 'network edit-settings --ip 10.1.0.30 --yes');
    expect(outcome.exitCode).toBe(75);
    expect(outcome.text).toContain('erin from 198.51.100.4');
    expect(bytes()).toEqual(before);
  });
});

describe('network edit-settings: the flag form', () => {
  const FULL = ['--ip=10.1.0.30', '--mask=255.255.255.0', '--gateway=10.1.0.1', '--dns=10.1.0.2', '--input-interfaces=eth1,eth2'];

  it('--yes applies valid values without asking, and audits them', async () => {
    const { sim } = await freshSensor();
    const outcome = await argv(sim, [...FULL, '--yes']);
    expect(outcome).toEqual({ text: 'Settings saved. They take effect after a restart: run "system reboot".', exitCode: 0, isError: false });
    expect((await sim.getNetworkSettings()).pending).toMatchObject({ ip: '10.1.0.30', prefixLength: 24 });
    const audit = (await sim.readAudit()).entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.new.ip).toBe('10.1.0.30');
  });

  it('--yes with invalid values: exit 1, every problem named by flag, nothing written', async () => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const outcome = await argv(sim, ['--ip=10.1.0.30', '--mask=/31', '--gateway=10.9.0.1', '--dns=8.8.8.8;reboot', '--bridge=eth1', '--yes']);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.isError).toBe(true);
    expect(outcome.text.split('\n')).toEqual([
      'These values are not valid; nothing was changed:',
      expect.stringMatching(/^ {2}--mask: "\/31" is refused/),
      expect.stringMatching(/^ {2}--dns: "8\.8\.8\.8;reboot" is not a valid IPv4 address/),
      expect.stringMatching(/^ {2}--bridge: eth1 is an input \(monitor\) interface/),
    ]);
    expect(bytes()).toEqual(before);
    expect((await sim.readAudit()).entries).toEqual([]);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('--dry-run on valid values prints the diff and changes nothing', async () => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const outcome = await argv(sim, ['--ip=10.1.0.30', '--bridge=eth3', '--dry-run']);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.text.split('\n')).toEqual([
      'Dry run: these changes would be made:',
      '  Management IP      10.1.0.20 -> 10.1.0.30',
      '  Bridge interface   none -> eth3',
      'Nothing was changed.',
    ]);
    expect(bytes()).toEqual(before);
    expect((await sim.readAudit()).entries).toEqual([]);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('--dry-run on invalid values: exit 1 with the reason, nothing changed', async () => {
    const { sim, bytes } = await freshSensor();
    const before = bytes();
    const outcome = await argv(sim, ['--mask=255.255.0.255', '--dry-run']);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.text).toContain('--mask: "255.255.0.255" is not a valid subnet mask');
    expect(bytes()).toEqual(before);
  });

  it('--dry-run --json and --yes --json give the result as JSON', async () => {
    const { sim } = await freshSensor();
    const dry = await argv(sim, ['--ip=10.1.0.30', '--dry-run', '--json']);
    expect(JSON.parse(dry.text)).toMatchObject({
      status: 'dry-run',
      applied: false,
      dryRun: true,
      outcome: null,
      changes: [{ field: 'ip', label: 'Management IP', old: '10.1.0.20', new: '10.1.0.30' }],
    });
    const applied = await argv(sim, ['--ip=10.1.0.30', '--yes', '--json']);
    expect(applied.exitCode).toBe(0);
    expect(JSON.parse(applied.text)).toMatchObject({
      status: 'applied',
      applied: true,
      outcome: { kind: 'pending-restart' },
      changes: [{ field: 'ip', old: '10.1.0.20', new: '10.1.0.30' }],
      new: { ip: '10.1.0.30' },
    });
  });

  it('without --yes shows the summary and asks only the final question', async () => {
    const { sim, bytes } = await freshSensor();
    const before = bytes();
    const no = new FakePrompter([{ confirm: false, expect: Q.apply }]);
    expect((await argv(sim, ['--ip=10.1.0.30'], no)).text).toBe(NO_CHANGES);
    expect(no.said).toEqual(['Summary of changes:\n  Management IP   10.1.0.20 -> 10.1.0.30']);
    expect(bytes()).toEqual(before);

    const cancelled = await argv(sim, ['--ip=10.1.0.30'], new FakePrompter([{ cancel: 'eof' }]));
    expect(cancelled.exitCode).toBe(130);
    expect(bytes()).toEqual(before);

    const yes = new FakePrompter([{ confirm: true, expect: Q.apply }]);
    expect((await argv(sim, ['--ip=10.1.0.30'], yes)).exitCode).toBe(0);
    expect((await sim.getNetworkSettings()).pending?.ip).toBe('10.1.0.30');
  });

  it('values equal to the current ones change nothing, even with --yes', async () => {
    const { sim, bytes } = await freshSensor();
    const before = bytes();
    const outcome = await argv(sim, ['--ip=10.1.0.20', '--yes']);
    expect(outcome.text).toBe(`The settings already have these values. ${NO_CHANGES}`);
    expect(bytes()).toEqual(before);
    expect((await sim.readAudit()).entries).toEqual([]);
  });

  it.each([
    [['--yes'], /--yes goes with the values to set/],
    [['--dry-run'], /--dry-run goes with the values to set/],
    [['--ip=10.1.0.30', '--yes', '--dry-run'], /either --yes or --dry-run/],
    [['--ip=10.1.0.30', '--json'], /add --yes to apply or --dry-run to preview/],
  ])('usage error %j: exit 64, nothing read or written', async (words, message) => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const outcome = await argv(sim, words);
    expect(outcome.exitCode).toBe(64);
    expect(outcome.text).toMatch(message);
    expect(bytes()).toEqual(before);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('an unknown option is a usage error from the resolver', async () => {
    const { sim } = await freshSensor();
    const outcome = await line(sim, 'network edit-settings --address 10.1.0.30');
    expect(outcome.exitCode).toBe(64);
    expect(outcome.text).toContain('unknown option --address');
  });
});

describe('network edit-settings: Ctrl-C in a one-shot run', () => {
  it('an aborted signal ends the questions, releases the lock and writes nothing', async () => {
    const { sim, bytes, lockPath } = await freshSensor();
    const before = bytes();
    const controller = new AbortController();
    // The wizard takes the lock before its first question: wait for that question (the event),
    // not for a fixed time.
    let asked!: () => void;
    const firstQuestion = new Promise<void>((resolve) => (asked = resolve));
    const hang = () => {
      asked();
      return new Promise<never>(() => {});
    };
    const never: Prompter = { confirm: hang, text: hang, choose: hang, chooseMany: hang, say: () => {} };
    const resolution = resolveWords(['network', 'edit-settings'], null);
    if (resolution.kind !== 'command') throw new Error('unresolved');
    const running = executeCommand(resolution.command, resolution.input, resolution, contextFor(sim, never, ADMIN, controller.signal));
    await firstQuestion;
    expect(existsSync(lockPath)).toBe(true);
    controller.abort();
    const outcome = await running;
    expect(outcome.exitCode).toBe(130);
    expect(outcome.text).toBe(`Cancelled. ${NO_CHANGES}`);
    expect(existsSync(lockPath)).toBe(false);
    expect(bytes()).toEqual(before);
  });
});
