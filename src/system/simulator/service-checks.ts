// How the simulated services answer `system sanity`: each check takes a few
// ms like a real one; a trainer's fault makes it stopped, hung (never
// answering, so the sanity timeout is exercised) or crash-looping; after a restart a service
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
      if (service.fault === 'crashing') return { status: crashLoopPhase(Date.parse(service.startedAt), now) };
      const started = Date.parse(service.startedAt);
      if (started > now) return { status: 'starting' as const };
      return { status: 'running' as const, uptimeSeconds: Math.floor((now - started) / 1000) };
    },
  }));
}

/**
 * A crash loop as the service manager shows it: started again, dies during start-up, down
 * until the next restart. Which of the two a check sees depends on when it looks (the
 * simulator's clock), so two checks a few seconds apart can differ; it is never running.
 */
export const CRASH_LOOP_MS = { starting: 6_000, down: 4_000 } as const;

export function crashLoopPhase(since: number, now: number): 'starting' | 'stopped' {
  const cycle = CRASH_LOOP_MS.starting + CRASH_LOOP_MS.down;
  const into = (((now - since) % cycle) + cycle) % cycle;
  return into < CRASH_LOOP_MS.starting ? 'starting' : 'stopped';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
