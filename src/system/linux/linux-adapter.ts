// The SystemAdapter for real Linux sensors: `--target local` (LocalRunner) and
// `--target ssh://user@host[:port]` (SshRunner). One logic over the runner:
// iproute2 JSON for reads, netplan for persistence, iproute2 for runtime apply,
// exact rollback on failure and confirm-or-revert with a detached timer.
import { LinuxCapture } from './capture.js';
import type { CapturePort } from '../capture-port.js';
import { randomBytes } from 'node:crypto';
import { join, dirname } from 'node:path';
import type {
  Actor, ApplyOptions, ApplyOutcome, AuditLog, EditLock, InterfaceRole, NetworkSettings, NetworkSnapshot, SanityReport, SessionEvent, SystemAdapter,
} from '../adapter.js';
import { acquireLock, AdapterLock, isLockHeld, localHolder } from '../edit-lock.js';
import { backupPlan, dropIntentAndRelease, LOCK_FILE, readAndLock, stepLines, writeApplyAudit, type FastLock, type LockedRead } from './two-batch-apply.js';
import { critical } from '../critical-section.js';
import { userInfo } from 'node:os';
import { applyAudited, AuditUnavailableError, auditFields, AUDIT_FILE, completeIntent, INTENT_FILE, parseAuditLogDetailed, type AuditPaths } from '../audit-log.js';
import { checkInterfaceName, checkIpv4, checkPath, checkPid, checkPrefixLength, InvalidValueError } from './checks.js';
import { withStateDir } from './state-dir-option.js';
import { markReverted } from './confirm-status.js';
import type { ConfirmPort } from '../confirm-port.js';
import { configWithRoles, ConfigError, loadConfig, parseConfig, type OtshellConfig, DEFAULT_CONFIG_PATH, DEFAULT_NETPLAN_FILE } from './config.js';
import {
  CommandFailedError, defaultGateway, ipJsonOf, LINKS_COMMAND, readLinks, readRoutes, restorePlan, ROUTES_COMMAND, runSteps, snapshotKey, snapshotOf,
  takeSnapshot, toInterface, type IpLink, type IpRoute, type RuntimeSnapshot, type Step,
} from './iproute.js';
import { backupNumbered, parseNetplan, renderNetplan } from './netplan.js';
import { revertScript, type TimerFiles } from './revert-timer.js';
import { settledValue, type Runner } from './runner.js';
import { EXIT, OtshellError } from '../../errors.js';
import type { PrivilegedClient } from './privileged/client.js';
import { LinuxNtp, ntpShownNow, type LinuxFeatureDeps } from './ntp.js';
import { LinuxBackup } from './backup.js';
import { checkServicesOn, parseServices } from './services.js';
import { LinuxSessions } from './sessions.js';
import { broadcastOf } from '../../net/ipv4.js';
import { LinuxDiagnostics } from './diagnostics.js';
import { LinuxReachability } from './reachability.js';

/** A change that needs privileges the session does not have; nothing was touched. Exit 77, EX_NOPERM. */
export class NeedsRootError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.NO_PERMISSION);
  }
}

/** Applying failed midway; the message says what failed and how the rollback went. */
export class ApplyFailedError extends OtshellError {
  constructor(
    message: string,
    /** The rollback did not bring the previous state back: the change's intent stays for the audit log. */
    readonly rollbackIncomplete = false,
  ) {
    super(message, EXIT.PROBLEM);
  }
}

interface PendingChange {
  id: string;
  revertAt: string;
  startedAt: string;
  settings: NetworkSettings;
  netplanFile: string;
  netplanText: string;
  configPath: string;
  configText: string;
}

/**
 * The confirm-or-revert marker as written by applyNetworkSettings. A corrupt one
 * (edited, truncated) is an environment problem: exit 78 naming the file.
 */
export function parsePendingChange(path: string, text: string): PendingChange {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const pending = value as Partial<PendingChange> | null;
  const strings = ['id', 'revertAt', 'startedAt', 'netplanFile', 'netplanText', 'configPath', 'configText'] as const;
  if (
    pending === null ||
    typeof pending !== 'object' ||
    strings.some((key) => typeof pending[key] !== 'string') ||
    typeof pending.settings !== 'object' ||
    pending.settings === null
  ) {
    throw new OtshellError(
      `The confirm-or-revert marker ${path} is corrupt (not the record otshell writes). Check the network settings, then remove the file.`,
      EXIT.CONFIG,
    );
  }
  return pending as PendingChange;
}

const CAP_NET_ADMIN = 12n;
const ROLLBACK_INCOMPLETE = 'Rollback incomplete';
/** The most file text (old and new netplan and config) the two-batch apply passes in its script's arguments (see applyBatched). */
const MAX_BATCHED_TEXT = 96 * 1024;
const RESOLV_CONF = '/etc/resolv.conf';

/** What network list and the settings are made of, read at once. */
interface NetworkRead {
  config: OtshellConfig;
  links: IpLink[];
  routes: IpRoute[];
  /** otshell's netplan file; null when missing or unreadable (0600 without root: the runtime state stands in). */
  netplan: string | null;
  resolv: string | null;
}

export class LinuxAdapter implements SystemAdapter {
  private readonly configPath: string;
  /** The one lock of every state change, in the target's state directory. */
  private readonly locks = new AdapterLock(async (by) => {
    // Taken by the apply's first batch (two-batch-apply.ts): handed over as is.
    const pretaken = this.pretakenLock;
    this.pretakenLock = null;
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
  }

  /** --state-dir: the target's state directory (lock, audit, sessions, confirm markers) instead of the config's default. */
  private readonly stateDirOption: string | undefined;

  get target(): string {
    return this.runner.target;
  }

  readonly confirmation: ConfirmPort = {
    pendingConfirmation: async () => {
      const marker = this.timerFiles(await this.config()).marker;
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

  private networkRead: Promise<NetworkRead> | null = null;

  /**
   * The config, ip addr, ip route, otshell's netplan file and resolv.conf in one
   * runner.batch: over ssh one round trip instead of five. The netplan file is
   * read at its default path speculatively; only a config that names another
   * file costs a second read. Callers at the same moment (network validate asks
   * for the settings and the list together) share one batch.
   */
  private readNetwork(): Promise<NetworkRead> {
    this.networkRead ??= this.batchNetworkRead().finally(() => {
      this.networkRead = null;
    });
    return this.networkRead;
  }

  private async batchNetworkRead(): Promise<NetworkRead> {
    checkPath(this.configPath, 'config file');
    const { results, files } = await this.runner.batch([LINKS_COMMAND, ROUTES_COMMAND], [this.configPath, DEFAULT_NETPLAN_FILE, RESOLV_CONF]);
    const config = withStateDir(parseConfig(this.configPath, settledValue(files[0]!)), this.stateDirOption);
    const links = ipJsonOf<IpLink[]>(LINKS_COMMAND, results[0]!);
    const routes = ipJsonOf<IpRoute[]>(ROUTES_COMMAND, results[1]!);
    const netplan = config.netplanFile === DEFAULT_NETPLAN_FILE ? quietly(files[1]!) : await this.readNetplanQuietly(config);
    return { config, links, routes, netplan, resolv: quietly(files[2]!) };
  }

  async listInterfaces(): Promise<NetworkSnapshot> {
    const { config, links, routes, netplan, resolv } = await this.readNetwork();
    const management = managementOf(config, routes, links);
    const dns = await this.dnsServers(management, netplan, resolv);
    return {
      interfaces: links.map((link) => toInterface(link, roleOf(link, config, management))),
      gateway: defaultGateway(routes),
      dns,
    };
  }

  /** DNS: otshell's netplan file, else resolvectl (systemd-resolved's stub), else /etc/resolv.conf. */
  private async dnsServers(management: string | null, netplan: string | null, resolvText: string | null): Promise<string[]> {
    if (netplan !== null && management) {
      const values = parseNetplan(netplan, management);
      if (values.dns && values.dns.length > 0) return values.dns;
    }
    const resolv = resolvText ?? '';
    const servers = [...resolv.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!).filter((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s));
    if (servers.length > 0 && servers.every((s) => s.startsWith('127.0.0.5'))) {
      const result = await this.runner.run('resolvectl', ['dns'], { timeoutMs: 3000 });
      if (result.exitCode === 0) {
        const upstream = [...new Set([...result.stdout.matchAll(/\b(\d+\.\d+\.\d+\.\d+)\b/g)].map((m) => m[1]!))];
        if (upstream.length > 0) return upstream;
      }
    }
    return servers;
  }

  /** netplan files are private (0600): without root, reads fall back to the runtime state. */
  private async readNetplanQuietly(config: OtshellConfig): Promise<string | null> {
    try {
      return await this.runner.readFile(config.netplanFile);
    } catch {
      return null;
    }
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
    return { current: await this.settingsOf(await this.readNetwork()), pending: null };
  }

  /** The settings shown now, from one read of the network (readNetwork or the apply's first batch). */
  private async settingsOf({ config, links, routes, netplan: netplanText, resolv }: NetworkRead): Promise<NetworkSettings> {
    const management = managementOf(config, routes, links);
    if (!management) throw new ConfigError(`No management interface: set roles.management in ${config.path}.`);
    const link = links.find((l) => l.ifname === management);
    const runtime = link?.addr_info?.find((a) => a.family === 'inet');
    const fromFile = netplanText ? parseNetplan(netplanText, management) : { ip: null, prefixLength: null, gateway: null, dns: null };
    const current: NetworkSettings = {
      managementInterface: management,
      ip: fromFile.ip ?? runtime?.local ?? '0.0.0.0',
      prefixLength: fromFile.prefixLength ?? runtime?.prefixlen ?? 24,
      gateway: fromFile.gateway ?? defaultGateway(routes) ?? '0.0.0.0',
      dns: fromFile.dns ?? (await this.dnsServers(management, netplanText, resolv)),
      inputInterfaces: config.roles.monitor.length > 0 ? config.roles.monitor : links.filter((l) => l.flags.includes('PROMISC')).map((l) => l.ifname),
      bridgeInterface: config.roles.bridge,
    };
    return current;
  }

  // ------------------------------------------------------------ privileges

  /** Root, or CAP_NET_ADMIN with write access to the files: checked before anything is touched. */
  private async requirePrivileges(what: string, paths: string[]): Promise<void> {
    const status = (await this.runner.readFile('/proc/self/status')) ?? '';
    const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const capEff = /^CapEff:\s+([0-9a-f]+)/m.exec(status)?.[1];
    const netAdmin = capEff !== undefined && (BigInt(`0x${capEff}`) >> CAP_NET_ADMIN) & 1n;
    const hint = this.target === 'local' ? 'run otshell as root ("sudo otshell ...")' : 'connect as root (ssh://root@...) or a user with sudo rights set up for otshell';
    if (!netAdmin) {
      throw new NeedsRootError(`${what} needs root (or CAP_NET_ADMIN) on ${this.target}; ${hint}. Nothing was changed.`);
    }
    for (const path of paths) {
      if (!(await this.runner.canWrite(path))) {
        throw new NeedsRootError(`${what} needs root on ${this.target}: ${path} is not writable for ${uid === 0 ? 'root here' : `uid ${uid}`}; ${hint}. Nothing was changed.`);
      }
    }
  }

  // ------------------------------------------------------------ apply

  async applyNetworkSettings(next: NetworkSettings, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    if (this.privileged) return this.privileged.applyNetworkSettings(checkSettings(next), options.confirmTimeoutSeconds);
    const settings = checkSettings(next);
    // Over ssh every runner call is a round trip: the common case goes in two batches (two-batch-apply.ts).
    if (this.runner.target.startsWith('ssh://')) {
      const fast = await this.applyInTwoBatches(settings, options);
      if (fast) return fast;
    }
    const config = await this.config();
    // Privileges before the lock: a caller who may not change anything never creates it.
    await this.requirePrivileges('Changing the network settings', [dirname(config.netplanFile), dirname(config.path), config.stateDir]);
    return this.withLock(options.by, () => this.applyLocked(config, settings, options), options.lock, config);
  }

  /** The lock record to put in place by the first batch, when the apply takes the lock itself. */
  private pretakenLock: EditLock | null = null;

  /**
   * The apply in two round trips (issue #14; two-batch-apply.ts): batch 1 checks
   * the rights, takes the lock and reads everything; batch 2 writes the intent,
   * the backup and the files, runs the ip steps with rollback, and writes the
   * audit line. null: this case goes step by step (the lock held by someone,
   * no rights, an interrupted change to complete, confirm-or-revert, ...); the
   * lock taken here is given back first.
   */
  private async applyInTwoBatches(settings: NetworkSettings, options: ApplyOptions): Promise<ApplyOutcome | null> {
    const callerHolds = options.lock !== undefined && this.locks.held;
    const holder = callerHolds ? null : localHolder(options.by ?? { user: userName() });
    const read = await readAndLock(this.runner, {
      configPath: this.configPath, stateDirOption: this.stateDirOption, holder, links: LINKS_COMMAND, routes: ROUTES_COMMAND, resolv: RESOLV_CONF,
    });
    const fastLock = read.lock;
    if (holder && !fastLock) return null;
    let parsed: { config: OtshellConfig; links: IpLink[]; routes: IpRoute[] } | null = null;
    try {
      parsed = {
        config: withStateDir(parseConfig(this.configPath, settledValue(read.config)), this.stateDirOption),
        links: ipJsonOf<IpLink[]>(LINKS_COMMAND, read.links),
        routes: ipJsonOf<IpRoute[]>(ROUTES_COMMAND, read.routes),
      };
    } catch {
      // A config or ip output the step-by-step code reports better.
    }
    const { config, links, routes } = parsed ?? { config: null, links: [], routes: [] };
    const usual =
      config !== null && config.stateDir === read.stateDir && config.netplanFile === read.netplanFile && links.length > 0 &&
      read.marker.exitCode === 3 && read.intent.exitCode === 3 && [0, 3].includes(read.netplan.exitCode);
    if (!usual || config === null) {
      await fastLock?.release();
      return null;
    }
    if (fastLock) this.pretakenLock = fastLock;
    const token = fastLock ? await this.locks.acquire(options.by) : undefined;
    try {
      return await this.applyBatched(config, settings, options, { links, routes, read, fastLock, lock: token ?? options.lock });
    } finally {
      await token?.release();
    }
  }

  private async applyBatched(
    config: OtshellConfig,
    settings: NetworkSettings,
    options: ApplyOptions,
    batch1: { links: IpLink[]; routes: IpRoute[]; read: LockedRead; fastLock: FastLock | null; lock: EditLock | undefined },
  ): Promise<ApplyOutcome> {
    const { links, routes, read } = batch1;
    const names = new Set(links.map((l) => l.ifname));
    for (const name of [settings.managementInterface, ...settings.inputInterfaces, ...(settings.bridgeInterface ? [settings.bridgeInterface] : [])]) {
      if (!names.has(name)) throw new InvalidValueError(`There is no interface named "${name}" on ${this.target}. Nothing was changed.`);
    }
    const oldMonitors = config.roles.monitor.filter((n) => names.has(n));
    const oldBridge = config.roles.bridge && names.has(config.roles.bridge) ? config.roles.bridge : null;
    const touched = unique([settings.managementInterface, ...oldMonitors, ...settings.inputInterfaces, ...(oldBridge ? [oldBridge] : []), ...(settings.bridgeInterface ? [settings.bridgeInterface] : [])]);
    const snapshot = snapshotOf(links, routes, touched);
    const forward = forwardPlan(settings, snapshot, routes, oldMonitors);
    const restore = restorePlan(snapshot);
    const serverAddress = read.sshConnection.trim().split(/\s+/)[2];
    const carrier = serverAddress ? links.find((l) => (l.addr_info ?? []).some((a) => a.local === serverAddress)) : undefined;
    const confirmSeconds = options.confirmTimeoutSeconds ?? (carrier && touched.includes(carrier.ifname) ? config.confirmTimeoutSeconds : undefined);
    const forwardLines = stepLines(forward);
    const restoreLines = stepLines(restore);
    // Confirm-or-revert (a timer on the target) and unusual steps: step by step, under the lock held now.
    if (confirmSeconds !== undefined || forwardLines === null || restoreLines === null) return this.applyLocked(config, settings, { ...options, ...(batch1.lock ? { lock: batch1.lock } : {}) });

    const previousNetplan = read.netplan.exitCode === 0 ? read.netplan.stdout : null;
    const netplanText = renderNetplan(settings, config.netplanFile);
    const configText = configWithRoles(config, { management: settings.managementInterface, monitor: settings.inputInterfaces, bridge: settings.bridgeInterface });
    // The texts travel inside one remote command line (sshd hands it to the shell as one
    // argument: 128 KiB at most on Linux): files grown past that go step by step.
    if ([previousNetplan ?? '', config.text ?? '', netplanText, configText].reduce((sum, text) => sum + Buffer.byteLength(text), 0) > MAX_BATCHED_TEXT) {
      return this.applyLocked(config, settings, { ...options, ...(batch1.lock ? { lock: batch1.lock } : {}) });
    }
    const old = options.old ?? (await this.settingsOf({ config, links, routes, netplan: previousNetplan, resolv: quietly(read.resolv) }));
    const record = { id: randomBytes(8).toString('hex'), ...auditFields(options.by, this.target, old, settings) };
    const paths = this.auditPaths(config);
    const result = await critical(() =>
      writeApplyAudit(
        this.runner,
        {
          stateDir: config.stateDir, release: batch1.fastLock?.line ?? null, netplanFile: config.netplanFile, configPath: config.path,
          intentText: `${JSON.stringify(record)}\n`, auditLine: JSON.stringify(record),
          netplanText,
          configText,
          previousNetplan, previousConfig: config.text,
          backup: previousNetplan === null ? null : backupPlan(config.netplanFile, read.netplanDir),
          forward: forwardLines, restore: restoreLines,
        },
        { links: LINKS_COMMAND, routes: ROUTES_COMMAND },
      ),
    );
    const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
    switch (result.kind) {
      case 'applied':
      case 'audit-line-failed':
        if (result.released) batch1.fastLock?.releasedRemotely();
        if (result.kind === 'applied') return { kind: 'applied' };
        throw new AuditUnavailableError(
          `The settings were applied, but their audit line could not be written to ${paths.log}. The change is kept in ${paths.intent} and recorded as interrupted once the log can be written.`,
        );
      case 'no-audit':
        throw new AuditUnavailableError(`The audit log ${paths.log} cannot be written (${lastLine(result.stderr) || 'no reason given'}). Nothing was applied.`);
      case 'no-intent':
        throw new AuditUnavailableError(`The change record ${paths.intent} cannot be written (${lastLine(result.stderr) || 'no reason given'}). Nothing was applied.`);
      case 'failed': {
        const step = result.step === null ? undefined : forward[result.step - 1];
        const what = step ? `${step.label} failed: ${lastLine(result.stderr) || 'no reason given'}` : `Cannot write ${result.file} on ${this.target}: ${result.stderr.trim()}`;
        const problems = result.restoreProblems.filter((p) => p.startsWith('file ')).map((p) => `could not restore ${p.slice(5)}`);
        let after: RuntimeSnapshot | null = null;
        try {
          after = snapshotOf(ipJsonOf<IpLink[]>(LINKS_COMMAND, result.links), ipJsonOf<IpRoute[]>(ROUTES_COMMAND, result.routes), touched);
        } catch (error) {
          problems.push(`could not read the state back: ${(error as Error).message}`);
        }
        if (after && snapshotKey(after) !== snapshotKey(snapshot)) {
          const failedSteps = result.restoreProblems.filter((p) => /^\d+ /.test(p)).map((p) => {
            const [n, ...text] = p.split(' ');
            return `${restore[Number(n) - 1]?.label ?? 'a restore step'}: ${text.join(' ')}`;
          });
          problems.push(...failedSteps, 'the runtime state differs from before');
        }
        const report =
          problems.length === 0
            ? 'The change was rolled back: the previous addresses, routes, link states and files are back.'
            : `${ROLLBACK_INCOMPLETE}: ${problems.join('; ')}. Check the interfaces with "network list".`;
        // As applyAudited: the intent stays only when the rollback did not bring the old state back.
        if (problems.length === 0) await dropIntentAndRelease(this.runner, paths.intent, batch1.fastLock, join(config.stateDir, LOCK_FILE)).catch(() => {});
        throw new ApplyFailedError(`${what.replace(/\.$/, '')}. ${report}`, problems.length > 0);
      }
      default:
        throw new ApplyFailedError(
          `The change on ${this.target} did not report how it ended (${lastLine(result.stderr) || 'no output'}). Check the interfaces with "network list"; ${paths.intent} records it.`,
          true,
        );
    }
  }

  private async applyLocked(config: OtshellConfig, settings: NetworkSettings, options: ApplyOptions): Promise<ApplyOutcome> {
    const files = this.timerFiles(config);
    const existing = await this.runner.readFile(files.marker);
    if (existing !== null) {
      const pending = parsePendingChange(files.marker, existing);
      throw new ApplyFailedError(`A change is waiting for confirmation until ${pending.revertAt}: run "network confirm" or let it revert first. Nothing was changed.`);
    }

    const [links, routes] = await Promise.all([readLinks(this.runner), readRoutes(this.runner)]);
    const names = new Set(links.map((l) => l.ifname));
    for (const name of [settings.managementInterface, ...settings.inputInterfaces, ...(settings.bridgeInterface ? [settings.bridgeInterface] : [])]) {
      if (!names.has(name)) throw new InvalidValueError(`There is no interface named "${name}" on ${this.target}. Nothing was changed.`);
    }
    const oldMonitors = config.roles.monitor.filter((n) => names.has(n));
    const oldBridge = config.roles.bridge && names.has(config.roles.bridge) ? config.roles.bridge : null;
    const touched = unique([settings.managementInterface, ...oldMonitors, ...settings.inputInterfaces, ...(oldBridge ? [oldBridge] : []), ...(settings.bridgeInterface ? [settings.bridgeInterface] : [])]);
    const snapshot = snapshotOf(links, routes, touched);
    const forward = forwardPlan(settings, snapshot, routes, oldMonitors);

    const netplanText = renderNetplan(settings, config.netplanFile);
    const configText = configWithRoles(config, { management: settings.managementInterface, monitor: settings.inputInterfaces, bridge: settings.bridgeInterface });

    const confirmSeconds = options.confirmTimeoutSeconds ?? ((await this.sessionUses(links, touched)) ? config.confirmTimeoutSeconds : undefined);
    if (confirmSeconds !== undefined && (!Number.isFinite(confirmSeconds) || confirmSeconds < 1 || confirmSeconds > 3600)) {
      throw new InvalidValueError(`The confirm timeout must be 1 to 3600 seconds, not ${confirmSeconds}.`);
    }
    const old = options.old ?? (await this.getNetworkSettings()).current;
    // One id for the audit line and the revert timer: a revert is then matched to its audit entry.
    const id = randomBytes(8).toString('hex');
    return applyAudited(
      this.runner,
      this.auditPaths(config),
      auditFields(options.by, this.target, old, settings),
      () => this.applyChecked(config, settings, { id, files, snapshot, touched, forward, netplanText, configText, confirmSeconds }),
      id,
    );
  }

  private async applyChecked(
    config: OtshellConfig,
    settings: NetworkSettings,
    plan: { id: string; files: TimerFiles; snapshot: RuntimeSnapshot; touched: string[]; forward: Step[]; netplanText: string; configText: string; confirmSeconds: number | undefined },
  ): Promise<ApplyOutcome> {
    const { id, files, snapshot, touched, forward, netplanText, configText, confirmSeconds } = plan;
    if (confirmSeconds === undefined) {
      const previousNetplan = await this.runner.readFile(config.netplanFile);
      try {
        await this.writeFiles(config, netplanText, configText, previousNetplan);
        await runSteps(this.runner, forward);
      } catch (error) {
        const report = await this.rollback(snapshot, touched, [
          [config.netplanFile, previousNetplan, 0o600],
          [config.path, config.text, 0o644],
        ]);
        throw new ApplyFailedError(`${describe(error)}. ${report}`, report.startsWith(ROLLBACK_INCOMPLETE));
      }
      return { kind: 'applied' };
    }

    // Confirm-or-revert: the timer starts before anything changes, so even a
    // session that dies midway gets its previous settings back. Files are
    // written only on confirm, so a restart during the countdown boots the old ones.
    const now = Date.now();
    const revertAt = new Date(now + confirmSeconds * 1000).toISOString();
    const pending: PendingChange = {
      id, revertAt, startedAt: new Date(now).toISOString(), settings,
      netplanFile: config.netplanFile, netplanText, configPath: config.path, configText,
    };
    const script = join(config.stateDir, 'revert-timer.sh');
    await this.runner.writeFileAtomic(script, revertScript({ id, seconds: confirmSeconds, files, steps: restorePlan(snapshot), revertAt }), 0o700);
    if (!(await this.runner.createExclusive(files.marker, `${JSON.stringify(pending)}\n`))) {
      throw new ApplyFailedError('Another change started waiting for confirmation just now. Nothing was changed.');
    }
    await this.runner.remove(files.lastRevert);
    await this.runner.spawnDetached('sh', [script]);
    try {
      await runSteps(this.runner, forward);
    } catch (error) {
      // Take the marker back so the timer stands down, and roll back now.
      const ours = await this.runner.rename(files.marker, `${files.marker}.cancelled`);
      if (ours) {
        await this.stopTimer(files);
        await this.runner.remove(`${files.marker}.cancelled`);
      }
      const report = await this.rollback(snapshot, touched, []);
      throw new ApplyFailedError(`${describe(error)}. ${report}`, report.startsWith(ROLLBACK_INCOMPLETE));
    }
    return { kind: 'awaiting-confirmation', revertAt };
  }

  /** Whether this session's SSH connection arrives on an interface the change touches. */
  private async sessionUses(links: IpLink[], touched: string[]): Promise<boolean> {
    const connection = await this.runner.sessionEnv('SSH_CONNECTION');
    const serverAddress = connection?.trim().split(/\s+/)[2];
    if (!serverAddress) return false;
    const carrier = links.find((l) => (l.addr_info ?? []).some((a) => a.local === serverAddress));
    return carrier !== undefined && touched.includes(carrier.ifname);
  }

  private async writeFiles(config: OtshellConfig, netplanText: string, configText: string, previousNetplan: string | null): Promise<void> {
    if (previousNetplan !== null) await backupNumbered(this.runner, config.netplanFile, previousNetplan);
    // netplan wants its files private (0600): they may hold secrets such as Wi-Fi keys.
    await this.runner.writeFileAtomic(config.netplanFile, netplanText, 0o600);
    await this.runner.writeFileAtomic(config.path, configText, 0o644);
  }

  /** Puts back the snapshot and the files; says whether the state now equals the snapshot. */
  private async rollback(snapshot: RuntimeSnapshot, touched: string[], files: [string, string | null, number][]): Promise<string> {
    const problems: string[] = [];
    for (const [path, text, mode] of files) {
      try {
        if (text === null) await this.runner.remove(path);
        else await this.runner.writeFileAtomic(path, text, mode);
      } catch (error) {
        problems.push(`could not restore ${path}: ${(error as Error).message}`);
      }
    }
    const { failed } = await runSteps(this.runner, restorePlan(snapshot));
    let after: RuntimeSnapshot | null = null;
    try {
      after = await takeSnapshot(this.runner, touched);
    } catch (error) {
      problems.push(`could not read the state back: ${(error as Error).message}`);
    }
    if (after && snapshotKey(after) !== snapshotKey(snapshot)) {
      problems.push(...failed.map((f) => `${f.step.label}: ${f.stderr.trim()}`), 'the runtime state differs from before');
    }
    return problems.length === 0
      ? 'The change was rolled back: the previous addresses, routes, link states and files are back.'
      : `${ROLLBACK_INCOMPLETE}: ${problems.join('; ')}. Check the interfaces with "network list".`;
  }

  // ------------------------------------------------------------ confirm

  private timerFiles(config: OtshellConfig): TimerFiles {
    return {
      marker: join(config.stateDir, 'pending-confirmation.json'),
      claim: join(config.stateDir, 'pending-confirmation.reverting'),
      pidFile: join(config.stateDir, 'revert-timer.pid'),
      lastRevert: join(config.stateDir, 'last-revert'),
      revertedLog: join(config.stateDir, 'reverted.log'),
    };
  }

  private async stopTimer(files: TimerFiles): Promise<void> {
    const pid = (await this.runner.readFile(files.pidFile))?.trim();
    if (pid) {
      try {
        await this.runner.run('kill', ['-TERM', String(checkPid(pid))]);
      } catch {
        // already gone
      }
    }
    await this.runner.remove(files.pidFile);
  }

  async confirmNetworkSettings(by?: Actor): Promise<{ confirmed: boolean; detail: string }> {
    if (this.privileged) return this.privileged.confirmNetworkSettings();
    const config = await this.config();
    await this.requirePrivileges('Confirming the network settings', [dirname(config.netplanFile), dirname(config.path), config.stateDir]);
    return this.withLock(by, () => this.confirmLocked(config), undefined, config);
  }

  private async confirmLocked(config: OtshellConfig): Promise<{ confirmed: boolean; detail: string }> {
    const files = this.timerFiles(config);
    const text = await this.runner.readFile(files.marker);
    const pending = text === null ? null : parsePendingChange(files.marker, text); // corrupt: refused before it is taken
    const taken = `${files.marker}.confirming`;
    if (pending === null || !(await this.runner.rename(files.marker, taken))) {
      const last = (await this.runner.readFile(files.lastRevert))?.trim().split(' ');
      return {
        confirmed: false,
        detail: last?.[1]
          ? `Nothing to confirm: the last change was not confirmed in time and was reverted at ${last[1]}.`
          : 'Nothing to confirm: no network change is waiting for confirmation.',
      };
    }
    await this.stopTimer(files);
    const previousNetplan = await this.runner.readFile(pending.netplanFile);
    await this.writeFiles({ ...config, netplanFile: pending.netplanFile, path: pending.configPath }, pending.netplanText, pending.configText, previousNetplan);
    await this.runner.remove(taken);
    const s = pending.settings;
    return {
      confirmed: true,
      detail: `Confirmed: ${s.managementInterface} ${s.ip}/${s.prefixLength} via ${s.gateway} is kept and saved to ${pending.netplanFile}.`,
    };
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
      this.runner.readFile(this.timerFiles(config).revertedLog),
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

// ------------------------------------------------------------ helpers

/** A read's text, or null when it failed. */
function quietly(settled: PromiseSettledResult<string | null>): string | null {
  return settled.status === 'fulfilled' ? settled.value : null;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function describe(error: unknown): string {
  if (error instanceof CommandFailedError) return error.message.replace(/\.$/, '');
  return (error as Error).message.replace(/\.$/, '');
}

export function checkSettings(next: NetworkSettings): NetworkSettings {
  const prefixLength = checkPrefixLength(next.prefixLength);
  if (prefixLength < 1) throw new InvalidValueError('The prefix length must be 1 to 32.');
  if (!Array.isArray(next.dns) || next.dns.length > 3) throw new InvalidValueError('Give at most three DNS servers.');
  return {
    managementInterface: checkInterfaceName(next.managementInterface),
    ip: checkIpv4(next.ip),
    prefixLength,
    gateway: checkIpv4(next.gateway, 'gateway'),
    dns: next.dns.map((d) => checkIpv4(d, 'DNS server')),
    inputInterfaces: unique(next.inputInterfaces.map((n) => checkInterfaceName(n))),
    bridgeInterface: next.bridgeInterface === null ? null : checkInterfaceName(next.bridgeInterface),
  };
}

/** Management: from the config, else the default route's interface, else the first non-loopback with an address. */
function managementOf(config: OtshellConfig, routes: IpRoute[], links: IpLink[]): string | null {
  if (config.roles.management) return config.roles.management;
  const viaDefault = routes.find((r) => r.dst === 'default' && r.dev)?.dev;
  if (viaDefault) return viaDefault;
  return links.find((l) => !l.flags.includes('LOOPBACK') && (l.addr_info ?? []).some((a) => a.family === 'inet'))?.ifname ?? null;
}

function roleOf(link: IpLink, config: OtshellConfig, management: string | null): InterfaceRole {
  if (link.flags.includes('LOOPBACK')) return 'loopback';
  if (link.ifname === management) return 'management';
  if (config.roles.monitor.includes(link.ifname)) return 'monitor';
  if (config.roles.bridge === link.ifname) return 'bridge';
  if (config.roles.monitor.length === 0 && link.flags.includes('PROMISC')) return 'monitor';
  return 'unused';
}

/**
 * The runtime change, in an order that keeps the kernel happy: the management
 * link up; addresses that go away removed first (deleting a primary address
 * would take same-subnet secondaries with it); the new address; monitor links
 * up and promiscuous, dropped monitors out of promisc; the bridge link up; and
 * the default route last (the kernel checks the gateway against the addresses).
 */
export function forwardPlan(next: NetworkSettings, snapshot: RuntimeSnapshot, routes: IpRoute[], oldMonitors: string[]): Step[] {
  const m = next.managementInterface;
  const current = snapshot.links.find((l) => l.name === m)!;
  const steps: Step[] = [{ label: `bringing ${m} up`, argv: ['ip', 'link', 'set', 'dev', m, 'up'] }];
  for (const a of current.ipv4) {
    if (a.address === next.ip && a.prefixLength === next.prefixLength) continue;
    steps.push({ label: `removing ${a.address}/${a.prefixLength} from ${m}`, argv: ['ip', 'addr', 'del', `${a.address}/${a.prefixLength}`, 'dev', m] });
  }
  steps.push({
    label: `setting ${next.ip}/${next.prefixLength} on ${m}`,
    argv: ['ip', 'addr', 'replace', `${next.ip}/${next.prefixLength}`, 'broadcast', broadcastOf(next.ip, next.prefixLength), 'dev', m],
  });
  for (const name of next.inputInterfaces) {
    steps.push({ label: `bringing monitor interface ${name} up in promiscuous mode`, argv: ['ip', 'link', 'set', 'dev', name, 'up', 'promisc', 'on'] });
  }
  for (const name of oldMonitors.filter((n) => !next.inputInterfaces.includes(n) && n !== m)) {
    steps.push({ label: `taking ${name} out of promiscuous mode`, argv: ['ip', 'link', 'set', 'dev', name, 'promisc', 'off'] });
  }
  if (next.bridgeInterface) {
    steps.push({ label: `bringing bridge interface ${next.bridgeInterface} up`, argv: ['ip', 'link', 'set', 'dev', next.bridgeInterface, 'up'] });
  }
  for (const r of routes.filter((r) => r.dst === 'default' && !(r.gateway === next.gateway && r.dev === m && !r.metric))) {
    const args = ['default', ...(r.gateway ? ['via', checkIpv4(r.gateway)] : []), ...(r.dev ? ['dev', checkInterfaceName(r.dev)] : []), ...(r.metric !== undefined ? ['metric', String(r.metric)] : [])];
    steps.push({ label: `removing the old default route${r.gateway ? ` via ${r.gateway}` : ''}`, argv: ['ip', 'route', 'del', ...args], tolerant: true });
  }
  steps.push({ label: `setting the default gateway ${next.gateway} on ${m}`, argv: ['ip', 'route', 'replace', 'default', 'via', next.gateway, 'dev', m] });
  return steps;
}

/** Who applies when the caller names nobody: this process's user (as edit-lock.ts does). */
function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
