// The zod shapes several --json results share: the network settings, the
// interfaces snapshot, audit entries and session events (src/system/adapter.ts
// types), and one capture report (src/capture/types.ts). Each command's own
// resultSchema is built from these in its file; docs/schemas/ is generated
// from them (test/unit/json-schemas.test.ts).
import * as z from 'zod/mini';

interface HierarchyNodeShape {
  name: string;
  packets: number;
  bytes: number;
  children: HierarchyNodeShape[];
}

// Built on first use, each export a z.lazy: only docs/schemas/ and the tests read them
// (src/commands/result-schemas.ts), and building them all cost every run of a command
// that declares one about 2 ms of start-up (docs/benchmarks-startup.md).
function buildSchemas() {
  const count = z.number().check(z.minimum(0));

  const NetworkSettingsSchema = z.strictObject({
    managementInterface: z.string(),
    ip: z.string(),
    prefixLength: z.number(),
    gateway: z.string(),
    dns: z.array(z.string()),
    inputInterfaces: z.array(z.string()),
    bridgeInterface: z.nullable(z.string()),
  });

  const CountersSchema = z.strictObject({
    packets: count,
    bytes: count,
    errors: count,
    dropped: count,
    overruns: z.optional(count),
    frame: z.optional(count),
    carrier: z.optional(count),
    collisions: z.optional(count),
  });

  const NetworkInterfaceSchema = z.strictObject({
    name: z.string(),
    role: z.enum(['management', 'monitor', 'bridge', 'unused', 'loopback']),
    mac: z.string(),
    mtu: z.number(),
    up: z.boolean(),
    running: z.boolean(),
    promisc: z.boolean(),
    flags: z.array(z.string()),
    flagsValue: z.number(),
    txqueuelen: z.number(),
    ipv4: z.array(z.strictObject({ address: z.string(), prefixLength: z.number(), netmask: z.string(), broadcast: z.string() })),
    ipv6: z.optional(z.array(z.strictObject({ address: z.string(), prefixLength: z.number(), scope: z.string() }))),
    rx: CountersSchema,
    tx: CountersSchema,
  });

  const NetworkSnapshotSchema = z.strictObject({
    interfaces: z.array(NetworkInterfaceSchema),
    gateway: z.nullable(z.string()),
    dns: z.array(z.string()),
    pendingRestart: z.optional(z.boolean()),
  });

  const AuditEntrySchema = z.strictObject({
    id: z.optional(z.string()),
    /** ISO 8601 UTC. */
    time: z.string(),
    user: z.string(),
    tty: z.optional(z.string()),
    sshClient: z.optional(z.string()),
    target: z.string(),
    old: NetworkSettingsSchema,
    new: NetworkSettingsSchema,
    interrupted: z.optional(z.boolean()),
    intended: z.optional(NetworkSettingsSchema),
    reverted: z.optional(z.boolean()),
    revertedAt: z.optional(z.string()),
  });

  const SessionEventSchema = z.strictObject({
    time: z.string(),
    kind: z.enum(['sign-in', 'failure', 'lockout', 'unlock', 'timeout', 'sign-out', 'password-change', 'root-shell']),
    user: z.string(),
    role: z.optional(z.enum(['viewer', 'support', 'root'])),
    source: z.string(),
    detail: z.optional(z.string()),
  });

  const checkStatus = z.enum(['pass', 'warn', 'fail']);

  const HierarchyNodeSchema: z.ZodMiniType<HierarchyNodeShape> = z.strictObject({
    name: z.string(),
    packets: count,
    bytes: count,
    get children() {
      return z.array(HierarchyNodeSchema);
    },
  });

  const addressCounts = z.strictObject({ private: count, public: count });

  const otProtocolSchema = z.strictObject({ name: z.string(), packets: count, bytes: count, ports: z.array(z.number()) });

  /** One line of `network validate-capture --json`: the report of one file. */
  const CaptureReportSchema = z.strictObject({
    file: z.string(),
    format: z.nullable(z.enum(['pcap', 'pcapng'])),
    linkTypes: z.array(z.string()),
    packets: count,
    bytes: count,
    firstTime: z.nullable(z.string()),
    lastTime: z.nullable(z.string()),
    durationSeconds: count,
    avgBitsPerSecond: count,
    peakBitsPerSecond: count,
    truncated: z.boolean(),
    error: z.nullable(z.string()),
    traffic: z.strictObject({ unicast: count, broadcast: count, multicast: count, arp: count }),
    hierarchy: z.array(HierarchyNodeSchema),
    otProtocols: z.array(otProtocolSchema),
    /** Identified by port only (encrypted or unconfirmed: OPC UA over TLS, MQTT over TLS). */
    otProtocolsByPortOnly: z.array(otProtocolSchema),
    devices: z.strictObject({
      macs: count,
      ipv4: addressCounts,
      ipv6: addressCounts,
      topTalkers: z.array(z.strictObject({ address: z.string(), kind: z.enum(['ipv4', 'ipv6', 'mac']), packets: count, bytes: count })),
    }),
    verdict: z.strictObject({
      status: checkStatus,
      checks: z.array(
        z.strictObject({
          id: z.enum(['file-complete', 'link-type', 'unicast', 'arp-share', 'ot-protocols', 'tcp-directions', 'duration']),
          status: checkStatus,
          detail: z.string(),
        }),
      ),
    }),
  });

  return { NetworkSettingsSchema, NetworkInterfaceSchema, NetworkSnapshotSchema, AuditEntrySchema, SessionEventSchema, CaptureReportSchema };
}

let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = () => (built ??= buildSchemas());

export const NetworkSettingsSchema = z.lazy(() => schemas().NetworkSettingsSchema);
export const NetworkInterfaceSchema = z.lazy(() => schemas().NetworkInterfaceSchema);
export const NetworkSnapshotSchema = z.lazy(() => schemas().NetworkSnapshotSchema);
export const AuditEntrySchema = z.lazy(() => schemas().AuditEntrySchema);
export const SessionEventSchema = z.lazy(() => schemas().SessionEventSchema);
export const CaptureReportSchema = z.lazy(() => schemas().CaptureReportSchema);
