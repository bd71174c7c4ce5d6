// The SystemAdapter port: everything otshell knows of the operating system.
// Implementations: simulator/ (default), linux/ (local host and over ssh).
// The JSON shapes below are stable: later work may add fields, never rename.

export type InterfaceRole = 'management' | 'monitor' | 'bridge' | 'unused' | 'loopback';

export interface Ipv4Address {
  address: string;
  prefixLength: number;
  netmask: string;
  broadcast: string;
}

export interface Counters {
  packets: number;
  bytes: number;
  errors: number;
  dropped: number;
  /** RX only: ring overruns (ifconfig's "overruns"). */
  overruns?: number;
  /** RX only: framing errors. */
  frame?: number;
  /** TX only. */
  carrier?: number;
  /** TX only. */
  collisions?: number;
}

export interface NetworkInterface {
  name: string;
  role: InterfaceRole;
  mac: string;
  mtu: number;
  up: boolean;
  running: boolean;
  promisc: boolean;
  /** Kernel flag names in ifconfig order, e.g. ["UP","BROADCAST","RUNNING","MULTICAST"]. */
  flags: string[];
  /** The numeric flags word ifconfig prints (IFF_* bits). */
  flagsValue: number;
  txqueuelen: number;
  ipv4: Ipv4Address[];
  ipv6?: { address: string; prefixLength: number; scope: string }[];
  rx: Counters;
  tx: Counters;
}

export interface NetworkSnapshot {
  interfaces: NetworkInterface[];
  gateway: string | null;
  dns: string[];
  /** Set when applied settings wait for a restart (simulator/appliance behaviour). */
  pendingRestart?: boolean;
}

export type ServiceStatus = 'running' | 'stopped' | 'starting' | 'not-responding';

export interface ServiceState {
  name: string;
  status: ServiceStatus;
  /** Seconds since start, when running. */
  uptimeSeconds?: number;
  /** Why a check failed or hung, when known. */
  detail?: string;
}

export interface SanityReport {
  status: 'up' | 'down' | 'starting';
  profile: string;
  services: ServiceState[];
}

export interface SystemAdapter {
  /** "simulator", "local" or "ssh://user@host:port". */
  readonly target: string;
  /** Interfaces with roles, counters, default gateway and DNS. */
  listInterfaces(): Promise<NetworkSnapshot>;
  /** Checks every sensor service concurrently; each check bounded by timeoutMs. */
  checkServices(options: { timeoutMs: number }): Promise<SanityReport>;
  /** The configured settings, and those applied but waiting for a restart. */
  getNetworkSettings(): Promise<{ current: NetworkSettings; pending: NetworkSettings | null }>;
  /**
   * Applies new settings. The simulator, like the appliance, makes them pending
   * until restart; a real host applies them now, rolls back on failure, and may
   * wait for `network confirm` before keeping them.
   */
  applyNetworkSettings(next: NetworkSettings, options?: ApplyOptions): Promise<ApplyOutcome>;
  /** Keeps settings applied with confirm-or-revert; says what was confirmed. */
  confirmNetworkSettings(): Promise<{ confirmed: boolean; detail: string }>;
  /** Restarts the sensor. */
  reboot(): Promise<void>;
  /** Powers the sensor off; it stays off until someone powers it on at the machine. */
  shutdown(): Promise<void>;
  /**
   * Takes the one-editor-at-a-time lock for the network settings. Throws
   * EditLockHeldError (src/system/edit-lock.ts) naming the holder; a stale
   * lock whose process is gone is taken over.
   */
  acquireEditLock(holder: LockHolder): Promise<EditLock>;
  /** Appends one applied change to the audit log, durably (fsync) before returning. */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Every audit entry, oldest first. */
  readAudit(): Promise<AuditEntry[]>;
  /** Releases connections, timers and child processes. */
  close(): Promise<void>;
}

/** The sensor's configured network settings: what `network edit-settings` changes. */
export interface NetworkSettings {
  /** The interface that carries the management address (eth0 on the appliance). */
  managementInterface: string;
  ip: string;
  prefixLength: number;
  gateway: string;
  /** One to three servers. */
  dns: string[];
  /** Monitor (SPAN) interfaces. */
  inputInterfaces: string[];
  bridgeInterface: string | null;
}

/** Who holds the settings editor. */
export interface LockHolder {
  user: string;
  tty?: string;
  sshClient?: string;
  pid: number;
  /** Host the holder runs on: a pid means something only there. */
  host: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface EditLock {
  release(): Promise<void>;
}

/** One applied settings change, as the audit log keeps it (one JSON line each). */
export interface AuditEntry {
  time: string;
  user: string;
  tty?: string;
  sshClient?: string;
  target: string;
  old: NetworkSettings;
  new: NetworkSettings;
}

export interface ApplyOptions {
  /** Revert automatically unless confirmed within this many seconds. */
  confirmTimeoutSeconds?: number;
}

export type ApplyOutcome =
  /** Stored; takes effect at the next restart (appliance and simulator). */
  | { kind: 'pending-restart' }
  /** In effect now and persistent. */
  | { kind: 'applied' }
  /** In effect now; reverts at revertAt unless `network confirm` is run. */
  | { kind: 'awaiting-confirmation'; revertAt: string };
