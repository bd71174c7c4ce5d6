// The appliance's everyday diagnostics: ping, port blink, NIC statistics,
// version and clock. One port beside SystemAdapter (adapter.ts holds one line
// for it); implemented by simulator/diagnostics.ts and linux/diagnostics.ts.
import type { Actor } from './adapter.js';

/** One `ping` run: iputils' own lines (real hosts) or lines in its format (simulator). */
export interface PingResult {
  /** What the user typed (an IPv4 address or a host name). */
  address: string;
  /** The management interface the probes left from, when known. */
  interface: string | null;
  transmitted: number;
  received: number;
  /** Whole percent, as iputils prints it. */
  lossPercent: number;
  /** Round-trip times in ms, null when nothing answered. */
  rtt: { min: number; avg: number; max: number; mdev: number } | null;
  /** The output, line by line, in iputils' format ("PING ...", "64 bytes from ...", "--- ... ping statistics ---"). */
  lines: string[];
}

export interface BlinkResult {
  interface: string;
  seconds: number;
  /** False when Ctrl-C stopped it early. */
  completed: boolean;
}

export interface InterfaceStatistics {
  name: string;
  /** Kernel counters (/sys/class/net/NAME/statistics), name -> value. */
  counters: Record<string, number>;
  /** Driver counters (`ethtool -S`), empty when the driver has none. */
  driver: Record<string, number>;
  /** Receive and send rates over the sample, bits per second. */
  rxBitsPerSecond: number;
  txBitsPerSecond: number;
}

export interface StatisticsResult {
  sampleSeconds: number;
  interfaces: InterfaceStatistics[];
}

export interface VersionInfo {
  /** The sensor's version ("22.2.5.9-r-2121448"), null when its version file is missing. */
  sensor: string | null;
  /** Where it was read (real hosts), for the message when missing. */
  source: string;
}

export interface DiagnosticsPort {
  /** Five probes from the management interface; the address is already validated. Never throws for no answer. */
  ping(address: string, options: { signal: AbortSignal }): Promise<PingResult>;
  /** Blinks the port's LED for `seconds` (the caller waits); throws UserError when the NIC cannot. */
  blink(iface: string, seconds: number, options: { signal: AbortSignal; by: Actor }): Promise<BlinkResult>;
  /** Ports whose LED blinks now (`network list` shows "led blinking"); real hosts: those this process blinks. */
  blinking(): Promise<string[]>;
  /** Counters of one interface or every one, sampled twice `sampleSeconds` apart for the rates. */
  statistics(iface: string | undefined, sampleSeconds: number, options: { signal: AbortSignal }): Promise<StatisticsResult>;
  version(): Promise<VersionInfo>;
  /** Whether something on the sensor accepts TCP connections on `port` (the web UI: 443); null when it cannot be told. */
  listening(port: number): Promise<boolean | null>;
  /** The target's clock, milliseconds since the epoch. */
  clock(): Promise<number>;
}
