import { describe, expect, it } from 'vitest';
import { NO_CHANGES, runEditWizard } from '../../src/commands/network/edit-wizard.js';
import { PromptCancelled } from '../../src/commands/prompter.js';
import type { NetworkSettings } from '../../src/system/adapter.js';
import { FakePrompter, type Step } from './settings-fake-prompter.js';
import { SENSOR_SETTINGS } from '../helpers/settings-fixture.js';

const interfaces = [
  { name: 'eth0', role: 'management' },
  { name: 'eth1', role: 'monitor' },
  { name: 'eth2', role: 'monitor' },
  { name: 'eth3', role: 'unused' },
  { name: 'lo', role: 'loopback' },
];
const current: NetworkSettings = { ...SENSOR_SETTINGS };

const Q = {
  ip: 'Change the management network IP address? (current: 10.1.0.20)',
  mask: 'Change the subnet mask? (current: 255.255.255.0 (/24))',
  dns: 'Change the DNS? (current: 10.1.0.2)',
  gateway: 'Change the default gateway IP address? (current: 10.1.0.1)',
  inputs: 'Change the input interfaces (sensor only)? (current: eth1, eth2)',
  bridge: 'Change the bridge interface? (current: none)',
  apply: 'Apply the settings?',
};
const no = (expect: string): Step => ({ confirm: false, expect });
const yes = (expect: string): Step => ({ confirm: true, expect });

async function run(script: Step[], settings = current) {
  const prompter = new FakePrompter(script);
  const result = await runEditWizard(prompter, settings, interfaces);
  expect(prompter.remaining).toBe(0); // the wizard asked every scripted question
  return { result, prompter };
}

describe('runEditWizard: the seven steps', () => {
  it('walks every step with Y, showing current values, and returns all the changes after Apply', async () => {
    const { result, prompter } = await run([
      yes(Q.ip),
      { text: ['10.1.0.30'], expect: 'New management IP address' },
      yes(Q.mask),
      { text: ['255.255.254.0'], expect: /^New subnet mask/ },
      yes(Q.dns),
      { text: ['10.1.0.2, 10.1.0.3'], expect: /^New DNS servers/ },
      yes(Q.gateway),
      { text: ['10.1.1.1'], expect: 'New default gateway IP address' },
      yes(Q.inputs),
      { chooseMany: [['eth1', 'eth3']], expect: 'Input interfaces' },
      yes(Q.bridge),
      { choose: 'eth2', expect: 'Bridge interface' },
      yes(Q.apply),
    ]);
    expect(result).toEqual({
      managementInterface: 'eth0',
      ip: '10.1.0.30',
      prefixLength: 23,
      gateway: '10.1.1.1',
      dns: ['10.1.0.2', '10.1.0.3'],
      inputInterfaces: ['eth1', 'eth3'],
      bridgeInterface: 'eth2',
    });
    // Every y/n question defaults to N.
    for (const a of prompter.asked.filter((a) => a.kind === 'confirm')) expect(a.default).toBe(false);
    expect(prompter.said).toEqual([
      [
        'Summary of changes:',
        '  Management IP      10.1.0.20 -> 10.1.0.30',
        '  Subnet mask        255.255.255.0 (/24) -> 255.255.254.0 (/23)',
        '  DNS servers        10.1.0.2 -> 10.1.0.2, 10.1.0.3',
        '  Default gateway    10.1.0.1 -> 10.1.1.1',
        '  Input interfaces   eth1, eth2 -> eth1, eth3',
        '  Bridge interface   none -> eth2',
      ].join('\n'),
    ]);
  });

  /** The deployment guide's walk: a new address, N to the rest, then the given answer to Apply. */
  const guideWalk = (apply: typeof yes) => [yes(Q.ip), { text: ['10.1.0.30'] }, no(Q.mask), no(Q.dns), no(Q.gateway), no(Q.inputs), no(Q.bridge), apply(Q.apply)];

  it("runs the guide's walk: a new address, N to the rest, then Apply", async () => {
    const { result, prompter } = await run(guideWalk(yes));
    expect(result).toEqual({ ...current, ip: '10.1.0.30' });
    expect(prompter.said).toEqual(['Summary of changes:\n  Management IP   10.1.0.20 -> 10.1.0.30']);
  });

  it('returns null after N at every step, without a summary or the Apply question', async () => {
    const { result, prompter } = await run([no(Q.ip), no(Q.mask), no(Q.dns), no(Q.gateway), no(Q.inputs), no(Q.bridge)]);
    expect(result).toBeNull();
    expect(prompter.said).toEqual([]);
    expect(NO_CHANGES).toBe('No changes were made.');
  });

  it('returns null when the values entered equal the current ones', async () => {
    const { result } = await run([
      yes(Q.ip),
      { text: ['10.1.0.20'] },
      yes(Q.mask),
      { text: ['/24'] },
      no(Q.dns),
      no(Q.gateway),
      yes(Q.inputs),
      { chooseMany: [['eth2', 'eth1']] }, // same set, other order
      no(Q.bridge),
    ]);
    expect(result).toBeNull();
  });

  it('returns null when the user declines at step 7', async () => {
    const { result, prompter } = await run(guideWalk(no));
    expect(result).toBeNull();
    expect(prompter.said).toHaveLength(1); // the summary was shown before the question
  });
});

describe('runEditWizard: invalid values are asked again', () => {
  it('passes the address validator to the Prompter, which re-asks with its reason', async () => {
    const { result, prompter } = await run([
      yes(Q.ip),
      { text: ['256.1.1.1', '10.1.0.0', '10.1.0.30 ; reboot', '10.1.0.30'] },
      no(Q.mask),
      no(Q.dns),
      no(Q.gateway),
      no(Q.inputs),
      no(Q.bridge),
      yes(Q.apply),
    ]);
    expect(result?.ip).toBe('10.1.0.30');
    expect(prompter.refused.map((r) => r.message)).toEqual([
      '"256.1.1.1" is not a valid IPv4 address: each part must be 0-255.',
      '"10.1.0.0" is the network address of 10.1.0.0/24; use a host address from 10.1.0.1 to 10.1.0.254.',
      '"10.1.0.30 ; reboot" is not a valid IPv4 address: only digits and dots are allowed, e.g. 10.1.0.20.',
    ]);
  });

  it('re-asks the mask, DNS and gateway with their own reasons', async () => {
    const { result, prompter } = await run([
      no(Q.ip),
      yes(Q.mask),
      { text: ['255.255.0.255', '/31', '/16'] },
      yes(Q.dns),
      { text: ['1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4', '1.1.1.1 8.8.8.8'] },
      { confirm: true, expect: /^Change the default gateway/ },
      { text: ['10.2.0.1', '10.1.0.20', '10.1.255.254'] },
      no(Q.inputs),
      no(Q.bridge),
      yes(Q.apply),
    ]);
    expect(result).toMatchObject({ prefixLength: 16, dns: ['1.1.1.1', '8.8.8.8'], gateway: '10.1.255.254' });
    const messages = prompter.refused.map((r) => r.message);
    expect(messages[0]).toContain('contiguous');
    expect(messages[1]).toContain('/31 subnet has no room');
    expect(messages[2]).toContain('at most three');
    // The gateway is checked against the new /16 subnet.
    expect(messages[3]).toContain('outside the management subnet 10.1.0.0/16');
    expect(messages[4]).toContain("sensor's own management address");
  });

  it('guards against a Prompter that ignores validators: says the reason and asks again', async () => {
    const prompter = new FakePrompter(
      [yes(Q.ip), { text: ['256.1.1.1'] }, { text: ['10.1.0.30'] }, no(Q.mask), no(Q.dns), no(Q.gateway), no(Q.inputs), no(Q.bridge), yes(Q.apply)],
      { validates: false },
    );
    const result = await runEditWizard(prompter, current, interfaces);
    expect(result?.ip).toBe('10.1.0.30');
    expect(prompter.said[0]).toBe('"256.1.1.1" is not a valid IPv4 address: each part must be 0-255.');
  });
});

describe('runEditWizard: cross-field checks', () => {
  it('a new mask that makes the address its network address: the user picks another mask', async () => {
    const { result, prompter } = await run([
      yes(Q.ip),
      { text: ['10.1.0.128'] },
      yes(Q.mask),
      { text: ['/25'] },
      { choose: 'mask', expect: 'How do you want to fix it?' },
      { text: ['/23'] },
      no(Q.dns),
      no(Q.gateway),
      no(Q.inputs),
      no(Q.bridge),
      yes(Q.apply),
    ]);
    expect(result).toMatchObject({ ip: '10.1.0.128', prefixLength: 23 });
    expect(prompter.said[0]).toBe(
      'With the mask 255.255.255.128 (/25) the management IP address no longer fits: ' +
        '"10.1.0.128" is the network address of 10.1.0.128/25; use a host address from 10.1.0.129 to 10.1.0.254.',
    );
  });

  it('a new mask that makes the address its broadcast address: the user enters a new address, checked on the new mask', async () => {
    const { result, prompter } = await run([
      yes(Q.ip),
      { text: ['10.1.0.127'] },
      yes(Q.mask),
      { text: ['255.255.255.128'] },
      { choose: 'ip' },
      { text: ['10.1.0.0', '10.1.0.126'], expect: 'New management IP address' },
      no(Q.dns),
      no(Q.gateway),
      no(Q.inputs),
      no(Q.bridge),
      yes(Q.apply),
    ]);
    expect(result).toMatchObject({ ip: '10.1.0.126', prefixLength: 25 });
    expect(prompter.said[0]).toContain('"10.1.0.127" is the broadcast address of 10.1.0.0/25');
    expect(prompter.refused[0]!.message).toContain('network address of 10.1.0.0/25');
  });

  it('an address moved to another subnet: step 4 says why and asks for the gateway directly', async () => {
    const { result, prompter } = await run([
      yes(Q.ip),
      { text: ['10.2.0.20'] },
      no(Q.mask),
      no(Q.dns),
      // No "Change the default gateway?": N would leave an unreachable gateway.
      { text: ['10.1.0.1', '10.2.0.1'], expect: 'New default gateway IP address' },
      no(Q.inputs),
      no(Q.bridge),
      yes(Q.apply),
    ]);
    expect(result).toMatchObject({ ip: '10.2.0.20', gateway: '10.2.0.1' });
    expect(prompter.said[0]).toBe(
      'The current default gateway no longer fits the new address: "10.1.0.1" is outside the management subnet ' +
        '10.2.0.0/24; the default gateway must be on that subnet.',
    );
    expect(prompter.refused[0]!.message).toContain('outside the management subnet 10.2.0.0/24');
  });

  it('the gateway becomes the new address: asked directly too', async () => {
    const { result, prompter } = await run([
      yes(Q.ip),
      { text: ['10.1.0.1'] },
      no('Change the subnet mask? (current: 255.255.255.0 (/24))'),
      no(Q.dns),
      { text: ['10.1.0.254'] },
      no(Q.inputs),
      no(Q.bridge),
      yes(Q.apply),
    ]);
    expect(result).toMatchObject({ ip: '10.1.0.1', gateway: '10.1.0.254' });
    expect(prompter.said[0]).toContain("sensor's own management address");
  });
});

describe('runEditWizard: interfaces', () => {
  it('offers only the non-management, non-loopback interfaces, starting from the current ones, and needs one', async () => {
    const { result, prompter } = await run([
      no(Q.ip),
      no(Q.mask),
      no(Q.dns),
      no(Q.gateway),
      yes(Q.inputs),
      { chooseMany: [[], ['eth3']] },
      no('Change the bridge interface? (current: none)'),
      yes(Q.apply),
    ]);
    const asked = prompter.asked.find((a) => a.kind === 'chooseMany')!;
    expect(asked.choices!.map((c) => c.value)).toEqual(['eth1', 'eth2', 'eth3']);
    expect(asked.initial).toEqual(['eth1', 'eth2']);
    expect(prompter.refused[0]!.message).toBe('Choose at least one input interface.');
    expect(result?.inputInterfaces).toEqual(['eth3']);
  });

  it('offers as bridge the interfaces that are not inputs, plus none', async () => {
    const { result, prompter } = await run([
      no(Q.ip),
      no(Q.mask),
      no(Q.dns),
      no(Q.gateway),
      no(Q.inputs),
      yes(Q.bridge),
      { choose: 'eth3' },
      yes(Q.apply),
    ]);
    const asked = prompter.asked.find((a) => a.kind === 'choose')!;
    expect(asked.choices!.map((c) => c.value)).toEqual(['eth3', null]);
    expect(asked.choices!.map((c) => c.label)).toEqual(['eth3', 'none']);
    expect(result?.bridgeInterface).toBe('eth3');
  });

  it('a bridge that became an input interface: step 6 says why and asks for the bridge directly', async () => {
    const withBridge = { ...current, bridgeInterface: 'eth3' };
    const { result, prompter } = await run(
      [
        no(Q.ip),
        no(Q.mask),
        no(Q.dns),
        no(Q.gateway),
        yes(Q.inputs),
        { chooseMany: [['eth1', 'eth2', 'eth3']] },
        { choose: null, expect: 'Bridge interface' },
        yes(Q.apply),
      ],
      withBridge,
    );
    expect(prompter.said[0]).toContain('eth3 is an input (monitor) interface');
    expect(prompter.asked.find((a) => a.kind === 'choose')!.choices!.map((c) => c.value)).toEqual([null]);
    expect(result).toMatchObject({ inputInterfaces: ['eth1', 'eth2', 'eth3'], bridgeInterface: null });
  });
});

describe('runEditWizard: cancelling', () => {
  const confirms = [Q.ip, Q.mask, Q.dns, Q.gateway, Q.inputs, Q.bridge];

  it.each(confirms.map((q, i) => [i + 1, q]))('Ctrl-C at step %i propagates PromptCancelled', async (step) => {
    const script: Step[] = [...confirms.slice(0, step - 1).map(no), { cancel: 'interrupt', expect: confirms[step - 1] }];
    await expect(runEditWizard(new FakePrompter(script), current, interfaces)).rejects.toBeInstanceOf(PromptCancelled);
  });

  it('Ctrl-C at step 7 (Apply) propagates PromptCancelled', async () => {
    const script: Step[] = [yes(Q.ip), { text: ['10.1.0.30'] }, ...confirms.slice(1).map(no), { cancel: 'interrupt', expect: Q.apply }];
    await expect(runEditWizard(new FakePrompter(script), current, interfaces)).rejects.toBeInstanceOf(PromptCancelled);
  });

  // Cancelling inside a step's value prompt, after answering Y.
  const valuePrompts: [string, Step[]][] = [
    ['address', [yes(Q.ip)]],
    ['mask', [no(Q.ip), yes(Q.mask)]],
    ['DNS', [no(Q.ip), no(Q.mask), yes(Q.dns)]],
    ['gateway', [no(Q.ip), no(Q.mask), no(Q.dns), yes(Q.gateway)]],
    ['input interfaces', [no(Q.ip), no(Q.mask), no(Q.dns), no(Q.gateway), yes(Q.inputs)]],
    ['bridge', [no(Q.ip), no(Q.mask), no(Q.dns), no(Q.gateway), no(Q.inputs), yes(Q.bridge)]],
  ];
  it.each(valuePrompts)('Ctrl-D in the %s prompt propagates PromptCancelled("eof")', async (_name, before) => {
    const error = await runEditWizard(new FakePrompter([...before, { cancel: 'eof' }]), current, interfaces).catch((e) => e);
    expect(error).toBeInstanceOf(PromptCancelled);
    expect(error.reason).toBe('eof');
  });
});
