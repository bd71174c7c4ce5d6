// `network capture-check --json`: the live check's result, each report the
// same shape as validate-capture's (src/capture/types.ts CaptureReport).
import * as z from 'zod/mini';
import type { CaptureCheckResult } from '../../capture/index.js';

const count = z.number().check(z.minimum(0));
const status = z.enum(['pass', 'warn', 'fail']);

interface Node {
  name: string;
  packets: number;
  bytes: number;
  children: Node[];
}
const hierarchyNode: z.ZodMiniType<Node> = z.strictObject({
  name: z.string(),
  packets: count,
  bytes: count,
  get children() {
    return z.array(hierarchyNode);
  },
});

const otProtocol = z.strictObject({ name: z.string(), packets: count, bytes: count, ports: z.array(z.number()) });
const addressCounts = z.strictObject({ private: count, public: count });

export const CaptureReportSchema = z.strictObject({
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
  hierarchy: z.array(hierarchyNode),
  otProtocols: z.array(otProtocol),
  otProtocolsByPortOnly: z.array(otProtocol),
  devices: z.strictObject({
    macs: count,
    ipv4: addressCounts,
    ipv6: addressCounts,
    topTalkers: z.array(z.strictObject({ address: z.string(), kind: z.enum(['ipv4', 'ipv6', 'mac']), packets: count, bytes: count })),
  }),
  verdict: z.strictObject({
    status,
    checks: z.array(
      z.strictObject({
        id: z.enum(['file-complete', 'link-type', 'unicast', 'arp-share', 'ot-protocols', 'tcp-directions', 'duration']),
        status,
        detail: z.string(),
      }),
    ),
  }),
});

export const CaptureCheckResultSchema: z.ZodMiniType<CaptureCheckResult> = z.strictObject({
  seconds: z.number().check(z.minimum(1)),
  elapsedSeconds: count,
  interrupted: z.boolean(),
  saved: z.nullable(z.string()),
  interfaces: z.array(CaptureReportSchema),
  overall: CaptureReportSchema,
});
