// The simulated sensor: realistic interfaces, growing counters, the appliance's
// 13 services, pending settings that take effect on restart. Training and demos.
// This class holds the state file, the lock and the audit; the pure parts are
// beside it: interface-view.ts (an interface as shown), service-checks.ts
// (how services answer), boot.ts (a restart's effect), and the features.
import { join } from 'node:path';
import type {
  Actor,
  ApplyOptions,
  ApplyOutcome,
  AuditLog,
  EditLock,
  NetworkSettings,
  NetworkSnapshot,
  SanityReport,
  SessionEvent,
  SystemAdapter,
} from '../adapter.js';
import { runServiceChecks } from '../sanity.js';
import { SimulatorStore, type SimulatorState } from './state.js';
import { booted } from './boot.js';
import { describeInterface } from './interface-view.js';
import { serviceChecksOf } from './service-checks.js';
import { SensorUnavailableError } from '../errors.js';
import { acquireLock, AdapterLock, isLockHeld, LOCAL_LOCK_FILES } from '../edit-lock.js';
import { applyAudited, auditFields, AUDIT_FILE, completeIntent, INTENT_FILE, LOCAL_AUDIT_FILES, readAuditEntries, type AuditPaths } from '../audit-log.js';
import { fileAgeSeconds, appendLineDurably, readFileIfExists } from '../atomic-write.js';
import { parseSessionEvents, sessionLine, SESSIONS_FILE } from '../audit-log.js';
import { SimulatorSignIn } from './sign-in.js';
import { withSignInLock } from './sign-in-lock.js';
import { SimulatorDiagnostics } from './diagnostics.js';
import { ntpStateOf, SimulatorNtp } from './ntp.js';
import { SimulatorBackup } from './backup.js';
import type { SimulatorFeatureDeps } from './feature-deps.js';
import { SimulatorReachability } from './reachability.js';
import { SimulatorCapture } from './capture.js';
import { SimulatorTraining } from './training.js';
import { EXIT, OtshellError } from '../../errors.js';

/** Who the adapter's own upkeep (completing an interrupted change) runs as. */
const UPKEEP: Actor = { user: 'otshell (completing an interrupted change)' };

// Exported from here before the split; kept importable from the adapter.
export { roleOf } from './interface-view.js';

export const POWERED_OFF_MESSAGE = 'The simulated sensor is powered off. Power it on with "otshell --power-on".';

export class SimulatorAdapter implements SystemAdapter {
  readonly target = 'simulator';
  private readonly store: SimulatorStore;

  constructor(
    private readonly stateDir: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new SimulatorStore(stateDir);
  }

  readonly capture = new SimulatorCapture(() => this.loadReachable(), () => this.store, () => this.clock());

  /** The one lock of every state change; held across edit-settings' questions, reused by nested changes. */
  private readonly locks = new AdapterLock((by) => acquireLock(LOCAL_LOCK_FILES, join(this.stateDir, 'edit-settings.lock'), by));

  private get auditPaths(): AuditPaths {
    return { log: join(this.stateDir, AUDIT_FILE), intent: join(this.stateDir, INTENT_FILE) };
  }

  async acquireEditLock(by: Actor): Promise<EditLock> {
    // The lock first: while someone else holds it, a refusal costs no state file read.
    const lock = await this.locks.acquire(by, () => this.completeInterrupted());
    try {
      await this.requirePower();
    } catch (error) {
      await lock.release();
      throw error;
    }
    return lock;
  }

  /** The lock without the power check (power-on and reset need it while the sensor is off). */
  private withLock<T>(by: Actor | undefined, work: () => Promise<T>, recover = true, held?: EditLock): Promise<T> {
    return this.locks.with(by, work, recover ? () => this.completeInterrupted() : undefined, held);
  }

  /** With the lock held: a change cut short (its intent left behind) goes into the audit log as interrupted. */
  private async completeInterrupted(): Promise<void> {
    if ((await fileAgeSeconds(this.auditPaths.intent)) === null) return;
    await completeIntent(LOCAL_AUDIT_FILES, this.auditPaths, async () => {
      const state = await this.store.load();
      return state.pendingSettings ?? state.settings;
    }, async (action) => (action.action.startsWith('ntp-') ? ntpStateOf(await this.store.load()).servers : undefined));
  }

  /** Without the lock: completes an interrupted change unless someone holds the lock (then it is theirs, in flight). */
  /** Completes a change cut short (its intent record is still there); true when there was one. */
  private async recoverIfIdle(): Promise<boolean> {
    if (this.locks.held || (await fileAgeSeconds(this.auditPaths.intent)) === null) return false;
    try {
      await this.withLock(UPKEEP, async () => {});
    } catch (error) {
      if (!isLockHeld(error)) throw error;
    }
    return true;
  }

  async readAudit(): Promise<AuditLog> {
    await this.requirePower();
    await this.recoverIfIdle();
    return readAuditEntries(this.auditPaths.log);
  }

  get statePath(): string {
    return this.store.path;
  }

  async listInterfaces(): Promise<NetworkSnapshot> {
    const state = await this.loadReachable();
    const { settings } = state;
    return {
      interfaces: state.interfaces.map((iface) => describeInterface(iface, settings, state, this.clock())),
      gateway: settings.gateway,
      dns: [...settings.dns],
      pendingRestart: state.pendingSettings !== null,
    };
  }

  async checkServices({ timeoutMs }: { timeoutMs: number }): Promise<SanityReport> {
    const state = await this.loadReachable();
    return runServiceChecks(serviceChecksOf(state, this.clock()), timeoutMs, state.profile);
  }

  async getNetworkSettings(): Promise<{ current: NetworkSettings; pending: NetworkSettings | null }> {
    const state = await this.loadReachable();
    return { current: state.settings, pending: state.pendingSettings };
  }

  /** Like the appliance: applied settings wait for a restart. Audited in the same step, under the lock. */
  async applyNetworkSettings(next: NetworkSettings, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.withLock(options.by, async () => {
      const state = await this.loadReachable();
      const old = options.old ?? state.pendingSettings ?? state.settings;
      return applyAudited(LOCAL_AUDIT_FILES, this.auditPaths, auditFields(options.by, this.target, old, next), async () => {
        await this.store.save({ ...state, pendingSettings: next });
        return { kind: 'pending-restart' as const };
      });
    }, true, options.lock);
  }

  async confirmNetworkSettings(by?: Actor): Promise<{ confirmed: boolean; detail: string }> {
    await this.requirePower();
    return this.withLock(by, async () => ({ confirmed: false, detail: 'Nothing to confirm: the simulated sensor applies settings at restart.' }));
  }

  /** Restarts the simulated sensor: briefly unreachable, services restart, pending settings take effect. Read and written under the lock. */
  async reboot(by?: Actor): Promise<void> {
    await this.withLock(by, async () => {
      await this.store.save(booted(await this.loadReachable(), this.clock));
    });
  }

  /** Powers the simulated sensor off: every call that needs it fails until powerOn(). */
  async shutdown(by?: Actor): Promise<void> {
    await this.withLock(by, async () => {
      const state = await this.loadReachable();
      await this.store.save({ ...state, poweredOff: true });
    });
  }

  /**
   * Simulator only (`otshell --power-on`): boots a powered-off sensor as a
   * restart does. False, and nothing changes, when it was not off.
   */
  async powerOn(by?: Actor): Promise<boolean> {
    return this.withLock(by, async () => {
      const state = await this.store.load();
      if (!state.poweredOff) return false;
      await this.store.save(booted(state, this.clock));
      return true;
    });
  }

  /** Trainer's tool: break or mend a service to practise troubleshooting. */
  async setServiceFault(name: string, fault: 'none' | 'stopped' | 'hung'): Promise<void> {
    await this.withLock(undefined, () => this.setFault(name, fault));
  }

  private async setFault(name: string, fault: 'none' | 'stopped' | 'hung'): Promise<void> {
    const state = await this.loadReachable();
    await this.store.save({
      ...state,
      services: state.services.map((service) =>
        service.name === name
          ? { ...service, fault, startedAt: fault === 'none' && service.fault !== 'none' ? new Date(this.clock()).toISOString() : service.startedAt }
          : service,
      ),
    });
  }

  /** Under the lock: a reset while someone edits or reboots is refused (exit 75). */
  async resetState(by?: Actor): Promise<string | null> {
    // No completing of interrupted changes first: the state file may be the very thing that is broken.
    return this.withLock(by, () => this.store.reset(), false);
  }

  /** The simulated sign-in (users, hashes, lockout: src/system/simulator/sign-in.ts). */
  get signIn(): SimulatorSignIn {
    this.signInPort ??= new SimulatorSignIn({
      store: this.store,
      clock: this.clock,
      record: (event) => this.recordSession(event),
      locked: (by, work) => this.withLock(by, work),
      bookkeeping: (by, work) => withSignInLock(this.stateDir, by, work),
    });
    return this.signInPort;
  }

  private signInPort?: SimulatorSignIn;

  /** Ping, blink, statistics, version, date (src/system/simulator/diagnostics.ts). */
  get diagnostics(): SimulatorDiagnostics {
    this.diagnosticsPort ??= new SimulatorDiagnostics({ store: this.store, clock: this.clock, reachable: () => this.loadReachable(), snapshot: () => this.listInterfaces(), locked: (by, work) => this.withLock(by, work) });
    return this.diagnosticsPort;
  }

  private diagnosticsPort?: SimulatorDiagnostics;
  /** What the NTP and backup features use of this adapter. */
  private get featureDeps(): SimulatorFeatureDeps {
    return {
      store: this.store,
      stateDir: this.stateDir,
      target: this.target,
      clock: this.clock,
      auditPaths: this.auditPaths,
      load: () => this.loadReachable(),
      locked: (by, work) => this.withLock(by, async () => {
        await this.requirePower();
        return work();
      }),
      applySettings: (next, by) => this.applyNetworkSettings(next, { by }),
    };
  }

  private ntpPort?: SimulatorNtp;
  private backupPort?: SimulatorBackup;

  get ntp(): SimulatorNtp {
    return (this.ntpPort ??= new SimulatorNtp(this.featureDeps));
  }

  get backup(): SimulatorBackup {
    return (this.backupPort ??= new SimulatorBackup(this.featureDeps));
  }
  /** Training scenarios, each run on a sensor of its own under <stateDir>/training/. */
  get training(): SimulatorTraining {
    return (this.trainingPort ??= new SimulatorTraining(this.stateDir, this.clock, (dir) => new SimulatorAdapter(dir, this.clock)));
  }

  private trainingPort?: SimulatorTraining;
  /** The simulated site network `network requirements` probes. */
  readonly reachability = new SimulatorReachability(() => this.loadReachable(), () => this.stateDir, () => this.clock());

  async changePassword(user: string, current: string, next: string, by?: Actor): Promise<void> {
    await this.signIn.change(user, current, next, by);
  }

  async unlockSource(source: string, by?: Actor): Promise<boolean> {
    return this.signIn.unlock(source, by);
  }

  async openRootShell(by?: Actor): Promise<number> {
    await this.recordSession({ time: new Date(this.clock()).toISOString(), kind: 'root-shell', user: by?.user ?? 'unknown', role: 'root', source: by?.sshClient ?? by?.tty ?? 'unknown', detail: 'refused: simulator' });
    throw new OtshellError('system shell opens a root shell on a real sensor only; the simulator has no operating system to give you.', EXIT.UNAVAILABLE);
  }

  async recordSession(event: SessionEvent): Promise<void> {
    await appendLineDurably(join(this.stateDir, SESSIONS_FILE), sessionLine(event));
  }

  async readSessions(): Promise<SessionEvent[]> {
    return parseSessionEvents((await readFileIfExists(join(this.stateDir, SESSIONS_FILE))) ?? '');
  }

  async close(): Promise<void> {}

  private async loadReachable(): Promise<SimulatorState> {
    // The state file first: an unusable state directory is reported by the file the user knows.
    let state = await this.store.load();
    if (await this.recoverIfIdle()) state = await this.store.load();
    if (state.poweredOff) throw new SensorUnavailableError(POWERED_OFF_MESSAGE);
    if (state.unavailableUntil) {
      const waitMs = Date.parse(state.unavailableUntil) - this.clock();
      if (waitMs > 0) throw new SensorUnavailableError(`The sensor is restarting; try again in ${Math.ceil(waitMs / 1000)} s.`);
    }
    return state;
  }

  /** A powered-off sensor keeps its lock and audit log on disk, but nobody can reach them. */
  private async requirePower(): Promise<void> {
    if ((await this.store.load()).poweredOff) throw new SensorUnavailableError(POWERED_OFF_MESSAGE);
  }
}

