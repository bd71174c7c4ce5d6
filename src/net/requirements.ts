// The guide's four "Networking requirements" tables as data: which rule is
// checked how (a probe the adapter runs), or why it is not checked. The
// adapter only runs probes; every table row and status decision is here.
import type { OptionalService, Site } from './site.js';
import { parseHostPort } from './host-name.js';

export const TABLES = ['user access', 'sensor to cloud', 'sensor to management console', 'other services'] as const;
export type TableName = (typeof TABLES)[number];

export const ROW_STATUSES = [
  'open', 'refused', 'no answer', 'no route', 'name not resolved', 'unconfirmed', 'not configured', 'not used', 'failed', 'cannot check',
] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** Statuses a required row may have and still pass: UDP without a reply protocol cannot do better than unconfirmed. */
const PASSING: ReadonlySet<RowStatus> = new Set(['open', 'unconfirmed']);

export type ProbeKind =
  /** TCP connect. */
  | 'tcp'
  /** TCP, then a TLS handshake: the certificate's subject, issuer, expiry, self-signed. */
  | 'tls'
  /** TCP, then the server's "220" greeting. */
  | 'smtp'
  /** TCP (TLS for https), GET the URL, the status code. */
  | 'http'
  /** TCP to the proxy, then CONNECT to `through` and its answer. */
  | 'proxy'
  /** A DNS query for `name` (UDP or TCP by transport). */
  | 'dns'
  /** An SNTP request (UDP 123): stratum and offset. */
  | 'ntp'
  /** A UDP datagram with no reply protocol (syslog, SNMP): only an ICMP refusal can be seen. */
  | 'udp'
  /** An inbound rule: something listens on the management address and port (TLS details when `tls`). */
  | 'listen';

export interface ProbeRequest {
  kind: ProbeKind;
  host: string;
  port: number;
  transport: 'tcp' | 'udp';
  /** http: the URL to GET. */
  url?: string;
  /** dns: the name to ask for. */
  name?: string;
  /** proxy: the host:port to CONNECT to. */
  through?: string;
  /** listen: also do a TLS handshake to read the sensor's certificate. */
  tls?: boolean;
  /** udp: the datagram to send (syslog: a test message). */
  payload?: string;
  /** Where the check runs from: the target (default) or the engineer's workstation (--from-workstation). */
  from?: 'target' | 'workstation';
}

export interface TlsDetails {
  subject: string;
  issuer: string;
  /** ISO time the certificate expires. */
  validTo: string;
  selfSigned: boolean;
}

export interface ProbeResult {
  status: RowStatus;
  detail: string;
  tls?: TlsDetails;
}

/** Which rule of the guide's tables a row is, and toward what. */
export interface RuleIdentity {
  table: TableName;
  protocol: string;
  transport: 'tcp' | 'udp';
  port: number;
  direction: 'in' | 'out';
  destination: string;
  /** When it is not open (or unconfirmed), the site is not ready. */
  required: boolean;
}

/** One rule of the guide's tables, as planned from the site file. */
export interface PlannedRow extends RuleIdentity {
  probe?: ProbeRequest;
  /** Decided without a probe (not configured, not used). */
  fixed?: ProbeResult;
}

export interface RequirementRow extends RuleIdentity {
  status: RowStatus;
  detail: string;
  elapsedMs: number;
  tls?: TlsDetails;
}

export interface PlanContext {
  /** The sensor's management address (from the target's interfaces); null when none. */
  managementAddress: string | null;
  /** With --from-workstation: the sensor as the workstation reaches it (the ssh target's host and port). */
  workstationSensor?: { host: string; sshPort: number } | null;
}

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * A service's state: "not used" when switched off, "not configured" when on (or
 * unspecified) but no server is named. Required only when named and not switched off,
 * or switched on explicitly (then a missing server is a gap in the site file).
 */
function decide(
  site: Site,
  service: OptionalService,
  server: string | undefined,
  field: string = service,
): { use: true; host: string } | { use: false; row: ProbeResult; required: boolean } {
  const use = site.use?.[service];
  if (use === false) return { use: false, required: false, row: { status: 'not used', detail: `the site file says this site does not use ${service}` } };
  if (server === undefined) {
    return {
      use: false,
      required: use === true,
      row: { status: 'not configured', detail: `the site file does not name ${field}${use === true ? ` although it says the site uses ${service}` : ''}` },
    };
  }
  return { use: true, host: server };
}

export function planRows(site: Site, context: PlanContext): PlannedRow[] {
  const rows: PlannedRow[] = [];
  const add = (
    base: Omit<PlannedRow, 'destination' | 'required' | 'probe' | 'fixed'>,
    service: OptionalService | null,
    server: string | undefined,
    probe: (host: string) => ProbeRequest,
    destination: (host: string) => string = (h) => hostPort(h, base.port),
    unnamed: { field?: string; destination?: string } = {},
  ) => {
    if (service === null) {
      if (server === undefined) {
        rows.push({ ...base, destination: '-', required: true, fixed: { status: 'failed', detail: 'the target has no management address' } });
      } else rows.push({ ...base, destination: destination(server), required: true, probe: probe(server) });
      return;
    }
    const decision = decide(site, service, server, unnamed.field);
    if (decision.use) rows.push({ ...base, destination: destination(decision.host), required: true, probe: probe(decision.host) });
    else rows.push({ ...base, destination: server === undefined ? unnamed.destination ?? '-' : destination(server), required: decision.required, fixed: decision.row });
  };

  // User access: inbound, checked as "the sensor listens on the management address".
  const mgmt = context.managementAddress ?? undefined;
  const user = (protocol: string, port: number) => ({ table: 'user access' as const, protocol, transport: 'tcp' as const, port, direction: 'in' as const });
  add(user('SSH', 22), null, mgmt, (h) => ({ kind: 'listen', host: h, port: 22, transport: 'tcp' }));
  add(user('HTTPS', 443), null, mgmt, (h) => ({ kind: 'listen', host: h, port: 443, transport: 'tcp', tls: true }));
  if (context.workstationSensor !== undefined) {
    const sensor = context.workstationSensor?.host;
    // The SSH rule as the engineer uses it: the target's port (22 unless the target says otherwise).
    const sshPort = context.workstationSensor?.sshPort ?? 22;
    const from = (protocol: string, port: number) => ({ ...user(`${protocol} (from workstation)`, port) });
    add(from('SSH', sshPort), null, sensor, (h) => ({ kind: 'tcp', host: h, port: sshPort, transport: 'tcp', from: 'workstation' }));
    add(from('HTTPS', 443), null, sensor, (h) => ({ kind: 'tls', host: h, port: 443, transport: 'tcp', from: 'workstation' }));
  }

  // Sensor to cloud: HTTPS 443 out to each endpoint the site names.
  const cloud = site.cloud ?? {};
  const endpoints: [keyof NonNullable<Site['cloud']>, string][] = [
    ['iotHub', '*.azure-devices.net'], ['blob', '*.blob.core.windows.net'], ['serviceBus', '*.servicebus.windows.net'], ['download', 'download.microsoft.com'],
  ];
  for (const [key, pattern] of endpoints) {
    add(
      { table: 'sensor to cloud', protocol: 'HTTPS', transport: 'tcp', port: 443, direction: 'out' },
      'cloud',
      cloud[key],
      (h) => ({ kind: 'tls', host: h, port: 443, transport: 'tcp' }),
      undefined,
      { field: `cloud.${key} (${pattern})`, destination: pattern },
    );
  }

  // Sensor to the on-premises management console.
  const console_ = site.managementConsole;
  const mc = (protocol: string, transport: 'tcp' | 'udp', port: number) => ({ table: 'sensor to management console' as const, protocol, transport, port, direction: 'out' as const });
  add(mc('NTP', 'udp', 123), 'ntp', site.ntp ?? console_, (h) => ({ kind: 'ntp', host: h, port: 123, transport: 'udp' }), undefined, {
    field: 'ntp (nor managementConsole)',
  });
  add(mc('TLS/SSL', 'tcp', 443), 'managementConsole', console_, (h) => ({ kind: 'tls', host: h, port: 443, transport: 'tcp' }));

  // Other services.
  const other = (protocol: string, transport: 'tcp' | 'udp', port: number) => ({ table: 'other services' as const, protocol, transport, port, direction: 'out' as const });
  const smtpPort = site.smtp?.port ?? 25;
  add(other('SMTP', 'tcp', smtpPort), 'smtp', site.smtp?.host, (h) => ({ kind: 'smtp', host: h, port: smtpPort, transport: 'tcp' }), undefined, { field: 'smtp.host' });
  const servers = site.dns?.servers ?? [];
  const name = site.dns?.resolve ?? cloud.download ?? 'download.microsoft.com';
  for (const transport of ['tcp', 'udp'] as const) {
    if (servers.length === 0) add(other('DNS', transport, 53), 'dns', undefined, () => ({ kind: 'dns', host: '', port: 53, transport }), undefined, { field: 'dns.servers' });
    for (const server of servers) add(other('DNS', transport, 53), 'dns', server, (h) => ({ kind: 'dns', host: h, port: 53, transport, name }));
  }
  const crl = site.crl === undefined ? undefined : new URL(site.crl);
  const crlPort = crl ? Number(crl.port || (crl.protocol === 'https:' ? 443 : 80)) : 80;
  add(other('HTTP (CRL)', 'tcp', crlPort), 'crl', crl?.hostname.replace(/^\[|\]$/g, ''), (h) => ({ kind: 'http', host: h, port: crlPort, transport: 'tcp', url: site.crl }), () => site.crl!);
  add(other('WMI', 'tcp', 135), 'wmi', site.wmi, (h) => ({ kind: 'tcp', host: h, port: 135, transport: 'tcp' }));
  add(other('SNMP', 'udp', 161), 'snmp', site.snmp, (h) => ({ kind: 'udp', host: h, port: 161, transport: 'udp' }));
  add(other('LDAP', 'tcp', 389), 'ldap', site.ldap, (h) => ({ kind: 'tcp', host: h, port: 389, transport: 'tcp' }));
  const proxy = site.proxy === undefined ? null : parseHostPort(site.proxy);
  const through = `${cloud.iotHub ?? cloud.download ?? 'download.microsoft.com'}:443`;
  add(other('Proxy', 'tcp', proxy?.port ?? 443), 'proxy', proxy?.host, (h) => ({ kind: 'proxy', host: h, port: proxy!.port, transport: 'tcp', through }));
  add(other('Syslog', 'udp', 514), 'syslog', site.syslog, (h) => ({
    kind: 'udp', host: h, port: 514, transport: 'udp', payload: '<14>otshell: network requirements test message',
  }));
  add(other('LDAPS', 'tcp', 636), 'ldaps', site.ldaps, (h) => ({ kind: 'tls', host: h, port: 636, transport: 'tcp' }));
  add(other('Tunnelling', 'tcp', 9000), 'tunnelling', console_, (h) => ({ kind: 'tcp', host: h, port: 9000, transport: 'tcp' }));
  return rows;
}

/** Whether the row keeps the site from being ready (exit 1). */
export function rowFails(row: Pick<RequirementRow, 'required' | 'status'>): boolean {
  return row.required && !PASSING.has(row.status);
}

/** What "unconfirmed" always means, said once for both UDP rules. */
export const UDP_UNCONFIRMED = 'sent; UDP cannot confirm delivery (no reply protocol), and no ICMP refusal came back';
