// How the simulated services answer `system sanity`: each check takes a few
// ms like a real one; a trainer's fault makes it stopped or hung (never
// answering, so the sanity timeout is exercised); after a restart a service
// is starting until its staggered start time.
import type { ServiceCheck } from '../sanity.js';
import type { SimulatorState } from './state.js';

/** The checks of the state's services, as seen at `now` (ms since the epoch). */
export function serviceChecksOf(state: SimulatorState, now: number): ServiceCheck[] {
  return state.services.map((service, index) => ({
    name: service.name,
    check: async () => {
      if (service.fault === 'hung') return new Promise<never>(() => {});
      await delay(5 + ((index * 7) % 30)); // a real check takes a few ms
      if (service.fault === 'stopped') return { status: 'stopped' as const };
      const started = Date.parse(service.startedAt);
      if (started > now) return { status: 'starting' as const };
      return { status: 'running' as const, uptimeSeconds: Math.floor((now - started) / 1000) };
    },
  }));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
