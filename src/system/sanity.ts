// Shared by every adapter: run all service checks at once, each bounded, and summarise.
import type { SanityReport, ServiceState } from './adapter.js';
import { TIMED_OUT, withTimeout } from './timeout.js';

export interface ServiceCheck {
  name: string;
  check(): Promise<Omit<ServiceState, 'name'>>;
}

export async function runServiceChecks(checks: ServiceCheck[], timeoutMs: number, profile: string): Promise<SanityReport> {
  const services = await Promise.all(
    checks.map(async ({ name, check }): Promise<ServiceState> => {
      try {
        const outcome = await withTimeout(check(), timeoutMs);
        if (outcome === TIMED_OUT) {
          return { name, status: 'not-responding', detail: `no answer within ${(timeoutMs / 1000).toFixed(1)} s` };
        }
        return { name, ...outcome };
      } catch (error) {
        return { name, status: 'stopped', detail: (error as Error).message };
      }
    }),
  );
  return { status: overallStatus(services), profile, services };
}

export function overallStatus(services: ServiceState[]): SanityReport['status'] {
  if (services.some((s) => s.status === 'stopped' || s.status === 'not-responding')) return 'down';
  if (services.some((s) => s.status === 'starting')) return 'starting';
  return 'up';
}
