// The simulated site network (an optional section "siteNetwork" of the state
// file): which of the site's paths are open, refused, dropped, unrouted or
// unresolvable, so a training scenario can break one rule and see it in
// `network requirements`. Absent: every path is open, the sensor listens on 22 and 443.
import * as z from 'zod/mini';
import { isHost } from '../../net/host-name.js';

export const SITE_OUTCOMES = ['open', 'refused', 'dropped', 'no-route', 'unresolved'] as const;
export type SiteOutcome = (typeof SITE_OUTCOMES)[number];

// Built on first use: see section() in state-shape.ts.
export const siteNetworkSchema = z.lazy(siteNetworkSection);

function siteNetworkSection() {
  const outcome = z.enum(SITE_OUTCOMES, { error: `expected one of ${SITE_OUTCOMES.join(', ')}` });
  const port = z.int().check(z.minimum(1, { error: 'expected a port from 1 to 65535' }), z.maximum(65535, { error: 'expected a port from 1 to 65535' }));

  return z.object({
    /** What a destination no rule names does. */
    default: z._default(outcome, 'open'),
    /** First match wins: host, and port and transport when given. */
    rules: z._default(
      z
        .array(
          z.object({
            host: z.string().check(z.refine(isHost, { error: 'expected a host name or an IP address' })),
            port: z.optional(port),
            transport: z.optional(z.enum(['tcp', 'udp'], { error: 'expected "tcp" or "udp"' })),
            outcome,
          }),
        )
        .check(z.maxLength(256, { error: 'expected at most 256 rules' })),
      () => [],
    ),
    /** TCP ports the sensor listens on at its management address. */
    listening: z._default(z.array(port).check(z.maxLength(64, { error: 'expected at most 64 ports' })), () => [22, 443]),
  });
}

export type SiteNetwork = z.infer<typeof siteNetworkSchema>;

export const DEFAULT_SITE_NETWORK: SiteNetwork = { default: 'open', rules: [], listening: [22, 443] };

export function outcomeFor(network: SiteNetwork, host: string, port: number, transport: 'tcp' | 'udp'): SiteOutcome {
  const rule = network.rules.find(
    (r) => r.host.toLowerCase() === host.toLowerCase() && (r.port === undefined || r.port === port) && (r.transport === undefined || r.transport === transport),
  );
  return rule?.outcome ?? network.default;
}
