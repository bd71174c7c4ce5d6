// The site file (site.yaml): the guide's "Collect site information" as data,
// the input of `network requirements`. Parsed with the yaml package so every
// schema error names the line and the field it is about.
import * as z from 'zod/mini';
import { describeFileIssue, parseYamlFile, type FileIssue } from './yaml-file.js';
import en from 'zod/v4/locales/en.js';
import { isHost, parseHostPort } from './host-name.js';

// English messages ("expected number, received string"), as the otshell config's.
z.config(en());

export { isHost, parseHostPort };

const host = z.string().check(z.refine(isHost, { error: 'expected a host name or an IP address' }));
const port = z.int().check(z.minimum(1, { error: 'expected a port from 1 to 65535' }), z.maximum(65535, { error: 'expected a port from 1 to 65535' }));


function httpUrl(value: string): boolean {
  if (/[\u0000-\u0020\u007f]/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isHost(url.hostname.replace(/^\[|\]$/g, '')) && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** The optional services a site may switch off; each defaults to "used when its server is named". */
export const OPTIONAL_SERVICES = [
  'cloud', 'managementConsole', 'ntp', 'smtp', 'dns', 'crl', 'wmi', 'snmp', 'ldap', 'ldaps', 'proxy', 'syslog', 'tunnelling',
] as const;
export type OptionalService = (typeof OPTIONAL_SERVICES)[number];

export const siteSchema = z.strictObject({
  managementConsole: z.optional(host),
  dns: z.optional(
    z.strictObject({
      servers: z.optional(z.array(host).check(z.maxLength(3, { error: 'expected at most 3 DNS servers' }))),
      resolve: z.optional(host),
    }),
  ),
  ntp: z.optional(host),
  smtp: z.optional(z.strictObject({ host, port: z.optional(port) })),
  crl: z.optional(z.string().check(z.refine(httpUrl, { error: 'expected an http:// or https:// URL with a host name' }))),
  syslog: z.optional(host),
  snmp: z.optional(host),
  ldap: z.optional(host),
  ldaps: z.optional(host),
  wmi: z.optional(host),
  proxy: z.optional(z.string().check(z.refine((v) => parseHostPort(v) !== null, { error: 'expected host:port' }))),
  cloud: z.optional(
    z.strictObject({
      iotHub: z.optional(host),
      blob: z.optional(host),
      serviceBus: z.optional(host),
      download: z.optional(host),
    }),
  ),
  use: z.optional(z.partial(z.strictObject(Object.fromEntries(OPTIONAL_SERVICES.map((s) => [s, z.boolean()])) as Record<OptionalService, z.ZodMiniBoolean>))),
});

export type Site = z.infer<typeof siteSchema>;

/** One problem of a site file: where and what. */
export type SiteIssue = FileIssue;

export type SiteParse = { ok: true; site: Site } | { ok: false; issues: SiteIssue[] };

export function parseSite(text: string): SiteParse {
  const parsed = parseYamlFile(text, siteSchema, { unknownKey: 'not a site file field' });
  return parsed.ok ? { ok: true, site: parsed.value } : parsed;
}

/** "site.yaml line 7: smtp.port: expected a port from 1 to 65535" */
export const describeIssue = describeFileIssue;

/** Whether a service's rows are checked: not when switched off; otherwise when its server is named. */
export function serviceUse(site: Site, service: OptionalService): boolean | undefined {
  return site.use?.[service];
}

/** What `network requirements --init` writes: the guide's questions as comments; parses back to an empty site. */
export const SITE_TEMPLATE = `# site.yaml: the site information "network requirements" checks from the sensor.
# Answer the guide's questions (Collect site information); leave a line commented
# out when the site does not have that service. Host names or IP addresses.

# What is the on-premises management console's address? (TLS 443, NTP 123, tunnelling 9000)
# managementConsole: 10.1.0.5

# Which DNS servers does the sensor use, and which name must they resolve?
# dns:
#   servers: [10.1.0.53]
#   resolve: download.microsoft.com

# Which NTP server keeps the sensor's time? (defaults to the management console)
# ntp: 10.1.0.123

# Which mail server sends alerts? (port 25 unless given)
# smtp:
#   host: mail.example.com
#   port: 25

# Where is the certificate revocation list (CRL) published?
# crl: http://crl.example.com/ca.crl

# Syslog, SNMP, LDAP, LDAPS and WMI servers the sensor forwards to or queries
# syslog: 10.1.0.9
# snmp: 10.1.0.10
# ldap: dc1.example.com
# ldaps: dc1.example.com
# wmi: 10.1.0.11

# Does the sensor reach the internet through a proxy? (host:port)
# proxy: proxy.example.com:3128

# The cloud endpoints this sensor uses (the tables' wildcards, made concrete)
# cloud:
#   iotHub: contoso-hub.azure-devices.net        # *.azure-devices.net
#   blob: contoso.blob.core.windows.net          # *.blob.core.windows.net
#   serviceBus: contoso.servicebus.windows.net   # *.servicebus.windows.net
#   download: download.microsoft.com

# Which optional services does this site use? (false: its rows show "not used")
# use:
#   cloud: true
#   managementConsole: true
#   smtp: false
#   snmp: false
#   tunnelling: false
`;
