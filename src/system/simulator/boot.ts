// What a simulated restart or power-on does to the state, kept apart from the
// adapter's locking and I/O: unreachable for a moment, services starting one
// by one, pending settings in effect.
import { RESTART_SERVICE_STAGGER_MS, RESTART_UNAVAILABLE_MS } from './sensor-model.js';
import type { SimulatorState } from './state.js';

/**
 * The state after a boot: unreachable for a moment, services starting one by one, pending settings in effect.
 * The clock is read here, inside booted(): a test's clock tells a boot's reading from the others by the stack
 * (test/hostile/lock-worker.ts).
 */
export function booted(state: SimulatorState, clock: () => number): SimulatorState {
  const back = clock() + RESTART_UNAVAILABLE_MS;
  return {
    ...state,
    settings: state.pendingSettings ?? state.settings,
    pendingSettings: null,
    poweredOff: false,
    unavailableUntil: new Date(back).toISOString(),
    services: state.services.map((service, index) => ({
      ...service,
      fault: 'none',
      startedAt: new Date(back + (index + 1) * RESTART_SERVICE_STAGGER_MS).toISOString(),
    })),
  };
}
