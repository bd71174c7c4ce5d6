// What `ping` may be given: an IPv4 address or a host name, never an option.
// Checked before anything runs, so no typed word reaches ping's option parser.
import ipaddr from 'ipaddr.js';

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function isIpv4Address(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) && !/(^|\.)0\d/.test(text);
}

/** Why `text` is not something to ping, or null when it is. */
export function hostAddressProblem(text: string): string | null {
  if (text.startsWith('-')) return 'it starts with "-" (an address never does)';
  if (/^[\d.]+$/.test(text)) return isIpv4Address(text) ? null : 'it is not a valid IPv4 address (four numbers 0-255, no leading zeros)';
  if (HOST_NAME.test(text)) return null;
  return 'it is neither an IPv4 address nor a host name (letters, digits, "-" and ".")';
}
