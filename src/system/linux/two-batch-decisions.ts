// The decisions of the apply over ssh in two round trips (issue #14), around
// the transport in two-batch-apply.ts: whether this case may go fast (else
// null, and the step-by-step apply in step-apply.ts runs), the plan and texts
// for batch 2, and how each of its outcomes is reported. The lock taken by
// batch 1 is handed to the adapter's AdapterLock through takePretakenLock.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { ApplyOptions, ApplyOutcome, EditLock, NetworkSettings } from '../adapter.js';
import { AuditUnavailableError, auditFields, type AuditPaths } from '../audit-log.js';
import { critical } from '../critical-section.js';
import { localHolder, type AdapterLock } from '../edit-lock.js';
import { ApplyFailedError, ROLLBACK_INCOMPLETE } from './apply-failed.js';
import { InvalidValueError } from './checks.js';
import { configWithRoles, parseConfig, type OtshellConfig } from './config.js';
import { ipJsonOf, LINKS_COMMAND, restorePlan, ROUTES_COMMAND, snapshotKey, snapshotOf, type IpLink, type IpRoute, type RuntimeSnapshot } from './iproute.js';
import { renderNetplan } from './netplan.js';
import { quietly, RESOLV_CONF, type NetworkRead } from './network-read.js';
import { settledValue, type Runner } from './runner.js';
import { forwardPlan, unique } from './settings-plan.js';
import { withStateDir } from './state-dir-option.js';
import { backupPlan, dropIntentAndRelease, LOCK_FILE, readAndLock, stepLines, writeApplyAudit, type FastLock, type LockedRead } from './two-batch-apply.js';

/** The most file text (old and new netplan and config) the two-batch apply passes in its script's arguments (see applyBatched). */
const MAX_BATCHED_TEXT = 96 * 1024;

/** What the two-batch apply uses of the adapter. */
export interface TwoBatchDeps {
  runner: Runner;
  configPath: string;
  /** --state-dir, when given (state-dir-option.ts). */
  stateDirOption: string | undefined;
  /** The adapter's one lock: batch 1's lock is taken through it (takePretakenLock). */
  locks: AdapterLock;
  auditPaths(config: OtshellConfig): AuditPaths;
  /** The settings shown now, from batch 1's read (the audit line's previous settings). */
  settingsOf(read: NetworkRead): Promise<NetworkSettings>;
  /** The step-by-step apply, under the lock held now (confirm-or-revert, unusual steps, big files). */
  applyLocked(config: OtshellConfig, settings: NetworkSettings, options: ApplyOptions): Promise<ApplyOutcome>;
}

export class TwoBatchApply {
  private readonly runner: Runner;

  constructor(private readonly deps: TwoBatchDeps) {
    this.runner = deps.runner;
  }

  private get target(): string {
    return this.runner.target;
  }

  /** The lock record to put in place by the first batch, when the apply takes the lock itself. */
  private pretakenLock: EditLock | null = null;

  /** The lock batch 1 took, once: the adapter's lock factory hands it over as is instead of taking another. */
  takePretakenLock(): EditLock | null {
    const pretaken = this.pretakenLock;
    this.pretakenLock = null;
    return pretaken;
  }

  /**
   * The apply in two round trips (issue #14; two-batch-apply.ts): batch 1 checks
   * the rights, takes the lock and reads everything; batch 2 writes the intent,
   * the backup and the files, runs the ip steps with rollback, and writes the
   * audit line. null: this case goes step by step (the lock held by someone,
   * no rights, an interrupted change to complete, confirm-or-revert, ...); the
   * lock taken here is given back first.
   */
  async applyInTwoBatches(settings: NetworkSettings, options: ApplyOptions): Promise<ApplyOutcome | null> {
    const callerHolds = options.lock !== undefined && this.deps.locks.held;
    const holder = callerHolds ? null : localHolder(options.by ?? { user: userName() });
    const read = await readAndLock(this.runner, {
      configPath: this.deps.configPath, stateDirOption: this.deps.stateDirOption, holder, links: LINKS_COMMAND, routes: ROUTES_COMMAND, resolv: RESOLV_CONF,
    });
    const fastLock = read.lock;
    if (holder && !fastLock) return null;
    let parsed: { config: OtshellConfig; links: IpLink[]; routes: IpRoute[] } | null = null;
    try {
      parsed = {
        config: withStateDir(parseConfig(this.deps.configPath, settledValue(read.config)), this.deps.stateDirOption),
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
    const token = fastLock ? await this.deps.locks.acquire(options.by) : undefined;
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
    if (confirmSeconds !== undefined || forwardLines === null || restoreLines === null) return this.deps.applyLocked(config, settings, { ...options, ...(batch1.lock ? { lock: batch1.lock } : {}) });

    const previousNetplan = read.netplan.exitCode === 0 ? read.netplan.stdout : null;
    const netplanText = renderNetplan(settings, config.netplanFile);
    const configText = configWithRoles(config, { management: settings.managementInterface, monitor: settings.inputInterfaces, bridge: settings.bridgeInterface });
    // The texts travel inside one remote command line (sshd hands it to the shell as one
    // argument: 128 KiB at most on Linux): files grown past that go step by step.
    if ([previousNetplan ?? '', config.text ?? '', netplanText, configText].reduce((sum, text) => sum + Buffer.byteLength(text), 0) > MAX_BATCHED_TEXT) {
      return this.deps.applyLocked(config, settings, { ...options, ...(batch1.lock ? { lock: batch1.lock } : {}) });
    }
    const old = options.old ?? (await this.deps.settingsOf({ config, links, routes, netplan: previousNetplan, resolv: quietly(read.resolv) }));
    const record = { id: randomBytes(8).toString('hex'), ...auditFields(options.by, this.target, old, settings) };
    const paths = this.deps.auditPaths(config);
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
}

/** Who applies when the caller names nobody: this process's user (as edit-lock.ts does). */
function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
