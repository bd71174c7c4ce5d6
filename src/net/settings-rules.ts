// Validation rules for the network settings. Pure functions: the wizard
// (commands/network/edit-wizard.ts), the flag form (settings-flags.ts) and the
// adapters all use them, so every path refuses exactly the same inputs with the same words.
import ipaddr from 'ipaddr.js';
import { keepFirst, omittedMarker } from '../cut.js';

export type RuleResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface InterfaceInfo {
  name: string;
  role: string;
}

/** What the interface rules need to know about the sensor. */
export interface InterfaceRules {
  interfaces: readonly InterfaceInfo[];
  managementInterface: string;
}

/** The management subnet a gateway must belong to. */
export interface Subnet {
  ip: string;
  prefixLength: number;
}

const ok = <T>(value: T): RuleResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): RuleResult<T> => ({ ok: false, reason });

// ---------------------------------------------------------------- display

/** Longest escaped text shown of a user's input: a pasted page must not flood the screen. */
const MAX_SHOWN = 40;

function escapeChar(ch: string): string {
  switch (ch) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
  }
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x20 && cp <= 0x7e) return ch;
  // Everything else is escaped: control and bidi characters could rewrite the
  // terminal, and valid answers are plain ASCII anyway.
  // The output layer's forms (src/output/escape.ts): \x1b, \u202e, \u{1f600}.
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\u{${cp.toString(16)}}`;
}

/** Escapes without quoting or truncating: for values read from state. */
export function printable(text: string): string {
  // A value from a state file can be any size: show at most MAX_UNTRUSTED characters of it.
  const { kept, omitted } = keepFirst(text);
  let out = '';
  for (const ch of kept) out += ch === '"' || ch === '\\' ? ch : escapeChar(ch);
  return out + omittedMarker(omitted);
}

/** The user's input, quoted, safe to print: escaped and truncated with its length. */
export function quoteInput(input: string): string {
  let shown = '';
  let truncated = false;
  for (const ch of input) {
    const piece = escapeChar(ch);
    if (shown.length + piece.length > MAX_SHOWN) {
      truncated = true;
      break;
    }
    shown += piece;
  }
  return truncated ? `"${shown}..." (${[...input].length} characters)` : `"${shown}"`;
}

// ---------------------------------------------------------------- address math

const toInt = (address: string): number =>
  ipaddr.IPv4.parse(address).octets.reduce((n, octet) => n * 256 + octet, 0);

const fromInt = (n: number): string =>
  new ipaddr.IPv4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();

export function maskToDotted(prefixLength: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefixLength).toString();
}

/** e.g. "255.255.255.0 (/24)". */
export function formatMask(prefixLength: number): string {
  return `${maskToDotted(prefixLength)} (/${prefixLength})`;
}

/** e.g. "10.1.0.0/24". */
export function subnetOf(ip: string, prefixLength: number): string {
  return `${ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${prefixLength}`).toString()}/${prefixLength}`;
}

// ---------------------------------------------------------------- addresses

/** Ranges a sensor address can never take, checked in this order. */
const NOT_ASSIGNABLE: [cidr: string, what: string][] = [
  ['0.0.0.0/32', 'is the unspecified address'],
  ['0.0.0.0/8', 'is in 0.0.0.0/8 ("this network"), which cannot be assigned to a host'],
  ['127.0.0.0/8', 'is a loopback address'],
  ['224.0.0.0/4', 'is a multicast address'],
  ['255.255.255.255/32', 'is the limited broadcast address'],
  ['240.0.0.0/4', 'is in the reserved range 240.0.0.0/4'],
];

/** Why a string that ipaddr refused as four-part decimal is wrong, in the user's terms. */
function syntaxProblem(text: string, example: string): string {
  if (text.includes(':')) return 'IPv6 addresses are not supported here; enter an IPv4 address.';
  if (text.includes('/')) return `enter it without a /prefix, e.g. ${example}.`;
  if (/[^0-9.]/.test(text)) return `only digits and dots are allowed, e.g. ${example}.`;
  const parts = text.split('.');
  if (parts.length !== 4) return `it must have four numbers separated by dots (found ${parts.length}).`;
  if (parts.some((p) => p === '')) return 'one of the four numbers is missing.';
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) {
    return 'leading zeros are ambiguous (some systems read 010 as octal 8); write 10, not 010.';
  }
  if (parts.some((p) => Number(p) > 255)) return 'each part must be 0-255.';
  return `use four numbers 0-255 separated by dots, e.g. ${example}.`;
}

/** Syntax only: four decimal numbers 0-255 without leading zeros. Returns the canonical text. */
function parseFourPart(input: string, noun: string, example: string): RuleResult<string> {
  const text = input.trim();
  if (text === '') return fail(`Enter ${noun}, e.g. ${example}.`);
  // ipaddr.IPv4.isValid alone accepts octal, hex and 1-3 part forms; the
  // four-part decimal check is the strict one.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return fail(`${quoteInput(input)} is not a valid ${noun.replace(/^an? /, '')}: ${syntaxProblem(text, example)}`);
  }
  return ok(ipaddr.IPv4.parse(text).toString());
}

/** A unicast host address, any subnet. */
function checkUnicast(input: string): RuleResult<string> {
  const parsed = parseFourPart(input, 'an IPv4 address', '10.1.0.20');
  if (!parsed.ok) return parsed;
  const address = ipaddr.IPv4.parse(parsed.value);
  for (const [cidr, what] of NOT_ASSIGNABLE) {
    if (address.match(ipaddr.IPv4.parseCIDR(cidr))) {
      return fail(`${quoteInput(parsed.value)} ${what}; enter a unicast host address.`);
    }
  }
  return parsed;
}

/** Refuses the network and broadcast addresses of the address's own subnet. */
function checkHostPart(address: string, prefixLength: number): RuleResult<string> {
  const network = toInt(ipaddr.IPv4.networkAddressFromCIDR(`${address}/${prefixLength}`).toString());
  const broadcast = toInt(ipaddr.IPv4.broadcastAddressFromCIDR(`${address}/${prefixLength}`).toString());
  const n = toInt(address);
  if (n !== network && n !== broadcast) return ok(address);
  const which = n === network ? 'network' : 'broadcast';
  const subnet = `${fromInt(network)}/${prefixLength}`;
  return fail(
    `${quoteInput(address)} is the ${which} address of ${subnet}; ` +
      `use a host address from ${fromInt(network + 1)} to ${fromInt(broadcast - 1)}.`,
  );
}

/**
 * The management address. With `prefixLength`, it must also be a host address
 * of its own subnet (not the network or broadcast address).
 */
export function validateAddress(input: string, prefixLength?: number): RuleResult<string> {
  const unicast = checkUnicast(input);
  if (!unicast.ok || prefixLength === undefined) return unicast;
  return checkHostPart(unicast.value, prefixLength);
}

// ---------------------------------------------------------------- mask

/** `shown` is the quoted input, with the prefix added when the input was dotted. */
function checkPrefix(prefix: number, shown: string): RuleResult<number> {
  if (prefix === 31 || prefix === 32) {
    return fail(
      `${shown} is refused: a /${prefix} subnet has no room for both the sensor and a gateway ` +
        'with separate network and broadcast addresses; use /1 to /30.',
    );
  }
  if (prefix < 1 || prefix > 32) return fail(`${shown} is out of range: the prefix must be /1 to /30.`);
  return ok(prefix);
}

/** A subnet mask, dotted (255.255.255.0), /prefix or a bare prefix number. Returns the prefix length. */
export function validateMask(input: string): RuleResult<number> {
  const text = input.trim();
  const prefixForm = /^\/?(\d+)$/.exec(text);
  if (prefixForm) {
    const digits = prefixForm[1]!;
    if (digits.length > 1 && digits.startsWith('0')) {
      return fail(`${quoteInput(input)} is not a valid prefix: write it without leading zeros, e.g. /24.`);
    }
    return checkPrefix(digits.length > 3 ? Infinity : Number(digits), quoteInput(input));
  }
  if (text.includes('/')) {
    return fail(`${quoteInput(input)} is not a valid subnet mask: write a prefix as / and a number, e.g. /24.`);
  }
  const dotted = parseFourPart(input, 'a subnet mask', '255.255.255.0 or /24');
  if (!dotted.ok) return dotted;
  const prefix = ipaddr.IPv4.parse(dotted.value).prefixLengthFromSubnetMask();
  if (prefix === null) {
    return fail(
      `${quoteInput(input)} is not a valid subnet mask: the 1-bits must be contiguous from the left, ` +
        'e.g. 255.255.255.0 or 255.255.252.0.',
    );
  }
  return checkPrefix(prefix, `${quoteInput(input)} (/${prefix})`);
}

// ---------------------------------------------------------------- gateway

/** The default gateway: a host of the management subnet, other than the sensor itself. */
export function validateGateway(input: string, subnet: Subnet): RuleResult<string> {
  const unicast = checkUnicast(input);
  if (!unicast.ok) return unicast;
  const gateway = ipaddr.IPv4.parse(unicast.value);
  const managementSubnet = subnetOf(subnet.ip, subnet.prefixLength);
  if (!gateway.match(ipaddr.IPv4.parseCIDR(managementSubnet))) {
    return fail(
      `${quoteInput(unicast.value)} is outside the management subnet ${managementSubnet}; ` +
        'the default gateway must be on that subnet.',
    );
  }
  if (unicast.value === ipaddr.IPv4.parse(subnet.ip).toString()) {
    return fail(
      `${quoteInput(unicast.value)} is the sensor's own management address; the gateway must be another host.`,
    );
  }
  return checkHostPart(unicast.value, subnet.prefixLength);
}

// ---------------------------------------------------------------- DNS

/** Splits on one comma (with optional spaces around it) or on spaces; ",," leaves an empty entry. */
export function splitList(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s*,\s*|\s+/);
}

/** One to three unicast DNS servers, separated by commas and/or spaces. */
export function validateDns(input: string): RuleResult<string[]> {
  const entries = splitList(input);
  if (entries.length === 0) return fail('Enter one to three DNS server addresses, separated by commas or spaces.');
  if (entries.includes('')) {
    return fail(`${quoteInput(input)} has an empty entry: separate the addresses with one comma or with spaces.`);
  }
  if (entries.length > 3) {
    return fail(`${quoteInput(input)} lists ${entries.length} DNS servers; at most three are allowed.`);
  }
  const servers: string[] = [];
  for (const entry of entries) {
    const server = checkUnicast(entry);
    if (!server.ok) return server;
    if (servers.includes(server.value)) return fail(`DNS server ${quoteInput(server.value)} is listed twice.`);
    servers.push(server.value);
  }
  return ok(servers);
}

// ---------------------------------------------------------------- interfaces

const isManagement = (iface: InterfaceInfo, rules: InterfaceRules) =>
  iface.name === rules.managementInterface || iface.role === 'management';

/** Interfaces that may monitor or bridge: not management, not loopback. */
export function eligibleInterfaces(rules: InterfaceRules): InterfaceInfo[] {
  return rules.interfaces.filter((i) => !isManagement(i, rules) && i.role !== 'loopback');
}

/** Why `name` cannot be used for `purpose`, or null when it can. */
function interfaceProblem(name: string, rules: InterfaceRules, purpose: string): string | null {
  const iface = rules.interfaces.find((i) => i.name === name);
  if (!iface) {
    const names = eligibleInterfaces(rules).map((i) => printable(i.name));
    return `${quoteInput(name)} is not an interface on this sensor (available: ${names.join(', ') || 'none'}).`;
  }
  if (isManagement(iface, rules)) return `${printable(name)} is the management interface; it cannot be ${purpose}.`;
  if (iface.role === 'loopback') return `${printable(name)} is the loopback interface; it cannot be ${purpose}.`;
  return null;
}

/** The monitor (SPAN) interfaces: at least one, existing, not management. */
export function validateInputInterfaces(names: readonly string[], rules: InterfaceRules): RuleResult<string[]> {
  if (names.length === 0) return fail('Choose at least one input interface.');
  for (const [index, name] of names.entries()) {
    const problem = interfaceProblem(name, rules, 'an input interface');
    if (problem) return fail(problem);
    if (names.indexOf(name) !== index) return fail(`${printable(name)} is listed twice.`);
  }
  return ok([...names]);
}

/** The bridge interface, or null for none: not management, not one of the input interfaces. */
export function validateBridge(
  name: string | null,
  rules: InterfaceRules & { inputInterfaces: readonly string[] },
): RuleResult<string | null> {
  if (name === null) return ok(null);
  const problem = interfaceProblem(name, rules, 'the bridge interface');
  if (problem) return fail(problem);
  if (rules.inputInterfaces.includes(name)) {
    return fail(`${printable(name)} is an input (monitor) interface; the bridge must be a different interface.`);
  }
  return ok(name);
}
