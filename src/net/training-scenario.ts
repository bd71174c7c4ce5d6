// A training scenario file (YAML): the story, the faults a fresh simulated
// sensor starts with, the goal as checks on its state, hints, a time limit and
// the score. Parsed like site.yaml (src/net/site.ts): every schema error names
// the line and the field. A scenario names no paths: it cannot reach outside
// the state directory its run is given.
import * as z from 'zod/mini';
import { describeFileIssue, parseYamlFile, type FileIssue } from './yaml-file.js';
import ipaddr from 'ipaddr.js';
import { isHost } from './site.js';
import { siteSchema } from './site.js';

import { MAX_SCENARIO_BYTES, SCENARIO_ID } from './training-basics.js';

export { MAX_SCENARIO_BYTES, SCENARIO_ID, clockText } from './training-basics.js';

const MIRRORS = ['healthy', 'mostly-arp', 'one-direction', 'broadcast-only', 'silent'] as const;
const ROLES = ['viewer', 'support', 'root'] as const;

const isIpv4 = (v: string) => ipaddr.IPv4.isValidFourPartDecimal(v) && !/(^|\.)0\d/.test(v);
const ipv4 = z.string().check(z.refine(isIpv4, { error: 'expected an IPv4 address such as 10.1.0.20' }));
const cidr = z.string().check(
  z.refine((v) => {
    const [ip, prefix, extra] = v.split('/');
    return extra === undefined && ip !== undefined && isIpv4(ip) && /^\d{1,2}$/.test(prefix ?? '') && Number(prefix) <= 32;
  }, { error: 'expected an address with its prefix length such as 10.1.0.20/24' }),
);
const ifname = z.string().check(z.regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,14}$/, { error: 'expected an interface name such as eth1' }));
/** Printable text, no control or format characters; `max` characters at most. */
const text = (max: number) =>
  z.string().check(
    z.minLength(1, { error: 'expected some text' }),
    z.maxLength(max, { error: `expected at most ${max} characters` }),
    z.refine((v) => !/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(v.replace(/\n/g, '')), { error: 'expected printable text (no control characters)' }),
  );
const serviceName = text(64);
const port = z.int().check(z.minimum(1, { error: 'expected a port from 1 to 65535' }), z.maximum(65535, { error: 'expected a port from 1 to 65535' }));
const host = z.string().check(z.refine(isHost, { error: 'expected a host name or an IP address' }));
const transport = z.enum(['tcp', 'udp'], { error: 'expected "tcp" or "udp"' });

/**
 * The faults a simulated sensor can take; each is implemented once in
 * src/system/simulator/faults/ as a function of the state.
 */
export const faultSchema = z.discriminatedUnion('fault', [
  z.strictObject({ fault: z.literal('management-address'), ip: z.optional(ipv4), prefixLength: z.optional(z.int().check(z.minimum(8), z.maximum(30))), gateway: z.optional(ipv4) }),
  z.strictObject({ fault: z.literal('dns-server'), servers: z.array(ipv4).check(z.minLength(1), z.maxLength(3)) }),
  z.strictObject({ fault: z.literal('gui-cable-in'), interface: ifname }),
  z.strictObject({ fault: z.literal('monitor-interface-removed'), interface: ifname }),
  z.strictObject({ fault: z.literal('span-mirror'), mirror: z.enum(MIRRORS, { error: `expected one of ${MIRRORS.join(', ')}` }), interface: z.optional(ifname) }),
  z.strictObject({ fault: z.literal('service'), name: serviceName, status: z.enum(['stopped', 'slow', 'crashing'], { error: 'expected "stopped", "slow" or "crashing"' }) }),
  z.strictObject({
    fault: z.literal('firewall'),
    host,
    port: z.optional(port),
    transport: z.optional(transport),
    outcome: z.enum(['refused', 'dropped', 'no-route', 'unresolved'], { error: 'expected refused, dropped, no-route or unresolved' }),
  }),
  z.strictObject({ fault: z.literal('ntp-server-silent'), address: ipv4 }),
  z.strictObject({ fault: z.literal('dns-unresolved'), name: host }),
  z.strictObject({ fault: z.literal('locked-out'), source: text(64), minutes: z.optional(z.int().check(z.minimum(1), z.maximum(1440))) }),
  z.strictObject({ fault: z.literal('pending-reboot'), dns: z.optional(z.array(ipv4).check(z.minLength(1), z.maxLength(3))) }),
  z.strictObject({ fault: z.literal('backup-disk-full') }),
], { error: 'expected a known fault (see the README\'s Training section)' });
export type Fault = z.infer<typeof faultSchema>;
export const FAULT_NAMES = [
  'management-address', 'dns-server', 'gui-cable-in', 'monitor-interface-removed', 'span-mirror', 'service',
  'firewall', 'ntp-server-silent', 'dns-unresolved', 'locked-out', 'pending-reboot', 'backup-disk-full',
] as const;

/** Goal checks: each reads the simulated sensor's state (what is in effect), never the commands typed. */
export const goalSchema = z.discriminatedUnion('check', [
  z.strictObject({ check: z.literal('management-address'), equals: cidr }),
  z.strictObject({ check: z.literal('gateway'), equals: ipv4 }),
  z.strictObject({ check: z.literal('dns'), includes: ipv4 }),
  z.strictObject({ check: z.literal('site-reachable'), host: ipv4 }),
  z.strictObject({ check: z.literal('management-carrier') }),
  z.strictObject({ check: z.literal('monitor-interfaces'), include: z.array(ifname).check(z.minLength(1), z.maxLength(16)) }),
  z.strictObject({ check: z.literal('span-mirror'), interface: ifname, equals: z.enum(MIRRORS, { error: `expected one of ${MIRRORS.join(', ')}` }) }),
  z.strictObject({ check: z.literal('service'), name: serviceName, status: z.enum(['running'], { error: 'expected "running"' }) }),
  z.strictObject({ check: z.literal('all-services-running') }),
  z.strictObject({ check: z.literal('path-open'), host, port, transport: z.optional(transport) }),
  z.strictObject({ check: z.literal('ntp-synchronised') }),
  z.strictObject({ check: z.literal('no-pending-reboot') }),
  z.strictObject({ check: z.literal('source-unlocked'), source: text(64) }),
], { error: 'expected a known check (see the README\'s Training section)' });
export type Goal = z.infer<typeof goalSchema>;

export const scenarioSchema = z.strictObject({
  id: z.string().check(z.regex(SCENARIO_ID, { error: 'expected a slug: a-z, 0-9 and "-", at most 48 characters, starting with a letter or digit' })),
  title: text(80),
  story: text(4000),
  faults: z.array(faultSchema).check(z.minLength(1, { error: 'expected at least one fault' }), z.maxLength(16, { error: 'expected at most 16 faults' })),
  goal: z.array(goalSchema).check(z.minLength(1, { error: 'expected at least one goal check' }), z.maxLength(16, { error: 'expected at most 16 goal checks' })),
  hints: z._default(z.array(text(1000)).check(z.maxLength(10, { error: 'expected at most 10 hints' })), () => []),
  timeLimitMinutes: z.int().check(z.minimum(1, { error: 'expected 1 to 240 minutes' }), z.maximum(240, { error: 'expected 1 to 240 minutes' })),
  points: z.int().check(z.minimum(1, { error: 'expected 1 to 1000 points' }), z.maximum(1000, { error: 'expected 1 to 1000 points' })),
  hintPenalty: z.int().check(z.minimum(0, { error: 'expected 0 to 1000 points' }), z.maximum(1000, { error: 'expected 0 to 1000 points' })),
  roles: z
    .array(z.enum(ROLES, { error: 'expected viewer, support or root' }))
    .check(z.minLength(1, { error: 'expected at least one role' }), z.refine((list) => new Set(list).size === list.length, { error: 'expected each role once' })),
  /** The site information `network requirements` reads (site.yaml in the run's own directory). */
  site: z.optional(siteSchema),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export type ScenarioIssue = FileIssue;

export type ScenarioParse = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

export function parseScenario(source: string): ScenarioParse {
  if (Buffer.byteLength(source) > MAX_SCENARIO_BYTES) {
    return { ok: false, issues: [{ line: null, field: '(file)', message: `larger than ${MAX_SCENARIO_BYTES / 1024} KiB` }] };
  }
  const parsed = parseYamlFile(source, scenarioSchema, { unknownKey: 'not a scenario field', markMissing: true });
  return parsed.ok ? { ok: true, scenario: parsed.value } : parsed;
}

/** "scenario.yaml line 7: faults.0.ip: expected an IPv4 address such as 10.1.0.20" */
export const describeScenarioIssue = describeFileIssue;

