// The probes' parsers and the rule plan, without a network: SNTP replies, DNS
// replies, /proc/net/tcp listeners, socket and ssh failures as statuses, and
// which rows the site file makes required.
import { describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { parseSntpReply, sntpQuery, sntpRequest, writeNtpTime, readNtpTime, SntpError } from '../../src/system/probes/sntp.js';
import { dnsQuery, parseDnsReply, describeDnsAnswer } from '../../src/system/probes/dns-query.js';
import { listensOn, parseProcNetTcp } from '../../src/system/linux/proc-net-tcp.js';
import { statusOfCode, statusOfSshFailure } from '../../src/system/probes/classify.js';
import { planRows, rowFails } from '../../src/net/requirements.js';

function sntpReply(request: Buffer, serverMs: number, stratum = 2): Buffer {
  const reply = Buffer.alloc(48);
  reply[0] = (0 << 6) | (4 << 3) | 4;
  reply[1] = stratum;
  Buffer.from([10, 1, 0, 1]).copy(reply, 12);
  request.copy(reply, 24, 40, 48); // originate = our transmit
  writeNtpTime(reply, 32, serverMs);
  writeNtpTime(reply, 40, serverMs + 1);
  return reply;
}

describe('SNTP', () => {
  it('NTP timestamps round-trip to the millisecond', () => {
    const buffer = Buffer.alloc(8);
    writeNtpTime(buffer, 0, 1_790_000_000_123);
    expect(readNtpTime(buffer, 0)).toBeCloseTo(1_790_000_000_123, 0);
  });

  it('offset and delay from the four timestamps: a server 500 ms ahead', () => {
    const request = sntpRequest(1_000_000);
    const answer = parseSntpReply(sntpReply(request, 1_000_510), request, 1_000_020);
    expect(answer.stratum).toBe(2);
    expect(answer.refId).toBe('10.1.0.1');
    expect(answer.offsetMs).toBeCloseTo(500.5, 0);
    expect(answer.delayMs).toBeCloseTo(19, 0);
  });

  it('refuses a reply that is not ours, a kiss-o-death and an unsynchronised server', () => {
    const request = sntpRequest(1_000_000);
    const other = sntpReply(sntpRequest(5), 1_000_000);
    expect(() => parseSntpReply(other, request, 1_000_010)).toThrow(/does not answer our request/);
    expect(() => parseSntpReply(sntpReply(request, 1, 0), request, 2)).toThrow(/refused \(kiss code/);
    expect(() => parseSntpReply(sntpReply(request, 1, 16), request, 2)).toThrow(/not synchronised/);
    expect(() => parseSntpReply(Buffer.alloc(20), request, 2)).toThrow(/short/);
  });

  it('a real exchange over UDP on loopback, and a refusal', async () => {
    const server = dgram.createSocket('udp4');
    server.on('message', (message, from) => server.send(sntpReply(message, Date.now() + 250, 3), from.port, from.address));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    try {
      const answer = await sntpQuery('127.0.0.1', { port: server.address().port, timeoutMs: 2000 });
      expect(answer.stratum).toBe(3);
      expect(answer.offsetMs).toBeGreaterThan(150);
      expect(answer.offsetMs).toBeLessThan(350);
    } finally {
      server.close();
    }
    const closed = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    closed.close();
    await expect(sntpQuery('127.0.0.1', { port, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(sntpQuery('127.0.0.1', { port, timeoutMs: 2000 })).rejects.toBeInstanceOf(SntpError);
  });
});

describe('DNS', () => {
  it('parses an answer with a compressed name, and an NXDOMAIN', () => {
    const query = dnsQuery('hub.site.test', 0x1234);
    const question = query.subarray(12);
    const header = Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 78, 0, 1]);
    const reply = parseDnsReply(Buffer.concat([header, question, answer]), query);
    expect(reply).toEqual({ rcode: 'NOERROR', addresses: ['10.78.0.1'] });
    expect(describeDnsAnswer('hub.site.test', reply)).toBe('answered: hub.site.test -> 10.78.0.1');
    const nx = parseDnsReply(Buffer.concat([Buffer.from([0x12, 0x34, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0]), question]), query);
    expect(describeDnsAnswer('hub.site.test', nx)).toBe('answered NXDOMAIN for hub.site.test');
  });

  it('refuses a reply to another query or one that is not a response', () => {
    const query = dnsQuery('a.example', 7);
    expect(() => parseDnsReply(Buffer.from([0, 8, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]), query)).toThrow(/another query/);
    expect(() => parseDnsReply(Buffer.from([0, 7, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]), query)).toThrow(/not a DNS response/);
  });
});

describe('/proc/net/tcp', () => {
  const tcp = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 144D4D0A:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:A3E0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0',
    '   2: 144D4D0A:01BB 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0',
  ].join('\n');
  const tcp6 = [
    '  sl  local_address                         remote_address                        st',
    '   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000',
  ].join('\n');

  it('reads listening sockets, the kernel\'s little-endian words as addresses', () => {
    expect(parseProcNetTcp(tcp, 4)).toEqual([{ address: '10.77.77.20', port: 22 }, { address: '127.0.0.1', port: 41952 }]);
    expect(parseProcNetTcp(tcp6, 6)).toEqual([{ address: '::', port: 443 }]);
  });

  it('a socket on the address or on a wildcard accepts; an established one or another address does not', () => {
    const sockets = [...parseProcNetTcp(tcp, 4), ...parseProcNetTcp(tcp6, 6)];
    expect(listensOn(sockets, '10.77.77.20', 22)).toBe(true);
    expect(listensOn(sockets, '10.77.77.21', 22)).toBe(false);
    expect(listensOn(sockets, '10.77.77.20', 443)).toBe(true); // [::]:443 takes IPv4 too
    expect(listensOn(sockets, '10.77.77.20', 41952)).toBe(false);
  });
});

describe('failures as statuses', () => {
  it('errno codes', () => {
    expect(statusOfCode('ECONNREFUSED', '', 'x').status).toBe('refused');
    expect(statusOfCode('EHOSTUNREACH', '', 'x').status).toBe('no route');
    expect(statusOfCode('ENETUNREACH', '', 'x').status).toBe('no route');
    expect(statusOfCode('ENOTFOUND', '', 'x').status).toBe('name not resolved');
    expect(statusOfCode('EAI_AGAIN', '', 'x').status).toBe('name not resolved');
    expect(statusOfCode('ETIMEDOUT', '', 'x').status).toBe('no answer');
    expect(statusOfCode('EPROTO', 'odd', 'x')).toEqual({ status: 'failed', detail: 'x: odd' });
  });

  it('what the sensor\'s bash or ssh says', () => {
    expect(statusOfSshFailure('bash: connect: Connection refused', 'x').status).toBe('refused');
    expect(statusOfSshFailure('bash: connect: No route to host', 'x').status).toBe('no route');
    expect(statusOfSshFailure('bash: missing.invalid: Name or service not known', 'x').status).toBe('name not resolved');
    expect(statusOfSshFailure('channel 0: open failed: administratively prohibited', 'x').status).toBe('cannot check');
  });
});

describe('the rule plan', () => {
  it('a named service is required; switched off is "not used"; named nowhere is "not configured" and not required', () => {
    const rows = planRows({ smtp: { host: 'mail.example.com' }, syslog: '10.1.0.9', use: { syslog: false, ldap: true } }, { managementAddress: '10.1.0.20' });
    const row = (protocol: string) => rows.find((r) => r.protocol === protocol)!;
    expect(row('SMTP')).toMatchObject({ required: true, probe: { kind: 'smtp', host: 'mail.example.com', port: 25 } });
    expect(row('Syslog')).toMatchObject({ required: false, fixed: { status: 'not used' } });
    expect(row('WMI')).toMatchObject({ required: false, fixed: { status: 'not configured' } });
    // Switched on but not named: a gap in the site file, so the site is not ready.
    expect(row('LDAP')).toMatchObject({ required: true, fixed: { status: 'not configured', detail: expect.stringMatching(/says the site uses ldap/) } });
    expect(rowFails({ required: true, status: 'not configured' })).toBe(true);
    expect(rowFails({ required: true, status: 'unconfirmed' })).toBe(false);
    expect(rowFails({ required: false, status: 'refused' })).toBe(false);
  });

  it('NTP defaults to the management console; tunnelling and TLS go to the console', () => {
    const rows = planRows({ managementConsole: '10.1.0.5' }, { managementAddress: null });
    expect(rows.find((r) => r.protocol === 'NTP')!.probe).toMatchObject({ kind: 'ntp', host: '10.1.0.5', port: 123, transport: 'udp' });
    expect(rows.find((r) => r.protocol === 'Tunnelling')!.probe).toMatchObject({ kind: 'tcp', host: '10.1.0.5', port: 9000 });
    // Without a management address the inbound rules cannot be checked, and say so.
    expect(rows.find((r) => r.protocol === 'SSH')!.fixed).toEqual({ status: 'failed', detail: 'the target has no management address' });
  });

  it('--from-workstation adds the two inbound rules from this machine, to the ssh port used', () => {
    const rows = planRows({}, { managementAddress: '10.1.0.20', workstationSensor: { host: 'sensor.example', sshPort: 2222 } });
    expect(rows.filter((r) => r.protocol.includes('workstation')).map((r) => [r.protocol, r.port, r.probe?.kind, r.probe?.from])).toEqual([
      ['SSH (from workstation)', 2222, 'tcp', 'workstation'],
      ['HTTPS (from workstation)', 443, 'tls', 'workstation'],
    ]);
  });
});
