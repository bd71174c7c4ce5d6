// The site file: every bad field is named with its line; the --init template parses back.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { describeIssue, parseSite, SITE_TEMPLATE, parseHostPort } from '../../src/net/site.js';

const GOOD = `managementConsole: 10.1.0.5
dns:
  servers: [10.1.0.53, 10.1.0.54]
  resolve: download.microsoft.com
ntp: ntp.example.com
smtp:
  host: mail.example.com
  port: 587
crl: http://crl.example.com/ca.crl
syslog: 10.1.0.9
proxy: proxy.example.com:3128
cloud:
  iotHub: contoso.azure-devices.net
use:
  snmp: false
`;

describe('site file', () => {
  it('a complete file parses to the site', () => {
    const parsed = parseSite(GOOD);
    expect(parsed).toEqual({
      ok: true,
      site: {
        managementConsole: '10.1.0.5',
        dns: { servers: ['10.1.0.53', '10.1.0.54'], resolve: 'download.microsoft.com' },
        ntp: 'ntp.example.com',
        smtp: { host: 'mail.example.com', port: 587 },
        crl: 'http://crl.example.com/ca.crl',
        syslog: '10.1.0.9',
        proxy: 'proxy.example.com:3128',
        cloud: { iotHub: 'contoso.azure-devices.net' },
        use: { snmp: false },
      },
    });
  });

  it('the --init template is commented YAML that parses back, and its examples parse when uncommented', () => {
    expect(parseSite(SITE_TEMPLATE)).toEqual({ ok: true, site: {} });
    const uncommented = SITE_TEMPLATE.split('\n')
      .filter((line) => /^# {0,3}[a-zA-Z]+:|^# {2,}/.test(line) && !/^# [A-Z]/.test(line))
      .map((line) => line.replace(/^# /, ''))
      .join('\n');
    const parsed = parseSite(uncommented);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (parsed.ok) {
      expect(parsed.site.smtp).toEqual({ host: 'mail.example.com', port: 25 });
      expect(parsed.site.cloud?.serviceBus).toBe('contoso.servicebus.windows.net');
      expect(parsed.site.use?.tunnelling).toBe(false);
    }
  });

  // Each bad field alone, at a known line: the error names the line and the field.
  const cases: [string, string, number, string, RegExp][] = [
    ['bad management console', 'ntp: 10.1.0.1\nmanagementConsole: "-oProxyCommand=x"\n', 2, 'managementConsole', /host name or an IP address/],
    ['DNS server with a space', 'dns:\n  servers:\n    - 10.1.0.53\n    - "10.1.0.54 evil"\n', 4, 'dns.servers.1', /host name/],
    ['four DNS servers', 'dns:\n  servers: [a.b, c.d, e.f, g.h]\n', 2, 'dns.servers', /at most 3/],
    ['smtp port out of range', 'smtp:\n  host: mail.example.com\n  port: 70000\n', 3, 'smtp.port', /port from 1 to 65535/],
    ['smtp port as text', 'smtp:\n  host: mail.example.com\n  port: "25"\n', 3, 'smtp.port', /number/],
    ['smtp without host', 'smtp:\n  port: 25\n', 1, 'smtp.host', /string/],
    ['crl not a URL', 'crl: ftp://crl.example.com/x\n', 1, 'crl', /http:\/\/ or https:\/\//],
    ['proxy without port', '\n\nproxy: proxy.example.com\n', 3, 'proxy', /host:port/],
    ['unknown field', 'managementConsole: 10.1.0.5\nsmtpServer: mail\n', 2, 'smtpServer', /not a site file field/],
    ['unknown nested field', 'cloud:\n  iotHub: a.azure-devices.net\n  eventHub: x\n', 3, 'cloud.eventHub', /not a site file field/],
    ['use flag not a boolean', 'use:\n  smtp: "no"\n', 2, 'use.smtp', /boolean/],
    ['unknown service in use', 'use:\n  telnet: true\n', 2, 'use.telnet', /not a site file field/],
    ['control byte in a host', 'syslog: "10.1.0.9\\u001b[2J"\n', 1, 'syslog', /host name/],
    ['cloud endpoint a number', 'cloud:\n  blob: 42\n', 2, 'cloud.blob', /string/],
  ];
  it.each(cases)('%s: line %#', (_name, text, line, field, message) => {
    const parsed = parseSite(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ line, field });
    expect(parsed.issues[0]!.message).toMatch(message);
    expect(describeIssue('site.yaml', parsed.issues[0]!)).toMatch(new RegExp(`^site\\.yaml line ${line}: ${field.replace(/\./g, '\\.')}: `));
  });

  it('every bad field of one file is named, each with its own line', () => {
    const parsed = parseSite('ntp: "bad host"\nsmtp:\n  host: ok.example\n  port: 0\nproxy: nope\nextra: 1\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => `${i.line} ${i.field}`).sort()).toEqual(['1 ntp', '4 smtp.port', '5 proxy', '6 extra']);
  });

  it('broken YAML names its line', () => {
    const parsed = parseSite('dns:\n  servers: [10.1.0.53\nntp: x\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('a duplicate key is an error at its line', () => {
    const parsed = parseSite('ntp: a.example\nntp: b.example\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]!.line).toBe(2);
  });

  it('an empty file is an empty site, and a list is not a site', () => {
    expect(parseSite('')).toEqual({ ok: true, site: {} });
    const list = parseSite('- a\n- b\n');
    expect(list.ok).toBe(false);
  });

  it('host:port parsing refuses what is not one', () => {
    expect(parseHostPort('proxy.example.com:3128')).toEqual({ host: 'proxy.example.com', port: 3128 });
    expect(parseHostPort('[fd00::1]:8080')).toEqual({ host: 'fd00::1', port: 8080 });
    for (const bad of ['proxy', 'proxy:0', 'proxy:65536', '-x:80', 'a b:80', ':80']) expect(parseHostPort(bad), bad).toBeNull();
  });

  it('the template is valid YAML with comments only', () => {
    const doc = YAML.parseDocument(SITE_TEMPLATE);
    expect(doc.errors).toEqual([]);
    expect(SITE_TEMPLATE.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
  });
});
