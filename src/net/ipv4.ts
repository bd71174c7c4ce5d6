// IPv4 helpers over ipaddr.js, shared by the adapters.
import ipaddr from 'ipaddr.js';

export function netmaskOf(prefixLength: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefixLength).toString();
}

export function broadcastOf(address: string, prefixLength: number): string {
  return ipaddr.IPv4.broadcastAddressFromCIDR(`${address}/${prefixLength}`).toString();
}

export function ipv4Entry(address: string, prefixLength: number) {
  return { address, prefixLength, netmask: netmaskOf(prefixLength), broadcast: broadcastOf(address, prefixLength) };
}
