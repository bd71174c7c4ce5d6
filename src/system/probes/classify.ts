// Socket and ssh failures as the statuses of `network requirements`.
import type { ProbeResult } from '../../net/requirements.js';

/** An errno code (local sockets) as a row status. */
export function statusOfCode(code: string | undefined, message: string, what: string): ProbeResult {
  switch (code) {
    case 'ECONNREFUSED':
      return { status: 'refused', detail: `${what}: connection refused (RST or ICMP port unreachable)` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return { status: 'no route', detail: `${what}: ${code === 'EADDRNOTAVAIL' ? 'the management address cannot reach it' : 'no route to the host'}` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'ENODATA':
      return { status: 'name not resolved', detail: `${what}: the name does not resolve (${code})` };
    case 'ETIMEDOUT':
      return { status: 'no answer', detail: `${what}: no answer (dropped by a firewall, or nothing routed)` };
    default:
      return { status: 'failed', detail: `${what}: ${message}` };
  }
}

/** ssh -W's last words ("channel 0: open failed: connect failed: No route to host") as a row status. */
export function statusOfSshFailure(text: string, what: string): ProbeResult {
  if (/refused/i.test(text)) return { status: 'refused', detail: `${what}: connection refused (from the sensor)` };
  if (/no route|network is unreachable|host is unreachable/i.test(text)) return { status: 'no route', detail: `${what}: no route to the host (from the sensor)` };
  if (/name or service not known|could not resolve|name resolution|nodename nor servname|no address associated/i.test(text)) {
    return { status: 'name not resolved', detail: `${what}: the name does not resolve on the sensor` };
  }
  if (/timed out/i.test(text)) return { status: 'no answer', detail: `${what}: no answer (from the sensor)` };
  if (/administratively prohibited/i.test(text)) return { status: 'cannot check', detail: `cannot check over ssh: the sensor's sshd does not allow forwarding` };
  return { status: 'failed', detail: `${what}: ${text.trim().split('\n').at(-1)?.slice(0, 200) ?? 'connect failed'}` };
}
