// What the simulator's NTP and backup features need from the adapter: its
// store, the lock, the audit paths and the same apply path as edit-settings.
import type { Actor, ApplyOutcome, NetworkSettings } from '../adapter.js';
import type { AuditPaths } from '../audit-log.js';
import type { SimulatorState, SimulatorStore } from './state.js';

export interface SimulatorFeatureDeps {
  store: SimulatorStore;
  stateDir: string;
  target: string;
  clock: () => number;
  auditPaths: AuditPaths;
  /** The state, refused while the sensor is powered off or restarting. */
  load(): Promise<SimulatorState>;
  /** Runs a state change under the edit lock (reused when this process already holds it). */
  locked<T>(by: Actor | undefined, work: () => Promise<T>): Promise<T>;
  /** The edit-settings apply path (pending until restart, audited). */
  applySettings(next: NetworkSettings, by: Actor | undefined): Promise<ApplyOutcome>;
}
