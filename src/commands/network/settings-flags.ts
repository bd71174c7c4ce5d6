// The non-interactive `network edit-settings --ip ... --yes` form. Same rules
// as the wizard (src/net/settings-rules.ts); every problem is reported at once, each
// prefixed with its flag, so a script's log says what to fix.
import type { NetworkSettings } from '../../system/adapter.js';
import {
  splitList,
  validateAddress,
  validateBridge,
  validateDns,
  validateGateway,
  validateInputInterfaces,
  validateMask,
  type InterfaceInfo,
  type InterfaceRules,
} from '../../net/settings-rules.js';

export interface SettingsFlags {
  ip?: string;
  mask?: string;
  gateway?: string;
  dns?: string;
  /** "eth1,eth2" as typed, or already split. */
  inputInterfaces?: string | string[];
  /** An interface name, or "none". */
  bridge?: string;
}

export type FlagsResult = { ok: true; next: NetworkSettings } | { ok: false; errors: string[] };

export function settingsFromFlags(
  current: NetworkSettings,
  flags: SettingsFlags,
  interfaces: InterfaceInfo[],
): FlagsResult {
  const errors: string[] = [];
  const rules: InterfaceRules = { interfaces, managementInterface: current.managementInterface };
  const next: NetworkSettings = { ...current, dns: [...current.dns], inputInterfaces: [...current.inputInterfaces] };

  let maskOk = true;
  if (flags.mask !== undefined) {
    const mask = validateMask(flags.mask);
    if (mask.ok) next.prefixLength = mask.value;
    else errors.push(`--mask: ${mask.reason}`);
    maskOk = mask.ok;
  }

  // With a bad mask the subnet is unknown: check the address on its own.
  let ipOk = true;
  const prefix = maskOk ? next.prefixLength : undefined;
  if (flags.ip !== undefined) {
    const ip = validateAddress(flags.ip, prefix);
    if (ip.ok) next.ip = ip.value;
    else errors.push(`--ip: ${ip.reason}`);
    ipOk = ip.ok;
  } else if (flags.mask !== undefined && maskOk) {
    const stays = validateAddress(current.ip, next.prefixLength);
    if (!stays.ok) errors.push(`--mask: the current management IP address no longer fits: ${stays.reason} Pass --ip too.`);
    ipOk = stays.ok;
  }

  const subnet = maskOk && ipOk ? { ip: next.ip, prefixLength: next.prefixLength } : null;
  if (flags.gateway !== undefined) {
    const gateway = subnet ? validateGateway(flags.gateway, subnet) : validateAddress(flags.gateway);
    if (gateway.ok) next.gateway = gateway.value;
    else errors.push(`--gateway: ${gateway.reason}`);
  } else if (subnet && (flags.ip !== undefined || flags.mask !== undefined)) {
    const stays = validateGateway(current.gateway, subnet);
    if (!stays.ok) errors.push(`--gateway: the current default gateway no longer fits: ${stays.reason} Pass --gateway.`);
  }

  if (flags.dns !== undefined) {
    const dns = validateDns(flags.dns);
    if (dns.ok) next.dns = dns.value;
    else errors.push(`--dns: ${dns.reason}`);
  }

  let inputsOk = true;
  if (flags.inputInterfaces !== undefined) {
    const names = typeof flags.inputInterfaces === 'string' ? splitList(flags.inputInterfaces) : flags.inputInterfaces;
    const inputs = validateInputInterfaces(names, rules);
    if (inputs.ok) next.inputInterfaces = inputs.value;
    else errors.push(`--input-interfaces: ${inputs.reason}`);
    inputsOk = inputs.ok;
  }

  // With bad input interfaces, the bridge is checked on its own rules only.
  const bridgeRules = { ...rules, inputInterfaces: inputsOk ? next.inputInterfaces : [] };
  if (flags.bridge !== undefined) {
    const wanted = flags.bridge.trim().toLowerCase() === 'none' ? null : flags.bridge;
    const bridge = validateBridge(wanted, bridgeRules);
    if (bridge.ok) next.bridgeInterface = bridge.value;
    else errors.push(`--bridge: ${bridge.reason}`);
  } else if (flags.inputInterfaces !== undefined && inputsOk) {
    const stays = validateBridge(current.bridgeInterface, bridgeRules);
    if (!stays.ok) {
      errors.push(`--bridge: the current bridge interface no longer fits: ${stays.reason} Pass --bridge NAME or --bridge none.`);
    }
  }

  return errors.length === 0 ? { ok: true, next } : { ok: false, errors };
}
