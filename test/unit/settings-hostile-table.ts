// The acceptance table of hostile inputs, shared by the rule-level test
// (settings-hostile.test.ts) and the command-level one (edit-settings-command.test.ts):
// each row is a field, an input, and fragments its refusal message must contain.
import type { SettingsFlags } from '../../src/commands/network/settings-flags.js';
import {
  addressValidator,
  dnsValidator,
  gatewayValidator,
  inputInterfacesValidator,
  maskValidator,
} from '../../src/commands/network/settings-validators.js';
import { splitList, validateBridge, type InterfaceInfo } from '../../src/net/settings-rules.js';
import type { NetworkSettings } from '../../src/system/adapter.js';

export const interfaces: InterfaceInfo[] = [
  { name: 'eth0', role: 'management' },
  { name: 'eth1', role: 'monitor' },
  { name: 'eth2', role: 'monitor' },
  { name: 'eth3', role: 'unused' },
  { name: 'lo', role: 'loopback' },
];
export const current: NetworkSettings = Object.freeze({
  managementInterface: 'eth0',
  ip: '10.1.0.20',
  prefixLength: 24,
  gateway: '10.1.0.1',
  dns: Object.freeze(['10.1.0.2']) as string[],
  inputInterfaces: Object.freeze(['eth1', 'eth2']) as string[],
  bridgeInterface: null,
});
export const rules = { interfaces, managementInterface: 'eth0' };

export type Field = 'ip' | 'mask' | 'gateway' | 'dns' | 'inputs' | 'bridge';

/** The wizard's check of one answer: the Validator it hands the Prompter. */
export const wizardCheck: Record<Field, (input: string) => string | null> = {
  ip: addressValidator(current.prefixLength),
  mask: maskValidator,
  gateway: gatewayValidator({ ip: current.ip, prefixLength: current.prefixLength }),
  dns: dnsValidator,
  inputs: (input) => inputInterfacesValidator(rules)(splitList(input)),
  // The wizard offers the bridge as a choice list; the rule behind it is validateBridge.
  bridge: (input) => {
    const result = validateBridge(input, { ...rules, inputInterfaces: current.inputInterfaces });
    return result.ok ? null : result.reason;
  },
};
export const flagOf: Record<Field, [keyof SettingsFlags, string]> = {
  ip: ['ip', '--ip'],
  mask: ['mask', '--mask'],
  gateway: ['gateway', '--gateway'],
  dns: ['dns', '--dns'],
  inputs: ['inputInterfaces', '--input-interfaces'],
  bridge: ['bridge', '--bridge'],
};

export const long = 'x'.repeat(500);
export const table: [Field, string, ...string[]][] = [
  // ---- management address
  ['ip', '', 'Enter an IPv4 address'],
  ['ip', '   ', 'Enter an IPv4 address'],
  ['ip', '256.1.1.1', '"256.1.1.1" is not a valid IPv4 address: each part must be 0-255.'],
  ['ip', '1.2.3', '"1.2.3" is not a valid IPv4 address', 'four numbers separated by dots (found 3)'],
  ['ip', '1.2.3.4.5', 'four numbers separated by dots (found 5)'],
  ['ip', '::1', 'IPv6 addresses are not supported'],
  ['ip', '1..2.3', 'one of the four numbers is missing'],
  ['ip', '010.1.1.1', 'leading zeros are ambiguous'],
  ['ip', '10.1.0.0', '"10.1.0.0" is the network address of 10.1.0.0/24', '10.1.0.1 to 10.1.0.254'],
  ['ip', '10.1.0.255', '"10.1.0.255" is the broadcast address of 10.1.0.0/24'],
  ['ip', '0.0.0.0', 'unspecified address'],
  ['ip', '0.10.1.2', '0.0.0.0/8'],
  ['ip', '127.0.0.1', 'loopback address'],
  ['ip', '224.0.0.5', 'multicast address'],
  ['ip', '255.255.255.255', 'limited broadcast address'],
  ['ip', '240.0.0.1', 'reserved range 240.0.0.0/4'],
  ['ip', '10.1.0.30/24', 'without a /prefix'],
  ['ip', '0x0a.1.0.20', 'only digits and dots'],
  ['ip', '-10.1.0.20', 'only digits and dots'],
  ['ip', '10.0.0.1; reboot', '"10.0.0.1; reboot" is not a valid IPv4 address: only digits and dots'],
  ['ip', '$(reboot)', '"$(reboot)"', 'only digits and dots'],
  ['ip', '`reboot`', '"`reboot`"', 'only digits and dots'],
  ['ip', '10.1.0.30 | sh', 'only digits and dots'],
  ['ip', long, `"${'x'.repeat(40)}..." (500 characters)`, 'only digits and dots'],
  ['ip', '10.1.0.30\x1b[2J', '"10.1.0.30\\x1b[2J"'],
  ['ip', '10.1.\n0.30', '"10.1.\\n0.30"'],
  ['ip', '10.1.0.30\x00', '"10.1.0.30\\x00"'],
  ['ip', '10.1.0.30\u202e', '"10.1.0.30\\u202e"'],
  ['ip', '\uff11\uff10.1.0.30', '"\\uff11\\uff10.1.0.30"', 'only digits and dots'],
  // ---- mask
  ['mask', '', 'Enter a subnet mask'],
  ['mask', '255.255.0.255', 'not a valid subnet mask', 'contiguous'],
  ['mask', '0.255.255.255', 'contiguous'],
  ['mask', '255.255.255.254', '(/31) is refused', 'use /1 to /30'],
  ['mask', '/31', '"/31" is refused', 'no room for both the sensor and a gateway'],
  ['mask', '32', '"32" is refused'],
  ['mask', '/0', 'out of range', '/1 to /30'],
  ['mask', '0.0.0.0', '(/0) is out of range'],
  ['mask', '/33', 'out of range'],
  ['mask', '/024', 'without leading zeros'],
  ['mask', '/ 24', 'write a prefix as / and a number'],
  ['mask', '256.255.255.0', 'each part must be 0-255'],
  ['mask', '255.255.255.0; reboot', 'not a valid subnet mask', 'only digits and dots'],
  ['mask', long, '(500 characters)'],
  // ---- gateway
  ['gateway', '', 'Enter an IPv4 address'],
  ['gateway', '10.2.0.1', '"10.2.0.1" is outside the management subnet 10.1.0.0/24'],
  ['gateway', '192.168.1.1', 'outside the management subnet 10.1.0.0/24'],
  ['gateway', '10.1.0.20', "the sensor's own management address"],
  ['gateway', '10.1.0.0', 'network address of 10.1.0.0/24'],
  ['gateway', '10.1.0.255', 'broadcast address of 10.1.0.0/24'],
  ['gateway', '10.1.0.1 && reboot', 'only digits and dots'],
  ['gateway', '127.0.0.1', 'loopback address'],
  // ---- DNS
  ['dns', '', 'Enter one to three DNS server addresses'],
  ['dns', ' , ', 'empty entry'],
  ['dns', '1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4', 'lists 4 DNS servers', 'at most three'],
  ['dns', '1.1.1.1,,2.2.2.2', 'has an empty entry'],
  ['dns', '8.8.8.8;reboot', '"8.8.8.8;reboot"', 'only digits and dots'],
  ['dns', '8.8.8.8 $(reboot)', '"$(reboot)"'],
  ['dns', '1.1.1.1 1.1.1.1', '"1.1.1.1" is listed twice'],
  ['dns', '127.0.0.53', 'loopback address'],
  ['dns', '8.8.8.256', 'each part must be 0-255'],
  // ---- input interfaces
  ['inputs', '', 'at least one input interface'],
  ['inputs', 'eth0', 'eth0 is the management interface'],
  ['inputs', 'eth9', '"eth9" is not an interface on this sensor', 'available: eth1, eth2, eth3'],
  ['inputs', 'lo', 'loopback interface'],
  ['inputs', 'eth1,eth1', 'eth1 is listed twice'],
  ['inputs', 'eth1;reboot', '"eth1;reboot" is not an interface'],
  // ---- bridge
  ['bridge', 'eth0', 'eth0 is the management interface'],
  ['bridge', 'eth1', 'eth1 is an input (monitor) interface'],
  ['bridge', '$(reboot)', '"$(reboot)" is not an interface'],
  ['bridge', 'eth\x07', '"eth\\x07" is not an interface'],
];
