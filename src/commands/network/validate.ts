// `network validate`: do the interfaces carry what the sensor is configured
// with? Compares the configured settings (getNetworkSettings) with the
// interfaces as they are (listInterfaces), field by field.
import { EXIT } from '../../errors.js';
import type { NetworkInterface, NetworkSettings, NetworkSnapshot } from '../../system/adapter.js';
import { defineCommand, type RenderStyle } from '../types.js';
import { diffSettings, renderDiff } from './settings-diff.js';
import { maskToDotted, printable } from '../../net/settings-rules.js';
import * as z from 'zod/mini';
import { NetworkSettingsSchema } from '../shared-schemas.js';
import { readableTime } from '../../time-text.js';
import type { PendingConfirmation } from '../../system/adapter.js';

export type CheckName = 'pending-restart' | 'pending-confirm' | 'management-interface' | 'address' | 'gateway' | 'dns' | 'monitor' | 'bridge';

export interface Mismatch {
  check: CheckName;
  /** One line for the user. */
  message: string;
  /** What the settings say, and what the interfaces carry (absent for pending-restart). */
  expected?: string;
  actual?: string;
}

export interface ValidateResult {
  match: boolean;
  mismatches: Mismatch[];
  /** The configured settings, as the "Current Network Settings:" block shows them. */
  settings: {
    interface: string;
    ip: string;
    prefixLength: number;
    subnet: string;
    gateway: string;
    dns: string[];
    monitorInterfaces: string[];
    bridgeInterface: string | null;
  };
  /** Settings applied but waiting for a restart, or null. */
  pending: NetworkSettings | null;
}

export const SUCCESS = 'Success! (Appliance configuration matches the network settings)';

export default defineCommand<ValidateResult>({
  category: 'network',
  name: 'validate',
  aliases: ['check'],
  summary: 'Check that the interfaces carry the configured network settings',
  description:
    'Compares the configured network settings with what the interfaces actually carry: the address and mask on the management interface, the default gateway, the DNS servers, the input (monitor) interfaces being up and promiscuous, and the bridge interface. Settings applied but waiting for a restart count as a mismatch. Then prints the current network settings. Exit code 0 when everything matches, 1 when something does not.',
  examples: ['network validate', 'network validate --json'],
  role: 'viewer',
  async run(ctx) {
    const [{ current, pending }, snapshot, awaiting] = await Promise.all([
      ctx.system.getNetworkSettings(),
      ctx.system.listInterfaces(),
      // A state directory this user may not read hides only this note, not the comparison.
      ctx.system.confirmation?.pendingConfirmation().catch(() => null) ?? null,
    ]);
    const result = validateSettings(current, pending, snapshot);
    return awaiting ? withPendingConfirmation(result, awaiting) : result;
  },
  render: renderValidate,
  resultSchema: z.strictObject({
    match: z.boolean(),
    mismatches: z.array(
      z.strictObject({
        check: z.enum(['pending-restart', 'pending-confirm', 'management-interface', 'address', 'gateway', 'dns', 'monitor', 'bridge']),
        message: z.string(),
        expected: z.optional(z.string()),
        actual: z.optional(z.string()),
      }),
    ),
    settings: z.strictObject({
      interface: z.string(),
      ip: z.string(),
      prefixLength: z.number(),
      subnet: z.string(),
      gateway: z.string(),
      dns: z.array(z.string()),
      monitorInterfaces: z.array(z.string()),
      bridgeInterface: z.nullable(z.string()),
    }),
    pending: z.nullable(NetworkSettingsSchema),
  }),
  exitCode: (result) => (result.match ? EXIT.OK : EXIT.PROBLEM),
});

const showList = (values: readonly string[]) => (values.length === 0 ? 'none' : values.map(printable).join(', '));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Pure: the comparison itself, testable with any snapshot. */
export function validateSettings(current: NetworkSettings, pending: NetworkSettings | null, snapshot: NetworkSnapshot): ValidateResult {
  const mismatches: Mismatch[] = [];
  const byName = new Map(snapshot.interfaces.map((i) => [i.name, i]));

  if (pending) {
    const changes = diffSettings(current, pending);
    mismatches.push({
      check: 'pending-restart',
      message:
        'New settings were applied but wait for a restart (run "system reboot"); the interfaces still carry the previous ones' +
        (changes.length > 0 ? `:\n${renderDiff(changes)}` : '.'),
    });
  }

  const management = byName.get(current.managementInterface);
  const expectedAddress = `${current.ip}/${current.prefixLength}`;
  if (!management) {
    mismatches.push({
      check: 'management-interface',
      message: `The management interface ${printable(current.managementInterface)} does not exist.`,
      expected: printable(current.managementInterface),
      actual: 'missing',
    });
  } else {
    const carried = management.ipv4.map((a) => `${a.address}/${a.prefixLength}`);
    if (!carried.includes(expectedAddress)) {
      mismatches.push({
        check: 'address',
        message: `${printable(current.managementInterface)} carries ${showList(carried)}, but the settings say ${expectedAddress}.`,
        expected: expectedAddress,
        actual: showList(carried),
      });
    }
    if (!management.up) {
      mismatches.push({
        check: 'management-interface',
        message: `The management interface ${printable(current.managementInterface)} is down.`,
        expected: 'up',
        actual: 'down',
      });
    }
  }

  if (snapshot.gateway !== current.gateway) {
    mismatches.push({
      check: 'gateway',
      message: `The default route goes via ${printable(snapshot.gateway ?? 'none')}, but the settings say ${printable(current.gateway)}.`,
      expected: current.gateway,
      actual: snapshot.gateway ?? 'none',
    });
  }

  if (!sameList(snapshot.dns, current.dns)) {
    mismatches.push({
      check: 'dns',
      message: `The resolver uses ${showList(snapshot.dns)}, but the settings say ${showList(current.dns)}.`,
      expected: current.dns.join(', '),
      actual: snapshot.dns.join(', '),
    });
  }

  for (const name of current.inputInterfaces) {
    const problem = monitorProblem(byName.get(name));
    if (problem) {
      mismatches.push({
        check: 'monitor',
        message: `Input interface ${printable(name)} ${problem}.`,
        expected: 'up, running, promiscuous',
        actual: problem,
      });
    }
  }

  if (current.bridgeInterface !== null) {
    const bridge = byName.get(current.bridgeInterface);
    if (!bridge || !bridge.up) {
      mismatches.push({
        check: 'bridge',
        message: `Bridge interface ${printable(current.bridgeInterface)} ${bridge ? 'is down' : 'does not exist'}.`,
        expected: 'up',
        actual: bridge ? 'down' : 'missing',
      });
    }
  } else {
    const stray = snapshot.interfaces.filter((i) => i.role === 'bridge').map((i) => i.name);
    if (stray.length > 0) {
      mismatches.push({
        check: 'bridge',
        message: `${showList(stray)} ${stray.length > 1 ? 'act' : 'acts'} as a bridge, but the settings have no bridge interface.`,
        expected: 'none',
        actual: stray.join(', '),
      });
    }
  }

  return {
    match: mismatches.length === 0,
    mismatches,
    settings: {
      interface: current.managementInterface,
      ip: current.ip,
      prefixLength: current.prefixLength,
      subnet: maskToDotted(current.prefixLength),
      gateway: current.gateway,
      dns: [...current.dns],
      monitorInterfaces: [...current.inputInterfaces],
      bridgeInterface: current.bridgeInterface,
    },
    pending,
  };
}

/**
 * During a confirm-or-revert countdown the interfaces carry the new settings
 * while the saved ones are still the previous: the mismatches are expected,
 * and the first line says so and what to do.
 */
export function withPendingConfirmation(result: ValidateResult, awaiting: PendingConfirmation): ValidateResult {
  const s = awaiting.settings;
  const note: Mismatch = {
    check: 'pending-confirm',
    message:
      `A change waits for "network confirm": the interfaces carry ${printable(s.managementInterface)} ${printable(s.ip)}/${s.prefixLength} via ${printable(s.gateway)}, ` +
      `which is not saved yet and reverts at ${readableTime(awaiting.revertAt)} unless you run "network confirm".`,
  };
  return { ...result, match: false, mismatches: [note, ...result.mismatches] };
}

function monitorProblem(iface: NetworkInterface | undefined): string | null {
  if (!iface) return 'does not exist';
  const problems: string[] = [];
  if (!iface.up) problems.push('is down');
  else if (!iface.running) problems.push('has no link (not RUNNING)');
  if (!iface.promisc) problems.push('is not in promiscuous mode');
  return problems.length === 0 ? null : problems.join(' and ');
}

export function renderValidate(result: ValidateResult, style: RenderStyle): string {
  const lines: string[] = [];
  if (result.match) {
    lines.push(style.paint('green', SUCCESS));
  } else {
    lines.push(style.paint('red', `The appliance configuration does not match the network settings (${result.mismatches.length} ${result.mismatches.length === 1 ? 'mismatch' : 'mismatches'}):`));
    for (const mismatch of result.mismatches) {
      const [first, ...rest] = mismatch.message.split('\n');
      lines.push(`  ${style.ascii ? '-' : '\u2022'} ${first}`, ...rest.map((line) => `    ${line}`));
    }
  }
  const s = result.settings;
  lines.push(
    '',
    'Current Network Settings:',
    `  interface: ${printable(s.interface)}`,
    `  ip: ${printable(s.ip)}`,
    `  subnet: ${s.subnet}`,
    `  default gateway: ${printable(s.gateway)}`,
    `  dns: ${showList(s.dns)}`,
    `  monitor interfaces: ${showList(s.monitorInterfaces)}`,
    `  bridge interface: ${printable(s.bridgeInterface ?? 'none')}`,
  );
  return lines.join('\n');
}
