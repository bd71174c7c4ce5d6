// NTP servers of the sensor (`ntp enable|disable|status`). The simulator keeps
// a server list and a sync state; real hosts use chrony with a sources file of
// otshell's own (src/system/linux/ntp.ts). A server is checked with a real NTP
// query BEFORE anything changes: one that does not answer is refused.
import ipaddr from 'ipaddr.js';
import type { Actor } from './adapter.js';
import { EXIT, OtshellError } from '../errors.js';

export type NtpSourceState = 'synchronised' | 'candidate' | 'unreachable' | 'unknown';

export interface NtpSource {
  address: string;
  state: NtpSourceState;
  stratum: number | null;
}

export interface NtpStatus {
  /** The servers otshell manages, in the order they were enabled. */
  servers: NtpSource[];
  /** Whether the clock follows one of them (or another source) now. */
  synchronised: boolean;
  /** The source the clock follows, when synchronised. */
  reference: string | null;
  stratum: number | null;
  /** How far the clock is from the reference, in seconds (positive: ahead). */
  offsetSeconds: number | null;
}

export interface NtpChange {
  address: string;
  /** False when the server was already (enabled|disabled): nothing changed, nothing audited. */
  changed: boolean;
  servers: string[];
}

export interface NtpPort {
  status(): Promise<NtpStatus>;
  /** Probes the server (UDP 123), then adds it under the edit lock with its audit line. */
  enable(address: string, by?: Actor): Promise<NtpChange>;
  /** Removes the server under the edit lock with its audit line. */
  disable(address: string, by?: Actor): Promise<NtpChange>;
}

/** Most servers otshell keeps: chrony takes more, but a sensor needs two or three. */
export const MAX_NTP_SERVERS = 8;

/** The server did not answer an NTP query: refused, nothing changed (EX_UNAVAILABLE). */
export class NtpNoAnswerError extends OtshellError {
  constructor(address: string, detail: string) {
    super(`${address} does not answer NTP on UDP port 123 (${detail}). Nothing was changed.`, EXIT.UNAVAILABLE);
  }
}

/** A bad server address: EX_USAGE. */
export class NtpAddressError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** Only dotted-quad IPv4 unicast addresses, as the appliance documents; no leading zeros (octal in some parsers). */
export function isNtpServerAddress(value: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || /(^|\.)0\d/.test(value) || !ipaddr.IPv4.isValidFourPartDecimal(value)) return false;
  // A server is one host: not 0.0.0.0, broadcast or multicast.
  return !['unspecified', 'broadcast', 'multicast'].includes(ipaddr.IPv4.parse(value).range());
}
