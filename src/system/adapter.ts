// The SystemAdapter port: everything otshell knows of the operating system.
// Implementations: simulator/ (default), linux/ (local host and over ssh).
// The JSON shapes below are stable: later work may add fields, never rename.
import type { ConfirmPort } from './confirm-port.js';
export type { ConfirmPort, PendingConfirmation } from './confirm-port.js';
import type { DiagnosticsPort } from './diagnostics-port.js';
export type { BlinkResult, DiagnosticsPort, InterfaceStatistics, PingResult, StatisticsResult, VersionInfo } from './diagnostics-port.js';

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
   * Applies new settings and appends their audit line as one step (an intent
   * record first: src/system/audit-log.ts), under the edit lock. The simulator,
   * like the appliance, makes them pending until restart; a real host applies
   * them now, rolls back on failure, and may wait for `network confirm` before
   * keeping them. If the audit log cannot be written, nothing is applied.
   */
  applyNetworkSettings(next: NetworkSettings, options?: ApplyOptions): Promise<ApplyOutcome>;
  /** Keeps settings applied with confirm-or-revert (under the edit lock); says what was confirmed. */
  confirmNetworkSettings(by?: Actor): Promise<{ confirmed: boolean; detail: string }>;
  /** Restarts the sensor (under the edit lock). */
  reboot(by?: Actor): Promise<void>;
  /** Powers the sensor off (under the edit lock); it stays off until someone powers it on at the machine. */
  shutdown(by?: Actor): Promise<void>;
  /**
   * Takes the one lock every state change holds (edit-settings holds it from
   * its first read to its last write). The adapter builds the holder record
   * (pid, host, time) from the caller's fields. Throws EditLockHeldError
   * (src/system/edit-lock.ts) naming the holder; a lock whose holder is
   * provably gone is taken over. Pass it to applyNetworkSettings to apply
   * under it; every other state change takes it for its own duration.
   */
  acquireEditLock(by: Actor): Promise<EditLock>;
  /** Every audit entry, oldest first, and the lines that could not be read. */
  readAudit(): Promise<AuditLog>;
  /**
   * Changes a user's password after checking the current one (rules are the
   * caller's: src/commands/password-rules.ts). Simulator: stores a new scrypt
   * hash. Real hosts: chpasswd through the privileged helper (wt-login).
   */
  changePassword(user: string, current: string, next: string, by?: Actor): Promise<void>;
  /** Clears the sign-in lock of a source (a TTY or an SSH client address); false when it was not locked. */
  unlockSource(source: string, by?: Actor): Promise<boolean>;
  /** An audited root shell (real hosts); the simulator refuses it. Resolves to the shell's exit status. */
  openRootShell(by?: Actor): Promise<number>;
  /** Appends one session event (sign-in, failure, lockout, ...) to the audit log. */
  recordSession(event: SessionEvent): Promise<void>;
  /** Every session event, oldest first. */
  readSessions(): Promise<SessionEvent[]>;
  /** The simulator's own sign-in; absent on real hosts, where the operating system signs users in. */
  readonly signIn?: SignInPort;
  /** Confirm-or-revert status (real sensors); absent on the simulator, which applies at restart. */
  readonly confirmation?: ConfirmPort;
  /** Ping, blink, statistics, version and date (src/system/diagnostics-port.ts). */
  readonly diagnostics: DiagnosticsPort;
  /** NTP servers (src/system/ntp-port.ts) and backups (src/system/backup-port.ts); both adapters have them (optional for test doubles). */
  readonly ntp?: import('./ntp-port.js').NtpPort;
  readonly backup?: import('./backup-port.js').BackupPort;
  /** Site readiness: the site file and one probe per firewall rule (src/system/reachability-port.ts). */
  readonly reachability?: import('./reachability-port.js').ReachabilityPort;
  /** Live capture on the monitor interfaces (issue 12, network capture-check); absent on test fakes. */
  readonly capture?: import('./capture-port.js').CapturePort;
  /** Training scenarios (issue 13, src/system/training-port.ts): the simulator only. */
  readonly training?: import('./training-port.js').TrainingPort;
  /** Releases connections, timers and child processes. */
  close(): Promise<void>;
}

export type AccountRole = 'viewer' | 'support' | 'root';

export type SessionEventKind = 'sign-in' | 'failure' | 'lockout' | 'unlock' | 'timeout' | 'sign-out' | 'password-change' | 'root-shell';

/** One line of the session audit: who, as what, from where, when. Never a password or a hash. */
export interface SessionEvent {
  time: string;
  kind: SessionEventKind;
  user: string;
  role?: AccountRole;
  /** The TTY ("console", /dev/pts/3) or the SSH client address. */
  source: string;
  detail?: string;
}

export type SignInResult =
  | {
      ok: true;
      user: string;
      role: AccountRole;
      mustChange: boolean;
      /** The sign-in before this one, and failed attempts since it (the banner). */
      previous: { time: string; source: string } | null;
      failuresSince: number;
    }
  | { ok: false; reason: 'bad-credentials' }
  | { ok: false; reason: 'locked'; until: string };

/** The simulated sensor's sign-in: users and hashes live in its state file. */
export interface SignInPort {
  /** The sign-in screen: the host name, and the factory credentials still in place ("support/support"). */
  screen(): Promise<{ hostname: string; defaultCredentials: string[] }>;
  /** A simulated user's role, or null when there is no such user. */
  roleOf(user: string): Promise<AccountRole | null>;
  /** Checks a password; counts failures per source and locks it (recorded in the session audit). */
  authenticate(user: string, password: string, source: string): Promise<SignInResult>;
  /** The forced change at first sign-in: the user has just proven the current password. */
  setPassword(user: string, current: string, next: string, source: string): Promise<void>;
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

/** Who asks for a change: the caller's fields, recorded in the lock and the audit log. */
export interface Actor {
  user: string;
  /** The caller's role, for the session audit (password changes, the root shell). */
  role?: AccountRole;
  tty?: string;
  sshClient?: string;
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
  /** The holder host's boot id: a pid of an earlier boot is gone. */
  bootId?: string;
  /** The holder process's start time (clock ticks after boot): a reused pid has another. */
  startTicks?: number;
  /** Unique per lock taken. */
  id?: string;
}

export interface EditLock {
  readonly holder?: LockHolder;
  release(): Promise<void>;
}

/** Who changed what where, and when: the head of every audit line (settings changes and other actions). */
export interface AuditHeader {
  /** Unique per change; the intent record carries the same. */
  id?: string;
  time: string;
  user: string;
  tty?: string;
  sshClient?: string;
  target: string;
}

/** One applied settings change, as the audit log keeps it (one JSON line each). */
export interface AuditEntry extends AuditHeader {
  old: NetworkSettings;
  new: NetworkSettings;
  /** The change was cut short (killed, power loss): completed at the next start with what the target showed then. */
  interrupted?: boolean;
  /** When interrupted and the target showed something else: what was asked for. */
  intended?: NetworkSettings;
  /** Applied with confirm-or-revert and not confirmed in time: the previous settings came back (real sensors; read from the revert timer's log). */
  reverted?: boolean;
  /** When it was reverted (ISO 8601 UTC). */
  revertedAt?: string;
}

export interface AuditLog {
  entries: AuditEntry[];
  /** Changes that are not network settings (NTP, backups, restores): src/system/audit-action.ts. */
  actions?: import('./audit-action.js').ActionEntry[];
  /** 1-based numbers of lines that are not a complete entry (a torn last line is not counted). */
  malformedLines: number[];
}

export interface ApplyOptions {
  /** Revert automatically unless confirmed within this many seconds. */
  confirmTimeoutSeconds?: number;
  /** Who applies: recorded in the lock and the audit line. */
  by?: Actor;
  /** The settings the change was made from (the editor's view under the lock); the audit line's old value. */
  old?: NetworkSettings;
  /** The edit lock the caller holds from this adapter (acquireEditLock); without it, the apply takes the lock itself. */
  lock?: EditLock;
}

export type ApplyOutcome =
  /** Stored; takes effect at the next restart (appliance and simulator). */
  | { kind: 'pending-restart' }
  /** In effect now and persistent. */
  | { kind: 'applied' }
  /** In effect now; reverts at revertAt unless `network confirm` is run. */
  | { kind: 'awaiting-confirmation'; revertAt: string };
