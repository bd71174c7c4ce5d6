// UDP rules over ssh, from the sensor itself: node cannot send a datagram through
// `ssh -W`, so the sensor's own tools do it (dig for DNS, chronyd -Q for NTP, bash's
// /dev/udp for syslog and SNMP); a missing tool is "cannot check over ssh: <tool> missing".
import { type ProbeRequest, type ProbeResult } from '../../net/requirements.js';
import { statusOfSshFailure } from '../probes/classify.js';
import { describeDnsAnswer } from '../probes/dns-query.js';
import type { Runner } from './runner.js';

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** UDP rules from the sensor: its own tools, or a clear "cannot check". */
export async function udpFromSensor(runner: Runner, request: ProbeRequest, timeoutMs: number): Promise<ProbeResult> {
  const what = hostPort(request.host, request.port);
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  const missing = (tool: string): ProbeResult => ({ status: 'cannot check', detail: `cannot check over ssh: ${tool} missing on the sensor` });
  if (request.kind === 'dns') {
    const result = await runner.run('dig', [`@${request.host}`, '-p', String(request.port), request.name ?? '.', 'A', '+tries=1', `+time=${seconds}`], { timeoutMs: timeoutMs + 2000 });
    if (result.exitCode === 127) return missing('dig');
    if (/timed out|no servers could be reached/i.test(result.stdout)) return { status: 'no answer', detail: `${what}: no DNS answer (from the sensor)` };
    if (/refused/i.test(result.stdout + result.stderr) && !/status:/.test(result.stdout)) return { status: 'refused', detail: `${what}: refused (from the sensor)` };
    const rcode = /status: (\w+)/.exec(result.stdout)?.[1];
    if (!rcode) return { status: 'failed', detail: `${what}: dig: ${(result.stderr || result.stdout).trim().split('\n').at(-1)?.slice(0, 160) ?? 'no output'}` };
    const addresses = [...result.stdout.matchAll(/\sIN\s+A\s+(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!);
    return { status: 'open', detail: describeDnsAnswer(request.name ?? '.', { rcode, addresses }) };
  }
  if (request.kind === 'ntp') {
    // chronyd -Q: one measurement, the clock untouched; it prints the offset (not the stratum).
    const result = await runner.run('chronyd', ['-Q', '-f', '/dev/null', '-t', seconds, `server ${request.host} iburst maxsamples 1`], { timeoutMs: timeoutMs + 2000 });
    if (result.exitCode === 127) return missing('chronyd');
    const offset = /wrong by (-?[\d.]+) seconds/.exec(result.stdout + result.stderr)?.[1];
    if (offset !== undefined) return { status: 'open', detail: `NTP answered (chronyd -Q on the sensor): offset ${(Number(offset) * 1000).toFixed(1)} ms` };
    if (/timeout|No suitable source|No reply/i.test(result.stdout + result.stderr) || result.exitCode !== 0) {
      return { status: 'no answer', detail: `${what}: no NTP answer (chronyd -Q on the sensor)` };
    }
    return { status: 'failed', detail: `${what}: chronyd -Q: ${(result.stderr || result.stdout).trim().slice(0, 160)}` };
  }
  const script = 'printf %s "$1" > "/dev/udp/$2/$3"';
  const result = await runner.run('bash', ['-c', script, 'otshell', request.payload ?? '', request.host, String(request.port)], { timeoutMs: timeoutMs + 2000 });
  if (result.exitCode === 127) return missing('bash');
  if (result.exitCode !== 0) return statusOfSshFailure(result.stderr, what);
  return { status: 'unconfirmed', detail: `${what}: sent from the sensor; UDP cannot confirm delivery (no reply protocol)` };
}
