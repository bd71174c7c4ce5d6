// The stable per-file report of `network validate-capture` (issue 4).
// One object per file; `--json` prints one per line. Shapes are stable:
// later work may add fields, never rename.

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface HierarchyNode {
  name: string;
  packets: number;
  bytes: number;
  children: HierarchyNode[];
}

export interface OtProtocolReport {
  /** Wireshark display-filter name, e.g. "mbtcp". */
  name: string;
  packets: number;
  bytes: number;
  /** TCP/UDP server ports it was seen on (empty for layer-2 protocols). */
  ports: number[];
}

export interface AddressCounts {
  /** Distinct unicast addresses in private/non-routable ranges. */
  private: number;
  /** Distinct unicast addresses in public (globally routable) ranges. */
  public: number;
}

export interface TopTalker {
  /** An IPv4/IPv6 address, or a MAC address for non-IP frames. */
  address: string;
  kind: 'ipv4' | 'ipv6' | 'mac';
  packets: number;
  bytes: number;
}

export interface CaptureCheck {
  id: 'file-complete' | 'link-type' | 'unicast' | 'arp-share' | 'ot-protocols' | 'tcp-directions' | 'duration';
  status: CheckStatus;
  detail: string;
}

export interface CaptureReport {
  file: string;
  /** null only when the file could not be recognised at all (missing, directory, wrong magic). */
  format: 'pcap' | 'pcapng' | null;
  /** Link type names, e.g. ["ETHERNET"], in order of first appearance. */
  linkTypes: string[];
  packets: number;
  /** Sum of original (on-the-wire) frame lengths. */
  bytes: number;
  /** ISO 8601 UTC, earliest packet timestamp; null without packets. */
  firstTime: string | null;
  /** ISO 8601 UTC, latest packet timestamp; null without packets. */
  lastTime: string | null;
  durationSeconds: number;
  /** Mean over the same one-second bins as the peak (every second from first to last packet): never above it. */
  avgBitsPerSecond: number;
  /** Highest bit rate over one-second bins. */
  peakBitsPerSecond: number;
  truncated: boolean;
  /** Why the file is (partly) unreadable; null when it was read completely. */
  error: string | null;
  traffic: { unicast: number; broadcast: number; multicast: number; arp: number };
  hierarchy: HierarchyNode[];
  /** Industrial protocols confirmed by their payload. */
  otProtocols: OtProtocolReport[];
  /** Industrial protocols identified only by their port (encrypted or unconfirmable, e.g. OPC UA or MQTT over TLS): "by port only". */
  otProtocolsByPortOnly: OtProtocolReport[];
  devices: { macs: number; ipv4: AddressCounts; ipv6: AddressCounts; topTalkers: TopTalker[] };
  verdict: { status: CheckStatus; checks: CaptureCheck[] };
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  /** Bytes read so far and file size. */
  onProgress?: (done: number, total: number) => void;
}

/** How the file was read: shown in the text rendering, not part of the JSON. */
export interface CaptureDetails {
  /** e.g. "pcap, microsecond timestamps, little-endian" or "pcapng, 2 sections, 3 interfaces". */
  formatDetail: string;
  /** Link types that could not be decoded: "unsupported link type 195 (IEEE802_15_4_WITHFCS)". */
  unsupported: string[];
}
