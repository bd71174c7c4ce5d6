// The simulator's SPAN mirror (issue 12): what its monitor ports receive, so
// training scenarios can break the mirror. An optional section of the state
// file; absent (older files) means a healthy mirror on every monitor port.
import * as z from 'zod/mini';

export const MIRROR_STATES = ['healthy', 'mostly-arp', 'one-direction', 'broadcast-only', 'silent'] as const;
export type MirrorState = (typeof MIRROR_STATES)[number];

// Built on first use: see section() in state-shape.ts.
export const spanStateSchema = z.lazy(() =>
  z.object({
    /** Every monitor port's mirror, unless `interfaces` names it. */
    mirror: z._default(z.enum(MIRROR_STATES), 'healthy'),
    /** Per interface: e.g. eth2 broken while eth1 is fine. */
    interfaces: z._default(
      z.record(z.string().check(z.regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/)), z.enum(MIRROR_STATES)),
      () => ({}),
    ),
  }),
);
export type SpanState = z.infer<typeof spanStateSchema>;

export function mirrorOf(span: SpanState | undefined, iface: string): MirrorState {
  return span?.interfaces[iface] ?? span?.mirror ?? 'healthy';
}
