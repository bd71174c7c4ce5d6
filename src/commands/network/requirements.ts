// network requirements: the guide's "Networking requirements" tables checked
// from the sensor, driven by the site file. The rules and the status decisions
// are data (src/net/requirements.ts); the probes are the target's
// (SystemAdapter.reachability); this file runs them concurrently and renders.
import * as z from 'zod/mini';
import { EXIT, OtshellError } from '../../errors.js';
import {
  planRows, ROW_STATUSES, rowFails, TABLES, type PlannedRow, type ProbeResult, type RequirementRow,
} from '../../net/requirements.js';
import type { SystemAdapter } from '../../system/adapter.js';
import { defineCommand, UserError, type RenderStyle, type Tone } from '../types.js';

const DEFAULT_TIMEOUT_SECONDS = 3;

export type RequirementsResult = RequirementRow[] | { template: string };

/** The site file is missing or invalid: exit 2, nothing was checked. */
export class SiteFileError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.INCOMPLETE);
  }
}

const TlsSchema = z.strictObject({ subject: z.string(), issuer: z.string(), validTo: z.string(), selfSigned: z.boolean() });

export const RequirementsResultSchema = z.union([
  z.array(
    z.strictObject({
      table: z.enum(TABLES),
      protocol: z.string(),
      transport: z.enum(['tcp', 'udp']),
      port: z.int(),
      direction: z.enum(['in', 'out']),
      destination: z.string(),
      status: z.enum(ROW_STATUSES),
      detail: z.string(),
      elapsedMs: z.number().check(z.minimum(0)),
      required: z.boolean(),
      tls: z.optional(TlsSchema),
    }),
  ),
  z.strictObject({ template: z.string() }),
]) as unknown as z.ZodMiniType<RequirementsResult>;

/** The management address: the first IPv4 address of the interface with the management role. */
async function managementAddress(system: SystemAdapter): Promise<string | null> {
  const snapshot = await system.listInterfaces();
  return snapshot.interfaces.find((i) => i.role === 'management')?.ipv4[0]?.address ?? null;
}

/** The ssh target's host and port: where the workstation reaches the sensor. */
function sshSensor(target: string): { host: string; sshPort: number } | null {
  const match = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(target);
  return match ? { host: match[1]!.replace(/^\[|\]$/g, ''), sshPort: match[2] ? Number(match[2]) : 22 } : null;
}

async function runRow(system: SystemAdapter, row: PlannedRow, timeoutMs: number, management: string | null): Promise<RequirementRow> {
  const started = performance.now();
  let result: ProbeResult;
  if (row.fixed || !row.probe) result = row.fixed ?? { status: 'failed', detail: 'no check for this rule' };
  else {
    // The adapter bounds each probe (over ssh after up to 30 s waiting for a channel); this
    // guard only keeps a misbehaving one from holding the table forever.
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'cannot check', detail: `the check did not end within ${timeoutMs / 1000 + 40} s` }), timeoutMs + 40_000);
    });
    try {
      result = await Promise.race([system.reachability!.probe(row.probe, { timeoutMs, managementAddress: management }), guard]);
    } catch (error) {
      if (error instanceof OtshellError && error.exitCode === EXIT.UNAVAILABLE) throw error;
      result = { status: 'failed', detail: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
  // The --json field order the issue documents; `required` and `tls` after it.
  return {
    table: row.table,
    protocol: row.protocol,
    transport: row.transport,
    port: row.port,
    direction: row.direction,
    destination: row.destination,
    status: result.status,
    detail: result.detail,
    elapsedMs: Math.round(performance.now() - started),
    required: row.required,
    ...(result.tls ? { tls: result.tls } : {}),
  };
}

export default defineCommand<RequirementsResult>({
  category: 'network',
  name: 'requirements',
  aliases: ['check-requirements'],
  summary: "Check the site's firewall rules from the sensor (site.yaml)",
  description:
    'Reads the site file (--site FILE, else the one the config names) and checks every rule of the four tables at once, each bounded by --timeout: ' +
    'open, refused, no answer, no route, name not resolved, unconfirmed (UDP), not configured, not used. ' +
    'Inbound rules are checked as "the sensor listens on its management address"; --from-workstation also connects to the sensor from here (ssh targets). ' +
    '--init prints a commented site file template. Exit code 0 when every required rule is open, 1 otherwise, 2 when the site file is missing or invalid.',
  examples: ['network requirements --site site.yaml', 'network requirements --init > site.yaml', 'network requirements --timeout 1 --json'],
  options: [
    { name: 'site', type: 'string', valueName: 'FILE', summary: 'The site file (default: site.file in the otshell config)' },
    { name: 'init', type: 'boolean', summary: 'Print a commented site file template and check nothing' },
    { name: 'timeout', type: 'string', valueName: 'SECONDS', summary: `Per-check timeout (default ${DEFAULT_TIMEOUT_SECONDS})` },
    { name: 'from-workstation', type: 'boolean', summary: 'Also connect to the sensor\'s SSH 22 and HTTPS 443 from this machine (ssh targets)' },
  ],
  resultSchema: RequirementsResultSchema,
  role: 'viewer',
  async run(ctx, input) {
    // The site file's parser (yaml, its schema) loads only when this command runs: start-up skips it.
    const { describeIssue, parseSite, SITE_TEMPLATE } = await import('../../net/site.js');
    if (input.options.init === true) return { template: SITE_TEMPLATE };
    const seconds = input.options.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(input.options.timeout);
    if (typeof input.options.timeout === 'string' && !/^\d+(\.\d+)?$/.test(input.options.timeout)) {
      throw new UserError(`--timeout takes a number of seconds from 0.1 to 60, not "${ctx.style.untrusted(input.options.timeout)}".`, EXIT.USAGE);
    }
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 60) {
      throw new UserError(`--timeout takes a number of seconds from 0.1 to 60, not "${ctx.style.untrusted(String(input.options.timeout))}".`, EXIT.USAGE);
    }
    const siteOption = input.options.site;
    if (siteOption === true || siteOption === '') throw new UserError('--site needs a file name.', EXIT.USAGE);
    const fromWorkstation = input.options['from-workstation'] === true;
    if (fromWorkstation && !ctx.system.target.startsWith('ssh://')) {
      throw new UserError('--from-workstation checks the sensor from this machine: it needs --target ssh://user@sensor.', EXIT.USAGE);
    }
    const port = ctx.system.reachability;
    if (!port) throw new UserError(`The target ${ctx.style.untrusted(ctx.system.target)} cannot check site readiness.`, EXIT.UNAVAILABLE);

    const file = await port.readSiteFile(typeof siteOption === 'string' ? siteOption : undefined);
    if (file.text === null) {
      throw new SiteFileError(`No site file at ${file.path}. Write one with "network requirements --init > site.yaml", fill it in, and pass --site site.yaml.`);
    }
    const parsed = parseSite(file.text);
    if (!parsed.ok) throw new SiteFileError(parsed.issues.map((issue) => describeIssue(file.path, issue)).join('\n'));

    const management = await managementAddress(ctx.system);
    const plan = planRows(parsed.site, {
      managementAddress: management,
      ...(fromWorkstation ? { workstationSensor: sshSensor(ctx.system.target) } : {}),
    });
    const timeoutMs = Math.round(seconds * 1000);
    return Promise.all(plan.map((row) => runRow(ctx.system, row, timeoutMs, management)));
  },
  render: renderRequirements,
  json: (result) => JSON.stringify(result),
  exitCode: (result) => (Array.isArray(result) && result.some(rowFails) ? EXIT.PROBLEM : EXIT.OK),
});

const TONES: Partial<Record<RequirementRow['status'], Tone>> = {
  open: 'green',
  unconfirmed: 'yellow',
  'not configured': 'dim',
  'not used': 'dim',
};

const TITLES: Record<(typeof TABLES)[number], string> = {
  'user access': 'User access to the sensor',
  'sensor to cloud': 'Sensor to the cloud',
  'sensor to management console': 'Sensor to the on-premises management console',
  'other services': 'Other firewall rules for external services',
};

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));

export function renderRequirements(result: RequirementsResult, style: RenderStyle): string {
  if (!Array.isArray(result)) return result.template.replace(/\n$/, '');
  const lines: string[] = [];
  for (const table of TABLES) {
    const rows = result.filter((r) => r.table === table);
    if (rows.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(style.paint('bold', TITLES[table]));
    lines.push(`  ${pad('Protocol', 12)}${pad('Port', 9)}${pad('Dir', 4)}${pad('Status', 18)}Destination`);
    for (const row of rows) {
      const tone = TONES[row.status] ?? 'red';
      const port = `${row.transport.toUpperCase()} ${row.port}`;
      lines.push(`  ${pad(row.protocol, 12)}${pad(port, 9)}${pad(row.direction, 4)}${style.paint(tone, pad(row.status, 18))}${style.untrusted(row.destination)}`);
      lines.push(`      ${style.untrusted(row.detail)}`);
    }
  }
  const required = result.filter((r) => r.required);
  const failing = result.filter(rowFails);
  lines.push('');
  if (failing.length === 0) {
    lines.push(style.paint('green', `Site ready: all ${required.length} required rules are open.`));
  } else {
    const names = failing.map((r) => `${r.protocol} ${style.untrusted(r.destination)} (${r.status})`).join(', ');
    lines.push(style.paint('red', `Site NOT ready: ${failing.length} of ${required.length} required rules are not open: ${names}`));
  }
  return lines.join('\n');
}
