// The SystemAdapter for real Linux sensors: `--target local` (LocalRunner) and
// `--target ssh://user@host[:port]` (SshRunner). One logic over the runner:
// iproute2 JSON for reads, netplan for persistence, iproute2 for runtime apply,
// exact rollback on failure and confirm-or-revert with a detached timer.
// This class is the facade: it owns the runner, the config and the edit lock,
// and hands the work to the modules beside it: network-read.ts (reads),
// settings-plan.ts (checks and the ip plan), step-apply.ts (the step-by-step
// apply, rollback and confirm), two-batch-decisions.ts (the apply over ssh in
// two round trips), privileges.ts, and the features (ntp, backup, sessions, ...).
import { LinuxCapture } from './capture.js';
import type { CapturePort } from '../capture-port.js';
import { join, dirname } from 'node:path';
import type {
  Actor, ApplyOptions, ApplyOutcome, AuditLog, EditLock, NetworkSettings, NetworkSnapshot, SanityReport, SessionEvent, SystemAdapter,
} from '../adapter.js';
import { acquireLock, AdapterLock, isLockHeld } from '../edit-lock.js';
import { completeIntent, AUDIT_FILE, INTENT_FILE, parseAuditLogDetailed, type AuditPaths } from '../audit-log.js';
import { withStateDir } from './state-dir-option.js';
import { markReverted } from './confirm-status.js';
import type { ConfirmPort } from '../confirm-port.js';
import { ConfigError, loadConfig, type OtshellConfig, DEFAULT_CONFIG_PATH } from './config.js';
import type { Runner } from './runner.js';
import { EXIT, OtshellError } from '../../errors.js';
import type { PrivilegedClient } from './privileged/client.js';
import { LinuxNtp, ntpShownNow, type LinuxFeatureDeps } from './ntp.js';
import { LinuxBackup } from './backup.js';
import { checkServicesOn, parseServices } from './services.js';
import { LinuxSessions } from './sessions.js';
import { LinuxDiagnostics } from './diagnostics.js';
import { LinuxReachability } from './reachability.js';
import { NetworkReader } from './network-read.js';
import { parsePendingChange, timerFiles } from './pending-change.js';
import { requirePrivileges } from './privileges.js';
import { checkSettings } from './settings-plan.js';
import { StepApply } from './step-apply.js';
import { TwoBatchApply } from './two-batch-decisions.js';

// Exported from here before the split; kept importable from the adapter.
export { ApplyFailedError } from './apply-failed.js';
export { parsePendingChange } from './pending-change.js';
export { NeedsRootError } from './privileges.js';
export { checkSettings, forwardPlan } from './settings-plan.js';

export class LinuxAdapter implements SystemAdapter {
  private readonly configPath: string;
  /** The one lock of every state change, in the target's state directory. */
  private readonly locks = new AdapterLock(async (by) => {
    // Taken by the apply's first batch (two-batch-apply.ts): handed over as is.
    const pretaken = this.twoBatch.takePretakenLock();
    if (pretaken) return pretaken;
    // The config the caller has just read, when it has (over ssh every read is a round trip).
    const known = this.lockConfig;
    this.lockConfig = null;
    return acquireLock(this.runner, join((known ?? (await this.config())).stateDir, 'edit-settings.lock'), by);
  });
  private lockConfig: OtshellConfig | null = null;
  readonly capture: CapturePort = new LinuxCapture(() => this.runner, () => this.getNetworkSettings(), () => this.listInterfaces());

  /**
   * Set when otshell runs on this host as a user who is not root (a login
   * shell): the changes that need root go to the privileged helper, which takes
   * the edit lock and writes the audit line itself (privileged/helper.ts).
   */
  private readonly privileged: PrivilegedClient | null;

  constructor(
    private readonly runner: Runner,
    options: { configPath?: string; privileged?: PrivilegedClient; stateDir?: string } = {},
  ) {
    this.configPath = options.configPath ?? DEFAULT_CONFIG_PATH;
    this.privileged = options.privileged ?? null;
    this.stateDirOption = options.stateDir;
    this.reader = new NetworkReader(runner, this.configPath, this.stateDirOption);
    this.steps = new StepApply({ runner, auditPaths: (config) => this.auditPaths(config), currentSettings: async () => (await this.getNetworkSettings()).current });
    this.twoBatch = new TwoBatchApply({
      runner,
      configPath: this.configPath,
      stateDirOption: this.stateDirOption,
      locks: this.locks,
      auditPaths: (config) => this.auditPaths(config),
      settingsOf: (read) => this.reader.settingsOf(read),
      applyLocked: (config, settings, options) => this.steps.applyLocked(config, settings, options),
    });
  }

  /** Reads of the network (network-read.ts). */
  private readonly reader: NetworkReader;
  /** The step-by-step apply, rollback and confirm (step-apply.ts). */
  private readonly steps: StepApply;
  /** The apply over ssh in two round trips (two-batch-decisions.ts). */
  private readonly twoBatch: TwoBatchApply;

  /** --state-dir: the target's state directory (lock, audit, sessions, confirm markers) instead of the config's default. */
  private readonly stateDirOption: string | undefined;

  get target(): string {
    return this.runner.target;
  }

  readonly confirmation: ConfirmPort = {
    pendingConfirmation: async () => {
      const marker = timerFiles(await this.config()).marker;
      const text = await this.runner.readFile(marker);
      if (text === null) return null;
      const pending = parsePendingChange(marker, text);
      return { revertAt: pending.revertAt, settings: pending.settings };
    },
  };

  /** Ping, blink, statistics, version, date (src/system/linux/diagnostics.ts). */
  get diagnostics(): LinuxDiagnostics {
    return (this.diagnosticsPort ??= new LinuxDiagnostics(this.runner, () => this.config()));
  }

  private diagnosticsPort?: LinuxDiagnostics;

  private async config(): Promise<OtshellConfig> {
    return withStateDir(await loadConfig(this.runner, this.configPath), this.stateDirOption);
  }

  /** What the NTP and backup features use of this adapter (linux/ntp.ts, linux/backup.ts). */
  private get featureDeps(): LinuxFeatureDeps {
    return {
      runner: this.runner,
      target: this.target,
      config: () => this.config(),
      auditPaths: (config) => this.auditPaths(config),
      requireWritable: (what, paths) => this.requirePrivileges(what, paths),
      locked: (by, config, work, held) => this.withLock(by, work, held, config),
      acquireLock: (by) => this.acquireEditLock(by),
    };
  }

  private ntpPort?: LinuxNtp;
  private backupPort?: LinuxBackup;

  get backup(): LinuxBackup {
    return (this.backupPort ??= new LinuxBackup({
      ...this.featureDeps,
      applySettings: (next, by, lock) => this.applyNetworkSettings(next, { by, lock }),
      currentSettings: async () => (await this.getNetworkSettings()).current,
    }));
  }

  get ntp(): LinuxNtp {
    return (this.ntpPort ??= new LinuxNtp(this.featureDeps));
  }

  /** Site readiness probes from this host or the sensor (network requirements). */
  readonly reachability = new LinuxReachability(() => ({ runner: this.runner, configPath: this.configPath }));

  // ------------------------------------------------------------ reads

  listInterfaces(): Promise<NetworkSnapshot> {
    return this.reader.listInterfaces();
  }

  async checkServices({ timeoutMs }: { timeoutMs: number }): Promise<SanityReport> {
    const config = await this.config();
    const text = await this.runner.readFile(config.servicesFile);
    if (text === null) {
      throw new ConfigError(`No services list at ${config.servicesFile} on ${this.target}. Create it (see the README: services.yaml) or set services.file in ${config.path}.`);
    }
    const file = parseServices(text, config.servicesFile);
    return checkServicesOn(this.runner, { ...file, profile: config.profile ?? file.profile }, timeoutMs);
  }

  async getNetworkSettings(): Promise<{ current: NetworkSettings; pending: NetworkSettings | null }> {
    return { current: await this.reader.settingsOf(await this.reader.read()), pending: null };
  }

  // ------------------------------------------------------------ privileges

  /** Root, or CAP_NET_ADMIN with write access to the files (privileges.ts): checked before anything is touched. */
  private requirePrivileges(what: string, paths: string[]): Promise<void> {
    return requirePrivileges(this.runner, what, paths);
  }

  // ------------------------------------------------------------ apply

  async applyNetworkSettings(next: NetworkSettings, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    if (this.privileged) return this.privileged.applyNetworkSettings(checkSettings(next), options.confirmTimeoutSeconds);
    const settings = checkSettings(next);
    // Over ssh every runner call is a round trip: the common case goes in two batches (two-batch-apply.ts).
    if (this.runner.target.startsWith('ssh://')) {
      const fast = await this.twoBatch.applyInTwoBatches(settings, options);
      if (fast) return fast;
    }
    const config = await this.config();
    // Privileges before the lock: a caller who may not change anything never creates it.
    await this.requirePrivileges('Changing the network settings', [dirname(config.netplanFile), dirname(config.path), config.stateDir]);
    return this.withLock(options.by, () => this.steps.applyLocked(config, settings, options), options.lock, config);
  }

  // ------------------------------------------------------------ confirm

  async confirmNetworkSettings(by?: Actor): Promise<{ confirmed: boolean; detail: string }> {
    if (this.privileged) return this.privileged.confirmNetworkSettings();
    const config = await this.config();
    await this.requirePrivileges('Confirming the network settings', [dirname(config.netplanFile), dirname(config.path), config.stateDir]);
    return this.withLock(by, () => this.steps.confirmLocked(config), undefined, config);
  }

  // ------------------------------------------------------------ reboot, shutdown, lock, audit

  reboot(by?: Actor): Promise<void> {
    return this.powerAction('reboot', 'Restarting the sensor', by);
  }

  shutdown(by?: Actor): Promise<void> {
    return this.powerAction('poweroff', 'Powering the sensor off', by);
  }

  /** `systemctl reboot|poweroff` under systemd, else the plain command; privileges checked first, then the lock. */
  private async powerAction(action: 'reboot' | 'poweroff', what: string, by: Actor | undefined): Promise<void> {
    if (this.privileged) return action === 'reboot' ? this.privileged.reboot() : this.privileged.shutdown();
    const config = await this.config();
    await this.requirePrivileges(what, [config.stateDir]);
    await this.withLock(by, () => this.powerActionLocked(action), undefined, config);
  }

  private async powerActionLocked(action: 'reboot' | 'poweroff'): Promise<void> {
    const systemd = (await this.runner.run('test', ['-d', '/run/systemd/system'])).exitCode === 0;
    const [command, args]: [string, string[]] = systemd ? ['systemctl', [action]] : [action, []];
    try {
      const result = await this.runner.run(command, args, { timeoutMs: 15_000 });
      if (result.exitCode !== 0) throw new OtshellError(`${[command, ...args].join(' ')} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`, EXIT.PROBLEM);
    } catch (error) {
      // Over ssh the connection may drop as the sensor goes down: that is the action working.
      if ((error as Error).name !== 'SshConnectionError') throw error;
    }
  }

  /** Root first (a caller who may not change anything never creates the lock), then the lock. */
  async acquireEditLock(by: Actor): Promise<EditLock> {
    // Through the helper the lock lives in root's state directory: the helper holds it for the apply itself.
    if (this.privileged) return { release: async () => {} };
    const config = await this.config();
    await this.requirePrivileges('Changing the network settings', [dirname(config.netplanFile), dirname(config.path), config.stateDir]);
    this.lockConfig = config;
    return this.locks.acquire(by, () => this.completeInterrupted(config));
  }

  private withLock<T>(by: Actor | undefined, work: () => Promise<T>, held?: EditLock, config?: OtshellConfig): Promise<T> {
    this.lockConfig = config ?? null; // read synchronously when the lock is taken (locks.with calls it at once)
    return this.locks.with(by, work, () => this.completeInterrupted(config), held);
  }

  private auditPaths(config: OtshellConfig): AuditPaths {
    return { log: join(config.stateDir, AUDIT_FILE), intent: join(config.stateDir, INTENT_FILE) };
  }

  /** With the lock held: a change cut short (its intent left on the target) goes into the audit log as interrupted. */
  private async completeInterrupted(known?: OtshellConfig): Promise<void> {
    const config = known ?? (await this.config());
    const paths = this.auditPaths(config);
    if ((await this.runner.ageSeconds(paths.intent)) === null) return;
    await completeIntent(this.runner, paths, async () => (await this.getNetworkSettings()).current, async (action) =>
      action.action.startsWith('ntp-') ? ntpShownNow(this.runner, config) : undefined,
    );
  }

  /**
   * Without the lock: completes an interrupted change unless someone holds the
   * lock (it is theirs, in flight) or this session may not write (no root).
   */
  private async recoverIfIdle(): Promise<void> {
    if (this.locks.held) return;
    try {
      const paths = this.auditPaths(await this.config());
      if ((await this.runner.ageSeconds(paths.intent)) === null) return;
      await this.withLock({ user: 'otshell (completing an interrupted change)' }, async () => {});
    } catch (error) {
      if (isLockHeld(error)) return;
      // Not ours to fix from here (no rights, unreadable): the next privileged session completes it.
    }
  }

  async readAudit(): Promise<AuditLog> {
    const config = await this.config();
    await this.recoverIfIdle();
    const [log, reverted] = await Promise.all([
      this.runner.readFile(join(config.stateDir, AUDIT_FILE)),
      this.runner.readFile(timerFiles(config).revertedLog),
    ]);
    return markReverted(parseAuditLogDetailed(log ?? ''), reverted ?? '');
  }

  // Passwords, the root shell and the session audit: src/system/linux/sessions.ts.
  private get sessions(): LinuxSessions {
    return (this.sessionsPart ??= new LinuxSessions({ runner: this.runner, privileged: this.privileged, stateDir: async () => (await this.config()).stateDir }));
  }
  private sessionsPart?: LinuxSessions;

  changePassword(user: string, current: string, next: string, by?: Actor): Promise<void> {
    return this.sessions.changePassword(user, current, next, by);
  }

  async unlockSource(): Promise<boolean> {
    throw new OtshellError('On a real host, sign-in locks are the operating system\'s (faillock --reset); otshell cannot clear them yet.', EXIT.UNAVAILABLE);
  }

  openRootShell(by?: Actor): Promise<number> {
    return this.sessions.openRootShell(by);
  }

  recordSession(event: SessionEvent): Promise<void> {
    return this.sessions.recordSession(event);
  }

  readSessions(): Promise<SessionEvent[]> {
    return this.sessions.readSessions();
  }

  async close(): Promise<void> {
    await this.runner.close();
  }
}
