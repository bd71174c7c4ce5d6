// The step-by-step apply under the edit lock, one runner call per step: the
// path for local targets and for whatever the two-batch apply over ssh hands
// back (confirm-or-revert, unusual steps, big files). Also the exact rollback
// (files and runtime state back to the snapshot) and the confirm-or-revert
// machinery: the detached revert timer, its marker, and confirm.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ApplyOptions, ApplyOutcome, NetworkSettings } from '../adapter.js';
import { applyAudited, auditFields, type AuditPaths } from '../audit-log.js';
import { ApplyFailedError, describe, ROLLBACK_INCOMPLETE } from './apply-failed.js';
import { checkPid, InvalidValueError } from './checks.js';
import { configWithRoles, type OtshellConfig } from './config.js';
import { readLinks, readRoutes, restorePlan, runSteps, snapshotKey, snapshotOf, takeSnapshot, type IpLink, type RuntimeSnapshot, type Step } from './iproute.js';
import { backupNumbered, renderNetplan } from './netplan.js';
import { parsePendingChange, timerFiles, type PendingChange } from './pending-change.js';
import { revertScript, type TimerFiles } from './revert-timer.js';
import type { Runner } from './runner.js';
import { forwardPlan, unique } from './settings-plan.js';

/** What the step-by-step apply uses of the adapter. */
export interface StepApplyDeps {
  runner: Runner;
  auditPaths(config: OtshellConfig): AuditPaths;
  /** The settings shown now: the audit line's previous settings when the caller gave none. */
  currentSettings(): Promise<NetworkSettings>;
}

export class StepApply {
  private readonly runner: Runner;

  constructor(private readonly deps: StepApplyDeps) {
    this.runner = deps.runner;
  }

  private get target(): string {
    return this.runner.target;
  }

  /** With the lock held: refuses while a change waits for confirmation, checks the names, then applies with the audit intent around it. */
  async applyLocked(config: OtshellConfig, settings: NetworkSettings, options: ApplyOptions): Promise<ApplyOutcome> {
    const files = timerFiles(config);
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
    const old = options.old ?? (await this.deps.currentSettings());
    // One id for the audit line and the revert timer: a revert is then matched to its audit entry.
    const id = randomBytes(8).toString('hex');
    return applyAudited(
      this.runner,
      this.deps.auditPaths(config),
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

  /** Stops the revert timer (it may be gone already) and removes its pid file. */
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

  /** With the lock held: keeps the change waiting for confirmation (files written now), or says why there is none. */
  async confirmLocked(config: OtshellConfig): Promise<{ confirmed: boolean; detail: string }> {
    const files = timerFiles(config);
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
}
